"""Deprecated: moved to :mod:`kundfokus.kano.charts`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.kano.charts import *  # noqa: F403

moved("kundfokus.charts.kano", "kundfokus.kano.charts")

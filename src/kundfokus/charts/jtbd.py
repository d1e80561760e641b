"""Deprecated: moved to :mod:`kundfokus.jtbd.charts`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.jtbd.charts import *  # noqa: F403

moved("kundfokus.charts.jtbd", "kundfokus.jtbd.charts")

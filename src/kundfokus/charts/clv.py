"""Deprecated: moved to :mod:`kundfokus.clv.charts`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.clv.charts import *  # noqa: F403

moved("kundfokus.charts.clv", "kundfokus.clv.charts")

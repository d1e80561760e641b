"""Deprecated: moved to :mod:`kundfokus.scores.charts`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.scores.charts import *  # noqa: F403

moved("kundfokus.charts.scores", "kundfokus.scores.charts")

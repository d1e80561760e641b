"""Deprecated: moved to :mod:`kundfokus.retention.charts`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.retention.charts import *  # noqa: F403

moved("kundfokus.charts.retention", "kundfokus.retention.charts")

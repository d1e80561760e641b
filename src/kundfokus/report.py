"""Deprecated: moved to :mod:`kundfokus.reports`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.reports import *  # noqa: F403
from kundfokus.reports.html import _fmt_num  # noqa: F401

moved("kundfokus.report", "kundfokus.reports")

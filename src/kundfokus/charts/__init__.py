"""Deprecated: chart functions moved to each method's package (``kundfokus.kano.charts`` ...) and
chart files to :mod:`kundfokus.reports` (``save_chart``, ``render_svg``, ``to_spec``)."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.reports.charts import VEGA_LITE_SCHEMA, render_svg, save_chart, to_spec

moved("kundfokus.charts", "kundfokus.reports (save_chart, render_svg, to_spec)")

__all__ = ["VEGA_LITE_SCHEMA", "render_svg", "save_chart", "to_spec"]

"""Rendering shared by every method: offline HTML reports and chart files (SVG, PNG, PDF, JSON).

Method packages build :class:`Section` objects (text, :class:`Table`, :class:`Chart`) and their
Vega-Lite specs; this package turns them into one self-contained HTML page
(:func:`render_report`, :func:`write_report`), a chart file (:func:`save_chart`) or terminal text
(:func:`frame_text`).
"""

from __future__ import annotations

from kundfokus.reports.charts import VEGA_LITE_SCHEMA, render_svg, save_chart, to_spec
from kundfokus.reports.html import (
    Chart,
    Section,
    Table,
    chart_html,
    render_report,
    table_html,
    write_report,
)
from kundfokus.reports.text import frame_text

__all__ = [
    "VEGA_LITE_SCHEMA",
    "Chart",
    "Section",
    "Table",
    "chart_html",
    "frame_text",
    "render_report",
    "render_svg",
    "save_chart",
    "table_html",
    "to_spec",
    "write_report",
]

"""Rendering shared by every method: offline HTML reports and chart files (SVG, PNG, PDF, JSON).

Method packages build :class:`Section` objects (text, :class:`Table`, :class:`Chart`) and their
Vega-Lite specs; this package turns them into one self-contained HTML page
(:func:`render_report`, :func:`write_report`), a chart file (:func:`save_chart`) or terminal text
(:func:`frame_text`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Imported on first use, so that a command that only prints text does not load pandas, Jinja2
# and vl-convert (the CLI answers --help faster).
_WHERE = {
    "VEGA_LITE_SCHEMA": "charts",
    "render_svg": "charts",
    "save_chart": "charts",
    "to_spec": "charts",
    "Chart": "html",
    "Section": "html",
    "Table": "html",
    "chart_html": "html",
    "render_report": "html",
    "table_html": "html",
    "write_report": "html",
    "frame_text": "text",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f"kundfokus.reports.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kundfokus.reports' has no attribute {name!r}")


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

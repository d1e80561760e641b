"""Charts as Vega-Lite specifications.

Every method's results have chart functions here (``kundfokus.kano.charts``, ``...jtbd`` and so on)
that return a Vega-Lite spec as a plain ``dict``: tests can read it, the HTML report embeds it, and
:func:`save_chart` renders it offline to PNG, SVG or PDF with vl-convert (no CDN, no browser).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kundfokus.io import atomic_write
from kundfokus.serialize import to_json

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def to_spec(chart: Any) -> dict[str, Any]:
    """Return the Vega-Lite dict of an Altair chart (or pass a dict through)."""
    if isinstance(chart, dict):
        return chart
    return chart.to_dict()


def render_svg(spec: dict[str, Any] | Any) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(to_spec(spec))


def save_chart(spec: dict[str, Any] | Any, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write a chart to ``path`` (whole or not at all); the suffix picks the format: ``.png``, ``.svg``, ``.pdf``,
    ``.json`` (the Vega-Lite spec itself) or ``.html`` (a standalone page with the SVG inline)."""
    import vl_convert as vlc

    p = Path(path)
    spec = to_spec(spec)
    suffix = p.suffix.lower()
    if suffix == ".png":
        data: str | bytes = vlc.vegalite_to_png(spec, scale=scale)
    elif suffix == ".svg":
        data = vlc.vegalite_to_svg(spec)
    elif suffix == ".pdf":
        data = vlc.vegalite_to_pdf(spec)
    elif suffix == ".json":
        data = to_json(spec)
    elif suffix == ".html":
        data = "<!doctype html><meta charset='utf-8'>" + vlc.vegalite_to_svg(spec)
    else:
        raise ValueError(f"unknown chart format {suffix!r}: use .png, .svg, .pdf, .json or .html")
    return atomic_write(p, data)

"""The leadership dashboard: ``GET /api/v1/dashboard`` (every panel as JSON), the page
``/dashboard`` and its downloads (each chart as SVG or PNG, each panel's data as CSV).

Nothing here computes a statistic or queries the store: the figures come from
:func:`kundfokus.services.dashboard.dashboard`; this module turns them into Vega-Lite charts,
alt texts and the page. One result is kept for a short while per store, filter set and language, so
that the page and its chart images do not compute the same panels again.
"""

from __future__ import annotations

import threading
import time
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from kundfokus.i18n import tr
from kundfokus.serialize import json_safe, to_csv
from kundfokus.services import dashboard as service
from kundfokus.web.api import PROBLEMS
from kundfokus.web.deps import DB, Viewer, page_lang
from kundfokus.web.render import render, translator

router = APIRouter()

#: The charts of the page (``/dashboard/chart/{name}.svg``).
CHARTS: tuple[str, ...] = (
    "nps",
    "csat",
    "ces",
    "kano",
    "odi",
    "contacts_time",
    "purpose",
    "reason",
    "channel",
    "situation",
    "cpis",
    "churn",
    "retention",
    "clv",
    "drivers_nps",
    "drivers_churn",
)
#: Chart widths (the whole image, axes and labels included) per variant: ``narrow`` for a phone,
#: ``normal``, ``wide`` for a large screen. The page offers each through ``<picture>``.
SIZES: dict[str, int] = {"narrow": 320, "normal": 460, "wide": 500}
#: The tables behind them (``/dashboard/data/{name}.csv``).
DATA: tuple[str, ...] = (
    "kpis",
    "nps",
    "csat",
    "ces",
    "kano",
    "odi",
    "contacts",
    "contacts_time",
    "purpose",
    "reason",
    "channel",
    "situation",
    "cpis",
    "goals",
    "voice",
    "churn",
    "retention",
    "clv",
    "value_at_risk",
    "drivers",
    "recommendations",
)
_TTL = 30.0
_CACHE: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}
_LOCK = threading.Lock()
_COLOURS = {
    "M": "#a4161a",
    "O": "#0b5cad",
    "A": "#1a7f37",
    "I": "#6e7781",
    "R": "#8250df",
    "Q": "#bf8700",
}


def _query(request: Request) -> tuple[str, str | None, dict[str, str]]:
    q = request.query_params
    period = q.get("period") or "month"
    by = q.get("by") or None
    filters = {k: q.get(k, "") for k in service.FILTERS if q.get(k)}
    return period, by, filters


def _data(request: Request, db: DB, lang: str) -> dict[str, Any]:
    period, by, filters = _query(request)
    key = (id(request.app), period, by, lang, tuple(sorted(filters.items())))
    now = time.monotonic()
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and now - hit[0] < _TTL:
            return hit[1]
    data = service.dashboard(db, period=period, lang=lang, filters=filters, by=by)
    with _LOCK:
        for k in [k for k, (t, _) in _CACHE.items() if now - t >= _TTL]:
            del _CACHE[k]
        _CACHE[key] = (now, data)
    return data


def _lang(request: Request, who) -> str:
    q = request.query_params.get("lang")
    return q if q in ("sv", "en") else page_lang(request, who)


@router.get("/api/v1/dashboard", responses=PROBLEMS, tags=["dashboard"])
def dashboard_api(
    request: Request,
    db: DB,
    who: Viewer,
    period: Literal["week", "month", "quarter"] = "month",
    by: Annotated[str | None, Query(max_length=64)] = None,
    lang: Literal["sv", "en"] | None = None,
    channel: Annotated[str | None, Query(max_length=200)] = None,
    situation: Annotated[str | None, Query(max_length=200)] = None,
    segment: Annotated[str | None, Query(max_length=200)] = None,
    team: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    """Every panel of the leadership dashboard: ``meta, kpis, customers, drivers,
    recommendations, needs, contacts, cpis, goals, voice``. Query: ``period`` (week, month, quarter), ``by`` (a context key of the score
    answers), ``lang`` (sv, en) and the filters ``channel``, ``situation``, ``segment``,
    ``team``."""
    return JSONResponse(_data(request, db, _lang(request, who)))


# --------------------------------------------------------------------------------------------------
# Charts


def _name(t, prefix: str, label: str) -> str:
    key = f"{prefix}{label}"
    text = t(key)
    return label if text == key else text


def _score(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(s for s in data["kpis"]["scores"] if s["kind"] == kind)


def _bars(rows: list[dict[str, Any]], title: str, x_title: str, colour: str = "#0b5cad") -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 420,
        "height": {"step": 24},
        "data": {"values": rows},
        "mark": {"type": "bar", "color": colour},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "sort": "-x", "title": None,
                  "axis": {"labelLimit": 260}},
            "x": {"field": "n", "type": "quantitative", "title": x_title},
            "tooltip": [{"field": "name"}, {"field": "n"}],
        },
    }  # fmt: skip


def chart_spec(data: dict[str, Any], name: str, lang: str) -> dict[str, Any] | None:
    """The Vega-Lite specification of one chart, or ``None`` when its panel has no data."""
    t = translator(lang)
    period = t(f"dash_period_{data['meta']['period']}").lower()
    if name in service.SCORE_KINDS:
        score = _score(data, name)
        rows = score["periods"]
        if not rows:
            return None
        scale = score.get("scale") or [0, 10]
        domain = {"csat": [0, 100], "ces": scale}.get(name)
        y = {
            "field": "value",
            "type": "quantitative",
            "title": score["name"],
            "scale": {"zero": False, **({"domain": domain, "clamp": True} if domain else {})},
        }
        x = {"field": "period", "type": "ordinal", "title": t("dash_period"), "sort": None}
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": t("dash_chart_trend", kind=score["name"], period=period),
            "width": 360,
            "height": 200,
            "data": {"values": rows},
            "layer": [
                {
                    "mark": {"type": "rule", "color": "#6e7781", "clip": True},
                    "encoding": {"x": x, "y": {**y, "field": "ci_low"}, "y2": {"field": "ci_high"}},
                },
                {
                    "mark": {"type": "line", "color": "#0b5cad"},
                    "encoding": {"x": x, "y": y},
                },
                {   # the period that is not over yet is drawn hollow
                    "mark": {"type": "point", "size": 60, "color": "#0b5cad"},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "fill": {"condition": {"test": "datum.complete", "value": "#0b5cad"},
                                 "value": "#ffffff"},
                        "tooltip": [{"field": "period"}, {"field": "value", "format": ".1f"},
                                    {"field": "ci_low", "format": ".1f"},
                                    {"field": "ci_high", "format": ".1f"}, {"field": "n"}],
                    },
                },
            ],
        }  # fmt: skip
    if name == "kano":
        feats = data["needs"]["kano"]["features"]
        if not feats:
            return None
        rows = [
            {
                "name": f["label"],
                "worse": abs(f["worse"]),
                "category": _name(t, "dash_cat_", f["category"]),
                "rank": f["rank"],
            }
            for f in feats
        ]
        cats = list(dict.fromkeys(f["category"] for f in feats))
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": t("dash_chart_kano"),
            "width": 360,
            "height": {"step": 24},
            "data": {"values": rows},
            "mark": "bar",
            "encoding": {
                "y": {"field": "name", "type": "nominal", "sort": {"field": "rank"},
                      "title": None, "axis": {"labelLimit": 280}},
                "x": {"field": "worse", "type": "quantitative", "title": t("dash_share"),
                      "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
                "color": {"field": "category", "type": "nominal", "title": t("dash_category"),
                          "scale": {"domain": [_name(t, "dash_cat_", c) for c in cats],
                                    "range": [_COLOURS.get(c, "#6e7781") for c in cats]},
                          "legend": {"orient": "bottom"}},
            },
        }  # fmt: skip
    if name == "odi":
        outs = data["needs"]["odi"]["outcomes"]
        if not outs:
            return None
        rows = [{"name": o["statement"], "n": round(o["opportunity"], 1)} for o in outs]
        return _bars(rows, t("dash_chart_odi"), t("dash_chart_odi"), "#a4161a")
    contacts = data["contacts"]
    if name == "contacts_time":
        rows = [
            {**r, "purpose": _name(t, "dash_purpose_", r["purpose"])} for r in contacts["over_time"]
        ]
        if not rows:
            return None
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": t("dash_chart_time", period=period),
            "width": 420,
            "height": 200,
            "data": {"values": rows},
            "mark": "bar",
            "encoding": {
                "x": {"field": "period", "type": "ordinal", "title": t("dash_period"),
                      "sort": None},
                "y": {"field": "n", "type": "quantitative", "title": t("dash_count"),
                      "stack": True},
                "color": {"field": "purpose", "type": "nominal", "title": None,
                          "scale": {"range": ["#0b5cad", "#bf8700", "#1a7f37", "#8250df",
                                              "#6e7781"]},
                          "legend": {"orient": "bottom"}},
                "tooltip": [{"field": "period"}, {"field": "purpose"}, {"field": "n"}],
            },
        }  # fmt: skip
    if name in ("purpose", "reason", "channel", "situation"):
        rows = contacts[f"by_{name}"]
        if not rows:
            return None
        if name == "purpose":
            rows = [{**r, "name": _name(t, "dash_purpose_", r["label"])} for r in rows]
        if name == "reason":  # contacts without a reason yet are in the notes, not the chart
            rows = [r for r in rows if r["label"] != tr(service.UNKNOWN, lang)]
            if not rows:
                return None
        return _bars(
            [{"name": r.get("name", r["label"]), "n": r["n"]} for r in rows],
            t(f"dash_chart_{name}"),
            t("dash_count"),
        )
    if name in ("churn", "retention", "clv", "drivers_nps", "drivers_churn"):
        return _customer_spec(data, name, t)
    if name == "cpis":
        rows = [
            {"name": r.get(f"name_{lang}") or r.get("cpi"), "share": r["share_meeting_target"]}
            for r in data["cpis"]["rows"]
            if r.get("share_meeting_target") is not None and r.get("group", "all") == "all"
        ]
        if not rows:
            return None
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": t("dash_chart_cpis"),
            "width": 360,
            "height": {"step": 24},
            "data": {"values": rows},
            "mark": {"type": "bar", "color": "#1a7f37"},
            "encoding": {
                "y": {"field": "name", "type": "nominal", "sort": "-x", "title": None,
                      "axis": {"labelLimit": 260}},
                "x": {"field": "share", "type": "quantitative", "title": t("dash_share"),
                      "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
            },
        }  # fmt: skip
    raise HTTPException(status_code=404, detail="not_found")


_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _customer_spec(data: dict[str, Any], name: str, t) -> dict[str, Any] | None:
    """Churn per month, the retention curve, the CLV distribution and the drivers."""
    customers = data.get("customers") or {}
    if name == "churn":
        churn = customers.get("churn")
        if not churn or not churn["periods"]:
            return None
        x = {"field": "period", "type": "ordinal", "title": t("dash_month"), "sort": None}
        y = {
            "field": "churn_rate",
            "type": "quantitative",
            "title": t("dash_churn_axis"),
            "axis": {"format": ".1%"},
        }
        return {
            "$schema": _SCHEMA,
            "title": t("dash_chart_churn"),
            "width": 420,
            "height": 200,
            "data": {"values": churn["periods"]},
            "layer": [
                {"mark": {"type": "rule", "color": "#6e7781"},
                 "encoding": {"x": x, "y": {**y, "field": "ci_low"}, "y2": {"field": "ci_high"}}},
                {"mark": {"type": "line", "color": "#a4161a", "point": True},
                 "encoding": {"x": x, "y": y,
                              "tooltip": [{"field": "period"},
                                          {"field": "churn_rate", "format": ".2%"},
                                          {"field": "lost"}, {"field": "active_start"}]}},
            ],
        }  # fmt: skip
    if name == "retention":
        ret = customers.get("retention")
        if not ret:
            return None
        rows = [
            {"t": r["t"], "share": r["survival"], "what": t("dash_ret_model")} for r in ret["curve"]
        ] + [
            {"t": r["t"], "share": r["observed"], "what": t("dash_ret_observed")}
            for r in ret["curve"]
            if r["observed"] is not None
        ]
        return {
            "$schema": _SCHEMA,
            "title": t("dash_chart_retention"),
            "width": 420,
            "height": 220,
            "data": {"values": rows},
            "mark": {"type": "line", "point": {"size": 18}},
            "encoding": {
                "x": {"field": "t", "type": "quantitative", "title": t("dash_months_since")},
                "y": {"field": "share", "type": "quantitative", "title": t("dash_ret_axis"),
                      "axis": {"format": "%"}, "scale": {"zero": False}},
                "color": {"field": "what", "type": "nominal", "title": None,
                          "scale": {"range": ["#0b5cad", "#bf8700"]},
                          "legend": {"orient": "bottom"}},
                "strokeDash": {"field": "what", "type": "nominal", "legend": None},
                "tooltip": [{"field": "t"}, {"field": "share", "format": ".1%"},
                            {"field": "what"}],
            },
        }  # fmt: skip
    if name == "clv":
        clv = customers.get("clv")
        if not clv:
            return None
        return {
            "$schema": _SCHEMA,
            "title": t("dash_chart_clv", months=clv["months"]),
            "width": 420,
            "height": 200,
            "data": {"values": clv["histogram"]},
            "mark": {"type": "bar", "color": "#1a7f37", "binSpacing": 1},
            "encoding": {
                "x": {"field": "from", "type": "quantitative", "bin": {"binned": True},
                      "title": t("dash_clv_axis"),
                      "axis": {"format": "~s", "tickCount": 4, "labelOverlap": "greedy",
                               "labelFlush": True}},
                "x2": {"field": "to"},
                "y": {"field": "n", "type": "quantitative", "title": t("dash_customers_axis"),
                      "scale": {"type": "sqrt"}},
                "tooltip": [{"field": "from", "format": ",.0f"}, {"field": "to", "format": ",.0f"},
                            {"field": "n"}],
            },
        }  # fmt: skip
    key = name.removeprefix("drivers_")
    res = (data.get("drivers") or {}).get(key)
    if not res or not res["drivers"]:
        return None
    rows = [
        {"name": d["name"], "n": d["shapley"], "lo": d["ci_low"], "hi": d["ci_high"]}
        for d in res["drivers"]
    ]
    y = {"field": "name", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 260}}  # fmt: skip
    return {
        "$schema": _SCHEMA,
        "title": t(f"dash_chart_drivers_{key}"),
        "width": 360,
        "height": {"step": 26},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "color": "#8250df"},
             "encoding": {"y": y, "x": {"field": "n", "type": "quantitative",
                                        "title": t("dash_drivers_axis")}}},
            {"mark": {"type": "rule", "color": "#24292f"},
             "encoding": {"y": y, "x": {"field": "lo", "type": "quantitative"},
                          "x2": {"field": "hi"}}},
        ],
    }  # fmt: skip


def sized(spec: dict[str, Any], size: str = "normal") -> dict[str, Any]:
    """The chart drawn for a width (:data:`SIZES`): the whole image, labels included, is that
    wide, so that a phone gets a chart drawn for it instead of a large one scaled down."""
    width = SIZES.get(size, SIZES["normal"])
    out = dict(spec)
    out["width"] = width
    out["autosize"] = {"type": "fit-x", "contains": "padding"}
    font = 12 if size == "narrow" else 15 if size == "wide" else 12.5
    out["config"] = {
        "title": {"limit": width - 10, "fontSize": font + 1.5, "anchor": "start"},
        "axis": {"labelFontSize": font - 1, "titleFontSize": font,
                 **({"labelOverlap": "greedy"} if size == "narrow" else {})},
        "legend": {"labelFontSize": font - 1, "columns": 2 if size == "narrow" else 4,
                   "labelLimit": width // 2 - 30},
        "view": {"stroke": None},
    }  # fmt: skip
    limit = int(width * (0.42 if size == "narrow" else 0.5))

    def shrink(enc: dict[str, Any]) -> None:
        y = enc.get("y")
        if isinstance(y, dict) and y.get("type") == "nominal":
            axis = dict(y.get("axis") or {})
            axis["labelLimit"] = min(int(axis.get("labelLimit", limit)), limit)
            enc["y"] = {**y, "axis": axis}

    if "encoding" in out:
        out["encoding"] = dict(out["encoding"])
        shrink(out["encoding"])
    if "layer" in out:
        layers = []
        for layer in out["layer"]:
            layer = dict(layer)
            layer["encoding"] = dict(layer.get("encoding", {}))
            shrink(layer["encoding"])
            layers.append(layer)
        out["layer"] = layers
    return out


def chart_alt(data: dict[str, Any], name: str, lang: str) -> str:
    """A short text of what the chart shows (the ``alt`` of its image)."""
    t = translator(lang)
    if name in service.SCORE_KINDS:
        score = _score(data, name)
        items = "; ".join(
            f"{p['period']} {service._num(p['value'], lang)}" for p in score["periods"][-6:]
        )
        title = t("dash_chart_trend", kind=score["name"], period=data["meta"]["period"])
        return t("dash_alt", title=title, items=items)
    spec = chart_spec(data, name, lang)
    if spec is None:
        return ""
    title = spec["title"]
    rows = spec["data"]["values"][:5]
    field = next((f for f in ("n", "worse", "share", "churn_rate") if rows and f in rows[0]), "n")
    digits = 0 if field == "n" and not name.startswith("drivers") else 3
    items = "; ".join(
        f"{r.get('name') or r.get('period') or r.get('t') or r.get('from')} "
        f"{service._num(r[field], lang, digits)}"
        for r in rows
        if r.get(field) is not None
    )
    return t("dash_alt", title=title, items=items)


def _render(spec: dict[str, Any], fmt: str) -> bytes:
    import vl_convert as vlc

    spec = json_safe(spec)
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=2)
    return vlc.vegalite_to_svg(spec).encode("utf-8")


def _filename(name: str, data: dict[str, Any], ext: str) -> str:
    parts = [name, data["meta"]["period"], *data["meta"]["filters"].values()]
    safe = "-".join("".join(c if c.isalnum() or c in "_" else "_" for c in p) for p in parts)
    return f"dashboard-{safe}.{ext}"


@router.get("/dashboard/chart/{name}.svg", include_in_schema=False)
def dashboard_chart_svg(name: str, request: Request, db: DB, who: Viewer):
    return _chart(name, "svg", request, db, who)


@router.get("/dashboard/chart/{name}.png", include_in_schema=False)
def dashboard_chart_png(name: str, request: Request, db: DB, who: Viewer):
    return _chart(name, "png", request, db, who)


def _chart(name: str, fmt: str, request: Request, db, who) -> Response:
    if name not in CHARTS:
        raise HTTPException(status_code=404, detail="not_found")
    lang = _lang(request, who)
    data = _data(request, db, lang)
    spec = chart_spec(data, name, lang)
    if spec is None:
        raise HTTPException(status_code=404, detail="not_found")
    size = request.query_params.get("size") or "normal"
    if size not in SIZES:
        raise HTTPException(status_code=404, detail="not_found")
    spec = sized(spec, size)
    media = "image/png" if fmt == "png" else "image/svg+xml"
    how = "attachment" if request.query_params.get("download") else "inline"
    return Response(
        _render(spec, fmt),
        media_type=media,
        headers={"Content-Disposition": f'{how}; filename="{_filename(name, data, fmt)}"'},
    )


def data_frame(data: dict[str, Any], name: str):
    """The table behind a chart or panel (the CSV download)."""
    import pandas as pd

    if name in service.SCORE_KINDS:
        return pd.DataFrame(_score(data, name)["periods"])
    if name in ("purpose", "reason", "channel", "situation"):
        frame = service.panel_frame(data, "contacts")
        return frame[frame["axis"] == name].reset_index(drop=True)
    return service.panel_frame(data, name)


@router.get("/dashboard/data/{name}.csv", include_in_schema=False)
def dashboard_data_csv(name: str, request: Request, db: DB, who: Viewer):
    if name not in DATA:
        raise HTTPException(status_code=404, detail="not_found")
    data = _data(request, db, _lang(request, who))
    text = to_csv(data_frame(data, name))
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(name, data, "csv")}"'},
    )


# --------------------------------------------------------------------------------------------------
# The page


def _links(request: Request, lang: str):
    period, by, filters = _query(request)
    query = {"period": period, "lang": lang, **filters}
    if by:
        query["by"] = by
    qs = urlencode(query)

    def chart(name: str, fmt: str = "svg", download: bool = False, size: str = "") -> str:
        return (
            f"/dashboard/chart/{name}.{fmt}?{qs}"
            + (f"&size={size}" if size else "")
            + ("&download=1" if download else "")
        )

    def csv(name: str) -> str:
        return f"/dashboard/data/{name}.csv?{qs}"

    return chart, csv, f"/api/v1/dashboard?{qs}"


@router.get("/dashboard", include_in_schema=False)
def dashboard_page(request: Request, db: DB, who: Viewer):
    lang = _lang(request, who)
    data = _data(request, db, lang)
    t = translator(lang)
    chart, csv, api = _links(request, lang)
    charts = {name: chart_spec(data, name, lang) is not None for name in CHARTS}
    alts = {name: chart_alt(data, name, lang) for name in CHARTS if charts[name]}
    filters = data["meta"]["filters"]
    names = {
        "channel": t("dash_channel"),
        "situation": t("dash_situation"),
        "segment": t("dash_segment"),
        "team": t("dash_team"),
    }
    active = ", ".join(f"{names.get(k, k)} {v}" for k, v in filters.items()) or t("dash_everything")

    def num(value: Any, digits: int = 1, sign: bool = False) -> str:
        return service._num(value, lang, digits, sign)

    chosen = data["meta"].get("chosen_panels")
    first = list(chosen) if chosen else list(service.PANELS)
    more = [p for p in service.PANELS if p not in first]
    return render(
        request,
        "dashboard/page.html",
        {
            "d": data,
            "first": first,
            "more": more,
            "filters": service.FILTERS,
            "charts": charts,
            "alts": alts,
            "chart_url": chart,
            "csv_url": csv,
            "api_url": api,
            "periods": service.PERIODS,
            "active": active,
            "num": num,
            "cat": lambda c: _name(t, "dash_cat_", c),
            "purpose": lambda p: _name(t, "dash_purpose_", p),
            "tr": lambda text: tr(text, lang) if isinstance(text, dict) else text,
        },
        principal=who,
        lang=lang,
    )

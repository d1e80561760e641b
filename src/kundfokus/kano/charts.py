"""Kano charts: the Better/Worse plot and stacked category shares, as Vega-Lite dicts.

Both functions read the per-feature frame of the Kano analysis (``KanoResult.features``; one row per
feature, or per feature and group) and return a plain Vega-Lite specification built with Altair.
Render them with :func:`kundfokus.reports.save_chart` (PNG, SVG, PDF, JSON, HTML) or embed them in a
report with :class:`kundfokus.reports.Chart`.

The plot follows Berger et al. (1993) and the customer-satisfaction coefficients of Timko (1993):
``|Worse|`` (how much dissatisfaction the absence of a feature causes) on the x axis, ``Better``
(how much satisfaction its presence adds) on the y axis, both from 0 to 1, with reference lines at
0.5 that split the plane into must-be (bottom right), performance (top right), attractive (top
left) and indifferent (bottom left).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from kundfokus.frames import to_pandas
from kundfokus.i18n import check_lang, tr
from kundfokus.kano.analysis import FEATURE_COLUMNS
from kundfokus.kano.vocabulary import CATEGORY_NAMES, category_label
from kundfokus.reports.labels import place_labels, text_width

#: Kano categories in display order, with fixed colours (colour-blind safe Okabe-Ito palette).
CATEGORY_ORDER: tuple[str, ...] = ("A", "O", "M", "I", "R", "Q")
CATEGORY_COLOURS: dict[str, str] = {
    "A": "#009E73",  # attractive: green
    "O": "#0072B2",  # one-dimensional / performance: blue
    "M": "#D55E00",  # must-be: vermillion
    "I": "#999999",  # indifferent: grey
    "R": "#CC79A7",  # reverse: purple
    "Q": "#E69F00",  # questionable: orange
}

#: Columns of the analysis frame that are not group columns.
_KNOWN = frozenset(FEATURE_COLUMNS)

_TEXT = {
    "plot_title": {
        "en": "Kano plot: satisfaction and dissatisfaction",
        "sv": "Kano-diagram: nöjdhet och missnöje",
    },
    "x": {
        "en": "Dissatisfaction if missing, |Worse|",
        "sv": "Missnöje om den saknas, |Worse|",
    },
    "y": {"en": "Satisfaction if present, Better", "sv": "Nöjdhet om den finns, Better"},
    "category": {"en": "Category", "sv": "Kategori"},
    "kano_category": {"en": "Kano category", "sv": "Kano-kategori"},
    "feature": {"en": "Feature", "sv": "Egenskap"},
    "importance": {"en": "Importance", "sv": "Vikt"},
    "respondents": {"en": "Answers", "sv": "Svar"},
    "share": {"en": "Share of answers", "sv": "Andel av svaren"},
    "count": {"en": "Count", "sv": "Antal"},
    "bars_title": {"en": "Kano categories per feature", "sv": "Kano-kategorier per egenskap"},
    "q_M": {"en": "Must-be", "sv": "Baskrav"},
    "q_O": {"en": "Performance", "sv": "Prestanda"},
    "q_A": {"en": "Attractive", "sv": "Attraktiv"},
    "q_I": {"en": "Indifferent", "sv": "Likgiltig"},
}

# Quadrant label positions (|Worse|, Better) and alignment.
_QUADRANTS = (
    ("q_A", 0.02, 0.98, "left", "top"),
    ("q_O", 0.98, 0.98, "right", "top"),
    ("q_I", 0.02, 0.02, "left", "bottom"),
    ("q_M", 0.98, 0.02, "right", "bottom"),
)


def category_name(code: str, lang: str = "en") -> str:
    """Plain-language name of a Kano category code, or of a mixed label such as ``"O/M"``.

    Examples
    --------
    >>> category_name("M", "sv")
    'Baskrav'
    >>> category_name("O/M")
    'Performance (one-dimensional) / Must-be'
    """
    check_lang(lang)
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return ""
    parts = [p.strip() for p in str(code).split("/")]
    return " / ".join(category_label(p, lang) if p in CATEGORY_NAMES else p for p in parts)


def group_columns(frame: pd.DataFrame) -> list[str]:
    """Group columns of an analysis frame: the columns before ``feature`` that the analysis does not
    itself produce.

    Examples
    --------
    >>> group_columns(pd.DataFrame(columns=["situation", "feature", "label", "better"]))
    ['situation']
    >>> group_columns(pd.DataFrame(columns=["feature", "label", "better"]))
    []
    """
    cols = list(frame.columns)
    if "feature" not in cols:
        return []
    return [c for c in cols[: cols.index("feature")] if c not in _KNOWN]


def _to_pandas(frame: Any) -> pd.DataFrame:
    return to_pandas(frame).copy()


def _require(df: pd.DataFrame, cols: Sequence[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(
            f"the Kano frame lacks column(s) {', '.join(missing)}; pass KanoResult.features"
        )


def _resolve_group(df: pd.DataFrame, group: str | None) -> str | None:
    if group is not None:
        _require(df, [group])
        return group
    groups = group_columns(df)
    if len(groups) > 1:  # several group columns: combine them into one facet label
        df["group"] = df[groups].astype(str).agg(" · ".join, axis=1)
        return "group"
    return groups[0] if groups else None


def _display_label(df: pd.DataFrame) -> pd.Series:
    label = df["label"] if "label" in df.columns else df["feature"]
    label = label.where(label.notna() & (label.astype(str) != ""), df["feature"]).astype(str)
    return label.map(lambda s: s if len(s) <= 34 else s[:32].rstrip() + "…")


def _primary(code: Any) -> str:
    if code is None or (isinstance(code, float) and math.isnan(code)):
        return "Q"
    return str(code).split("/")[0].strip()


_FONT_PX = 11
_SIZE_RANGE = (60, 600)  # circle areas in px² when points are sized by importance
_CONSTANT_SIZE = 160


def _radii(df: pd.DataFrame, has_importance: bool) -> list[float]:
    """Point radii in pixels, as the size scale draws them (linear, not "nice")."""
    if not has_importance:
        return [math.sqrt(_CONSTANT_SIZE / math.pi) + 1] * len(df)
    v = df["size_value"].astype(float)
    lo, hi = float(v.min()), float(v.max())
    lo_a, hi_a = _SIZE_RANGE
    areas = [hi_a if hi == lo else lo_a + (x - lo) / (hi - lo) * (hi_a - lo_a) for x in v]
    return [math.sqrt(a / math.pi) + 1 for a in areas]  # + the white stroke


_QUADRANT_PX = 13


def _quadrant_boxes(lang: str, width: int, height: int) -> list[tuple[float, float, float, float]]:
    """Pixel boxes of the four quadrant names in the corners (bold, so a little wider)."""
    boxes = []
    for key, qx, qy, align, baseline in _QUADRANTS:
        w = text_width(tr(_TEXT[key], lang), _QUADRANT_PX) * 1.1
        h = _QUADRANT_PX * 1.3
        ax, ay = qx * width, (1 - qy) * height
        x0 = ax if align == "left" else ax - w
        y0 = ay if baseline == "top" else ay - h
        boxes.append((x0, y0, x0 + w, y0 + h))
    return boxes


def _place_labels(
    df: pd.DataFrame,
    group: str | None,
    *,
    width: int,
    height: int,
    radii: list[float],
    lang: str = "en",
) -> pd.DataFrame:
    """Give every point a label position (``label_x``, ``label_y`` in data units), a
    ``label_side`` (``right``, ``left``, ``above``, ``below`` of the point, or ``none`` when no
    free place was found) and ``leader`` (the label moved away: draw a line to the point), so that
    labels within one plot overlap neither each other nor other points. The most important
    features (then the most satisfying ones) are placed first."""
    out = df.copy()
    out["label_x"] = 0.0
    out["label_y"] = 0.0
    out["label_side"] = "none"
    out["leader"] = False
    radius = pd.Series(radii, index=out.index)
    quadrant_boxes = _quadrant_boxes(lang, width, height)
    parts = [out] if not group else [g for _, g in out.groupby(group, sort=False)]
    sides = {"left": "right", "right": "left"}
    for part in parts:
        ranked = part.sort_values(["size_value", "better"], ascending=[False, False], kind="stable")
        pos = {idx: k for k, idx in enumerate(part.index)}
        placements = place_labels(
            part["abs_worse"].tolist(),
            part["better"].tolist(),
            part["display_label"].astype(str).tolist(),
            radius.loc[part.index].tolist(),
            width=width,
            height=height,
            font_px=_FONT_PX,
            order=[pos[idx] for idx in ranked.index],
            blocked=quadrant_boxes,
        )
        for idx, p in zip(part.index, placements, strict=True):
            if not p.shown:
                continue
            above = p.y > float(out.at[idx, "better"])
            out.at[idx, "label_x"] = p.x
            out.at[idx, "label_y"] = p.y
            out.at[idx, "label_side"] = sides.get(p.align, "above" if above else "below")
            out.at[idx, "leader"] = p.leader
    return out


def _colour_scale(lang: str) -> alt.Scale:
    return alt.Scale(
        domain=[category_name(c, lang) for c in CATEGORY_ORDER],
        range=[CATEGORY_COLOURS[c] for c in CATEGORY_ORDER],
    )


def kano_plot(
    features: Any,
    *,
    lang: str = "en",
    group: str | None = None,
    title: str | None = None,
    width: int = 460,
    height: int = 400,
) -> dict[str, Any]:
    """Better against |Worse| for every feature, with quadrant lines at 0.5.

    Parameters
    ----------
    features:
        The per-feature Kano frame (pandas, Polars or any narwhals-supported frame) with at least
        ``feature``, ``category``, ``better`` and ``worse``; ``label``, ``n`` and ``importance`` are
        used when present. Rows where Better/Worse are undefined are left out.
    lang:
        ``"en"`` or ``"sv"`` for titles, axis and quadrant labels.
    group:
        Column to facet by (one small plot per group). By default the group column of a frame
        analysed with ``by=`` is found on its own; ``None`` and no group column gives one plot.
    title:
        Chart title; a bilingual default when ``None``.
    width, height:
        Size of one plot in pixels.

    Returns
    -------
    dict
        A Vega-Lite specification. Points are coloured by category (a mixed label like ``"O/M"``
        takes the colour of its first category), sized by importance (constant when importance is
        missing) and labelled with the feature label.

    Examples
    --------
    >>> frame = pd.DataFrame({"feature": ["F1", "F2"], "label": ["Chat", "Callback"],
    ...                       "category": ["A", "M"], "better": [0.7, 0.2],
    ...                       "worse": [-0.2, -0.8], "importance": [None, None]})
    >>> spec = kano_plot(frame)
    >>> points = next(la for la in spec["layer"] if la["mark"]["type"] == "circle")
    >>> [d["abs_worse"] for d in spec["datasets"][points["data"]["name"]]]
    [0.2, 0.8]
    >>> points["encoding"]["x"]["scale"]["domain"]
    [0, 1]
    """
    check_lang(lang)
    df = _to_pandas(features)
    _require(df, ["feature", "category", "better", "worse"])
    group = _resolve_group(df, group)
    df = df[df["better"].notna() & df["worse"].notna()].copy()
    df["better"] = df["better"].astype(float)
    df["abs_worse"] = df["worse"].astype(float).abs()
    df["display_label"] = _display_label(df)
    df["category_label"] = df["category"].map(lambda c: category_name(c, lang))
    df["colour_category"] = df["category"].map(lambda c: category_name(_primary(c), lang))
    has_importance = "importance" in df.columns and df["importance"].notna().any()
    if has_importance:
        df["size_value"] = df["importance"].astype(float)
    else:
        df["size_value"] = 1.0
    if "n" not in df.columns:
        df["n"] = None
    if "importance" not in df.columns:
        df["importance"] = None
    df = _place_labels(
        df, group, width=width, height=height, radii=_radii(df, has_importance), lang=lang
    )
    keep = [
        *([group] if group else []),
        "feature",
        "display_label",
        "category",
        "category_label",
        "colour_category",
        "better",
        "abs_worse",
        "n",
        "importance",
        "size_value",
        "label_x",
        "label_y",
        "label_side",
        "leader",
    ]
    data = df[keep].astype(object).where(df[keep].notna(), None)

    axis_scale = alt.Scale(domain=[0, 1], nice=False, clamp=True)
    x = alt.X("abs_worse:Q", title=tr(_TEXT["x"], lang), scale=axis_scale)
    y = alt.Y("better:Q", title=tr(_TEXT["y"], lang), scale=axis_scale)
    tooltip = [
        alt.Tooltip("display_label:N", title=tr(_TEXT["feature"], lang)),
        alt.Tooltip("category_label:N", title=tr(_TEXT["category"], lang)),
        alt.Tooltip("better:Q", title="Better", format=".2f"),
        alt.Tooltip("abs_worse:Q", title="|Worse|", format=".2f"),
        alt.Tooltip("n:Q", title=tr(_TEXT["respondents"], lang)),
        alt.Tooltip("importance:Q", title=tr(_TEXT["importance"], lang), format=".2f"),
    ]
    size = (
        alt.Size(
            "size_value:Q",
            title=tr(_TEXT["importance"], lang),
            scale=alt.Scale(range=list(_SIZE_RANGE), zero=False, nice=False),
            legend=alt.Legend(orient="bottom"),
        )
        if has_importance
        else alt.value(_CONSTANT_SIZE)
    )
    base = alt.Chart() if group else alt.Chart(data)
    points = base.mark_circle(opacity=0.85, stroke="white", strokeWidth=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "colour_category:N",
            title=tr(_TEXT["kano_category"], lang),
            scale=_colour_scale(lang),
            legend=alt.Legend(orient="bottom", columns=3),
        ),
        size=size,
        tooltip=tooltip,
    )
    # Labels sit beside, above or below their point, wherever they overlap no other label and no
    # point (see kundfokus.reports.labels); a thin line joins a label that moved to its point.
    label_x = alt.X("label_x:Q", scale=axis_scale)
    label_y = alt.Y("label_y:Q", scale=axis_scale)
    label_layers = [
        base.mark_text(align=align, baseline="middle", fontSize=_FONT_PX, color="#1f2933")
        .encode(x=label_x, y=label_y, text="display_label:N")
        .transform_filter(f"{test}")
        for align, test in (
            ("left", "datum.label_side == 'right'"),
            ("right", "datum.label_side == 'left'"),
            ("center", "datum.label_side == 'above' || datum.label_side == 'below'"),
        )
    ]
    leaders = (
        base.mark_rule(color="#9aa5b1", strokeWidth=0.7)
        .encode(x=x, y=y, x2="label_x:Q", y2="label_y:Q")
        .transform_filter("datum.leader")
    )
    rules = pd.DataFrame({"orient": ["x", "y"], "value": [0.5, 0.5]})
    vline = (
        alt.Chart(rules[rules["orient"] == "x"])
        .mark_rule(strokeDash=[4, 4], color="#7b8794")
        .encode(x=alt.X("value:Q", scale=axis_scale))
    )
    hline = (
        alt.Chart(rules[rules["orient"] == "y"])
        .mark_rule(strokeDash=[4, 4], color="#7b8794")
        .encode(y=alt.Y("value:Q", scale=axis_scale))
    )
    quads = pd.DataFrame(
        [
            {"text": tr(_TEXT[key], lang), "x": qx, "y": qy, "align": a, "baseline": b}
            for key, qx, qy, a, b in _QUADRANTS
        ]
    )
    quad_layers = [
        alt.Chart(quads[quads["text"] == row.text])
        .mark_text(
            align=row.align, baseline=row.baseline, fontSize=13, fontWeight="bold", color="#9aa5b1"
        )
        .encode(x=alt.X("x:Q", scale=axis_scale), y=alt.Y("y:Q", scale=axis_scale), text="text:N")
        for row in quads.itertuples()
    ]
    chart_title = title if title is not None else tr(_TEXT["plot_title"], lang)
    if group:
        # The point and label layers have no data of their own: they read the facet's rows.
        return (
            alt.layer(vline, hline, *quad_layers, leaders, points, *label_layers, data=data)
            .properties(width=width, height=height)
            .facet(facet=alt.Facet(f"{group}:N", title=str(group)), columns=2)
            .properties(title=chart_title)
            .to_dict()
        )
    return (
        alt.layer(vline, hline, *quad_layers, leaders, points, *label_layers)
        .properties(width=width, height=height, title=chart_title)
        .to_dict()
    )


def category_shares(features: Any, *, lang: str = "en", group: str | None = None) -> pd.DataFrame:
    """Long (tidy) frame of category counts and shares per feature, the data behind
    :func:`category_bars`.

    Examples
    --------
    >>> frame = pd.DataFrame({"feature": ["F1"], "label": ["Chat"], "A": [6], "O": [2], "M": [1],
    ...                       "I": [1], "R": [0], "Q": [0]})
    >>> category_shares(frame)[["category", "count", "share"]].head(3).to_dict("list")
    {'category': ['A', 'O', 'M'], 'count': [6, 2, 1], 'share': [0.6, 0.2, 0.1]}
    """
    check_lang(lang)
    df = _to_pandas(features)
    _require(df, ["feature", *CATEGORY_ORDER])
    group = _resolve_group(df, group)
    df["display_label"] = _display_label(df)
    rows = []
    for rec in df.to_dict("records"):
        counts = {c: rec[c] for c in CATEGORY_ORDER}
        counts = {
            c: (0 if v is None or (isinstance(v, float) and math.isnan(v)) else int(v))
            for c, v in counts.items()
        }
        total = sum(counts.values())
        for order, c in enumerate(CATEGORY_ORDER):
            rows.append(
                {
                    **({group: rec[group]} if group else {}),
                    "feature": rec["feature"],
                    "display_label": rec["display_label"],
                    "category": c,
                    "category_name": category_name(c, lang),
                    "category_order": order,
                    "count": counts[c],
                    "share": counts[c] / total if total else 0.0,
                }
            )
    return pd.DataFrame(rows)


def category_bars(
    features: Any,
    *,
    lang: str = "en",
    group: str | None = None,
    title: str | None = None,
    width: int = 460,
) -> dict[str, Any]:
    """Stacked horizontal bars of the A, O, M, I, R, Q shares of every feature.

    Parameters
    ----------
    features:
        The per-feature Kano frame with ``feature`` and the count columns ``A``, ``O``, ``M``,
        ``I``, ``R``, ``Q`` (``label`` is used when present).
    lang:
        ``"en"`` or ``"sv"``.
    group:
        Column to facet by (one row of bars per group); found on its own by default.
    title:
        Chart title; a bilingual default when ``None``.
    width:
        Width of the bars in pixels.

    Returns
    -------
    dict
        A Vega-Lite specification; categories always come in the order A, O, M, I, R, Q with the
        fixed colours of :data:`CATEGORY_COLOURS`; features keep the order of the frame.

    Examples
    --------
    >>> frame = pd.DataFrame({"feature": ["F1"], "label": ["Chat"], "A": [6], "O": [2], "M": [1],
    ...                       "I": [1], "R": [0], "Q": [0]})
    >>> spec = category_bars(frame, lang="sv")
    >>> spec["encoding"]["color"]["scale"]["domain"][:3]
    ['Attraktiv', 'Prestanda (endimensionell)', 'Baskrav']
    """
    check_lang(lang)
    long = category_shares(features, lang=lang, group=group)
    df = _to_pandas(features)
    group = _resolve_group(df, group)
    feature_order = list(dict.fromkeys(long["display_label"]))
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "share:Q",
                title=tr(_TEXT["share"], lang),
                stack="zero",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y("display_label:N", title=tr(_TEXT["feature"], lang), sort=feature_order),
            color=alt.Color(
                "category_name:N",
                title=tr(_TEXT["kano_category"], lang),
                scale=_colour_scale(lang),
                sort=[category_name(c, lang) for c in CATEGORY_ORDER],
                # below the bars: the chart stays narrow enough to read on a phone
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            order=alt.Order("category_order:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("display_label:N", title=tr(_TEXT["feature"], lang)),
                alt.Tooltip("category_name:N", title=tr(_TEXT["category"], lang)),
                alt.Tooltip("count:Q", title=tr(_TEXT["count"], lang)),
                alt.Tooltip("share:Q", title=tr(_TEXT["share"], lang), format=".0%"),
            ],
        )
        .properties(width=width)
    )
    chart_title = title if title is not None else tr(_TEXT["bars_title"], lang)
    if group:
        return (
            chart.facet(row=alt.Row(f"{group}:N", title=str(group)))
            .properties(title=chart_title)
            .to_dict()
        )
    return chart.properties(title=chart_title).to_dict()

"""The opportunity landscape (Ulwick) as a Vega-Lite dict.

Each desired outcome is a point: importance on the x axis, satisfaction on the y axis, both 0-10
(Ulwick 2005, 2016). The diagonal is where satisfaction equals importance; above it outcomes are
over-served. Below it, the opportunity score ``importance + (importance - satisfaction)`` is constant
along the lines ``satisfaction = 2 * importance - k``; the chart draws them for k = 10 (solid), 12
(high) and 15 (extreme), from where they leave the x axis (``importance = k / 2``) to the right edge
(``importance = 10``, ``satisfaction = 20 - k``). Points to the right of and below a line have a
higher opportunity than the line's k.

With groups (``by`` in :func:`kundfokus.jtbd.opportunity`) there is one panel per group.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from kundfokus.i18n import check_lang, tr
from kundfokus.reports.labels import place_labels

#: Opportunity thresholds drawn as lines (Ulwick: > 15 extreme, 12-15 high, 10-12 solid).
THRESHOLDS: tuple[int, ...] = (10, 12, 15)

SERVED_COLOURS: dict[str, str] = {
    "under-served": "#D55E00",  # vermillion
    "appropriately served": "#999999",  # grey
    "over-served": "#0072B2",  # blue
}

SERVED_NAMES: dict[str, dict[str, str]] = {
    "under-served": {"en": "under-served", "sv": "undertillgodosett"},
    "appropriately served": {"en": "appropriately served", "sv": "lagom tillgodosett"},
    "over-served": {"en": "over-served", "sv": "övertillgodosett"},
}

LEVEL_NAMES: dict[str, dict[str, str]] = {
    "extreme": {"en": "extreme", "sv": "extrem"},
    "high": {"en": "high", "sv": "hög"},
    "solid": {"en": "solid", "sv": "god"},
    "low": {"en": "low (unattractive)", "sv": "låg (oattraktiv)"},
}

_TEXT = {
    "title": {"en": "Opportunity landscape", "sv": "Möjlighetslandskap"},
    "x": {"en": "Importance (0-10)", "sv": "Vikt (0-10)"},
    "y": {"en": "Satisfaction (0-10)", "sv": "Nöjdhet (0-10)"},
    "served": {"en": "Served", "sv": "Tillgodosett"},
    "outcome": {"en": "Outcome", "sv": "Utfall"},
    "statement": {"en": "Statement", "sv": "Formulering"},
    "job": {"en": "Job", "sv": "Jobb"},
    "n": {"en": "Respondents (both rated)", "sv": "Svarande (båda skattade)"},
    "opportunity": {"en": "Opportunity (0-20)", "sv": "Möjlighet (0-20)"},
    "level": {"en": "Opportunity level", "sv": "Möjlighetsnivå"},
    "group": {"en": "Group", "sv": "Grupp"},
    "diagonal": {"en": "satisfaction = importance", "sv": "nöjdhet = vikt"},
    "line": {"en": "opportunity {k}", "sv": "möjlighet {k}"},
    "subtitle": {
        "en": "Dotted: satisfaction = importance (above it: over-served). "
        "Dashed: opportunity = 10, 12, 15 (further right and lower: bigger opportunity).",
        "sv": "Prickad: nöjdhet = vikt (ovanför: övertillgodosett). "
        "Streckad: möjlighet = 10, 12, 15 (längre åt höger och nedåt: större möjlighet).",
    },
}


def landscape_lines(lang: str = "en") -> pd.DataFrame:
    """The reference lines of the landscape: the diagonal and the opportunity = k lines.

    Returns one row per end point: ``line, label, tick, importance, satisfaction`` (``tick`` is
    the short text drawn where a line leaves the x axis).

    >>> lines = landscape_lines()
    >>> lines[lines["line"] == "opportunity_12"][["importance", "satisfaction"]].values.tolist()
    [[6.0, 0.0], [10.0, 8.0]]
    """
    check_lang(lang)
    rows = [
        {
            "line": "diagonal",
            "label": tr(_TEXT["diagonal"], lang),
            "tick": "",
            "importance": x,
            "satisfaction": x,
        }
        for x in (0.0, 10.0)
    ]
    for k in THRESHOLDS:
        for x in (k / 2, 10.0):
            rows.append(
                {
                    "line": f"opportunity_{k}",
                    "label": tr(_TEXT["line"], lang, k=k),
                    "tick": str(k),
                    "importance": float(x),
                    "satisfaction": float(2 * x - k),
                }
            )
    return pd.DataFrame(rows)


_POINT_SIZE = 80  # circle area in px²
_FONT_PX = 10


def _place(pts: pd.DataFrame, group_field: str | None, width: int, height: int) -> pd.DataFrame:
    """Label positions per panel that overlap no other label and no point (the biggest
    opportunities first): ``label_x``, ``label_y``, ``label_side`` and ``leader``, as in
    :func:`kundfokus.reports.labels.place_labels`."""
    out = pts.copy()
    out["label_x"] = out["importance"].astype(float)
    out["label_y"] = out["satisfaction"].astype(float)
    out["label_side"] = "none"
    out["leader"] = False
    radius = (_POINT_SIZE / 3.141592653589793) ** 0.5 + 1
    parts = [out] if not group_field else [g for _, g in out.groupby(group_field, sort=False)]
    sides = {"left": "right", "right": "left"}
    for part in parts:
        ranked = part.sort_values("opportunity", ascending=False, kind="stable")
        pos = {idx: k for k, idx in enumerate(part.index)}
        placements = place_labels(
            part["importance"].astype(float).tolist(),
            part["satisfaction"].astype(float).tolist(),
            part["outcome"].astype(str).tolist(),
            [radius] * len(part),
            width=width,
            height=height,
            x_domain=(0.0, 10.0),
            y_domain=(0.0, 10.0),
            font_px=_FONT_PX,
            order=[pos[idx] for idx in ranked.index],
        )
        for idx, p in zip(part.index, placements, strict=True):
            if not p.shown:
                continue
            above = p.y > float(out.at[idx, "satisfaction"])
            out.at[idx, "label_x"] = p.x
            out.at[idx, "label_y"] = p.y
            out.at[idx, "label_side"] = sides.get(p.align, "above" if above else "below")
            out.at[idx, "leader"] = p.leader
    return out


def _subtitle_lines(text: str) -> list[str]:
    """The subtitle as one line per sentence.

    >>> _subtitle_lines("One (a). Two.")
    ['One (a).', 'Two.']
    """
    parts = [p.strip() for p in text.split(". ")]
    return [p if p.endswith(".") else p + "." for p in parts if p]


def _group_columns(result: pd.DataFrame, by: str | list[str] | None) -> list[str]:
    if by is not None:
        return [by] if isinstance(by, str) else list(by)
    # imported here: kundfokus.jtbd's report imports this module
    from kundfokus.jtbd.odi import RESULT_COLUMNS

    return [c for c in result.columns if c not in RESULT_COLUMNS]


def opportunity_landscape(
    result: pd.DataFrame,
    *,
    lang: str = "en",
    by: str | list[str] | None = None,
    width: int = 440,
    height: int = 420,
    title: str | None = None,
) -> dict[str, Any]:
    """The opportunity landscape of an :func:`~kundfokus.jtbd.opportunity` result.

    Parameters
    ----------
    result:
        The frame returned by :func:`kundfokus.jtbd.opportunity`.
    lang:
        ``"en"`` or ``"sv"`` for titles, legend and tooltips.
    by:
        Group column(s) to draw one panel each; by default the result's group columns (those in
        front of ``outcome``).
    width, height:
        Size of one panel in pixels.
    title:
        Chart title (default: "Opportunity landscape" / "Möjlighetslandskap").

    Returns
    -------
    dict
        A Vega-Lite specification: points coloured by served label, labelled by outcome, with
        tooltips; reference lines for satisfaction = importance and opportunity = 10, 12, 15.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.jtbd import opportunity
    >>> res = opportunity(pd.DataFrame({"wait_importance": [5, 4, 2], "wait_satisfaction": [1, 2, 4]}))
    >>> spec = opportunity_landscape(res, lang="sv")
    >>> spec["title"]["text"]
    'Möjlighetslandskap'
    """
    check_lang(lang)
    groups = _group_columns(result, by)
    pts = result.copy()
    pts = pts[pts["importance"].notna() & pts["satisfaction"].notna()]
    group_field = None
    if groups:
        group_field = "group"
        pts[group_field] = pts[groups].astype(str).agg(" / ".join, axis=1)
    pts["kind"] = "point"
    pts["served_text"] = [
        tr(SERVED_NAMES[s], lang) if s in SERVED_NAMES else "" for s in pts["served"]
    ]
    pts["level_text"] = [
        tr(LEVEL_NAMES[v], lang) if v in LEVEL_NAMES else "" for v in pts["opportunity_level"]
    ]
    keep = [
        "kind",
        "outcome",
        "statement",
        "job",
        "n",
        "importance",
        "satisfaction",
        "opportunity",
        "served_text",
        "level_text",
    ]
    if group_field:
        keep.insert(1, group_field)
    pts = _place(pts[keep], group_field, width, height)

    lines = landscape_lines(lang).assign(kind="line")
    if group_field:
        panels = pd.DataFrame({group_field: pts[group_field].drop_duplicates()})
        lines = panels.merge(lines, how="cross")
    data = pd.concat([lines, pts], ignore_index=True)
    for c in ("importance", "satisfaction", "opportunity", "label_x", "label_y"):
        data[c] = data[c].astype(float).round(3)

    x = alt.X(
        "importance:Q", title=tr(_TEXT["x"], lang), scale=alt.Scale(domain=[0, 10], nice=False)
    )
    y = alt.Y(
        "satisfaction:Q", title=tr(_TEXT["y"], lang), scale=alt.Scale(domain=[0, 10], nice=False)
    )
    served_domain = [tr(SERVED_NAMES[s], lang) for s in SERVED_NAMES]
    colour = alt.Color(
        "served_text:N",
        title=tr(_TEXT["served"], lang),
        scale=alt.Scale(domain=served_domain, range=list(SERVED_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )
    base = alt.Chart().encode(x=x, y=y)

    line_layer = (
        base.transform_filter(alt.datum.kind == "line")
        .mark_line(color="#7b8794", strokeWidth=1)
        .encode(
            detail="line:N",
            strokeDash=alt.condition(
                alt.datum.line == "diagonal", alt.value([2, 2]), alt.value([6, 3])
            ),
        )
    )
    line_labels = (
        base.transform_filter(alt.datum.kind == "line")
        .transform_filter(alt.datum.line != "diagonal")
        .transform_filter(alt.datum.satisfaction == 0)
        .mark_text(align="left", baseline="bottom", dx=3, dy=-3, fontSize=9, color="#52606d")
        .encode(text="tick:N")
    )
    tooltip = [
        alt.Tooltip("outcome:N", title=tr(_TEXT["outcome"], lang)),
        alt.Tooltip("statement:N", title=tr(_TEXT["statement"], lang)),
        alt.Tooltip("job:N", title=tr(_TEXT["job"], lang)),
        alt.Tooltip("n:Q", title=tr(_TEXT["n"], lang)),
        alt.Tooltip("importance:Q", title=tr(_TEXT["x"], lang), format=".1f"),
        alt.Tooltip("satisfaction:Q", title=tr(_TEXT["y"], lang), format=".1f"),
        alt.Tooltip("opportunity:Q", title=tr(_TEXT["opportunity"], lang), format=".1f"),
        alt.Tooltip("level_text:N", title=tr(_TEXT["level"], lang)),
        alt.Tooltip("served_text:N", title=tr(_TEXT["served"], lang)),
    ]
    if group_field:
        tooltip.insert(0, alt.Tooltip(f"{group_field}:N", title=tr(_TEXT["group"], lang)))
    points = (
        base.transform_filter(alt.datum.kind == "point")
        .mark_circle(size=80, opacity=0.9)
        .encode(color=colour, tooltip=tooltip)
    )
    # Labels beside, above or below their point where they overlap no other label and no point;
    # a thin line joins a label that had to move to its point.
    label_x = alt.X("label_x:Q", scale=alt.Scale(domain=[0, 10], nice=False))
    label_y = alt.Y("label_y:Q", scale=alt.Scale(domain=[0, 10], nice=False))
    labels = [
        alt.Chart()
        .transform_filter(alt.datum.kind == "point")
        .transform_filter(test)
        .mark_text(align=align, baseline="middle", fontSize=_FONT_PX)
        .encode(x=label_x, y=label_y, text="outcome:N")
        for align, test in (
            ("left", "datum.label_side == 'right'"),
            ("right", "datum.label_side == 'left'"),
            ("center", "datum.label_side == 'above' || datum.label_side == 'below'"),
        )
    ]
    leaders = (
        base.transform_filter(alt.datum.kind == "point")
        .transform_filter("datum.leader")
        .mark_rule(color="#9aa5b1", strokeWidth=0.7)
        .encode(x2="label_x:Q", y2="label_y:Q")
    )
    layered = alt.layer(line_layer, line_labels, leaders, points, *labels, data=data).properties(
        width=width, height=height
    )
    heading = alt.TitleParams(
        title if title is not None else tr(_TEXT["title"], lang),
        # one line per sentence: a single long line would make the chart wider than a phone
        subtitle=_subtitle_lines(tr(_TEXT["subtitle"], lang)),
        anchor="start",
    )
    if group_field:
        chart = layered.facet(
            facet=alt.Facet(f"{group_field}:N", title=" / ".join(groups)), columns=2
        ).properties(title=heading)
    else:
        chart = layered.properties(title=heading)
    return chart.to_dict()

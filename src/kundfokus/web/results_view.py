"""What the results pages show: the JSON of :func:`kundfokus.services.surveys.results` turned into
tables of text, plain-language sentences, chart specifications and their alt texts.

Nothing here computes a statistic: the figures are those of the API (the CLI's ``--format json``),
read back into pandas frames for the existing chart and sentence functions of the methods.

>>> fmt_number(0.256, "sv"), fmt_number(12.0, "en"), fmt_number(None, "en")
('0,26', '12.00', '')
"""

from __future__ import annotations

import contextlib
import json
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from kundfokus.services.surveys import META_COLUMNS, SCALES, answer_fields

#: The charts of each kind (the ``chart`` parameter of ``/surveys/{id}/chart.svg``).
CHARTS: dict[str, tuple[str, ...]] = {
    "kano": ("plot", "bars"),
    "odi": ("landscape",),
    "nps": ("score",),
    "csat": ("score",),
    "ces": ("score",),
}
#: Kano method options offered in the page (the CLI's ``--table`` and ``--rule``).
KANO_TABLES: tuple[str, ...] = ("standard", "pouliot")
KANO_RULES: tuple[str, ...] = ("mode", "moai", "oam")
_VALUE = {"nps": "nps", "csat": "csat", "ces": "mean_score"}
_MAX_ALT_ITEMS = 8


@dataclass
class Table:
    """A table for the page: header texts, rows of display texts, which columns are numbers."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass
class View:
    """Everything the results block of a page shows."""

    kind: str
    tables: list[Table] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    charts: list[dict[str, str]] = field(default_factory=list)


def context_keys(frame: pd.DataFrame, survey: Any) -> list[str]:
    """The context keys of an export: the columns between ``complete`` and the answer columns
    (only those that hold a value in some response).

    >>> class S: kind, items, options = "nps", [{"follow_up": None}], {}
    >>> df = pd.DataFrame(columns=["id", "client_token", "submitted_at", "lang", "complete",
    ...                            "channel", "situation", "score"])
    >>> df.loc[0] = [1, "t", "2024-01-01", "sv", True, "chat", None, 9]
    >>> context_keys(df, S())
    ['channel']
    """
    answers = set(answer_fields(survey))
    cols = [c for c in frame.columns if c not in META_COLUMNS and c not in answers]
    return [c for c in cols if frame[c].notna().any()]


def fmt_number(value: Any, lang: str, digits: int = 2) -> str:
    """A number for a table: at most ``digits`` decimals, a decimal comma in Swedish."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.{digits}f}"
        if text.lstrip("-").strip("0.") == "":
            text = text.lstrip("-")
        return text.replace(".", ",") if lang == "sv" else text
    return str(value)


def _cell(value: Any, lang: str, yes_no: Callable[[bool], str]) -> str:
    if isinstance(value, bool):
        return yes_no(value)
    return fmt_number(value, lang)


def _table(
    caption: str,
    records: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    lang: str,
    yes_no: Callable[[bool], str],
) -> Table:
    headers = [h for _, h in columns]
    rows = [[_cell(r.get(key), lang, yes_no) for key, _ in columns] for r in records]
    numeric = [
        all(
            isinstance(r.get(key), (int, float)) and not isinstance(r.get(key), bool)
            for r in records
            if r.get(key) is not None
        )
        and any(r.get(key) is not None for r in records)
        for key, _ in columns
    ]
    return Table(caption, headers, rows, numeric)


def _groups_of(records: Sequence[dict[str, Any]], known: set[str], first: str) -> list[str]:
    if not records:
        return []
    cols = list(records[0])
    end = cols.index(first) if first in cols else 0
    return [c for c in cols[:end] if c not in known]


def _where(row: dict[str, Any], groups: Sequence[str]) -> str:
    return " / ".join(str(row.get(g)) for g in groups)


# --------------------------------------------------------------------------------------------------
# Kano


def _kano_frame(result: Sequence[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(result))


def _kano_view(result: list[dict[str, Any]], lang: str, t: Callable[..., str], yes_no) -> View:
    from kundfokus.kano.analysis import FEATURE_COLUMNS
    from kundfokus.kano.charts import category_name
    from kundfokus.kano.priorities import priorities

    view = View("kano")
    groups = _groups_of(result, set(FEATURE_COLUMNS), "feature")
    rows = [{**r, "category_name": category_name(r.get("category"), lang)} for r in result]
    columns = [(g, g) for g in groups] + [
        ("label", t("col_feature")),
        ("category_name", t("col_category")),
        ("better", "Better"),
        ("worse", "Worse"),
        ("n", t("col_n")),
    ]
    if any(r.get("importance") is not None for r in result):
        columns.append(("importance", t("col_importance")))
    columns += [(c, c) for c in ("A", "O", "M", "I", "R", "Q")]
    view.tables.append(_table(t("results_table_kano"), rows, columns, lang, yes_no))
    frame = _kano_frame(result)
    if len(frame):
        ranked = priorities(frame, lang=lang, by=groups)
        for rec in ranked.to_dict(orient="records"):
            where = _where(rec, groups)
            view.sentences.append(f"{where}: {rec['sentence']}" if where else rec["sentence"])
    return view


def _kano_alt(result: list[dict[str, Any]], chart: str, lang: str, t: Callable[..., str]) -> str:
    from kundfokus.kano.analysis import FEATURE_COLUMNS
    from kundfokus.kano.charts import category_name

    groups = _groups_of(result, set(FEATURE_COLUMNS), "feature")
    parts = []
    for r in result[:_MAX_ALT_ITEMS]:
        where = _where(r, groups)
        name = (
            f"{where}, {r.get('label') or r['feature']}"
            if where
            else (r.get("label") or r["feature"])
        )
        if chart == "plot":
            parts.append(
                t(
                    "alt_kano_point",
                    feature=name,
                    category=category_name(r.get("category"), lang) or "-",
                    better=fmt_number(r.get("better"), lang),
                    worse=fmt_number(abs(r["worse"]) if r.get("worse") is not None else None, lang),
                )
            )
        else:
            shares = {c: r.get(f"share_{c}") or 0.0 for c in ("A", "O", "M", "I", "R", "Q")}
            top = max(shares, key=lambda c: shares[c])
            parts.append(
                t(
                    "alt_kano_bar",
                    feature=name,
                    category=category_name(top, lang),
                    share=fmt_number(100 * shares[top], lang, 0),
                )
            )
    more = len(result) - _MAX_ALT_ITEMS
    head = t("alt_kano_plot" if chart == "plot" else "alt_kano_bars", n=len(result))
    tail = " " + t("alt_more", n=more) if more > 0 else ""
    return f"{head} {'; '.join(parts)}.{tail}"


# --------------------------------------------------------------------------------------------------
# ODI


def _odi_view(result: list[dict[str, Any]], lang: str, t: Callable[..., str], yes_no) -> View:
    from kundfokus.jtbd.charts import LEVEL_NAMES, SERVED_NAMES
    from kundfokus.jtbd.odi import RESULT_COLUMNS
    from kundfokus.jtbd.report import summary_sentences

    view = View("odi")
    groups = [c for c in (result[0] if result else {}) if c not in RESULT_COLUMNS]
    rows = [
        {
            **r,
            "level_name": LEVEL_NAMES[r["opportunity_level"]][lang]
            if r.get("opportunity_level") in LEVEL_NAMES
            else "",
            "served_name": SERVED_NAMES[r["served"]][lang]
            if r.get("served") in SERVED_NAMES
            else "",
        }
        for r in result
    ]
    columns = [(g, g) for g in groups] + [
        ("outcome", t("col_outcome")),
        ("statement", t("col_statement")),
        ("job", t("col_job")),
        ("n", t("col_n")),
        ("importance", t("col_importance")),
        ("satisfaction", t("col_satisfaction")),
        ("opportunity", t("col_opportunity")),
        ("level_name", t("col_level")),
        ("served_name", t("col_served")),
    ]
    view.tables.append(_table(t("results_table_odi"), rows, columns, lang, yes_no))
    frame = pd.DataFrame.from_records(result)
    answered = (
        frame[frame["importance"].notna() & frame["satisfaction"].notna()] if len(frame) else frame
    )
    if len(answered):
        under, over = summary_sentences(answered.reset_index(drop=True), lang)
        view.sentences.extend(under or [t("odi_none_under")])
        view.sentences.extend(over)
    return view


def _odi_alt(result: list[dict[str, Any]], lang: str, t: Callable[..., str]) -> str:
    from kundfokus.jtbd.odi import RESULT_COLUMNS

    groups = [c for c in (result[0] if result else {}) if c not in RESULT_COLUMNS]
    shown = [r for r in result if r.get("importance") is not None][:_MAX_ALT_ITEMS]
    parts = [
        t(
            "alt_odi_point",
            outcome=f"{_where(r, groups)}, {r['outcome']}" if groups else r["outcome"],
            importance=fmt_number(r["importance"], lang, 1),
            satisfaction=fmt_number(r.get("satisfaction"), lang, 1),
            opportunity=fmt_number(r.get("opportunity"), lang, 1),
        )
        for r in shown
    ]
    more = len([r for r in result if r.get("importance") is not None]) - len(shown)
    tail = " " + t("alt_more", n=more) if more > 0 else ""
    return f"{t('alt_odi', n=len(result))} {'; '.join(parts)}.{tail}"


# --------------------------------------------------------------------------------------------------
# Scores


def _score_view(
    kind: str, result: dict[str, Any], lang: str, t: Callable[..., str], yes_no
) -> View:
    from kundfokus.scores.report import comparison_text

    view = View(kind)
    groups = result.get("groups") or []
    value = _VALUE[kind]
    columns = [("group", t("col_group")), ("n", t("col_n"))]
    if kind == "nps":
        columns += [
            ("promoters", t("col_promoters")),
            ("passives", t("col_passives")),
            ("detractors", t("col_detractors")),
        ]
    columns += [
        (value, t(f"col_value_{kind}")),
        ("ci_low", t("col_ci_low")),
        ("ci_high", t("col_ci_high")),
        ("small_sample", t("col_small_sample")),
    ]
    view.tables.append(_table(t(f"results_table_{kind}"), groups, columns, lang, yes_no))
    for g in groups:
        level = g.get("level") or 0.95
        view.sentences.append(
            t(
                f"score_sentence_{kind}",
                group=g.get("group"),
                value=fmt_number(g.get(value), lang, 1),
                low=fmt_number(g.get("ci_low"), lang, 1),
                high=fmt_number(g.get("ci_high"), lang, 1),
                level=fmt_number(100 * float(level), lang, 0),
                n=g.get("n"),
            )
        )
    comparison = result.get("comparison")
    if comparison:
        with contextlib.suppress(KeyError, TypeError, ValueError):  # incomplete: leave it out
            view.sentences.append(comparison_text(pd.DataFrame([comparison]), lang))
    view.warnings.extend(result.get("warnings") or [])
    return view


def _score_alt(kind: str, result: dict[str, Any], lang: str, t: Callable[..., str]) -> str:
    groups = (result.get("groups") or [])[:_MAX_ALT_ITEMS]
    parts = [
        t(
            "alt_score_bar",
            group=g.get("group"),
            value=fmt_number(g.get(_VALUE[kind]), lang, 1),
            low=fmt_number(g.get("ci_low"), lang, 1),
            high=fmt_number(g.get("ci_high"), lang, 1),
        )
        for g in groups
    ]
    return f"{t('alt_score_' + kind)} {'; '.join(parts)}."


# --------------------------------------------------------------------------------------------------
# The page's entry points


def build_view(
    kind: str,
    result: Any,
    *,
    lang: str,
    t: Callable[..., str],
    chart_url: Callable[[str], str] | None = None,
) -> View:
    """Tables, sentences, warnings and (with ``chart_url``) charts of one result.

    ``chart_url(name)`` gives the address of the chart ``name`` (see :data:`CHARTS`).
    """

    def yes_no(value: bool) -> str:
        return t("yes") if value else t("no")

    if kind == "kano":
        view = _kano_view(list(result), lang, t, yes_no)
    elif kind == "odi":
        view = _odi_view(list(result), lang, t, yes_no)
    else:
        view = _score_view(kind, dict(result), lang, t, yes_no)
    if chart_url is not None:
        for name in CHARTS[kind]:
            view.charts.append(
                {
                    "src": chart_url(name),
                    "narrow": chart_url(name) + "&size=narrow",
                    "alt": chart_alt(kind, result, name, lang=lang, t=t),
                }
            )
    return view


def chart_alt(kind: str, result: Any, name: str, *, lang: str, t: Callable[..., str]) -> str:
    """A text that says what the chart shows, for people who cannot see it."""
    if kind == "kano":
        return _kano_alt(list(result), name, lang, t)
    if kind == "odi":
        return _odi_alt(list(result), lang, t)
    return _score_alt(kind, dict(result), lang, t)


def chart_spec(kind: str, result: Any, name: str, *, lang: str, narrow: bool = False) -> dict:
    """The Vega-Lite specification of chart ``name`` of a result (the methods' own charts).

    ``narrow`` (a phone): smaller panels one below the other, the legend below, titles wrapped,
    so that the chart is at most about 360 px wide and its text is not shrunk.
    """
    if name not in CHARTS.get(kind, ()):
        raise ValueError(f"no chart {name!r} for {kind}")
    if kind == "kano":
        from kundfokus.kano.analysis import FEATURE_COLUMNS
        from kundfokus.kano.charts import category_bars, kano_plot

        frame = _kano_frame(result)
        grouped = bool(_groups_of(list(result), set(FEATURE_COLUMNS), "feature"))
        if name == "plot":
            size = (280, 260) if narrow else ((360, 320) if grouped else (460, 400))
            spec = kano_plot(frame, lang=lang, width=size[0], height=size[1])
        else:
            spec = category_bars(frame, lang=lang, width=150 if narrow else 460)
    elif kind == "odi":
        from kundfokus.jtbd.charts import opportunity_landscape

        frame = pd.DataFrame.from_records(list(result))
        side = 280 if narrow else 380
        spec = opportunity_landscape(frame, lang=lang, width=side, height=side)
    else:
        from kundfokus.scores.charts import score_chart

        table = pd.DataFrame.from_records(list(result.get("groups") or []))
        table.attrs["kind"] = kind
        spec = score_chart(table, lang=lang)
        if narrow:
            spec["width"] = 220
    return _narrow(spec) if narrow else spec


def _wrap(text: Any, width: int = 44) -> Any:
    if isinstance(text, str) and len(text) > width:
        return textwrap.wrap(text, width)
    return text


def _narrow(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart for a phone: facets in one column, legends below, long titles on several lines.

    >>> _narrow({"title": {"text": "A title", "subtitle": "x " * 40}, "columns": 2})["columns"]
    1
    """
    spec = dict(spec)
    if "columns" in spec:
        spec["columns"] = 1
    title = spec.get("title")
    if isinstance(title, dict):
        spec["title"] = {
            **title,
            "text": _wrap(title.get("text")),
            "subtitle": _wrap(title.get("subtitle")),
        }
        if spec["title"]["subtitle"] is None:
            del spec["title"]["subtitle"]
    elif isinstance(title, str):
        spec["title"] = _wrap(title)
    config = dict(spec.get("config") or {})
    config["legend"] = {
        **(config.get("legend") or {}),
        "orient": "bottom",
        "columns": 2,
        "labelLimit": 150,
    }
    spec["config"] = config
    return spec


@lru_cache(maxsize=128)
def _svg(spec_json: str) -> str:
    from kundfokus.reports.charts import render_svg

    return render_svg(json.loads(spec_json))


def render_chart(spec: dict[str, Any]) -> str:
    """The chart as SVG (rendered offline; the same specification is rendered once)."""
    return _svg(json.dumps(spec, sort_keys=True, default=str))


def is_score(kind: str) -> bool:
    """Whether a kind is one of the scores (nps, csat, ces).

    >>> is_score("csat"), is_score("kano")
    (True, False)
    """
    return kind in SCALES

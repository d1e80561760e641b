"""The leadership dashboard: every panel's data, computed from the store by the methods.

:func:`dashboard` gathers, for one period grain (``week``, ``month`` or ``quarter``), one language
and a set of filters (``channel``, ``situation``, and any other context key of the survey answers,
such as ``segment`` or ``team``):

* ``kpis``: NPS, CSAT and CES from every stored survey of that kind, overall and per period, with
  their 95 % intervals, and the change between the last two completed periods with its test
  (:func:`kundfokus.scores.compare_independent`) said in plain words;
* ``needs``: Kano priorities (must-be gaps first, one sentence each, from
  :meth:`kundfokus.kano.KanoResult.priorities`) and the most under-served outcomes (ODI, from
  :func:`kundfokus.jtbd.opportunity`);
* ``contacts``: volumes by purpose type, reason, situation (the ``tags`` axis) and channel, per
  period, repeat contacts, and whether the mix of purposes changed since the previous period
  (chi-square test of homogeneity) and whether the volume did (exact binomial test);
* ``cpis``: customer performance indicators per journey step from the stored journey events;
* ``goals``: the organisation's goals (when the goals service exists);
* ``voice``: a few redacted contact texts and survey comments per top reason and per score,
  picked for coverage: the ones closest to the centre of their group in TF-IDF space.

Every panel is a dict with its data and ``notes`` (why something is empty or left out); an empty
store gives empty panels with notes, never an error. The result is JSON-safe.

Churn, retention and CLV are not in the store yet (the demo generates contracts and purchases as
files), so the KPI panel says so in a note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from kundfokus.errors import InputError
from kundfokus.i18n import check_lang, tr
from kundfokus.serialize import json_safe

__all__ = ["FILTERS", "PANELS", "PERIODS", "SCORE_KINDS", "dashboard", "panel_frame"]

PERIODS: tuple[str, ...] = ("week", "month", "quarter")
SCORE_KINDS: tuple[str, ...] = ("nps", "csat", "ces")
#: The filters the page offers (any other context key of the survey answers also works).
FILTERS: tuple[str, ...] = ("channel", "situation", "segment", "team")
PANELS: tuple[str, ...] = ("kpis", "needs", "contacts", "cpis", "goals", "voice")
#: A contact within this many days of the same customer's previous one is a repeat contact.
REPEAT_DAYS = 7
ALPHA = 0.05
_VALUE = {"nps": "nps", "csat": "csat", "ces": "mean_score"}
_META = {"id", "client_token", "submitted_at", "lang", "complete"}

_T: dict[str, dict[str, str]] = {
    "no_survey": {
        "en": "No {kind} survey is stored yet.",
        "sv": "Ingen {kind}-enkät finns sparad än.",
    },
    "no_answers": {
        "en": "No {kind} answers match the filters.",
        "sv": "Inga {kind}-svar matchar filtren.",
    },
    "one_period": {
        "en": "Only one completed period: no change to compare yet.",
        "sv": "Bara en avslutad period: ingen förändring att jämföra än.",
    },
    "change_sig": {
        "en": "{kind} went {dir} from {a} in {p1} to {b} in {p2}; a change this large would rarely "
        "happen by chance (p = {p}), so treat it as real.",
        "sv": "{kind} {dir} från {a} under {p1} till {b} under {p2}; en så stor förändring uppstår "
        "sällan av en slump (p = {p}), så räkna med att den är verklig.",
    },
    "change_ns": {
        "en": "{kind} moved from {a} in {p1} to {b} in {p2}, but a change this size can happen by "
        "chance (p = {p}): not a clear change yet.",
        "sv": "{kind} ändrades från {a} under {p1} till {b} under {p2}, men en så liten förändring "
        "kan uppstå av en slump (p = {p}): ingen tydlig förändring än.",
    },
    "up": {"en": "up", "sv": "steg"},
    "down": {"en": "down", "sv": "sjönk"},
    "small": {
        "en": " Few answers ({n}) in one of the periods: read it as a hint.",
        "sv": " Få svar ({n}) under en av perioderna: se det som en fingervisning.",
    },
    "score_sentence_nps": {
        "en": "NPS {v} (95% interval {lo} to {hi}; {n} answers).",
        "sv": "NPS {v} (95 % intervall {lo} till {hi}; {n} svar).",
    },
    "score_sentence_csat": {
        "en": "CSAT {v} % satisfied (95% interval {lo} to {hi}; {n} answers).",
        "sv": "CSAT {v} % nöjda (95 % intervall {lo} till {hi}; {n} svar).",
    },
    "score_sentence_ces": {
        "en": "CES mean {v} (95% interval {lo} to {hi}; {n} answers).",
        "sv": "CES medel {v} (95 % intervall {lo} till {hi}; {n} svar).",
    },
    "no_retention": {
        "en": "Churn, retention curves and customer lifetime value need contracts and purchases, "
        "which the store does not hold yet: see the demo reports (kundfokus demo) for them.",
        "sv": "Kundbortfall, kvarhållandekurvor och kundlivstidsvärde kräver avtal och köp, som "
        "lagringen inte innehåller än: se demorapporterna (kundfokus demo).",
    },
    "several": {
        "en": "{n} {kind} surveys are stored; the one with the most answers is shown.",
        "sv": "{n} {kind}-enkäter finns; den med flest svar visas.",
    },
    "no_contacts": {
        "en": "No contacts match the filters.",
        "sv": "Inga kontakter matchar filtren.",
    },
    "no_reason": {
        "en": "{n} of {total} contacts have no reason yet (reviewers or a trained model set it).",
        "sv": "{n} av {total} kontakter saknar kontaktorsak än (granskare eller en tränad modell "
        "sätter den).",
    },
    "vol_sig": {
        "en": "Contacts went {dir} from {a} in {p1} to {b} in {p2}; that is more than chance "
        "explains (p = {p}).",
        "sv": "Kontakterna {dir} från {a} under {p1} till {b} under {p2}; det är mer än slumpen "
        "förklarar (p = {p}).",
    },
    "vol_ns": {
        "en": "Contacts went from {a} in {p1} to {b} in {p2}; a difference this size can happen by "
        "chance (p = {p}).",
        "sv": "Kontakterna gick från {a} under {p1} till {b} under {p2}; en så stor skillnad kan "
        "uppstå av en slump (p = {p}).",
    },
    "mix_sig": {
        "en": "The mix of purpose types changed between the two periods (chi-square test, "
        "p = {p}); biggest shift: {what} ({a} % to {b} %).",
        "sv": "Fördelningen av kontakttyper ändrades mellan perioderna (chi två-test, p = {p}); "
        "störst skillnad: {what} ({a} % till {b} %).",
    },
    "mix_ns": {
        "en": "The mix of purpose types is about the same as in the previous period (chi-square "
        "test, p = {p}).",
        "sv": "Fördelningen av kontakttyper är ungefär som förra perioden (chi två-test, p = {p}).",
    },
    "repeat": {
        "en": "{k} of {n} contacts ({pct} %) came from a customer who had been in touch in the "
        "{days} days before.",
        "sv": "{k} av {n} kontakter ({pct} %) kom från en kund som hört av sig de {days} dagarna "
        "innan.",
    },
    "no_events": {
        "en": "No journey events are stored yet: import them (kundfokus journeys import) to see "
        "CPIs per journey step.",
        "sv": "Inga resehändelser finns sparade än: importera dem (kundfokus journeys import) för "
        "att se CPI:er per resesteg.",
    },
    "no_events_service": {
        "en": "Journey events cannot be read from the store in this version.",
        "sv": "Resehändelser kan inte läsas från lagringen i den här versionen.",
    },
    "no_goals": {
        "en": "Goals are not available in this version yet.",
        "sv": "Mål finns inte i den här versionen än.",
    },
    "goals_empty": {"en": "No goals are set yet.", "sv": "Inga mål är satta än."},
    "no_kano": {"en": "No Kano survey with answers.", "sv": "Ingen Kano-enkät med svar."},
    "no_odi": {"en": "No ODI survey with answers.", "sv": "Ingen ODI-enkät med svar."},
    "no_under": {
        "en": "No outcome is under-served.",
        "sv": "Inget utfall är undertillgodosett.",
    },
    "filter_ignored": {
        "en": "The filter {key} does not apply to {what} (no such field there).",
        "sv": "Filtret {key} gäller inte {what} (fältet finns inte där).",
    },
    "no_voice": {
        "en": "No texts to quote for these filters.",
        "sv": "Inga texter att citera för dessa filter.",
    },
    "incomplete": {
        "en": "{p} is not over yet and is left out of the comparison.",
        "sv": "{p} är inte slut än och är inte med i jämförelsen.",
    },
    "unknown": {"en": "(not set)", "sv": "(ej satt)"},
}
#: The label of contacts with no value on an axis yet.
UNKNOWN = _T["unknown"]


def _num(value: Any, lang: str, digits: int = 1, sign: bool = False) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    text = f"{float(value):+.{digits}f}" if sign else f"{float(value):.{digits}f}"
    return text.replace(".", ",").replace("-", "−") if lang == "sv" else text


def _p(value: float, lang: str) -> str:
    if value < 0.001:
        return "< 0,001" if lang == "sv" else "< 0.001"
    return _num(value, lang, 3)


def _clean_filters(filters: Mapping[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (filters or {}).items():
        if value is None or str(value).strip() == "":
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", str(key)):
            raise InputError("a filter name must be a plain identifier", column=str(key))
        out[str(key)] = str(value).strip()
    return out


def _period_label(ts: pd.Timestamp, period: str) -> str:
    if period == "week":
        iso = ts.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    if period == "quarter":
        return f"{ts.year}-Q{(ts.month - 1) // 3 + 1}"
    return f"{ts.year}-{ts.month:02d}"


def _period_start(ts: pd.Series, period: str) -> pd.Series:
    freq = {"week": "W-SUN", "month": "M", "quarter": "Q"}[period]
    return ts.dt.to_period(freq).dt.start_time


# --------------------------------------------------------------------------------------------------
# Survey answers


def _surveys_of(session: Session, kind: str) -> list[Any]:
    from kundfokus.services.surveys import list_surveys

    return [s for s in list_surveys(session) if s.kind == kind]


def _apply(frame: pd.DataFrame, filters: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """Keep the rows whose context matches every filter; the filters with no such column."""
    missing = []
    for key, value in filters.items():
        if key in frame.columns and key not in _META:
            frame = frame[frame[key].astype(str) == value]
        else:
            missing.append(key)
    return frame, missing


def _exports(session: Session, kind: str) -> list[tuple[Any, pd.DataFrame]]:
    from kundfokus.services.surveys import export_frame

    out = []
    for survey in _surveys_of(session, kind):
        frame = export_frame(session, survey)
        if len(frame):
            out.append((survey, frame))
    return out


def _score_column(survey: Any, frame: pd.DataFrame) -> str | None:
    from kundfokus.services.surveys import answer_fields

    fields = answer_fields(survey)
    if "score" in fields:
        return "score"
    return fields[0] if fields else None


def _score_frames(session: Session, kind: str) -> tuple[pd.DataFrame, tuple[int, int] | None, int]:
    """All answers of every survey of ``kind`` (those on the most common scale), as one frame with
    columns ``score``, ``submitted_at``, context keys and ``comment``."""
    parts, scales = [], []
    exports = _exports(session, kind)
    for survey, frame in exports:
        col = _score_column(survey, frame)
        if col is None:
            continue
        scale = tuple(survey.options.get("scale") or ()) or None
        f = frame.rename(columns={col: "score"})
        f["_scale"] = [scale] * len(f)
        f["_survey"] = survey.id
        parts.append(f)
        scales.append((scale, len(f)))
    if not parts:
        return pd.DataFrame(), None, 0
    by_scale: dict[Any, int] = {}
    for scale, n in scales:
        by_scale[scale] = by_scale.get(scale, 0) + n
    scale = max(by_scale, key=lambda k: by_scale[k])
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["_scale"].map(lambda s: s == scale)]
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True).dt.tz_localize(None)
    return frame.reset_index(drop=True), scale, len(exports)


def _kpi(
    session: Session, kind: str, period: str, lang: str, filters: Mapping[str, str], by: str | None
) -> dict[str, Any]:
    from kundfokus.scores import analyze, compare_independent

    name = kind.upper()
    out: dict[str, Any] = {
        "kind": kind,
        "name": name,
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "n": 0,
        "periods": [],
        "groups": [],
        "change": None,
        "sentence": "",
        "notes": [],
    }
    frame, scale, n_surveys = _score_frames(session, kind)
    if n_surveys == 0:
        out["notes"].append(tr(_T["no_survey"], lang, kind=name))
        return out
    out["scale"] = list(scale) if scale else None
    frame, missing = _apply(frame, filters)
    for key in missing:
        out["notes"].append(tr(_T["filter_ignored"], lang, key=key, what=name))
    frame = frame[frame["score"].notna()]
    if frame.empty:
        out["notes"].append(tr(_T["no_answers"], lang, kind=name))
        return out
    value = _VALUE[kind]
    scale_arg = tuple(scale) if scale and kind != "nps" else None
    overall = analyze(kind, frame, "score", scale=scale_arg).table.iloc[0]
    out.update(
        value=float(overall[value]),
        ci_low=float(overall["ci_low"]),
        ci_high=float(overall["ci_high"]),
        n=int(overall["n"]),
    )
    sign = kind == "nps"
    digits = 2 if kind == "ces" else 1
    out["sentence"] = tr(
        _T[f"score_sentence_{kind}"],
        lang,
        v=_num(out["value"], lang, digits, sign),
        lo=_num(out["ci_low"], lang, digits, sign),
        hi=_num(out["ci_high"], lang, digits, sign),
        n=out["n"],
    )
    table = analyze(
        kind, frame, "score", scale=scale_arg, period=period, date="submitted_at"
    ).table.reset_index(drop=True)
    now = pd.Timestamp(datetime.now(UTC).replace(tzinfo=None))
    current = _period_label(now, period)
    rows = []
    for _, r in table.iterrows():
        rows.append(
            {
                "period": str(r["period"]),
                "period_start": str(r["period_start"])[:10],
                "value": float(r[value]),
                "ci_low": float(r["ci_low"]),
                "ci_high": float(r["ci_high"]),
                "n": int(r["n"]),
                "small_sample": bool(r["small_sample"]),
                "complete": str(r["period"]) != current,
            }
        )
    out["periods"] = rows
    done = [i for i, r in enumerate(rows) if r["complete"]]
    if any(not r["complete"] for r in rows):
        out["notes"].append(tr(_T["incomplete"], lang, p=current))
    cmp = None
    if len(done) >= 2:
        i_prev, i_cur = done[-2], done[-1]
        try:
            cmp = compare_independent(table.iloc[[i_cur, i_prev]]).iloc[0]
        except InputError as exc:
            out["notes"].append(exc.message)
            cmp = None
    if cmp is not None:
        p = float(cmp["p_value"])
        diff = float(cmp["difference"])
        significant = bool(np.isfinite(p) and p < ALPHA)
        a, b = rows[i_prev], rows[i_cur]
        fmt = {
            "kind": name,
            "a": _num(a["value"], lang, digits, sign),
            "b": _num(b["value"], lang, digits, sign),
            "p1": a["period"],
            "p2": b["period"],
            "p": _p(p, lang) if np.isfinite(p) else "–",
            "dir": tr(_T["up" if diff > 0 else "down"], lang),
        }
        sentence = tr(_T["change_sig" if significant else "change_ns"], lang, **fmt)
        if a["small_sample"] or b["small_sample"]:
            sentence += tr(_T["small"], lang, n=min(a["n"], b["n"]))
        out["change"] = {
            "from_period": a["period"],
            "to_period": b["period"],
            "from_value": a["value"],
            "to_value": b["value"],
            "difference": diff,
            "ci_low": float(cmp["ci_low"]),
            "ci_high": float(cmp["ci_high"]),
            "p_value": p,
            "test": str(cmp["test"]),
            "significant": significant,
            "sentence": sentence,
        }
    elif len(done) < 2:
        out["notes"].append(tr(_T["one_period"], lang))
    if by and by in frame.columns and by not in _META | {"score", "comment"} and by[0] != "_":
        try:
            groups = analyze(kind, frame, "score", scale=scale_arg, by=by).table
        except InputError as exc:
            out["notes"].append(exc.message)
            groups = pd.DataFrame(columns=["group"])
        out["groups"] = [
            {
                "group": str(r["group"]),
                "value": float(r[value]),
                "ci_low": float(r["ci_low"]),
                "ci_high": float(r["ci_high"]),
                "n": int(r["n"]),
                "small_sample": bool(r["small_sample"]),
            }
            for _, r in groups.iterrows()
        ]
    out["voice"] = _score_voice(kind, frame, scale, lang)
    return out


def _score_voice(kind: str, frame: pd.DataFrame, scale: Any, lang: str) -> list[dict[str, Any]]:
    """Representative comments of the unhappy answers (detractors, not satisfied, hard)."""
    if "comment" not in frame.columns:
        return []
    lo = scale[0] if scale else 0
    hi = scale[1] if scale else 10
    if kind == "nps":
        low = frame["score"] <= 6
    elif kind == "csat":
        low = frame["score"] <= hi - 2
    else:
        low = frame["score"] <= (lo + hi) / 2
    texts = frame.loc[low & frame["comment"].notna(), "comment"].astype(str)
    texts = texts[texts.str.strip() != ""]
    return [{"text": t, "kind": kind} for t in representative(texts.tolist(), 2)]


def _kpis(
    session: Session, period: str, lang: str, filters: Mapping[str, str], by: str | None
) -> dict[str, Any]:
    scores = [_kpi(session, kind, period, lang, filters, by) for kind in SCORE_KINDS]
    return {
        "scores": scores,
        "churn": None,
        "retention": [],
        "clv": None,
        "notes": [tr(_T["no_retention"], lang)],
    }


# --------------------------------------------------------------------------------------------------
# Needs


def _kano(session: Session, lang: str, filters: Mapping[str, str]) -> dict[str, Any]:
    from kundfokus.kano import analyze, labels_from_frame
    from kundfokus.services.surveys import labels_frame

    out: dict[str, Any] = {"features": [], "n": 0, "notes": []}
    exports = _exports(session, "kano")
    if not exports:
        out["notes"].append(tr(_T["no_kano"], lang))
        return out
    frames, labels = [], []
    for survey, frame in exports:
        frames.append(frame)
        labels.append(labels_frame(survey))
        out.setdefault("importance", survey.options.get("importance"))
    frame = pd.concat(frames, ignore_index=True)
    frame, missing = _apply(frame, filters)
    for key in missing:
        out["notes"].append(tr(_T["filter_ignored"], lang, key=key, what="Kano"))
    if frame.empty:
        out["notes"].append(tr(_T["no_answers"], lang, kind="Kano"))
        return out
    label_frame = pd.concat(labels, ignore_index=True).drop_duplicates("feature")
    importance = out.pop("importance", None)
    scale = None
    if isinstance(importance, str) and re.fullmatch(r"\d+-\d+", importance):
        a, b = importance.split("-")
        scale = (int(a), int(b))
    try:
        result = analyze(
            frame, labels=labels_from_frame(label_frame, lang=lang), importance_scale=scale
        )
    except InputError as exc:
        out["notes"].append(exc.message)
        return out
    pri = result.priorities(lang)
    imp = dict(zip(result.features["feature"], result.features.get("importance", []), strict=False))
    out["n"] = len(frame)
    out["features"] = [
        {
            "rank": int(r["rank"]),
            "feature": str(r["feature"]),
            "label": str(r["label"]),
            "category": str(r["category"]),
            "better": float(r["better"]),
            "worse": float(r["worse"]),
            "importance": float(imp[r["feature"]]) if r["feature"] in imp else None,
            "n": int(r["n"]),
            "sentence": str(r["sentence"]),
        }
        for _, r in pri.iterrows()
    ]
    return out


def _odi(session: Session, lang: str, filters: Mapping[str, str], top: int = 5) -> dict[str, Any]:
    from kundfokus.jtbd import opportunity
    from kundfokus.jtbd.report import summary_sentences
    from kundfokus.services.surveys import inventory

    out: dict[str, Any] = {"outcomes": [], "n": 0, "notes": []}
    exports = _exports(session, "odi")
    if not exports:
        out["notes"].append(tr(_T["no_odi"], lang))
        return out
    if len(exports) > 1:
        out["notes"].append(tr(_T["several"], lang, n=len(exports), kind="ODI"))
    survey, frame = max(exports, key=lambda x: len(x[1]))
    frame, missing = _apply(frame, filters)
    for key in missing:
        out["notes"].append(tr(_T["filter_ignored"], lang, key=key, what="ODI"))
    if frame.empty:
        out["notes"].append(tr(_T["no_answers"], lang, kind="ODI"))
        return out
    try:
        result = opportunity(frame, inventory=inventory(survey), lang=lang)
    except InputError as exc:
        out["notes"].append(exc.message)
        return out
    under, _ = summary_sentences(result, lang, top=top)
    rows = result[result["served"] == "under-served"].sort_values("opportunity", ascending=False)
    out["n"] = len(frame)
    out["outcomes"] = [
        {
            "outcome": str(r["outcome"]),
            "job": str(r["job"]),
            "statement": str(r["statement"]),
            "importance": float(r["importance"]),
            "satisfaction": float(r["satisfaction"]),
            "opportunity": float(r["opportunity"]),
            "level": None if pd.isna(r["opportunity_level"]) else str(r["opportunity_level"]),
            "n": int(r["n"]),
            "sentence": under[i] if i < len(under) else "",
        }
        for i, (_, r) in enumerate(rows.head(top).iterrows())
    ]
    if not out["outcomes"]:
        out["notes"].append(tr(_T["no_under"], lang))
    return out


# --------------------------------------------------------------------------------------------------
# Contacts


def _split_tags(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [t for t in re.split(r"[,;|\s]+", str(value)) if t]


def contacts_table(session: Session, filters: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per stored contact with its best current value on every axis and its redacted
    text, filtered by ``channel`` and ``situation`` (a contact's situation is its ``tags``)."""
    from kundfokus.store.repositories import contacts_frame, situations_frame

    frame = situations_frame(session)
    texts = contacts_frame(session)[["contact_id", "customer_id", "text", "language"]]
    frame = frame.merge(texts, on="contact_id", how="left")
    filters = dict(filters or {})
    if "channel" in filters:
        frame = frame[frame["channel"].astype(str) == filters["channel"]]
    if "situation" in filters:
        want = filters["situation"]
        frame = frame[frame["tags"].map(lambda v: want in _split_tags(v))]
    return frame.reset_index(drop=True)


def _counts(series: pd.Series, unknown: str) -> list[dict[str, Any]]:
    values = series.map(lambda v: unknown if v is None or pd.isna(v) else str(v))
    counts = values.value_counts()
    total = int(counts.sum())
    return [
        {"label": str(k), "n": int(v), "share": float(v / total) if total else None}
        for k, v in counts.items()
    ]


def _names(session: Session, lang: str) -> dict[tuple[str, str], str]:
    from kundfokus.store.repositories import taxonomy

    try:
        tax = taxonomy(session)
    except Exception:  # pragma: no cover - a store without a taxonomy table
        return {}
    out = {}
    for _, r in tax.iterrows():
        name = r.get(f"name_{lang}")
        if isinstance(name, str) and name:
            out[(str(r["axis"]), str(r["label"]))] = name
    return out


def _contacts(
    session: Session, period: str, lang: str, filters: Mapping[str, str]
) -> tuple[dict[str, Any], pd.DataFrame]:
    from scipy import stats

    out: dict[str, Any] = {
        "n": 0,
        "by_purpose": [],
        "by_reason": [],
        "by_situation": [],
        "by_channel": [],
        "over_time": [],
        "repeat": None,
        "change": None,
        "notes": [],
    }
    frame = contacts_table(session, filters)
    for key in filters:
        if key not in ("channel", "situation"):
            out["notes"].append(tr(_T["filter_ignored"], lang, key=key, what="contacts"))
    if frame.empty:
        out["notes"].append(tr(_T["no_contacts"], lang))
        return out, frame
    unknown = tr(_T["unknown"], lang)
    names = _names(session, lang)
    out["n"] = len(frame)
    for axis, key in (
        ("purpose", "by_purpose"),
        ("reason", "by_reason"),
        ("channel", "by_channel"),
    ):
        rows = _counts(frame[axis], unknown)
        for r in rows:
            r["name"] = names.get((axis, r["label"]), r["label"])
        out[key] = rows
    tags = frame["tags"].map(_split_tags).explode().dropna()
    out["by_situation"] = [
        {
            "label": str(k),
            "name": names.get(("tags", str(k)), str(k).replace("_", " ")),
            "n": int(v),
        }
        for k, v in tags.value_counts().items()
    ]
    n_missing = int(frame["reason"].isna().sum())
    if n_missing:
        out["notes"].append(tr(_T["no_reason"], lang, n=n_missing, total=len(frame)))
    ts = pd.to_datetime(frame["timestamp"])
    frame = frame.assign(_start=_period_start(ts, period))
    frame["_period"] = frame["_start"].map(lambda s: _period_label(s, period))
    over = (
        frame.groupby(["_start", "_period", "purpose"], dropna=False)
        .size()
        .reset_index(name="n")
        .sort_values("_start")
    )
    out["over_time"] = [
        {
            "period": str(r["_period"]),
            "period_start": str(r["_start"])[:10],
            "purpose": unknown if pd.isna(r["purpose"]) else str(r["purpose"]),
            "n": int(r["n"]),
        }
        for _, r in over.iterrows()
    ]
    # repeat contacts
    with_customer = frame[frame["customer_id"].notna()].sort_values(["customer_id", "timestamp"])
    if len(with_customer):
        gap = with_customer.groupby("customer_id")["timestamp"].diff()
        k = int((gap <= pd.Timedelta(days=REPEAT_DAYS)).sum())
        n = len(with_customer)
        out["repeat"] = {
            "n": n,
            "repeats": k,
            "share": k / n,
            "days": REPEAT_DAYS,
            "sentence": tr(
                _T["repeat"], lang, k=k, n=n, pct=_num(100 * k / n, lang, 0), days=REPEAT_DAYS
            ),
        }
    # change since the last period: the last two completed periods
    now = _period_label(pd.Timestamp(datetime.now(UTC).replace(tzinfo=None)), period)
    periods = [p for p in dict.fromkeys(frame.sort_values("_start")["_period"]) if p != now]
    if len(periods) >= 2:
        p1, p2 = periods[-2], periods[-1]
        a = frame[frame["_period"] == p1]
        b = frame[frame["_period"] == p2]
        na, nb = len(a), len(b)
        vol = stats.binomtest(nb, na + nb, 0.5)
        pv = float(vol.pvalue)
        fmt = {
            "a": na,
            "b": nb,
            "p1": p1,
            "p2": p2,
            "p": _p(pv, lang),
            "dir": tr(_T["up" if nb > na else "down"], lang),
        }
        sentences = [tr(_T["vol_sig" if pv < ALPHA else "vol_ns"], lang, **fmt)]
        mix = pd.crosstab(
            frame.loc[frame["_period"].isin([p1, p2]), "_period"],
            frame.loc[frame["_period"].isin([p1, p2]), "purpose"].fillna(unknown),
        )
        chi = None
        if mix.shape[1] >= 2 and mix.shape[0] == 2:
            res = stats.chi2_contingency(mix.to_numpy())
            chi = {
                "statistic": float(res.statistic),
                "df": int(res.dof),
                "p_value": float(res.pvalue),
            }
            shares = mix.div(mix.sum(axis=1), axis=0)
            shift = (shares.loc[p2] - shares.loc[p1]).abs().idxmax()
            if res.pvalue < ALPHA:
                sentences.append(
                    tr(
                        _T["mix_sig"],
                        lang,
                        p=_p(float(res.pvalue), lang),
                        what=names.get(("purpose", str(shift)), str(shift)),
                        a=_num(100 * shares.loc[p1, shift], lang, 0),
                        b=_num(100 * shares.loc[p2, shift], lang, 0),
                    )
                )
            else:
                sentences.append(tr(_T["mix_ns"], lang, p=_p(float(res.pvalue), lang)))
        out["change"] = {
            "from_period": p1,
            "to_period": p2,
            "from_n": na,
            "to_n": nb,
            "volume_test": "exact binomial test of equal rates",
            "volume_p_value": pv,
            "volume_significant": pv < ALPHA,
            "mix_test": chi and {"test": "chi-square test of homogeneity (purpose)", **chi},
            "mix_significant": bool(chi and chi["p_value"] < ALPHA),
            "sentence": " ".join(sentences),
        }
    return out, frame


# --------------------------------------------------------------------------------------------------
# CPIs, goals


def _cpis(session: Session, lang: str, filters: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": [], "n_journeys": 0, "n_events": 0, "notes": []}
    try:
        from kundfokus.services.journeys_import import load_events
    except ImportError:
        out["notes"].append(tr(_T["no_events_service"], lang))
        return out
    try:
        events = load_events(session)
    except Exception as exc:  # a store without the events table yet
        out["notes"].append(tr(_T["no_events_service"], lang) + f" ({type(exc).__name__})")
        return out
    if events is None or len(events) == 0:
        out["notes"].append(tr(_T["no_events"], lang))
        return out
    if "channel" in filters and "channel" in events.columns:
        events = events[events["channel"].astype(str) == filters["channel"]]
    from kundfokus.cpi import compute_cpis

    try:
        report = compute_cpis(events)
    except InputError as exc:
        out["notes"].append(exc.message)
        return out
    out["rows"] = json_safe(report.table)
    out["n_journeys"] = int(report.n_journeys)
    out["n_events"] = int(report.n_events)
    out["notes"] += report.warnings(lang)
    return out


def _goals(session: Session, lang: str) -> dict[str, Any]:
    try:
        from kundfokus.services.goals import list_goals
    except ImportError:
        return {"rows": [], "notes": [tr(_T["no_goals"], lang)]}
    try:
        goals = list_goals(session, lang=lang)
    except Exception as exc:  # the goals table may not be migrated yet
        return {"rows": [], "notes": [tr(_T["no_goals"], lang) + f" ({type(exc).__name__})"]}
    rows = [g if isinstance(g, dict) else getattr(g, "__dict__", {"goal": str(g)}) for g in goals]
    rows = [{k: v for k, v in r.items() if not str(k).startswith("_")} for r in rows]
    return {"rows": rows, "notes": [] if rows else [tr(_T["goals_empty"], lang)]}


# --------------------------------------------------------------------------------------------------
# Voice


def representative(texts: list[str], k: int = 3) -> list[str]:
    """The ``k`` texts closest (cosine, TF-IDF of words and character n-grams) to the centre of
    ``texts``, each different from those already picked, so the quotes cover what most say
    rather than the longest or the loudest.

    >>> texts = ["the bill is too high", "my bill is too high", "why is my bill so high",
    ...          "no power since noon"]
    >>> representative(texts, 2)
    ['my bill is too high', 'why is my bill so high']
    """
    unique = list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
    if len(unique) <= k:
        return unique
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        x = matrix.fit_transform(unique)
    except ValueError:
        return unique[:k]
    centre = np.asarray(x.mean(axis=0)).ravel()
    norm = np.linalg.norm(centre) or 1.0
    sim = np.asarray(x @ centre).ravel() / norm
    order = np.argsort(-sim, kind="stable")
    picked: list[int] = []
    for i in order:
        if all(float((x[i] @ x[j].T).toarray()[0, 0]) < 0.7 for j in picked):
            picked.append(int(i))
        if len(picked) == k:
            break
    return [unique[i] for i in picked]


def _voice(session: Session, frame: pd.DataFrame, lang: str, top: int = 4) -> dict[str, Any]:
    out: dict[str, Any] = {"groups": [], "notes": []}
    if frame.empty:
        out["notes"].append(tr(_T["no_voice"], lang))
        return out
    names = _names(session, lang)
    axis = "reason" if frame["reason"].notna().sum() >= 3 else "purpose"
    known = frame[frame[axis].notna()]
    for label, n in known[axis].value_counts().head(top).items():
        texts = known.loc[known[axis] == label, "text"].astype(str).tolist()
        out["groups"].append(
            {
                "axis": axis,
                "label": str(label),
                "name": names.get((axis, str(label)), str(label)),
                "n": int(n),
                "texts": representative(texts, 2),
            }
        )
    if not out["groups"]:
        out["notes"].append(tr(_T["no_voice"], lang))
    return out


# --------------------------------------------------------------------------------------------------


def filter_options(session: Session) -> dict[str, list[str]]:
    """The values the filter form offers: channels and situations seen in answers and contacts."""
    from kundfokus.store.repositories import situations_frame

    seen: dict[str, set[str]] = {"channel": set(), "situation": set()}
    for kind in (*SCORE_KINDS, "kano", "odi"):
        for _, frame in _exports(session, kind):
            for key in seen:
                if key in frame.columns:
                    seen[key] |= {str(v) for v in frame[key].dropna().unique()}
    contacts = situations_frame(session)
    seen["channel"] |= {str(v) for v in contacts["channel"].dropna().unique()}
    for v in contacts["tags"]:
        seen["situation"] |= set(_split_tags(v))
    return {k: sorted(v) for k, v in seen.items()}


def dashboard(
    session: Session,
    *,
    period: str = "month",
    lang: str = "en",
    filters: Mapping[str, Any] | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Every panel of the leadership dashboard as JSON-safe data.

    Parameters
    ----------
    session:
        A store session.
    period:
        ``week``, ``month`` or ``quarter``: the grain of the trends and of "since the last period".
    lang:
        ``en`` or ``sv``: the language of the sentences and notes.
    filters:
        ``{"channel": "chat", "situation": "power_outage", ...}``; empty values are ignored. Survey
        answers are filtered on their context keys, contacts on ``channel`` and ``situation``
        (their ``tags``); a filter a panel cannot apply is named in that panel's notes.
    by:
        A context key of the score answers (e.g. ``journey_step``): the scores per group too.

    Returns
    -------
    dict
        ``meta, kpis, needs, contacts, cpis, goals, voice``.
    """
    lang = check_lang(lang)
    if period not in PERIODS:
        raise InputError(
            f"unknown period {period!r}", value=period, hint="use week, month or quarter"
        )
    clean = _clean_filters(filters)
    if by is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", by):
        raise InputError("by must be a plain field name", value=by)
    contacts, frame = _contacts(session, period, lang, clean)
    result = {
        "meta": {
            "period": period,
            "lang": lang,
            "by": by,
            "filters": clean,
            "generated_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
            + "Z",
            "options": filter_options(session),
        },
        "kpis": _kpis(session, period, lang, clean, by),
        "needs": {"kano": _kano(session, lang, clean), "odi": _odi(session, lang, clean)},
        "contacts": contacts,
        "cpis": _cpis(session, lang, clean),
        "goals": _goals(session, lang),
        "voice": _voice(session, frame, lang),
    }
    return json_safe(result)


def panel_frame(data: Mapping[str, Any], panel: str) -> pd.DataFrame:
    """The table behind one chart of the dashboard (for its CSV download).

    Panels: ``kpis`` (one row per score and period), ``kano``, ``odi``, ``contacts`` (counts per
    axis and label), ``contacts_time`` (per period and purpose), ``cpis``, ``goals``, ``voice``.
    """
    if panel == "kpis":
        rows = [
            {"score": s["kind"], **p} for s in data["kpis"]["scores"] for p in s.get("periods", [])
        ]
        return pd.DataFrame(rows)
    if panel == "kano":
        return pd.DataFrame(data["needs"]["kano"]["features"])
    if panel == "odi":
        return pd.DataFrame(data["needs"]["odi"]["outcomes"])
    if panel == "contacts":
        c = data["contacts"]
        rows = [
            {"axis": axis, "label": r["label"], "name": r.get("name", r["label"]), "n": r["n"]}
            for axis, key in (
                ("purpose", "by_purpose"),
                ("reason", "by_reason"),
                ("situation", "by_situation"),
                ("channel", "by_channel"),
            )
            for r in c[key]
        ]
        return pd.DataFrame(rows, columns=["axis", "label", "name", "n"])
    if panel == "contacts_time":
        return pd.DataFrame(
            data["contacts"]["over_time"], columns=["period", "period_start", "purpose", "n"]
        )
    if panel == "cpis":
        return pd.DataFrame(data["cpis"]["rows"])
    if panel == "goals":
        rows = data["goals"]["rows"]
        return pd.json_normalize(rows, sep="_") if rows else pd.DataFrame()
    if panel == "voice":
        rows = [
            {"axis": g["axis"], "label": g["name"], "text": t}
            for g in data["voice"]["groups"]
            for t in g["texts"]
        ]
        rows += [
            {"axis": "score", "label": s["kind"], "text": v["text"]}
            for s in data["kpis"]["scores"]
            for v in s.get("voice", [])
        ]
        return pd.DataFrame(rows, columns=["axis", "label", "text"])
    raise InputError(f"unknown panel {panel!r}", value=panel)

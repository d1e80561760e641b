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
PANELS: tuple[str, ...] = (
    "kpis", "customers", "drivers", "recommendations", "needs", "contacts", "cpis", "goals",
    "voice",
)  # fmt: skip
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
        "en": "Churn, retention curves and customer lifetime value need contracts and purchases: "
        "import them with kundfokus customers import contracts|purchases FILE --db URL.",
        "sv": "Kundbortfall, kvarhållandekurvor och kundlivstidsvärde kräver avtal och köp: "
        "importera dem med kundfokus customers import contracts|purchases FIL --db URL.",
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
    "no_events_match": {
        "en": "No journey events match the filters.",
        "sv": "Inga resehändelser matchar filtren.",
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
    for key in filters:
        if key not in ("channel", "team") or (
            key == "team" and not ({"team", "queue"} & set(events.columns))
        ):
            out["notes"].append(tr(_T["filter_ignored"], lang, key=key, what="CPI"))
    events = _filter_events(events, filters)
    if len(events) == 0:
        out["notes"].append(tr(_T["no_events_match"], lang))
        return out
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
# Customers: churn, retention, CLV and the value at risk

#: A customer whose probability of still being active (BG/NBD) is below this is "likely lost".
AT_RISK_BELOW = 0.5
#: The CLV horizon in months and the monthly discount rate.
CLV_MONTHS = 12
CLV_DISCOUNT = 0.01
#: The sBG projection in months.
RETENTION_MONTHS = 36

_C: dict[str, dict[str, str]] = {
    "no_contracts": {
        "en": "No data yet: import contracts with kundfokus customers import contracts FILE --db "
        "URL (columns customer, start, end, plan) to see churn and retention.",
        "sv": "Inga data än: importera avtal med kundfokus customers import contracts FIL --db URL "
        "(kolumnerna customer, start, end, plan) för att se kundbortfall och kvarhållande.",
    },
    "no_purchases": {
        "en": "No data yet: import purchases with kundfokus customers import purchases FILE --db "
        "URL (columns customer, date, amount) to see customer lifetime value and the value at "
        "risk.",
        "sv": "Inga data än: importera köp med kundfokus customers import purchases FIL --db URL "
        "(kolumnerna customer, date, amount) för att se kundlivstidsvärde och värde i riskzonen.",
    },
    "churn": {
        "en": "{pct} % of customers are lost in a year (95% interval {lo} to {hi} %): in the last "
        "{m} complete months {lost} of on average {avg} active customers left, {rate} % a month. "
        "Of the {active} customers active today, about {expect} will leave in the next year "
        "unless something changes.",
        "sv": "{pct} % av kunderna går förlorade på ett år (95 % intervall {lo} till {hi} %): de "
        "senaste {m} hela månaderna lämnade {lost} av i snitt {avg} aktiva kunder, {rate} % i "
        "månaden. Av de {active} kunder som är aktiva i dag lämnar omkring {expect} under nästa "
        "år om inget ändras.",
    },
    "churn_short": {
        "en": "Fewer than two complete months of contracts: no churn rate yet.",
        "sv": "Färre än två hela månader med avtal: inget kundbortfall att visa än.",
    },
    "retention": {
        "en": "Of 100 new customers, the retention model (shifted-beta-geometric, fitted to "
        "{cohorts} monthly cohorts) expects {s12} to remain after 12 months and {s24} after 24"
        "{obs}.",
        "sv": "Av 100 nya kunder väntar kvarhållandemodellen (skiftad beta-geometrisk, anpassad "
        "till {cohorts} månadskohorter) att {s12} är kvar efter 12 månader och {s24} efter 24"
        "{obs}.",
    },
    "falls": {
        "en": " Churn falls with tenure (from {r1} % in the first month to {r24} % a month after "
        "two years): the first months are where keeping customers pays most.",
        "sv": " Bortfallet minskar med kundtiden (från {r1} % första månaden till {r24} % i "
        "månaden efter två år): de första månaderna är där det lönar sig mest att behålla "
        "kunderna.",
    },
    "flat": {
        "en": " About {r1} % leave each month whatever their tenure: new and old customers are "
        "about equally likely to leave.",
        "sv": " Omkring {r1} % lämnar varje månad oavsett kundtid: nya och gamla kunder lämnar "
        "ungefär lika ofta.",
    },
    "observed12": {
        "en": " (observed so far: {o})",
        "sv": " (hittills observerat: {o})",
    },
    "clv": {
        "en": "The {n} customers who bought are expected to bring {total} over the next {months} "
        "months (discounted, BG/NBD and Gamma-Gamma); the median customer {median}, the top 10 % "
        "of customers {top} % of the value.",
        "sv": "De {n} kunder som har köpt väntas ge {total} under de närmaste {months} månaderna "
        "(diskonterat, BG/NBD och Gamma-Gamma); mediankunden {median}, de 10 % mest värdefulla "
        "kunderna {top} % av värdet.",
    },
    "risk": {
        "en": "{k} of {n} customers ({pct} %) are likely lost: their probability of still being "
        "active is below {thr} %. Their expected value over the next {months} months is {value} "
        "({share} % of the total); if they are won back, they would be worth about {potential}. "
        "They are in the CSV: contact the most valuable first.",
        "sv": "{k} av {n} kunder ({pct} %) är troligen förlorade: sannolikheten att de "
        "fortfarande är aktiva är under {thr} %. Deras förväntade värde de närmaste {months} "
        "månaderna är {value} ({share} % av totalen); om de vinns tillbaka är de värda omkring "
        "{potential}. De finns i CSV-filen: kontakta de mest värdefulla först.",
    },
    "risk_none": {
        "en": "No customer has a probability below {thr} % of still being active.",
        "sv": "Ingen kund har under {thr} % sannolikhet att fortfarande vara aktiv.",
    },
    "spend_corr": {
        "en": "How often and how much customers buy are correlated (r = {r}): the Gamma-Gamma "
        "spend model assumes they are not, so read the values as rough.",
        "sv": "Hur ofta och hur mycket kunderna köper hänger ihop (r = {r}): beloppsmodellen "
        "(Gamma-Gamma) förutsätter att de inte gör det, så läs värdena som ungefärliga.",
    },
    "no_repeat": {
        "en": "No customer has bought twice yet: no CLV model can be fitted.",
        "sv": "Ingen kund har köpt två gånger än: ingen CLV-modell kan anpassas.",
    },
}


def _money(value: float, lang: str) -> str:
    text = f"{float(value):,.0f}"
    if lang == "sv":
        return text.replace(",", "\u00a0") + " kr"
    return "SEK " + text


def _churn_part(contracts: pd.DataFrame, lang: str) -> tuple[dict[str, Any] | None, list[str]]:
    from kundfokus.retention import churn, churn_summary
    from kundfokus.stats import wilson_interval

    notes: list[str] = []
    table = churn(contracts, "customer", start="start", end="end", period="month")
    done = table[table["complete"] & (table["active_start"] > 0)]
    last = done.tail(12)
    if len(last) < 2:
        return None, [tr(_C["churn_short"], lang)]
    window = table.loc[last.index]
    window.attrs.update(table.attrs)
    s = churn_summary(window)
    lo, hi = wilson_interval(s["lost"], s["at_risk"])
    k = int(s["periods_per_year"])
    annual = s["annual_churn"]
    annual_lo, annual_hi = 1 - (1 - lo) ** k, 1 - (1 - hi) ** k
    active = int(table["active_end"].iloc[-1])
    months = [
        {
            "period": str(r["period"]),
            "period_start": str(r["period_start"])[:10],
            "active_start": int(r["active_start"]),
            "lost": int(r["lost"]),
            "acquired": int(r["acquired"]),
            "churn_rate": float(r["churn_rate"]),
            "annual_churn": float(r["annual_churn"]),
            "ci_low": wilson_interval(int(r["lost"]), int(r["active_start"]))[0],
            "ci_high": wilson_interval(int(r["lost"]), int(r["active_start"]))[1],
        }
        for _, r in done.tail(24).iterrows()
    ]
    out = {
        "annual_churn": annual,
        "ci_low": annual_lo,
        "ci_high": annual_hi,
        "monthly_churn": s["churn_rate"],
        "months": s["periods"],
        "from_period": str(window["period"].iloc[0]),
        "to_period": str(window["period"].iloc[-1]),
        "lost": s["lost"],
        "at_risk": s["at_risk"],
        "active": active,
        "expected_lost": active * annual,
        "as_of": table.attrs.get("as_of"),
        "rule": tr(table.attrs["rule"], lang),
        "periods": months,
        "method": "pooled monthly churn of the last 12 complete months, annualised "
        "1 - (1 - c)^12; Wilson interval of the monthly rate, annualised",
    }
    out["sentence"] = tr(
        _C["churn"],
        lang,
        pct=_num(100 * annual, lang),
        lo=_num(100 * annual_lo, lang),
        hi=_num(100 * annual_hi, lang),
        m=s["periods"],
        lost=s["lost"],
        avg=round(s["at_risk"] / s["periods"]),
        rate=_num(100 * s["churn_rate"], lang, 2),
        active=active,
        expect=round(active * annual),
    )
    return out, notes


def _retention_part(contracts: pd.DataFrame, lang: str) -> tuple[dict[str, Any] | None, list[str]]:
    from kundfokus.retention import cohorts, sbg_fit_cohorts

    table = cohorts(contracts, "customer", start="start", end="end", period="month", clock="tenure")
    try:
        fit = sbg_fit_cohorts(table)
    except InputError as exc:
        return None, [exc.message]
    proj = fit.projection(RETENTION_MONTHS)
    curve = [
        {
            "t": int(r["t"]),
            "survival": float(r["survival"]),
            "observed": None if pd.isna(r["observed"]) else float(r["observed"]),
            "retention_rate": None if pd.isna(r["retention_rate"]) else float(r["retention_rate"]),
        }
        for _, r in proj.iterrows()
    ]
    s12, s24 = float(fit.survival(12)), float(fit.survival(24))
    obs = proj.loc[proj["t"] == 12, "observed"]
    observed = (
        tr(_C["observed12"], lang, o=round(100 * float(obs.iloc[0])))
        if len(obs) and pd.notna(obs.iloc[0])
        else ""
    )
    r1 = 1 - float(fit.retention_rate(1))
    r24 = 1 - float(fit.retention_rate(25))
    out = {
        "alpha": fit.alpha,
        "beta": fit.beta,
        "mean_churn": fit.alpha / (fit.alpha + fit.beta),
        "cohorts": len(fit.curves),
        "survival_12": s12,
        "survival_24": s24,
        "curve": curve,
        "sentence": tr(
            _C["retention"],
            lang,
            cohorts=len(fit.curves),
            s12=round(100 * s12),
            s24=round(100 * s24),
            obs=observed,
        )
        + tr(
            _C["falls" if fit.converged and r24 < 0.9 * r1 else "flat"],
            lang,
            r1=_num(100 * r1, lang),
            r24=_num(100 * r24, lang),
        ),
    }
    return out, list(fit.warnings(lang))


def customer_values(purchases: pd.DataFrame) -> tuple[Any, pd.DataFrame]:
    """The fitted BG/NBD + Gamma-Gamma models of a purchase log and each customer's
    ``probability_alive`` and ``clv`` over :data:`CLV_MONTHS` months (calibration to the last
    purchase day)."""
    from kundfokus.clv.value import predict_customers
    from kundfokus.clv.workflow import fit_transactions

    end = str(purchases["date"].max())
    fit = fit_transactions(
        purchases, "customer", "date", "amount", calibration_end=end, unit="week"
    )
    if fit.spend_model is None:
        raise InputError("no repeat purchases")
    table = predict_customers(
        fit.summary,
        fit.transaction_model,
        fit.spend_model,
        months=CLV_MONTHS,
        discount_rate=CLV_DISCOUNT,
        unit=fit.unit,
        customer="customer",
    )
    return fit, table


def _clv_part(purchases: pd.DataFrame, lang: str) -> tuple[dict[str, Any] | None, Any, list[str]]:
    notes: list[str] = []
    try:
        fit, table = customer_values(purchases)
    except InputError as exc:
        if exc.message == "no repeat purchases":
            return None, None, [tr(_C["no_repeat"], lang)]
        return None, None, [exc.message]
    notes += fit.warnings(lang)
    if fit.spend_correlation is not None and abs(fit.spend_correlation) > 0.3:
        notes.append(tr(_C["spend_corr"], lang, r=_num(fit.spend_correlation, lang, 2)))
    clv = table["clv"].to_numpy(dtype=float)
    total = float(clv.sum())
    order = np.sort(clv)[::-1]
    top_n = max(1, int(np.ceil(0.1 * len(order))))
    top = float(order[:top_n].sum() / total) if total > 0 else 0.0
    edges = np.unique(np.quantile(clv, np.linspace(0, 1, 11)))
    hist_edges = np.histogram_bin_edges(clv, bins=20)
    counts, _ = np.histogram(clv, bins=hist_edges)
    out = {
        "n": len(table),
        "n_repeat": int((table["frequency"] > 0).sum()),
        "months": CLV_MONTHS,
        "discount_rate": CLV_DISCOUNT,
        "total": total,
        "mean": float(clv.mean()),
        "median": float(np.median(clv)),
        "top10_share": top,
        "deciles": [float(x) for x in edges],
        "histogram": [
            {"from": float(hist_edges[i]), "to": float(hist_edges[i + 1]), "n": int(counts[i])}
            for i in range(len(counts))
        ],
        "calibration_end": fit.calibration_end.isoformat(),
        "sentence": tr(
            _C["clv"],
            lang,
            n=len(table),
            total=_money(total, lang),
            months=CLV_MONTHS,
            median=_money(float(np.median(clv)), lang),
            top=round(100 * top),
        ),
    }
    return out, table, notes


def _risk_part(table: pd.DataFrame, lang: str) -> dict[str, Any]:
    p = table["probability_alive"].to_numpy(dtype=float)
    clv = table["clv"].to_numpy(dtype=float)
    risky = p < AT_RISK_BELOW
    k = int(risky.sum())
    value = float(clv[risky].sum())
    potential = float((clv[risky] / np.maximum(p[risky], 1e-9)).sum())
    total = float(clv.sum())
    rows = table.loc[risky, ["customer", "probability_alive", "clv", "frequency", "recency", "T"]]
    rows = rows.assign(if_active=clv[risky] / np.maximum(p[risky], 1e-9))
    rows = rows.sort_values("if_active", ascending=False)
    thr = round(100 * AT_RISK_BELOW)
    out = {
        "threshold": AT_RISK_BELOW,
        "n": len(table),
        "customers": k,
        "value": value,
        "potential": potential,
        "share": value / total if total > 0 else None,
        "top": json_safe(rows.head(200).to_dict("records")),
    }
    if k:
        out["sentence"] = tr(
            _C["risk"],
            lang,
            k=k,
            n=len(table),
            pct=_num(100 * k / len(table), lang, 0),
            thr=thr,
            months=CLV_MONTHS,
            value=_money(value, lang),
            share=_num(100 * value / total if total > 0 else 0, lang, 1),
            potential=_money(potential, lang),
        )
    else:
        out["sentence"] = tr(_C["risk_none"], lang, thr=thr)
    return out


def _customers(session: Session, lang: str, filters: Mapping[str, str]) -> dict[str, Any]:
    from kundfokus.services.customers_import import load_contracts, load_purchases

    out: dict[str, Any] = {
        "churn": None,
        "retention": None,
        "clv": None,
        "value_at_risk": None,
        "n_contracts": 0,
        "n_purchases": 0,
        "notes": [],
    }
    segment = filters.get("segment")
    for key in filters:
        if key != "segment":
            out["notes"].append(
                tr(_T["filter_ignored"], lang, key=key, what=tr(_CUSTOMERS_WHAT, lang))
            )
    contracts = load_contracts(session, segment=segment)
    purchases = load_purchases(session, segment=segment)
    out["n_contracts"], out["n_purchases"] = len(contracts), len(purchases)
    if contracts.empty:
        out["notes"].append(tr(_C["no_contracts"], lang))
    else:
        try:
            out["churn"], notes = _churn_part(contracts, lang)
            out["notes"] += notes
            out["retention"], notes = _retention_part(contracts, lang)
            out["notes"] += notes
        except InputError as exc:
            out["notes"].append(exc.message)
    if purchases.empty:
        out["notes"].append(tr(_C["no_purchases"], lang))
    else:
        clv, table, notes = _clv_part(purchases, lang)
        out["clv"] = clv
        out["notes"] += notes
        if table is not None:
            out["value_at_risk"] = _risk_part(table, lang)
    return out


_CUSTOMERS_WHAT = {"en": "contracts and purchases", "sv": "avtal och köp"}


# --------------------------------------------------------------------------------------------------
# Drivers: which journey indicators move NPS and churn

#: At least this many customers with the outcome and every driver.
DRIVERS_MIN_N = 30
DRIVERS_MAX = 6
DRIVERS_BOOT = 100

_D: dict[str, dict[str, str]] = {
    "no_events": {
        "en": "Drivers need journey events (kundfokus journeys import) or contacts (kundfokus "
        "contacts import) of the customers: none are stored yet.",
        "sv": "Drivkrafter kräver kundernas resehändelser (kundfokus journeys import) eller "
        "kontakter (kundfokus contacts import): inga finns sparade än.",
    },
    "no_nps_customer": {
        "en": "NPS drivers: no NPS answer carries a customer (context key customer_id, or a "
        "contact_id of a stored contact), so the answers cannot be joined to the journeys.",
        "sv": "Drivkrafter för NPS: inget NPS-svar bär en kund (kontextnyckeln customer_id, "
        "eller contact_id för en sparad kontakt), så svaren kan inte kopplas till kundresorna.",
    },
    "no_contracts": {
        "en": "Churn drivers: no contracts are stored (kundfokus customers import contracts).",
        "sv": "Drivkrafter för kundbortfall: inga avtal finns sparade (kundfokus customers import "
        "contracts).",
    },
    "too_few": {
        "en": "{what}: only {n} customers are in both the journey events or contacts and the "
        "{source} (at least {min} are needed).",
        "sv": "{what}: bara {n} kunder finns både bland resehändelserna eller kontakterna och i "
        "{source} (minst {min} behövs).",
    },
    "no_driver": {
        "en": "{what}: no journey indicator or contact count has a value for most of these "
        "customers.",
        "sv": "{what}: inget resemått eller kontaktantal har ett värde för de flesta av dessa "
        "kunder.",
    },
    "nps": {"en": "NPS drivers", "sv": "Drivkrafter för NPS"},
    "churn": {"en": "Churn drivers", "sv": "Drivkrafter för kundbortfall"},
    "src_nps": {"en": "NPS answers", "sv": "NPS-svaren"},
    "src_churn": {"en": "contracts", "sv": "avtalen"},
    "sign_up": {"en": "higher goes with a higher {o}", "sv": "högre hänger ihop med högre {o}"},
    "sign_down": {"en": "higher goes with a lower {o}", "sv": "högre hänger ihop med lägre {o}"},
    "churned": {"en": "churn", "sv": "kundbortfall"},
}


def _nps_per_customer(session: Session, filters: Mapping[str, str]) -> pd.DataFrame:
    """Mean NPS answer (0-10) per customer, for the answers that name a customer."""
    frame, _, _ = _score_frames(session, "nps")
    if frame.empty:
        return pd.DataFrame(columns=["customer_id", "nps_score"])
    frame, _ = _apply(frame, filters)
    frame = frame[frame["score"].notna()]
    cust = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if "customer_id" in frame.columns:
        cust = frame["customer_id"].where(frame["customer_id"].notna(), None)
    if "contact_id" in frame.columns and cust.isna().any():
        from kundfokus.store.repositories import contacts_frame

        contacts = contacts_frame(session)[["contact_id", "customer_id"]].dropna()
        by_contact = dict(
            zip(contacts["contact_id"].astype(str), contacts["customer_id"], strict=False)
        )
        mapped = frame["contact_id"].map(lambda c: by_contact.get(str(c)) if pd.notna(c) else None)
        cust = cust.where(cust.notna(), mapped)
    frame = frame.assign(customer_id=cust)[cust.notna()]
    if frame.empty:
        return pd.DataFrame(columns=["customer_id", "nps_score"])
    frame["customer_id"] = frame["customer_id"].astype(str)
    return (
        frame.groupby("customer_id", as_index=False)["score"]
        .mean()
        .rename(columns={"score": "nps_score"})
    )


def _churned_per_customer(session: Session, filters: Mapping[str, str]) -> pd.DataFrame:
    from kundfokus.services.customers_import import load_contracts

    contracts = load_contracts(session, segment=filters.get("segment"))
    return pd.DataFrame(
        {
            "customer_id": contracts["customer"].astype(str),
            "churned": contracts["end"].notna().astype(int),
        }
    )


def _driver_result(
    joined: pd.DataFrame,
    outcome: str,
    cpi_cols: list[str],
    names: Mapping[str, str],
    what: str,
    source: str,
    binary: bool,
    lang: str,
) -> tuple[dict[str, Any] | None, list[str]]:
    from kundfokus.drivers import driver_analysis
    from kundfokus.drivers.report import summary

    rows = joined[joined[outcome].notna()]
    if len(rows) < DRIVERS_MIN_N:
        return None, [tr(_D["too_few"], lang, what=what, n=len(rows), source=source,
                         min=DRIVERS_MIN_N)]  # fmt: skip
    cover = {c: rows[c].notna().mean() for c in cpi_cols}
    usable = [
        c for c in sorted(cpi_cols, key=lambda c: -cover[c])
        if cover[c] >= 0.8 and rows[c].nunique(dropna=True) > 1
    ][:DRIVERS_MAX]  # fmt: skip
    if not usable:
        return None, [tr(_D["no_driver"], lang, what=what)]
    data = rows[[outcome, *usable]].dropna()
    if len(data) < DRIVERS_MIN_N:
        return None, [tr(_D["too_few"], lang, what=what, n=len(data), source=source,
                         min=DRIVERS_MIN_N)]  # fmt: skip
    label = tr(_D["churned"], lang) if binary else "NPS"
    # the analysis speaks of the drivers by the names a reader knows
    shown: dict[str, str] = {}
    for c in usable:
        name = names.get(c, c)
        shown[c] = name if name not in shown.values() and name != label else f"{name} ({c})"
    back = {v: k for k, v in shown.items()}
    data = data.rename(columns={**shown, outcome: label})
    try:
        report = driver_analysis(
            data, label, [shown[c] for c in usable], binary=binary, n_boot=DRIVERS_BOOT, seed=0
        )
    except InputError as exc:
        return None, [f"{what}: {exc.message}"]
    result = report.results[0]
    table = result.table.sort_values("shapley", ascending=False, kind="stable")
    drivers = [
        {
            "driver": back.get(str(r["driver"]), str(r["driver"])),
            "name": str(r["driver"]),
            "shapley": float(r["shapley"]),
            "share": None if pd.isna(r["share"]) else float(r["share"]),
            "ci_low": None if pd.isna(r["ci_low"]) else float(r["ci_low"]),
            "ci_high": None if pd.isna(r["ci_high"]) else float(r["ci_high"]),
            "sign": r["sign"],
            "direction": (
                tr(_D["sign_up" if r["sign"] == "+" else "sign_down"], lang, o=label)
                if r["sign"] in ("+", "-")
                else ""
            ),
        }
        for _, r in table.iterrows()
    ]
    text = summary(report, result, lang)
    out = {
        "outcome": outcome,
        "model": "logistic (McFadden pseudo-R²)" if binary else "linear (R², Shapley/LMG)",
        "n": int(result.n),
        "r2": float(result.r2),
        "r2_ci_low": result.r2_ci_low,
        "r2_ci_high": result.r2_ci_high,
        "r2_kind": result.r2_kind,
        "drivers": drivers,
        "sentence": text,
    }
    return out, [f"{what}: {w}" for w in report.warnings(lang)]


def _contact_features(session: Session, filters: Mapping[str, str]) -> pd.DataFrame:
    """Per customer of the stored contacts: ``contacts``, ``repeat_contacts`` (within
    :data:`REPEAT_DAYS` of the previous one) and ``complaints``."""
    frame = contacts_table(session, filters)
    frame = frame[frame["customer_id"].notna()] if len(frame) else frame
    if frame.empty:
        return pd.DataFrame(columns=["customer_id", *_CONTACT_FEATURES])
    frame = frame.assign(
        customer_id=frame["customer_id"].astype(str), _ts=pd.to_datetime(frame["timestamp"])
    ).sort_values(["customer_id", "_ts"])
    gap = frame.groupby("customer_id")["_ts"].diff()
    frame["_repeat"] = (gap <= pd.Timedelta(days=REPEAT_DAYS)).astype(int)
    # a complaint: feedback (asks for nothing) in a negative mood
    negative = frame["mood"].astype(str) == "negative" if "mood" in frame else True
    frame["_complaint"] = ((frame["purpose"].astype(str) == "feedback") & negative).astype(int)
    return frame.groupby("customer_id", as_index=False).agg(
        contacts=("contact_id", "size"),
        repeat_contacts=("_repeat", "sum"),
        complaints=("_complaint", "sum"),
    )


_CONTACT_FEATURES = ("contacts", "repeat_contacts", "complaints")
_CONTACT_NAMES = {
    "contacts": {"en": "contacts", "sv": "kontakter"},
    "repeat_contacts": {"en": "repeat contacts", "sv": "upprepade kontakter"},
    "complaints": {"en": "complaints", "sv": "klagomål"},
}


def driver_features(
    session: Session, filters: Mapping[str, str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """One row per customer with their journey CPIs (:func:`kundfokus.cpi.cpis_per_journey`,
    per customer) and their contact counts: the drivers the dashboard relates to NPS and churn.
    Returns the frame (key ``customer_id``, as text) and the names of the driver columns."""
    filters = dict(filters or {})
    try:
        from kundfokus.services.journeys_import import load_events

        events = load_events(session)
    except Exception:  # a store without the events table
        events = None
    frame = None
    columns: list[str] = []
    if events is not None and len(events):
        events = _filter_events(events, filters)
        if len(events):
            from kundfokus.cpi.compute import cpis_per_journey

            per = cpis_per_journey(events, per="customer")
            per["customer_id"] = per["customer_id"].astype(str)
            skip = {"customer_id", "journey_id", "start", "journeys"}
            columns = [
                c for c in per.columns
                if c not in skip and not c.endswith("_open")
                and pd.api.types.is_numeric_dtype(per[c])
            ]  # fmt: skip
            frame = per[["customer_id", *columns]]
    contacts = _contact_features(session, filters)
    if len(contacts):
        frame = contacts if frame is None else frame.merge(contacts, on="customer_id", how="outer")
        for c in _CONTACT_FEATURES:
            frame[c] = frame[c].fillna(0)
        columns += list(_CONTACT_FEATURES)
    if frame is None:
        return pd.DataFrame(columns=["customer_id"]), []
    return frame.reset_index(drop=True), columns


def _drivers(
    session: Session, lang: str, filters: Mapping[str, str], cpi_rows: list[dict[str, Any]]
) -> dict[str, Any]:
    from kundfokus.cpi.compute import join_kpis

    out: dict[str, Any] = {"nps": None, "churn": None, "notes": []}
    for key in filters:
        if key not in ("channel", "team", "situation", "segment"):
            out["notes"].append(
                tr(_T["filter_ignored"], lang, key=key, what=tr(_DRIVERS_WHAT, lang))
            )
    try:
        features, columns = driver_features(session, filters)
    except InputError as exc:
        out["notes"].append(exc.message)
        return out
    if not columns:
        out["notes"].append(tr(_D["no_events"], lang))
        return out
    names = {
        str(r.get("cpi")): str(r.get(f"name_{lang}") or r.get("cpi"))
        for r in cpi_rows
        if r.get("group", "all") == "all"
    }
    names |= {k: tr(v, lang) for k, v in _CONTACT_NAMES.items()}
    nps = _nps_per_customer(session, filters)
    if nps.empty:
        out["notes"].append(tr(_D["no_nps_customer"], lang))
    else:
        joined = join_kpis(features, nps, on="customer_id")
        out["nps"], notes = _driver_result(
            joined, "nps_score", columns, names, tr(_D["nps"], lang), tr(_D["src_nps"], lang),
            False, lang,
        )  # fmt: skip
        out["notes"] += notes
    churned = _churned_per_customer(session, filters)
    if churned.empty:
        out["notes"].append(tr(_D["no_contracts"], lang))
    else:
        # every contract customer counts: one without a contact has 0 contacts
        base = churned[["customer_id"]].merge(features, on="customer_id", how="left")
        for c in _CONTACT_FEATURES:
            if c in base.columns:
                base[c] = base[c].fillna(0)
        joined = join_kpis(base, churned, on="customer_id")
        out["churn"], notes = _driver_result(
            joined, "churned", columns, names, tr(_D["churn"], lang), tr(_D["src_churn"], lang),
            True, lang,
        )  # fmt: skip
        out["notes"] += notes
    return out


_DRIVERS_WHAT = {"en": "the drivers", "sv": "drivkrafterna"}


def _filter_events(events: pd.DataFrame, filters: Mapping[str, str]) -> pd.DataFrame:
    """Journey events of the filtered channel and team (``team`` or ``queue`` column)."""
    if "channel" in filters and "channel" in events.columns:
        events = events[events["channel"].astype(str) == filters["channel"]]
    if "team" in filters:
        col = "team" if "team" in events.columns else "queue" if "queue" in events.columns else None
        if col is not None:
            events = events[events[col].astype(str) == filters["team"]]
    return events


# --------------------------------------------------------------------------------------------------
# Recommendations per situation, from the stored service history (the recommendation log)

_R: dict[str, dict[str, str]] = {
    "no_log": {
        "en": "No service history is stored yet: recommendations need cases with the service "
        "mode used and the outcome. Log them as the recommender is used (kundfokus recommend for "
        "--db URL, then kundfokus recommend outcome --db URL), or fit on a history file with "
        "kundfokus recommend fit HISTORY.",
        "sv": "Ingen servicehistorik finns sparad än: rekommendationer kräver fall med använt "
        "servicesätt och utfall. Logga dem när rekommendationerna används (kundfokus recommend "
        "for --db URL, sedan kundfokus recommend outcome --db URL), eller anpassa på en "
        "historikfil med kundfokus recommend fit HISTORIK.",
    },
    "no_columns": {
        "en": "The logged cases carry no situation columns to learn from.",
        "sv": "De loggade fallen saknar situationskolumner att lära av.",
    },
    "best": {
        "en": "When {situation}: {best} worked best, {value} (95% interval {lo} to {hi}; "
        "{n} cases), against {alt} {alt_value} ({alt_n} cases).",
        "sv": "När {situation}: {best} fungerade bäst, {value} (95 % intervall {lo} till {hi}; "
        "{n} fall), mot {alt} {alt_value} ({alt_n} fall).",
    },
    "best_alone": {
        "en": "When {situation}: {best} worked, {value} (95% interval {lo} to {hi}; {n} cases); "
        "no other mode has enough cases to compare.",
        "sv": "När {situation}: {best} fungerade, {value} (95 % intervall {lo} till {hi}; {n} "
        "fall); inget annat servicesätt har tillräckligt många fall att jämföra med.",
    },
    "lacking": {
        "en": "{k} situations lack evidence for every mode (fewer than {m} cases): keep the usual "
        "practice there and log the outcomes.",
        "sv": "{k} situationer saknar underlag för alla servicesätt (färre än {m} fall): behåll "
        "hittillsvarande arbetssätt där och logga utfallen.",
    },
    "confounded": {
        "en": "The estimates are adjusted for how modes were chosen (doubly robust): agents did "
        "not pick them at random.",
        "sv": "Skattningarna är justerade för hur servicesätten valdes (dubbelt robust): "
        "handläggarna valde inte slumpmässigt.",
    },
}
_LOG_OWN = {
    "case_id", "customer_id", "model", "recommended", "recommended_propensity", "action",
    "propensity", "override", "override_reason", "who", "outcome", "created_at",
}  # fmt: skip


def _recommendations(session: Session, lang: str, filters: Mapping[str, str]) -> dict[str, Any]:
    from kundfokus.recommend import fit_recommender
    from kundfokus.services.recommend_log import load_log

    out: dict[str, Any] = {"rows": [], "n_cases": 0, "situation": [], "notes": []}
    try:
        log = load_log(session)
    except Exception:  # a store without the log table
        log = pd.DataFrame()
    if log.empty:
        out["notes"].append(tr(_R["no_log"], lang))
        return out
    cols = [c for c in log.columns if c not in _LOG_OWN and not str(c).startswith("_")]
    cols = [c for c in cols if log[c].notna().any()]
    if not cols:
        out["notes"].append(tr(_R["no_columns"], lang))
        return out
    for key, value in filters.items():
        if key in log.columns and key not in _LOG_OWN:
            log = log[log[key].astype(str) == value]
        else:
            out["notes"].append(tr(_T["filter_ignored"], lang, key=key, what=tr(_RECS_WHAT, lang)))
    if log.empty:
        out["notes"].append(tr(_R["no_log"], lang))
        return out
    hist = log[[*cols, "action", "outcome", "propensity"]].copy()
    for c in cols:
        hist[c] = hist[c].astype(str)
    hist["propensity"] = pd.to_numeric(hist["propensity"], errors="coerce")
    try:
        model = fit_recommender(hist, cols, "action", "outcome", propensity="propensity")
    except InputError as exc:
        out["notes"].append(exc.message)
        return out
    out["n_cases"], out["situation"] = int(model.n_rows), cols
    cells = model.cells
    lacking = 0
    pct = bool(set(pd.unique(hist["outcome"].dropna())) <= {0.0, 1.0})

    def fmt(v: float) -> str:
        return f"{_num(100 * v, lang, 0)} %" if pct else _num(v, lang, 2)

    for key, grp in cells.groupby(cols, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        ok = grp[grp["enough"]]
        if ok.empty:
            lacking += 1
            continue
        ok = ok.assign(_s=model.sign * ok["expected"]).sort_values("_s", ascending=False)
        best = ok.iloc[0]
        usual = grp.loc[grp["propensity"].idxmax()]
        alt = ok.iloc[1] if len(ok) > 1 else None
        if (
            alt is not None
            and str(usual["action"]) != str(best["action"])
            and bool(usual["enough"])
        ):
            alt = usual
        situation = ", ".join(f"{c} = {v}" for c, v in zip(cols, key, strict=True))
        row = {
            **dict(zip(cols, map(str, key), strict=True)),
            "situation": situation,
            "n_situation": int(best["n_situation"]),
            "best": str(best["action"]),
            "expected": float(best["expected"]),
            "ci_low": float(best["ci_low"]),
            "ci_high": float(best["ci_high"]),
            "n": int(best["evidence"]),
            "usual": str(usual["action"]),
            "alternative": None if alt is None else str(alt["action"]),
            "alternative_expected": None if alt is None else float(alt["expected"]),
            "alternative_n": None if alt is None else int(alt["evidence"]),
        }
        fmt_args = {
            "situation": situation, "best": row["best"], "value": fmt(row["expected"]),
            "lo": fmt(row["ci_low"]), "hi": fmt(row["ci_high"]), "n": row["n"],
        }  # fmt: skip
        if alt is None:
            row["sentence"] = tr(_R["best_alone"], lang, **fmt_args)
        else:
            row["sentence"] = tr(
                _R["best"], lang, **fmt_args, alt=row["alternative"],
                alt_value=fmt(row["alternative_expected"]), alt_n=row["alternative_n"],
            )  # fmt: skip
        out["rows"].append(row)
    out["rows"].sort(key=lambda r: -r["n_situation"])
    out["notes"].append(tr(_R["confounded"], lang))
    if lacking:
        out["notes"].append(tr(_R["lacking"], lang, k=lacking, m=model.min_cases))
    return out


_RECS_WHAT = {"en": "the service history", "sv": "servicehistoriken"}


# --------------------------------------------------------------------------------------------------


def filter_options(session: Session) -> dict[str, list[str]]:
    """The values the filter form offers: channels and situations seen in answers and contacts."""
    from kundfokus.store.repositories import situations_frame

    seen: dict[str, set[str]] = {k: set() for k in FILTERS}
    for kind in (*SCORE_KINDS, "kano", "odi"):
        for _, frame in _exports(session, kind):
            for key in seen:
                if key in frame.columns:
                    seen[key] |= {str(v) for v in frame[key].dropna().unique() if str(v) != ""}
    contacts = situations_frame(session)
    seen["channel"] |= {str(v) for v in contacts["channel"].dropna().unique()}
    for v in contacts["tags"]:
        seen["situation"] |= set(_split_tags(v))
    from kundfokus.services.customers_import import segments

    seen["segment"] |= set(segments(session))
    seen["team"] |= set(_event_teams(session))
    return {k: sorted(v) for k, v in seen.items()}


def _event_teams(session: Session) -> list[str]:
    """The teams (``team`` or ``queue`` attribute) of the stored journey events."""
    from sqlalchemy import select

    from kundfokus.store.models import JourneyEvent

    out: set[str] = set()
    try:
        for attrs in session.scalars(select(JourneyEvent.attributes)):
            for key in ("team", "queue"):
                v = (attrs or {}).get(key)
                if v not in (None, ""):
                    out.add(str(v))
    except Exception:  # a store without the events table
        return []
    return sorted(out)


def chosen_panels(session: Session) -> list[str] | None:
    """The panels the organisation chose to see first (review setting ``dashboard_panels``, a
    list of panel keys, written by the guided start), in :data:`PANELS` order of the choice;
    ``None`` when no choice is stored."""
    from kundfokus.store.repositories import get_setting

    value = get_setting(session, "dashboard_panels")
    if not isinstance(value, list | tuple):
        return None
    keys = [str(v) for v in value if str(v) in PANELS]
    return list(dict.fromkeys(keys)) or None


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
        ``meta, kpis, customers, drivers, recommendations, needs, contacts, cpis, goals, voice``.
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
            "chosen_panels": chosen_panels(session),
        },
        "kpis": _kpis(session, period, lang, clean, by),
        "needs": {"kano": _kano(session, lang, clean), "odi": _odi(session, lang, clean)},
        "contacts": contacts,
        "cpis": _cpis(session, lang, clean),
        "goals": _goals(session, lang),
        "voice": _voice(session, frame, lang),
        "customers": _customers(session, lang, clean),
        "recommendations": _recommendations(session, lang, clean),
    }
    result["drivers"] = _drivers(session, lang, clean, result["cpis"]["rows"])
    churn = result["customers"]["churn"]
    result["kpis"]["churn"] = churn and {
        k: churn[k] for k in ("annual_churn", "ci_low", "ci_high", "sentence")
    }
    if result["customers"]["retention"]:
        result["kpis"]["retention"] = result["customers"]["retention"]["curve"]
    clv = result["customers"]["clv"]
    result["kpis"]["clv"] = clv and {k: clv[k] for k in ("total", "median", "sentence")}
    if churn or clv:
        result["kpis"]["notes"] = []
    return json_safe(result)


def panel_frame(data: Mapping[str, Any], panel: str) -> pd.DataFrame:
    """The table behind one chart of the dashboard (for its CSV download).

    Panels: ``kpis`` (one row per score and period), ``kano``, ``odi``, ``contacts`` (counts per
    axis and label), ``contacts_time`` (per period and purpose), ``cpis``, ``goals``, ``voice``,
    ``churn`` (per month), ``retention`` (the sBG curve), ``clv`` (the histogram of CLV),
    ``value_at_risk`` (the likely lost customers, most valuable first), ``drivers``,
    ``recommendations``.
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
    customers = data.get("customers") or {}
    if panel == "churn":
        churn = customers.get("churn") or {}
        return pd.DataFrame(
            churn.get("periods", []),
            columns=["period", "period_start", "active_start", "lost", "acquired", "churn_rate",
                     "annual_churn", "ci_low", "ci_high"],
        )  # fmt: skip
    if panel == "retention":
        ret = customers.get("retention") or {}
        return pd.DataFrame(
            ret.get("curve", []), columns=["t", "survival", "observed", "retention_rate"]
        )
    if panel == "clv":
        clv = customers.get("clv") or {}
        return pd.DataFrame(clv.get("histogram", []), columns=["from", "to", "n"])
    if panel == "value_at_risk":
        risk = customers.get("value_at_risk") or {}
        return pd.DataFrame(
            risk.get("top", []),
            columns=["customer", "probability_alive", "clv", "if_active", "frequency", "recency",
                     "T"],
        )  # fmt: skip
    if panel == "drivers":
        drivers = data.get("drivers") or {}
        rows = [
            {"outcome": key, "model": d["model"], "n": d["n"], "r2": d["r2"], **x}
            for key in ("nps", "churn")
            if (d := drivers.get(key))
            for x in d["drivers"]
        ]
        return pd.DataFrame(
            rows,
            columns=["outcome", "model", "n", "r2", "driver", "name", "shapley", "share",
                     "ci_low", "ci_high", "sign"],
        )  # fmt: skip
    if panel == "recommendations":
        return pd.DataFrame((data.get("recommendations") or {}).get("rows", []))
    raise InputError(f"unknown panel {panel!r}", value=panel)

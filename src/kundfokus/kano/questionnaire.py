"""Kano questionnaires: from a feature list to the paired questions, in Swedish and English.

A Kano survey asks two questions per feature: how the respondent would feel if the service *has* it
(the functional question) and if it does *not* have it (the dysfunctional question), each answered
with one of five options (like, must-be, neutral, live-with, dislike). An optional third question
asks how important the feature is, on a 1-9 (or 1-5) scale.

This module turns a feature list into a :class:`Questionnaire` and renders it as a printable HTML
page, a CSV answer template that ``kundfokus kano analyze`` reads directly, a JSON/YAML description
for survey tools, or plain text. The answer texts come from :data:`kundfokus.kano.answers.WORDINGS`,
the same table the analysis reads answers with, so every printed answer can be read back.

The feature list is a table (CSV and friends) or a YAML file with, per feature:

``id``
    A short identifier used in column names (letters, digits, ``_`` and ``-``; unique, also when
    case is ignored, because some engines such as Spark treat column names case-insensitively).
``label``, ``label_en``, ``label_sv``
    The feature in words, written to fit "If the service has <label>, ...". A language-specific
    label wins over the plain one.
``functional``, ``dysfunctional``, ``importance`` (optionally ``_en``/``_sv``)
    Own question texts instead of the default templates; ``{label}`` inside is replaced by the label.
"""

from __future__ import annotations

import csv
import html
import io
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.i18n import LANGUAGES, check_lang, tr
from kundfokus.kano.answers import ANSWER_KEYS, WORDINGS

__all__ = [
    "DEFAULT_QUESTIONS",
    "IMPORTANCE_ENDS",
    "Feature",
    "Question",
    "Questionnaire",
    "QuestionnaireItem",
    "build_questionnaire",
    "load_features",
    "parse_features",
    "to_csv_template",
    "to_dict",
    "to_html",
    "to_text",
    "to_yaml",
]

#: Characters allowed in a feature id: they end up in column names such as ``<id>_functional``.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
QUESTION_KINDS: tuple[str, str, str] = ("functional", "dysfunctional", "importance")

#: Default question templates; ``{label}`` is replaced by the feature label.
DEFAULT_QUESTIONS: dict[str, dict[str, str]] = {
    "functional": {
        "en": "If the service has {label}, how do you feel?",
        "sv": "Om tjänsten har {label}, vad tycker du då?",
    },
    "dysfunctional": {
        "en": "If the service does not have {label}, how do you feel?",
        "sv": "Om tjänsten inte har {label}, vad tycker du då?",
    },
    "importance": {
        "en": "How important is {label} to you?",
        "sv": "Hur viktigt är {label} för dig?",
    },
}

#: Labels of the two ends of the importance scale.
IMPORTANCE_ENDS: dict[str, tuple[str, str]] = {
    "en": ("Not at all important", "Extremely important"),
    "sv": ("Inte alls viktigt", "Extremt viktigt"),
}
IMPORTANCE_SCALES: tuple[int, ...] = (5, 9)

_TEXT = {
    "title": {"en": "Questionnaire", "sv": "Enkät"},
    "instructions": {
        "en": (
            "For each feature there are two questions: how you would feel if the service has the "
            "feature, and how you would feel if it does not have it. Please answer both, ticking "
            "one box per question. There are no right or wrong answers."
        ),
        "sv": (
            "För varje egenskap finns två frågor: vad du skulle tycka om tjänsten har egenskapen, "
            "och vad du skulle tycka om den inte har den. Svara gärna på båda och kryssa i en ruta "
            "per fråga. Det finns inga rätta eller felaktiga svar."
        ),
    },
    "importance_instructions": {
        "en": "The third question asks how important the feature is to you, from {lo} to {hi}.",
        "sv": "Den tredje frågan gäller hur viktig egenskapen är för dig, från {lo} till {hi}.",
    },
    "respondent": {"en": "Respondent", "sv": "Svarande"},
    "feature": {"en": "Feature", "sv": "Egenskap"},
    "thanks": {"en": "Thank you for your answers!", "sv": "Tack för dina svar!"},
    "scale": {"en": "scale {lo}-{hi}", "sv": "skala {lo}-{hi}"},
}


# --------------------------------------------------------------------------------------------------
# Feature lists


@dataclass(frozen=True)
class Feature:
    """One feature of a Kano questionnaire.

    ``label`` and the question texts map a language (``""`` for language-neutral, ``"en"``,
    ``"sv"``) to text; ``row`` is the 1-based data row it came from (for error messages).
    """

    id: str
    label: Mapping[str, str]
    functional: Mapping[str, str] = field(default_factory=dict)
    dysfunctional: Mapping[str, str] = field(default_factory=dict)
    importance: Mapping[str, str] = field(default_factory=dict)
    row: int | None = None

    def text(self, kind: str, lang: str) -> str | None:
        """The text of ``kind`` ("label", "functional", ...) in ``lang``, falling back to the
        language-neutral text; ``None`` when neither is given."""
        texts: Mapping[str, str] = getattr(self, kind)
        return texts.get(lang) or texts.get("") or None


def _clean_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value).strip()


def _split_key(key: str) -> tuple[str, str] | None:
    """``"label_sv"`` -> ``("label", "sv")``, ``"label"`` -> ``("label", "")``; else None."""
    k = key.strip().lower()
    for kind in ("label", *QUESTION_KINDS):
        if k == kind:
            return kind, ""
        if k.startswith(kind + "_"):
            return kind, k[len(kind) + 1 :]
    return None


def parse_features(records: Iterable[Mapping[str, Any]] | Any) -> list[Feature]:
    """Read and check a feature list.

    Parameters
    ----------
    records:
        Rows of the feature list: an iterable of mappings (for example from YAML) or a data frame
        (pandas, Polars, ...). Keys/columns: ``id`` (or ``feature``), ``label`` and/or
        ``label_en``/``label_sv``, and optional ``functional``, ``dysfunctional`` and
        ``importance`` texts, plain or per language (``functional_sv``). In a mapping a text may
        also be a dict by language (``label: {en: ..., sv: ...}``). Other columns are ignored.

    Returns
    -------
    list of Feature
        In the order given.

    Raises
    ------
    InputError
        Naming the row, column and value for an empty, duplicate (ignoring case) or unusable id, a
        missing label column, a row without any label, or an unknown language suffix.

    Examples
    --------
    >>> fs = parse_features([{"id": "callback", "label_en": "a callback",
    ...                       "label_sv": "återuppringning"}])
    >>> fs[0].id, fs[0].text("label", "sv")
    ('callback', 'återuppringning')
    >>> parse_features([{"id": "a b", "label": "x"}])
    Traceback (most recent call last):
    ...
    kundfokus.errors.InputError: row 1, column 'id', value 'a b': a feature id may only hold letters, digits, '_' and '-' (it becomes part of column names)
    """
    rows = _records(records)
    if not rows:
        raise InputError("the feature list is empty")
    columns: list[str] = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(str(k))
    id_col = next((c for c in columns if c.strip().lower() in ("id", "feature")), None)
    if id_col is None:
        raise InputError(
            "the feature list has no 'id' column", column="id", hint="add a column 'id'"
        )
    label_cols = [c for c in columns if (_split_key(c) or ("",))[0] == "label"]
    if not label_cols:
        raise InputError(
            "the feature list has no label column",
            column="label",
            hint="add 'label', or 'label_en' and 'label_sv'",
        )
    for c in columns:
        split = _split_key(c)
        if split and split[1] and split[1] not in LANGUAGES:
            raise InputError(
                f"unknown language {split[1]!r} in a column name; use one of "
                f"{', '.join(LANGUAGES)}",
                column=c,
            )

    features: list[Feature] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(rows, start=1):
        fid = _clean_cell(rec.get(id_col))
        if not fid:
            raise InputError("a feature has no id", row=i, column=id_col, value=fid)
        if not ID_PATTERN.match(fid):
            raise InputError(
                "a feature id may only hold letters, digits, '_' and '-' (it becomes part of "
                "column names)",
                row=i,
                column=id_col,
                value=fid,
            )
        key = fid.casefold()
        if key in seen:
            raise InputError(
                "duplicate feature id",
                row=i,
                column=id_col,
                value=fid,
                hint=f"first used in row {seen[key]}; ids must differ also when case is ignored",
            )
        seen[key] = i
        texts: dict[str, dict[str, str]] = {k: {} for k in ("label", *QUESTION_KINDS)}
        for col, value in rec.items():
            split = _split_key(str(col))
            if split is None:
                continue
            kind, lang = split
            if isinstance(value, Mapping):
                for sub_lang, sub_value in value.items():
                    sub = str(sub_lang).strip().lower()
                    if sub not in LANGUAGES:
                        raise InputError(
                            f"unknown language {sub!r}; use one of {', '.join(LANGUAGES)}",
                            row=i,
                            column=f"{col}.{sub_lang}",
                        )
                    text = _clean_cell(sub_value)
                    if text:
                        texts[kind][sub] = text
                continue
            text = _clean_cell(value)
            if text:
                texts[kind][lang] = text
        if not texts["label"]:
            raise InputError("the feature has no label", row=i, column=label_cols[0], value="")
        features.append(
            Feature(
                id=fid,
                label=texts["label"],
                functional=texts["functional"],
                dysfunctional=texts["dysfunctional"],
                importance=texts["importance"],
                row=i,
            )
        )
    return features


def _records(records: Any) -> list[dict[str, Any]]:
    if isinstance(records, Mapping):
        if "features" in records:
            return _records(records["features"])
        # {id: label} or {id: {label..}}
        out = []
        for fid, value in records.items():
            if isinstance(value, Mapping):
                out.append({"id": fid, **value})
            else:
                out.append({"id": fid, "label": value})
        return out
    if isinstance(records, (list, tuple)):
        out = []
        for i, r in enumerate(records, start=1):
            if not isinstance(r, Mapping):
                raise InputError(
                    "each feature must be a mapping with 'id' and 'label'", row=i, value=r
                )
            out.append(dict(r))
        return out
    try:
        frame = nw.from_native(records)
    except TypeError as exc:
        raise InputError(f"cannot read a feature list from {type(records).__name__}") from exc
    if isinstance(frame, nw.LazyFrame):  # DuckDB, Spark, Polars lazy: a feature list is small
        frame = frame.collect()
    return list(frame.rows(named=True))


def load_features(path: str | Path | bytes, *, name: str | None = None) -> list[Feature]:
    """Read a feature list from a CSV/TSV/Parquet/JSON-lines table or a YAML file (a path, or an
    upload's bytes with ``name``).

    Errors name the file as well as the row, column and value.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "features.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("id,label_en,label_sv\\nchat,chat,chatt\\n")
    >>> [f.id for f in load_features(p)]
    ['chat']
    """
    from kundfokus.io import read_table, read_yaml

    label = name if isinstance(path, (bytes, bytearray)) and name else str(path)
    try:
        if Path(label).suffix.lower() in (".yaml", ".yml"):
            data = read_yaml(path, name=name)
            if data is None:
                raise InputError("the feature list is empty")
            return parse_features(data)
        return parse_features(read_table(path, name=name))
    except InputError as err:
        raise err.with_file(label) from None


# --------------------------------------------------------------------------------------------------
# The questionnaire


@dataclass(frozen=True)
class Question:
    """One question: its answer column, kind, text and answer options (in code order)."""

    column: str
    kind: str
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class QuestionnaireItem:
    """The questions about one feature."""

    position: int
    feature: str
    label: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    """A complete Kano questionnaire in one language; render it with :func:`to_html`,
    :func:`to_csv_template`, :func:`to_dict`, :func:`to_yaml` or :func:`to_text`."""

    lang: str
    wording: str
    title: str
    instructions: str
    answers: tuple[str, ...]
    importance_scale: int | None
    importance_ends: tuple[str, str] | None
    items: tuple[QuestionnaireItem, ...]
    seed: int | None = None

    @property
    def columns(self) -> list[str]:
        """Columns of the answer table: ``respondent`` and one per question."""
        return ["respondent", *(q.column for it in self.items for q in it.questions)]

    def to_frame(self) -> pd.DataFrame:
        """One row per question: ``position, feature, label, kind, column, question, options``
        (options joined with `` | ``)."""
        return pd.DataFrame(
            [
                {
                    "position": it.position,
                    "feature": it.feature,
                    "label": it.label,
                    "kind": q.kind,
                    "column": q.column,
                    "question": q.text,
                    "options": " | ".join(q.options),
                }
                for it in self.items
                for q in it.questions
            ],
            columns=["position", "feature", "label", "kind", "column", "question", "options"],
        )


def _question_text(feature: Feature, kind: str, lang: str, label: str) -> str:
    own = feature.text(kind, lang)
    template = own if own else DEFAULT_QUESTIONS[kind][lang]
    return template.replace("{label}", label)


def build_questionnaire(
    features: Sequence[Feature] | Any,
    *,
    lang: str = "en",
    wording: str = "classic",
    importance: bool = True,
    importance_scale: int = 9,
    shuffle: bool = False,
    seed: int | None = None,
    title: str | None = None,
) -> Questionnaire:
    """Build the Kano questionnaire for a feature list.

    Parameters
    ----------
    features:
        Features from :func:`load_features` or :func:`parse_features` (or anything
        :func:`parse_features` accepts).
    lang:
        ``"en"`` or ``"sv"``.
    wording:
        ``"classic"`` ("I like it that way", ...) or ``"short"`` ("I like it", "I expect it", ...).
    importance:
        Add the self-stated importance question per feature.
    importance_scale:
        9 (1-9, as in Reppel 2022) or 5 (1-5); the two ends are labelled.
    shuffle, seed:
        Put the features in random order (the pair of questions of one feature stays together and
        in the order functional, dysfunctional). With ``seed`` the order is reproducible; without,
        a seed is drawn and kept in :attr:`Questionnaire.seed`.
    title:
        Title of the questionnaire; a bilingual default when ``None``.

    Returns
    -------
    Questionnaire

    Raises
    ------
    InputError
        When a feature has no label in ``lang`` (naming its row and the ``label_<lang>`` column).

    Examples
    --------
    >>> fs = parse_features([{"id": "chat", "label_en": "chat with a person",
    ...                       "label_sv": "chatt med en människa"}])
    >>> q = build_questionnaire(fs, lang="sv", wording="short", importance=False)
    >>> [x.text for x in q.items[0].questions]
    ['Om tjänsten har chatt med en människa, vad tycker du då?', 'Om tjänsten inte har chatt med en människa, vad tycker du då?']
    >>> q.items[0].questions[0].options[1]
    'Jag förväntar mig det'
    >>> q.columns
    ['respondent', 'chat_functional', 'chat_dysfunctional']
    """
    check_lang(lang)
    if wording not in WORDINGS:
        raise ValueError(f"unknown wording {wording!r}; use one of {', '.join(WORDINGS)}")
    if importance and importance_scale not in IMPORTANCE_SCALES:
        raise ValueError(
            f"unknown importance scale {importance_scale!r}; use "
            + " or ".join(str(s) for s in IMPORTANCE_SCALES)
        )
    if not (isinstance(features, Sequence) and all(isinstance(f, Feature) for f in features)):
        features = parse_features(features)
    if not features:
        raise InputError("the feature list is empty")
    answers = tuple(WORDINGS[wording][lang])
    ends = IMPORTANCE_ENDS[lang]
    scale_options = tuple(
        f"{v} {ends[0]}" if v == 1 else f"{v} {ends[1]}" if v == importance_scale else str(v)
        for v in range(1, importance_scale + 1)
    )
    order = list(features)
    used_seed = None
    if shuffle:
        used_seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        random.Random(used_seed).shuffle(order)
    items = []
    for pos, f in enumerate(order, start=1):
        label = f.text("label", lang)
        if not label:
            raise InputError(
                f"the feature has no label in {'Swedish' if lang == 'sv' else 'English'}",
                row=f.row,
                column=f"label_{lang}",
                value="",
                hint=f"add a 'label_{lang}' column or a language-neutral 'label' column",
            )
        questions = [
            Question(f"{f.id}_{kind}", kind, _question_text(f, kind, lang, label), answers)
            for kind in ("functional", "dysfunctional")
        ]
        if importance:
            questions.append(
                Question(
                    f"{f.id}_importance",
                    "importance",
                    _question_text(f, "importance", lang, label),
                    scale_options,
                )
            )
        items.append(QuestionnaireItem(pos, f.id, label, tuple(questions)))
    instructions = tr(_TEXT["instructions"], lang)
    if importance:
        instructions += " " + tr(
            _TEXT["importance_instructions"],
            lang,
            lo=f"1 ({ends[0].lower()})",
            hi=f"{importance_scale} ({ends[1].lower()})",
        )
    return Questionnaire(
        lang=lang,
        wording=wording,
        title=title if title is not None else tr(_TEXT["title"], lang),
        instructions=instructions,
        answers=answers,
        importance_scale=importance_scale if importance else None,
        importance_ends=ends if importance else None,
        items=tuple(items),
        seed=used_seed,
    )


# --------------------------------------------------------------------------------------------------
# Renderers


def to_csv_template(q: Questionnaire, *, rows: int = 0) -> str:
    """The answer template: a header ``respondent, <id>_functional, <id>_dysfunctional[,
    <id>_importance], ...`` and ``rows`` empty rows numbered 1..rows. Enter the answer texts as
    printed (or their codes 1-5); ``kundfokus kano analyze`` reads the file as it is.

    Examples
    --------
    >>> fs = parse_features([{"id": "F1", "label": "x"}])
    >>> print(to_csv_template(build_questionnaire(fs, importance=False), rows=1), end="")
    respondent,F1_functional,F1_dysfunctional
    1,,
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    cols = q.columns
    writer.writerow(cols)
    for r in range(1, rows + 1):
        writer.writerow([str(r)] + [""] * (len(cols) - 1))
    return buf.getvalue()


def to_dict(q: Questionnaire) -> dict[str, Any]:
    """A plain description for survey tools (JSON or YAML): the answer options with their codes,
    the importance scale and, per feature, its questions with the answer column to store them in.

    Examples
    --------
    >>> fs = parse_features([{"id": "F1", "label": "x"}])
    >>> d = to_dict(build_questionnaire(fs, wording="short"))
    >>> d["answer_options"][1]
    {'code': 2, 'key': 'must-be', 'text': 'I expect it'}
    >>> [qq["column"] for qq in d["features"][0]["questions"]]
    ['F1_functional', 'F1_dysfunctional', 'F1_importance']
    """
    options = [
        {"code": code, "key": key, "text": text}
        for code, (key, text) in enumerate(zip(ANSWER_KEYS, q.answers, strict=True), start=1)
    ]
    scale = None
    if q.importance_scale is not None and q.importance_ends is not None:
        scale = {
            "min": 1,
            "max": q.importance_scale,
            "min_label": q.importance_ends[0],
            "max_label": q.importance_ends[1],
        }
    features = []
    for it in q.items:
        questions = []
        for qq in it.questions:
            entry: dict[str, Any] = {"column": qq.column, "kind": qq.kind, "text": qq.text}
            if qq.kind == "importance":
                entry["type"] = "scale"
            else:
                entry["type"] = "single_choice"
                entry["options"] = [o["text"] for o in options]
            questions.append(entry)
        features.append(
            {"position": it.position, "id": it.feature, "label": it.label, "questions": questions}
        )
    return {
        "format": "kundfokus-kano-questionnaire",
        "version": 1,
        "title": q.title,
        "lang": q.lang,
        "wording": q.wording,
        "instructions": q.instructions,
        "shuffle_seed": q.seed,
        "answer_options": options,
        "importance_scale": scale,
        "columns": q.columns,
        "features": features,
    }


def to_yaml(q: Questionnaire) -> str:
    """:func:`to_dict` as YAML (UTF-8 text, keys in a fixed order)."""
    import yaml

    return yaml.safe_dump(to_dict(q), allow_unicode=True, sort_keys=False, width=100)


def _capitalise(text: str) -> str:
    """Upper-case the first letter for a heading, leaving the rest ("BankID") alone."""
    return text[:1].upper() + text[1:]


def to_text(q: Questionnaire) -> str:
    """The questionnaire as plain text (for e-mail or a quick read).

    Examples
    --------
    >>> fs = parse_features([{"id": "F1", "label": "a callback"}])
    >>> print(to_text(build_questionnaire(fs, wording="short", importance=False)).splitlines()[5])
    1. A callback
    """
    lines = [q.title, "=" * len(q.title), "", q.instructions, ""]
    for it in q.items:
        lines.append(f"{it.position}. {_capitalise(it.label)}")
        for qq in it.questions:
            lines.append(f"   {qq.text}  [{qq.column}]")
            if qq.kind == "importance":
                lines.append("      " + "  ".join(f"[ ] {o}" for o in qq.options))
            else:
                lines.extend(f"      [ ] {o}" for o in qq.options)
        lines.append("")
    lines.append(tr(_TEXT["thanks"], q.lang))
    return "\n".join(lines) + "\n"


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2933;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
.respondent { margin: 1rem 0 1.5rem; }
.respondent span { display: inline-block; min-width: 14rem; border-bottom: 1px solid #52606d; }
.feature { border: 1px solid #cbd2d9; border-radius: 6px; padding: .6rem 1rem .8rem;
           margin: 0 0 1rem; break-inside: avoid; page-break-inside: avoid; }
.feature h2 { font-size: 1.05rem; margin: .2rem 0 .5rem; }
.feature h2 .num { color: #7b8794; margin-right: .4rem; }
fieldset { border: 0; margin: 0 0 .5rem; padding: 0; }
legend { font-weight: 600; padding: 0; margin-bottom: .25rem; }
.options { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; }
.options label { white-space: nowrap; }
.scale { display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; }
.scale .end { font-size: .85rem; color: #52606d; }
.scale label { display: inline-flex; flex-direction: column; align-items: center; font-size: .85rem; }
input[type=checkbox] { width: 1.05em; height: 1.05em; margin: 0 .3em 0 0; }
.scale input[type=checkbox] { margin: 0; }
.thanks { margin-top: 1.5rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  .feature { border-color: #9aa5b1; }
  input[type=checkbox] { -webkit-appearance: none; appearance: none; border: 1px solid #1f2933;
                         width: 11pt; height: 11pt; }
}
"""


def to_html(q: Questionnaire) -> str:
    """The printable questionnaire: one block per feature with both questions and their five
    answer boxes (and the importance scale), with print CSS so that a block never splits across
    pages. Works offline; the boxes can also be ticked on screen.

    Examples
    --------
    >>> fs = parse_features([{"id": "F1", "label": "a callback"}])
    >>> page = to_html(build_questionnaire(fs, lang="sv", importance=False))
    >>> page.count('type="checkbox"'), 'lang="sv"' in page
    (10, True)
    """
    e = html.escape
    parts = [
        "<!doctype html>",
        f'<html lang="{e(q.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(q.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(q.title)}</h1>",
        f'<p class="instructions">{e(q.instructions)}</p>',
        f'<p class="respondent">{e(tr(_TEXT["respondent"], q.lang))}: <span>&nbsp;</span></p>',
    ]
    for it in q.items:
        parts.append(f'<section class="feature" id="feature-{e(it.feature)}">')
        parts.append(f'<h2><span class="num">{it.position}.</span>{e(_capitalise(it.label))}</h2>')
        for qq in it.questions:
            parts.append(f'<fieldset class="{e(qq.kind)}" data-column="{e(qq.column)}">')
            parts.append(f"<legend>{e(qq.text)}</legend>")
            if qq.kind == "importance":
                ends = q.importance_ends or ("", "")
                boxes = "".join(
                    f'<label><input type="checkbox" name="{e(qq.column)}" value="{v}">{v}</label>'
                    for v in range(1, len(qq.options) + 1)
                )
                parts.append(
                    f'<div class="scale"><span class="end">{e(ends[0])}</span>{boxes}'
                    f'<span class="end">{e(ends[1])}</span></div>'
                )
            else:
                boxes = "".join(
                    f'<label><input type="checkbox" name="{e(qq.column)}" value="{e(o)}"> '
                    f"{e(o)}</label>"
                    for o in qq.options
                )
                parts.append(f'<div class="options">{boxes}</div>')
            parts.append("</fieldset>")
        parts.append("</section>")
    parts.append(f'<p class="thanks">{e(tr(_TEXT["thanks"], q.lang))}</p>')
    parts.extend(["</body>", "</html>"])
    return "\n".join(parts) + "\n"

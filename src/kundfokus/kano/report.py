"""The Kano analysis as report sections and a self-contained HTML report, in Swedish or English.

:func:`kano_sections` turns a :class:`~kundfokus.kano.analysis.KanoResult` into
:class:`kundfokus.reports.Section` objects: a plain-language summary (how many answered, which table
and rule, which features are must-be, performance, attractive, indifferent), the priorities with
one sentence each, the Kano plot and category bars, the full table, the group comparison (when the
analysis used ``by``) and notes on unreadable answers and removed respondents.
:func:`write_kano_report` writes them as one HTML page. Other reports (``kundfokus demo``) combine
these sections with those of other methods.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from kundfokus.i18n import check_lang, tr
from kundfokus.kano.analysis import KanoResult
from kundfokus.kano.charts import CATEGORY_ORDER, category_bars, category_name, kano_plot
from kundfokus.kano.priorities import SMALL_N, priorities, sentence
from kundfokus.reports import Chart, Section, Table, write_report
from kundfokus.reports.numbers import fmt_number

__all__ = [
    "TABLE_COLUMNS",
    "format_p",
    "group_categories",
    "kano_sections",
    "kano_text",
    "table_columns",
    "text_notes",
    "write_kano_report",
]

_TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Kano analysis", "sv": "Kano-analys"},
    "summary": {"en": "Summary", "sv": "Sammanfattning"},
    "answered": {
        "en": "Between {min_n} and {n} customers gave a complete answer pair (both questions) "
        "for each of the {k} features.",
        "sv": "Mellan {min_n} och {n} kunder gav ett fullständigt svarspar (båda frågorna) för "
        "var och en av de {k} egenskaperna.",
    },
    "answered_same": {
        "en": "{n} customers gave a complete answer pair (both questions) for each of the {k} "
        "features.",
        "sv": "{n} kunder gav ett fullständigt svarspar (båda frågorna) för var och en av de {k} "
        "egenskaperna.",
    },
    "method": {
        "en": "Each answer pair was classified with {table} (Berger et al. 1993); the category of "
        "a feature is {rule}. A label like 'O/M' means the two largest categories are not "
        "significantly apart (Fong 1996).",
        "sv": "Varje svarspar klassades med {table} (Berger m.fl. 1993); en egenskaps kategori "
        "är {rule}. En etikett som 'O/M' betyder att de två största kategorierna inte skiljer "
        "sig signifikant (Fong 1996).",
    },
    "table_standard": {"en": "the standard evaluation table", "sv": "standardtabellen"},
    "table_pouliot": {
        "en": "Pouliot's stricter evaluation table",
        "sv": "Pouliots striktare utvärderingstabell",
    },
    "table_none": {"en": "a tallied table", "sv": "en färdigräknad tabell"},
    "rule_mode": {
        "en": "the most frequent category",
        "sv": "den vanligaste kategorin",
    },
    "rule_moai": {
        "en": "the most frequent category, with M > O > A > I when the top categories are close "
        "(Matzler et al. 1996)",
        "sv": "den vanligaste kategorin, med M > O > A > I när de största ligger nära varandra "
        "(Matzler m.fl. 1996)",
    },
    "rule_oam": {
        "en": "the largest of O, A, M when O+A+M outnumbers I+R+Q, else the largest of I, R, Q",
        "sv": "den största av O, A, M när O+A+M är fler än I+R+Q, annars den största av I, R, Q",
    },
    "bullet": {"en": "{name}: {features}", "sv": "{name}: {features}"},
    "none": {"en": "none", "sv": "inga"},
    "depends": {
        "en": "Depends on {by}: {items}",
        "sv": "Beror på {by}: {items}",
    },
    "small_list": {
        "en": "Fewer than {small} respondents answered for {count} of these features "
        "(n = {ns}, shown on their lines): their Kano category can still change with more "
        "answers (Chapman 2022).",
        "sv": "Färre än {small} svarande besvarade {count} av de här egenskaperna "
        "(n = {ns}, står på raden): deras Kano-kategori kan ändras med fler svar (Chapman 2022).",
    },
    "small_n": {
        "en": "Fewer than {small} customers answered: Kano categories are not stable at this "
        "sample size (Chapman 2022); treat them as a first indication.",
        "sv": "Färre än {small} kunder svarade: Kano-kategorier är inte stabila vid så få svar "
        "(Chapman 2022); se dem som en första fingervisning.",
    },
    "priorities": {"en": "Priorities", "sv": "Prioriteringar"},
    "priorities_intro": {
        "en": "What to act on first: must-be features (fix what is missing), then performance "
        "features (improve), then attractive ones (delight); indifferent features last.",
        "sv": "Vad ni bör göra först: baskrav (åtgärda det som saknas), sedan prestanda "
        "(förbättra), sedan attraktiva egenskaper (glädja); likgiltiga egenskaper sist.",
    },
    "priorities_group": {"en": "{group}", "sv": "{group}"},
    "charts": {"en": "Kano plot and category shares", "sv": "Kano-diagram och kategoriandelar"},
    "plot_caption": {
        "en": "Better (share who are more satisfied when the feature is there) against |Worse| "
        "(share who are dissatisfied when it is missing); bubble size is the stated importance.",
        "sv": "Better (andel som blir mer nöjda när egenskapen finns) mot |Worse| (andel som blir "
        "missnöjda när den saknas); bubblans storlek är den angivna vikten.",
    },
    "bars_caption": {
        "en": "Share of answers in each Kano category per feature.",
        "sv": "Andel svar i varje Kano-kategori per egenskap.",
    },
    "table": {"en": "All figures", "sv": "Alla siffror"},
    "table_caption": {
        "en": "n: complete answer pairs; A, O, M, I, R, Q: answers per category; Better and Worse: "
        "Berger's coefficients (Worse is negative); category strength: lead of the top category "
        "over the second (Lee & Newcomb 1997); total strength: share of A + O + M; significant "
        "lead: whether the lead is significant (Fong 1996); importance: mean stated importance. "
        "See docs/kano.md.",
        "sv": "n: fullständiga svarspar; A, O, M, I, R, Q: svar per kategori; Better och Worse: "
        "Bergers koefficienter (Worse är negativ); kategoristyrka: den största kategorins "
        "försprång före den näst största (Lee & Newcomb 1997); total styrka: andelen A + O + M; "
        "signifikant försprång: om försprånget är signifikant (Fong 1996); vikt: genomsnittlig "
        "angiven vikt. Se docs/kano.md.",
    },
    "groups": {
        "en": "Does the category depend on {by}?",
        "sv": "Beror kategorin på {by}?",
    },
    "groups_intro": {
        "en": "For each feature, the distribution of answers over the categories was compared "
        "between the groups (chi-square test, or an exact/Monte Carlo version when groups are "
        "small; significance level {alpha}).",
        "sv": "För varje egenskap jämfördes svarens fördelning över kategorierna mellan grupperna "
        "(chi-två-test, eller en exakt/Monte Carlo-variant när grupperna är små; "
        "signifikansnivå {alpha}).",
    },
    "changed": {
        "en": "'{label}' changes category with {by} ({p}): {categories}.",
        "sv": "'{label}' byter kategori beroende på {by} ({p}): {categories}.",
    },
    "differs_ns": {
        "en": "'{label}' gets different categories in different groups ({categories}), but the "
        "difference is not significant ({p}).",
        "sv": "'{label}' får olika kategorier i olika grupper ({categories}), men skillnaden är "
        "inte signifikant ({p}).",
    },
    "no_change": {
        "en": "No feature changes category significantly with {by}.",
        "sv": "Ingen egenskap byter kategori signifikant beroende på {by}.",
    },
    "notes": {"en": "Data quality", "sv": "Datakvalitet"},
    "all_read": {
        "en": "Every answer could be read; empty answers count as missing.",
        "sv": "Alla svar gick att läsa; tomma svar räknas som saknade.",
    },
    "invalid": {
        "en": "{total} answers could not be read and were treated as missing:",
        "sv": "{total} svar gick inte att läsa och räknades som saknade:",
    },
    "invalid_one": {
        "en": "1 answer could not be read and was treated as missing:",
        "sv": "1 svar gick inte att läsa och räknades som saknat:",
    },
    "invalid_item": {
        "en": "column {column}: {count} (for example {examples})",
        "sv": "kolumnen {column}: {count} (till exempel {examples})",
    },
    "removed": {
        "en": "{n} respondents were left out because more than half of their answers were "
        "{category}:",
        "sv": "{n} svarande togs bort eftersom mer än hälften av deras svar var {category}:",
    },
    "none_removed": {
        "en": "No respondents were left out.",
        "sv": "Inga svarande togs bort.",
    },
    "limits": {
        "en": "Keep in mind: categories depend on the question wording and order; a category "
        "strength threshold is not a significance test.",
        "sv": "Tänk på: kategorierna beror på frågornas formulering och ordning; en tröskel för "
        "kategoristyrka är inget signifikanstest.",
    },
}

#: Texts of the plain-text report (:func:`kano_text`, :func:`text_notes`).
_PLAIN: dict[str, dict[str, str]] = {
    "features": {"en": "Kano categories per feature", "sv": "Kano-kategorier per egenskap"},
    "groups": {
        "en": "Does the category differ between groups?",
        "sv": "Skiljer sig kategorin mellan grupperna?",
    },
    "changed": {
        "en": "Category changes between groups (significant at {alpha}): {names}",
        "sv": "Kategorin skiljer sig mellan grupperna (signifikant på nivån {alpha}): {names}",
    },
    "unchanged": {
        "en": "No feature changes category significantly between groups.",
        "sv": "Ingen egenskap byter kategori signifikant mellan grupperna.",
    },
    "invalid": {
        "en": "Unreadable answers treated as missing: {count} in column {column!r} (e.g. {examples})",
        "sv": "Oläsbara svar räknade som saknade: {count} i kolumnen {column!r} (t.ex. {examples})",
    },
    "removed": {
        "en": "Removed {n} respondents with mostly {cat} answers: {ids}",
        "sv": "Tog bort {n} svarande med mest {cat}-svar: {ids}",
    },
    "rule": {
        "en": "Evaluation table: {table}; rule: {rule}. A label like 'Performance/Must-be' means "
        "the top two "
        "categories are not significantly different (Fong's test).",
        "sv": "Utvärderingstabell: {table}; regel: {rule}. En etikett som 'Prestanda/Baskrav' "
        "betyder att de två största kategorierna inte skiljer sig signifikant (Fongs test).",
    },
}

#: Readable column headers of the report tables.
_HEADERS: dict[str, dict[str, str]] = {
    "feature": {"en": "feature", "sv": "egenskap"},
    "label": {"en": "label", "sv": "benämning"},
    "category": {"en": "category", "sv": "kategori"},
    "better": {"en": "Better", "sv": "Better"},
    "worse": {"en": "Worse", "sv": "Worse"},
    "category_strength": {"en": "category strength", "sv": "kategoristyrka"},
    "total_strength": {"en": "total strength", "sv": "total styrka"},
    "fong_significant": {"en": "significant lead", "sv": "signifikant försprång"},
    "importance": {"en": "importance", "sv": "vikt"},
    "categories": {"en": "category per group", "sv": "kategori per grupp"},
    "test": {"en": "test", "sv": "test"},
    "statistic": {"en": "chi-square", "sv": "chi-två"},
    "dof": {"en": "df", "sv": "fg"},
    "p_value": {"en": "p", "sv": "p"},
    "changed": {"en": "changes", "sv": "byter"},
    "respondent": {"en": "respondent", "sv": "svarande"},
    "answered": {"en": "features answered", "sv": "besvarade egenskaper"},
    "flagged": {"en": "in the category", "sv": "i kategorin"},
    "share": {"en": "share", "sv": "andel"},
}
_TESTS: dict[str, dict[str, str]] = {
    "chi-square": {"en": "chi-square", "sv": "chi-två"},
    "monte-carlo chi-square": {"en": "chi-square (Monte Carlo)", "sv": "chi-två (Monte Carlo)"},
    "fisher": {"en": "Fisher's exact test", "sv": "Fishers exakta test"},
    "none": {"en": "none (too few groups)", "sv": "inget (för få grupper)"},
}
_YES_NO = {True: {"en": "yes", "sv": "ja"}, False: {"en": "no", "sv": "nej"}}


def _yes_no(value: Any, lang: str) -> str:
    if _is_missing(value):
        return "–"
    return tr(_YES_NO[bool(value)], lang)


def _display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Booleans as yes/no and readable headers in ``lang`` (other columns keep their names)."""
    out = frame.reset_index(drop=True).copy()
    for col in ("fong_significant", "changed"):
        if col in out.columns:
            out[col] = [_yes_no(v, lang) for v in out[col]]
    for col in out.columns:  # missing values print as "–" (not "<NA>" or "None")
        if out[col].isna().any():
            if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
                out[col] = out[col].astype("float64")  # NaN, which the report shows as "–"
            else:
                out[col] = ["–" if _is_missing(v) else v for v in out[col]]
    if "test" in out.columns:
        out["test"] = [tr(_TESTS[t], lang) if t in _TESTS else t for t in out["test"]]
    return out.rename(columns={c: tr(_HEADERS[c], lang) for c in out.columns if c in _HEADERS})


#: The per-feature columns people read, in order (after the group columns).
TABLE_COLUMNS: tuple[str, ...] = (
    "feature",
    "label",
    "n",
    *CATEGORY_ORDER,
    "category",
    "better",
    "worse",
    "category_strength",
    "total_strength",
    "fong_significant",
    "importance",
)


def table_columns(result: KanoResult, *, drop_plain_labels: bool = False) -> list[str]:
    """The columns of ``result.features`` to show: the group columns and :data:`TABLE_COLUMNS`,
    without ``importance`` when nobody rated it.

    With ``drop_plain_labels`` the ``label`` column is left out too when every label just repeats
    the feature id.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.kano import analyze_counts
    >>> tally = pd.DataFrame({"feature": ["app"], "M": [5], "O": [3], "A": [1], "I": [1],
    ...                       "R": [0], "Q": [0]})
    >>> table_columns(analyze_counts(tally), drop_plain_labels=True)[:3]
    ['feature', 'n', 'A']
    """
    frame = result.features
    cols = [*result.by, *(c for c in TABLE_COLUMNS if c in frame.columns)]
    if drop_plain_labels and "label" in cols and (frame["label"] == frame["feature"]).all():
        cols.remove("label")
    if "importance" in cols and frame["importance"].isna().all():
        cols.remove("importance")
    return cols


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _label_of(row: Any) -> str:
    label = row.get("label")
    return str(row["feature"]) if _is_missing(label) or str(label) == "" else str(label)


def _main(category: Any) -> str | None:
    if _is_missing(category):
        return None
    return str(category).split("/")[0]


def format_p(value: Any, lang: str = "en") -> str:
    """A p-value for readers: ``p = 0.012`` or ``p < 0.001`` (decimal comma in Swedish; ``–``
    when missing).

    Examples
    --------
    >>> format_p(0.01234), format_p(0.00001, "sv")
    ('p = 0.012', 'p < 0,001')
    """
    if _is_missing(value):
        return "–"
    v = float(value)
    text = "p < 0.001" if v < 0.001 else f"p = {v:.3f}"
    return text.replace(".", ",") if lang == "sv" else text


def _respondents(frame: pd.DataFrame, by: tuple[str, ...]) -> tuple[int, int]:
    """(most, fewest) complete answer pairs per feature, summed over groups."""
    if frame.empty:
        return 0, 0
    per_feature = frame.groupby("feature", sort=False)["n"].sum() if by else frame["n"]
    return int(per_feature.max()), int(per_feature.min())


def _summary(result: KanoResult, lang: str) -> Section:
    frame = result.features
    by = tuple(result.by)
    n_max, n_min = _respondents(frame, by)
    k = int(frame["feature"].nunique())
    paragraphs = [
        tr(_TEXT["answered_same"], lang, n=n_max, k=k)
        if n_max == n_min
        else tr(_TEXT["answered"], lang, n=n_max, k=k, min_n=n_min)
    ]
    table_key = f"table_{result.table}" if result.table in ("standard", "pouliot") else "table_none"
    rule_key = f"rule_{result.rule}" if f"rule_{result.rule}" in _TEXT else "rule_mode"
    paragraphs.append(
        tr(_TEXT["method"], lang, table=tr(_TEXT[table_key], lang), rule=tr(_TEXT[rule_key], lang))
    )
    # Which features are in which category; with groups, features whose category differs
    # between groups are listed separately.
    per_category: dict[str, list[str]] = {c: [] for c in CATEGORY_ORDER}
    depends: list[str] = []
    for _feature, rows in frame.groupby("feature", sort=False):
        label = _label_of(rows.iloc[0])
        mains = [_main(c) for c in rows["category"]]
        known = [m for m in mains if m is not None]
        if not known:
            continue
        if len(set(known)) == 1:
            per_category[known[0]].append(label)
        else:
            parts = [
                f"{' / '.join(str(r[b]) for b in by)}: {category_name(r['category'], lang).lower()}"
                for _, r in rows.iterrows()
                if not _is_missing(r["category"])
            ]
            depends.append(f"{label} ({'; '.join(parts)})")
    bullets = []
    for c in ("M", "O", "A", "I"):
        names = per_category[c]
        bullets.append(
            tr(
                _TEXT["bullet"],
                lang,
                name=category_name(c, lang),
                features=", ".join(names) if names else tr(_TEXT["none"], lang),
            )
        )
    for c in ("R", "Q"):
        if per_category[c]:
            bullets.append(
                tr(
                    _TEXT["bullet"],
                    lang,
                    name=category_name(c, lang),
                    features=", ".join(per_category[c]),
                )
            )
    if depends:
        bullets.append(tr(_TEXT["depends"], lang, by=", ".join(by), items="; ".join(depends)))
    if 0 < n_max < SMALL_N:
        paragraphs.append(tr(_TEXT["small_n"], lang, small=SMALL_N))
    return Section(tr(_TEXT["summary"], lang), paragraphs=paragraphs, bullets=bullets)


def _ranked_lines(rows: pd.DataFrame, lang: str) -> tuple[list[str], str | None]:
    """The ranked sentences of one priority list, and one small-sample note for the whole list
    (instead of the same warning at the end of every line; a small line shows its n)."""
    lines, small = [], []
    for r in rows.to_dict("records"):
        n = None if _is_missing(r["n"]) else int(r["n"])
        if n is not None and 0 < n < SMALL_N:
            small.append(n)
            text = f"{sentence({**r, 'n': SMALL_N}, lang)} (n = {n})"
        else:
            text = r["sentence"]
        lines.append(f"{r['rank']}. {text}")
    if not small:
        return lines, None
    ns = str(min(small)) if min(small) == max(small) else f"{min(small)}–{max(small)}"
    note = tr(_TEXT["small_list"], lang, small=SMALL_N, count=len(small), ns=ns)
    return lines, note


def _priorities(result: KanoResult, lang: str) -> Section:
    pri = result.priorities(lang)
    by = list(result.by)
    section = Section(
        tr(_TEXT["priorities"], lang), paragraphs=[tr(_TEXT["priorities_intro"], lang)]
    )
    # when the summary already warns that the whole analysis rests on few answers, the lists
    # only show each line's n
    n_max, _ = _respondents(result.features, tuple(by))
    said = 0 < n_max < SMALL_N
    if not by:
        section.bullets, note = _ranked_lines(pri, lang)
        section.ranked = True
        if note and not said:
            section.paragraphs.append(note)
        return section
    for key, rows in pri.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        name = " / ".join(str(v) for v in key)
        lines, note = _ranked_lines(rows, lang)
        section.subsections.append(
            Section(
                f"{', '.join(by)}: {name}",
                paragraphs=[note] if note and not said else [],
                bullets=lines,
                ranked=True,
            )
        )
    return section


def _charts(result: KanoResult, lang: str) -> Section:
    frame = result.features
    return Section(
        tr(_TEXT["charts"], lang),
        charts=[
            Chart(kano_plot(frame, lang=lang), caption=tr(_TEXT["plot_caption"], lang)),
            Chart(category_bars(frame, lang=lang), caption=tr(_TEXT["bars_caption"], lang)),
        ],
    )


def _full_table(result: KanoResult, lang: str) -> Section:
    frame = result.features
    cols = table_columns(result)
    return Section(
        tr(_TEXT["table"], lang),
        tables=[Table(_display(frame[cols], lang), caption=tr(_TEXT["table_caption"], lang))],
    )


def group_categories(result: KanoResult, feature: str, lang: str = "en") -> str:
    """The category of ``feature`` in each group of a result analysed with ``by``, in words.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.kano import analyze_counts
    >>> tally = pd.DataFrame({"situation": ["lost card", "moving"], "feature": ["weekend"] * 2,
    ...                       "M": [50, 5], "O": [10, 5], "A": [5, 10], "I": [10, 60],
    ...                       "R": [0, 0], "Q": [0, 0]})
    >>> group_categories(analyze_counts(tally, by="situation"), "weekend", "sv")
    'lost card: baskrav; moving: likgiltig'
    """
    lang = check_lang(lang)
    frame = result.features
    rows = frame[frame["feature"].astype(str) == str(feature)]
    parts = []
    for r in rows.to_dict("records"):
        if _is_missing(r["category"]):
            continue
        group = " / ".join(str(r[b]) for b in result.by)
        parts.append(f"{group}: {category_name(r['category'], lang).lower()}")
    return "; ".join(parts)


def _groups(result: KanoResult, lang: str, *, with_plot: bool = False) -> Section | None:
    gt = result.group_tests
    if gt is None or not result.by:
        return None
    by = ", ".join(result.by)
    alpha = float(gt["alpha"].iloc[0]) if len(gt) else 0.05
    bullets = []
    for r in gt.to_dict("records"):
        label = _label_of(r)
        if r["changed"]:
            bullets.append(
                tr(
                    _TEXT["changed"],
                    lang,
                    label=label,
                    by=by,
                    p=format_p(r["p_value"], lang),
                    categories=group_categories(result, r["feature"], lang),
                )
            )
        elif r["category_differs"]:
            bullets.append(
                tr(
                    _TEXT["differs_ns"],
                    lang,
                    label=label,
                    p=format_p(r["p_value"], lang),
                    categories=group_categories(result, r["feature"], lang),
                )
            )
    if not any(bool(v) for v in gt["changed"]):
        bullets.insert(0, tr(_TEXT["no_change"], lang, by=by))
    cols = [
        c
        for c in (
            "feature",
            "label",
            "categories",
            "test",
            "statistic",
            "dof",
            "p_value",
            "changed",
        )
        if c in gt.columns
    ]
    charts = []
    if with_plot:
        charts.append(
            Chart(kano_plot(result.features, lang=lang), caption=tr(_TEXT["plot_caption"], lang))
        )
    return Section(
        tr(_TEXT["groups"], lang, by=by),
        paragraphs=[
            tr(
                _TEXT["groups_intro"],
                lang,
                alpha=str(alpha).replace(".", ",") if lang == "sv" else alpha,
            )
        ],
        bullets=bullets,
        charts=charts,
        tables=[Table(_display(gt[cols], lang))],
    )


def _notes(result: KanoResult, lang: str) -> Section:
    section = Section(tr(_TEXT["notes"], lang))
    invalid = result.invalid
    if invalid is None or invalid.empty:
        section.paragraphs.append(tr(_TEXT["all_read"], lang))
    else:
        total = int(invalid["count"].sum())
        section.paragraphs.append(
            tr(_TEXT["invalid_one"], lang)
            if total == 1
            else tr(_TEXT["invalid"], lang, total=total)
        )
        for r in invalid.to_dict("records"):
            examples = r["examples"]
            if isinstance(examples, (list, tuple)):
                examples = ", ".join(repr(str(e)) for e in examples)
            section.bullets.append(
                tr(
                    _TEXT["invalid_item"],
                    lang,
                    column=r["column"],
                    count=r["count"],
                    examples=examples,
                )
            )
    removed = result.removed
    if removed is not None and not removed.empty:
        section.paragraphs.append(
            tr(
                _TEXT["removed"],
                lang,
                n=len(removed),
                category=category_name(result.exclude or "Q", lang).lower(),
            )
        )
        section.tables.append(Table(_display(removed, lang)))
    elif result.exclude is not None:
        section.paragraphs.append(tr(_TEXT["none_removed"], lang))
    section.paragraphs.append(tr(_TEXT["limits"], lang))
    return section


def kano_sections(
    result: KanoResult, lang: str = "en", *, groups: KanoResult | None = None
) -> list[Section]:
    """Report sections for a Kano analysis, in Swedish or English.

    Parameters
    ----------
    result:
        What :func:`kundfokus.kano.analyze` (or ``analyze_counts``) returned, with or without
        ``by``.
    lang:
        ``"en"`` or ``"sv"``.
    groups:
        Optionally the same answers analysed with ``by=``: its group comparison (with a Kano plot
        per group) is added after the overall results. When ``result`` itself used ``by``, its own
        group comparison is shown and ``groups`` is not needed.

    Returns
    -------
    list of Section
        Summary, priorities, charts, full table, group comparison (only when the analysis used
        ``by``) and data-quality notes, in that order.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.kano import analyze_counts
    >>> tally = pd.DataFrame({"feature": ["app", "hotline"], "M": [95, 15], "O": [123, 24],
    ...                       "A": [45, 121], "I": [33, 124], "R": [0, 6], "Q": [0, 6]})
    >>> sections = kano_sections(analyze_counts(tally), lang="sv")
    >>> [s.title for s in sections]
    ['Sammanfattning', 'Prioriteringar', 'Kano-diagram och kategoriandelar', 'Alla siffror', 'Datakvalitet']
    >>> sections[0].bullets[:2]
    ['Baskrav: inga', 'Prestanda (endimensionell): app']
    """
    lang = check_lang(lang)
    sections = [
        _summary(result, lang),
        _priorities(result, lang),
        _charts(result, lang),
        _full_table(result, lang),
    ]
    if result.by:
        comparison = _groups(result, lang)
    elif groups is not None:
        comparison = _groups(groups, lang, with_plot=True)
    else:
        comparison = None
    if comparison is not None:
        sections.append(comparison)
    sections.append(_notes(result, lang))
    return sections


def _table_text(frame: pd.DataFrame) -> str:
    """A readable table: three decimals, empty values as '-'."""
    shown = frame.copy()
    for col in shown.columns:
        if str(shown[col].dtype) in ("Float64", "float64"):
            shown[col] = [None if pd.isna(v) else f"{float(v):.3f}" for v in shown[col]]
        elif str(shown[col].dtype) in ("Int64", "boolean"):
            shown[col] = shown[col].astype(object)
    shown = shown.astype(object).where(shown.notna(), "-")
    return shown.to_string(index=False)


def _category_word(code: str, lang: str) -> str:
    """A category code as a short word for a table: ``"O"`` → ``"Prestanda"``/``"Performance"``."""
    from kundfokus.kano.vocabulary import CATEGORY_NAMES, category_label

    if code not in CATEGORY_NAMES:
        return code
    return category_label(code, lang).split(" (")[0]


def _categories_text(value: Any, lang: str) -> Any:
    """``"O/M"`` → ``"Prestanda/Baskrav"``; a missing value stays missing."""
    if _is_missing(value):
        return value
    return "/".join(_category_word(c, lang) for c in str(value).split("/"))


def _group_categories_text(value: Any, lang: str) -> Any:
    """``"a: M; b: O/A"`` → ``"a: Baskrav; b: Prestanda/Attraktiv"``."""
    if _is_missing(value):
        return value
    parts = []
    for part in str(value).split("; "):
        name, sep, cats = part.rpartition(": ")
        parts.append(f"{name}{sep}{_categories_text(cats, lang)}" if sep else part)
    return "; ".join(parts)


def _plain_table(frame: pd.DataFrame, lang: str) -> str:
    """The table of the text report for people: headers in ``lang``, category names instead of
    letters, yes/no, decimal commas in Swedish and ``–`` for a missing value."""
    from kundfokus.reports.numbers import MISSING

    shown = frame.reset_index(drop=True).copy()
    for col in ("category", "categories"):
        if col in shown.columns:
            if col == "categories":  # "a: M; b: O" per group
                shown[col] = [_group_categories_text(v, lang) for v in shown[col]]
            else:
                shown[col] = [_categories_text(v, lang) for v in shown[col]]
    for col in ("fong_significant", "changed"):
        if col in shown.columns:
            shown[col] = [_yes_no(v, lang) for v in shown[col]]
    if "test" in shown.columns:
        shown["test"] = [tr(_TESTS[t], lang) if t in _TESTS else t for t in shown["test"]]
    for col in shown.columns:
        if str(shown[col].dtype) in ("Float64", "float64", "float32"):
            shown[col] = [fmt_number(v, 3, lang) for v in shown[col]]
        else:
            shown[col] = shown[col].astype(object)
    shown = shown.astype(object).where(shown.notna(), MISSING)
    names = {c: tr(_HEADERS[c], lang) for c in shown.columns if c in _HEADERS}
    names.update({c: _category_word(c, lang) for c in CATEGORY_ORDER if c in shown.columns})
    return shown.rename(columns=names).to_string(index=False)


def text_notes(result: KanoResult, lang: str = "en") -> list[str]:
    """One line per column with unreadable answers and one on the respondents left out (the
    command line prints them on stderr when the output itself is a file format)."""
    notes = []
    for rec in result.invalid.to_dict(orient="records"):
        notes.append(
            tr(
                _PLAIN["invalid"],
                lang,
                count=rec["count"],
                column=rec["column"],
                examples=", ".join(repr(e) for e in rec["examples"]),
            )
        )
    if len(result.removed):
        ids = ", ".join(str(v) for v in result.removed["respondent"].head(20))
        if len(result.removed) > 20:
            ids += ", ..."
        notes.append(
            tr(_PLAIN["removed"], lang, n=len(result.removed), cat=result.exclude, ids=ids)
        )
    return notes


def kano_text(result: KanoResult, lang: str = "en") -> str:
    """The Kano analysis as plain text for a terminal: the table, the method, the priorities, the
    group comparison (with ``by``) and the notes.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.kano import analyze_counts
    >>> tally = pd.DataFrame({"feature": ["app"], "M": [95], "O": [123], "A": [45], "I": [33],
    ...                       "R": [0], "Q": [0]})
    >>> print(kano_text(analyze_counts(tally), "sv").splitlines()[0])
    Kano-kategorier per egenskap
    """
    lang = check_lang(lang)
    out: list[str] = []
    frame = result.features
    out.append(tr(_PLAIN["features"], lang))
    out.append(_plain_table(frame[table_columns(result, drop_plain_labels=True)], lang))
    out.append(tr(_PLAIN["rule"], lang, table=result.table or "-", rule=result.rule))
    out.append("")
    out.append(tr(_TEXT["priorities"], lang))
    pri = priorities(frame, lang=lang, by=list(result.by))
    for rec in pri.to_dict(orient="records"):
        group = " / ".join(str(rec[b]) for b in result.by)
        prefix = f"[{group}] " if group else ""
        out.append(f"{prefix}{rec['rank']}. {rec['sentence']}")
    if result.group_tests is not None:
        out.append("")
        out.append(tr(_PLAIN["groups"], lang))
        gt = result.group_tests
        labels = {str(r["feature"]): _label_of(r) for r in frame.to_dict(orient="records")}
        cols = ["feature", "categories", "test", "statistic", "dof", "p_value", "changed"]
        shown = gt[cols].copy()
        if any(k != v for k, v in labels.items()):  # a label where one exists, not the id
            shown["feature"] = [labels.get(str(f), str(f)) for f in shown["feature"]]
        out.append(_plain_table(shown, lang))
        changed = [labels.get(str(f), str(f)) for f in result.changed_features]
        if changed:
            alpha = float(gt["alpha"].iloc[0])
            out.append(
                tr(
                    _PLAIN["changed"],
                    lang,
                    alpha=fmt_number(alpha, 2, lang),
                    names=", ".join(changed),
                )
            )
        else:
            out.append(tr(_PLAIN["unchanged"], lang))
    notes = text_notes(result, lang)
    if notes:
        out.append("")
        out.extend(notes)
    return "\n".join(out)


def write_kano_report(
    result: KanoResult,
    path: str | Path,
    lang: str = "en",
    title: str | None = None,
    *,
    groups: KanoResult | None = None,
) -> Path:
    """Write the Kano report as one self-contained HTML file (whole or not at all).

    Parameters
    ----------
    result:
        A :class:`~kundfokus.kano.analysis.KanoResult`.
    path:
        The HTML file to write; folders are created.
    lang:
        ``"en"`` or ``"sv"``.
    title:
        Page title; "Kano analysis" / "Kano-analys" by default.
    groups:
        As in :func:`kano_sections`.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    lang = check_lang(lang)
    return write_report(
        path,
        title if title is not None else tr(_TEXT["title"], lang),
        kano_sections(result, lang, groups=groups),
        lang=lang,
    )

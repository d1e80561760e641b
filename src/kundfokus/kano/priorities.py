"""Priorities: the Kano result as an ordered to-do list with one plain sentence per feature.

Order: must-be (M) first, then performance (O), then attractive (A), then indifferent (I), reverse
(R) and questionable (Q), and features without answers last. Within M and O the features that make
the most customers dissatisfied when missing (largest ``|worse|``) come first, within A the ones
that delight the most (largest ``better``), within I, R and Q by ``better``; remaining ties keep the
input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from kundfokus.i18n import check_lang, tr
from kundfokus.kano.vocabulary import CATEGORY_NAMES

__all__ = ["CATEGORY_NAMES", "SMALL_N", "priorities", "sentence"]

#: Below this many respondents a Kano category is not stable (Chapman 2022).
SMALL_N = 200

_CLASS_ORDER = {"M": 0, "O": 1, "A": 2, "I": 3, "R": 4, "Q": 5}

_TEXT: dict[str, dict[str, str]] = {
    "M": {
        "en": "Keep '{label}' working: customers take it for granted and {worse} of them will be "
        "dissatisfied without it.",
        "sv": "Se till att '{label}' fungerar: kunderna tar det för givet och {worse} av dem blir "
        "missnöjda utan det.",
    },
    "O": {
        "en": "Improve '{label}' where you can: satisfaction rises with how well it works "
        "({better} are more satisfied with it, {worse} dissatisfied without it).",
        "sv": "Förbättra '{label}' där ni kan: nöjdheten stiger med hur väl det fungerar "
        "({better} blir mer nöjda med det, {worse} missnöjda utan det).",
    },
    "A": {
        "en": "Use '{label}' to delight: {better} of customers will be more satisfied with it, "
        "and {worse} miss it when it is absent.",
        "sv": "Använd '{label}' för att glädja: {better} av kunderna blir mer nöjda med det, "
        "och {worse} saknar det när det inte finns.",
    },
    "I": {
        "en": "Give '{label}' low priority: most customers do not care whether it is there.",
        "sv": "Ge '{label}' låg prioritet: de flesta kunder bryr sig inte om det finns eller inte.",
    },
    "R": {
        "en": "Reconsider '{label}': many customers would rather not have it.",
        "sv": "Tänk om kring '{label}': många kunder vill hellre slippa det.",
    },
    "Q": {
        "en": "Check the question about '{label}': many answers contradict each other, so the "
        "result cannot be trusted.",
        "sv": "Se över frågan om '{label}': många svar motsäger varandra, så resultatet går "
        "inte att lita på.",
    },
    "none": {
        "en": "No complete answers for '{label}' yet.",
        "sv": "Inga fullständiga svar för '{label}' än.",
    },
}

_UNCERTAIN = {
    "en": " The category is uncertain: it is not clearly ahead of {runner} (Fong's test).",
    "sv": " Kategorin är osäker: den ligger inte klart före {runner} (Fongs test).",
}
_SMALL = {
    "en": " Based on only n = {n} respondents; below {small} a Kano category can still change "
    "with more answers (Chapman 2022).",
    "sv": " Bygger på bara n = {n} svarande; under {small} svar kan en Kano-kategori ändras med "
    "fler svar (Chapman 2022).",
}


def _percent(value: Any, lang: str) -> str:
    if value is None or value is pd.NA or pd.isna(value):
        return tr({"en": "an unknown share", "sv": "en okänd andel"}, lang)
    pct = round(abs(float(value)) * 100)
    return f"{pct}%" if lang == "en" else f"{pct} %"


def sentence(row: Any, lang: str = "en") -> str:
    """One plain-language sentence for one row of :attr:`KanoResult.features`.

    Examples
    --------
    >>> row = {"label": "Hotline", "category": "M", "better": 0.2, "worse": -0.54, "n": 296}
    >>> sentence(row)
    "Keep 'Hotline' working: customers take it for granted and 54% of them will be dissatisfied without it."
    >>> print(sentence({**row, "n": 40, "category": "M/O"}, "sv"))  # doctest: +NORMALIZE_WHITESPACE
    Se till att 'Hotline' fungerar: kunderna tar det för givet och 54 % av dem blir missnöjda
    utan det. Kategorin är osäker: den ligger inte klart före prestanda (endimensionell) (Fongs
    test). Bygger på bara n = 40 svarande; under 200 svar kan en Kano-kategori ändras med fler
    svar (Chapman 2022).
    """
    lang = check_lang(lang)
    category = row["category"]
    label = str(row["label"])
    if category is None or category is pd.NA or (isinstance(category, float) and pd.isna(category)):
        return tr(_TEXT["none"], lang, label=label)
    parts = str(category).split("/")
    main = parts[0]
    text = tr(
        _TEXT[main],
        lang,
        label=label,
        better=_percent(row["better"], lang),
        worse=_percent(row["worse"], lang),
    )
    if len(parts) > 1:
        text += tr(_UNCERTAIN, lang, runner=tr(CATEGORY_NAMES[parts[1]], lang))
    n = int(row["n"])
    if n < SMALL_N:
        text += tr(_SMALL, lang, n=n, small=SMALL_N)
    return text


def _sort_key(row: Any) -> tuple[int, float]:
    category = row["category"]
    if category is None or category is pd.NA or (isinstance(category, float) and pd.isna(category)):
        return (len(_CLASS_ORDER), 0.0)
    main = str(category).split("/")[0]
    better = row["better"]
    worse = row["worse"]
    b = 0.0 if better is None or better is pd.NA or pd.isna(better) else float(better)
    w = 0.0 if worse is None or worse is pd.NA or pd.isna(worse) else abs(float(worse))
    within = -w if main in ("M", "O") else -b
    return (_CLASS_ORDER[main], within)


def priorities(
    result_frame: pd.DataFrame, lang: str = "en", by: Sequence[str] | None = None
) -> pd.DataFrame:
    """Order the features to act on, with a sentence per feature in English and Swedish.

    Parameters
    ----------
    result_frame:
        :attr:`KanoResult.features`.
    lang:
        Language of the ``sentence`` column (``sentence_en`` and ``sentence_sv`` are always there).
    by:
        Group columns of ``result_frame``: ranks start at 1 in each group. Default: the columns
        before ``feature``.

    Returns
    -------
    pandas.DataFrame
        Columns: group columns, ``rank, feature, label, category, better, worse, n,
        sentence_en, sentence_sv, sentence``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kundfokus.kano import analyze_counts
    >>> tally = pd.DataFrame({"feature": ["F1", "F2"], "M": [9, 9], "O": [10, 5],
    ...                       "A": [1, 4], "I": [2, 2], "R": [3, 4], "Q": [0, 1]})
    >>> p = priorities(analyze_counts(tally).features)
    >>> p[["rank", "feature", "category"]]
       rank feature category
    0     1      F2      M/O
    1     2      F1      O/M
    """
    lang = check_lang(lang)
    if by is None:
        cols = list(result_frame.columns)
        by = cols[: cols.index("feature")] if "feature" in cols else []
    by = list(by)
    rows = []
    records = result_frame.to_dict(orient="records")
    for pos, row in enumerate(records):
        rows.append((tuple(str(row[b]) for b in by), _sort_key(row), pos, row))
    groups: dict[tuple[str, ...], list[tuple[tuple[int, float], int, dict[str, Any]]]] = {}
    for gkey, skey, pos, row in rows:
        groups.setdefault(gkey, []).append((skey, pos, row))
    out = []
    for items in groups.values():
        items.sort(key=lambda it: (it[0], it[1]))
        for rank, (_, _, row) in enumerate(items, start=1):
            rec = {b: row[b] for b in by}
            rec.update(
                rank=rank,
                feature=row["feature"],
                label=row["label"],
                category=row["category"],
                better=row["better"],
                worse=row["worse"],
                n=row["n"],
                sentence_en=sentence(row, "en"),
                sentence_sv=sentence(row, "sv"),
            )
            rec["sentence"] = rec[f"sentence_{lang}"]
            out.append(rec)
    columns = [*by, "rank", "feature", "label", "category", "better", "worse", "n"]
    columns += ["sentence_en", "sentence_sv", "sentence"]
    frame = pd.DataFrame(out, columns=columns)
    if len(frame):
        frame["rank"] = frame["rank"].astype("int64")
        frame["better"] = pd.array(list(frame["better"]), dtype="Float64")
        frame["worse"] = pd.array(list(frame["worse"]), dtype="Float64")
    return frame

"""Plain-text rendering shared by every method: a frame as an aligned table for a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


#: Swedish column headers of the text tables, for the columns several methods share. A column
#: that is not here keeps its name.
SV_HEADERS: dict[str, str] = {
    "group": "grupp",
    "period": "period",
    "n": "n",
    "promoters": "promotorer",
    "passives": "passiva",
    "detractors": "kritiker",
    "nps": "NPS",
    "se": "medelfel",
    "ci_low": "intervall från",
    "ci_high": "intervall till",
    "small_sample": "litet urval",
    "n_missing": "saknade svar",
    "n_invalid": "ogiltiga svar",
    "satisfied": "nöjda",
    "csat": "CSAT",
    "ces": "CES",
    "mean_score": "medelvärde",
    "pct_agree": "andel instämmer",
    "agree_ci_low": "andel från",
    "agree_ci_high": "andel till",
    "share": "andel",
    "median": "median",
    "mean": "medel",
    "outcome": "utfall",
    "job": "jobb",
    "importance": "vikt",
    "satisfaction": "nöjdhet",
    "opportunity": "möjlighet",
    "opportunity_level": "möjlighetsnivå",
    "served": "tillgodosett",
    "label": "benämning",
    "feature": "egenskap",
    "channel": "kanal",
    "count": "antal",
}
#: Group values that mean "everyone", shown as a word of the language.
_ALL = {"all": {"en": "all", "sv": "alla"}}


def frame_text(
    df: pd.DataFrame, float_digits: int = 3, lang: str | None = None, *, headers: bool = True
) -> str:
    """``df`` as an aligned text table without the index, floats with ``float_digits`` decimals.

    Examples
    --------
    >>> import pandas as pd
    >>> print(frame_text(pd.DataFrame({"group": ["a", "b"], "nps": [12.345, -3.0]}), 1))
    group  nps
        a 12.3
        b -3.0
    """
    import pandas as pd

    if lang is not None:
        return _people_text(df, float_digits, lang, headers=headers)
    with pd.option_context(
        "display.max_rows", 500, "display.max_columns", 50, "display.width", 200
    ):
        return df.to_string(index=False, float_format=lambda v: f"{v:.{float_digits}f}")


def _people_text(df: pd.DataFrame, digits: int, lang: str, *, headers: bool) -> str:
    """``df`` for people in ``lang``: numbers by :mod:`kundfokus.reports.numbers` (decimal comma
    in Swedish, ``–`` when missing), yes/no for flags, "alla" for the all-group and, with
    ``headers``, Swedish column headers from :data:`SV_HEADERS`.

    >>> import pandas as pd
    >>> print(frame_text(pd.DataFrame({"group": ["all"], "nps": [12.345], "small_sample": [True]}),
    ...                  1, "sv"))
    grupp  NPS litet urval
     alla 12,3          ja
    """
    import pandas as pd

    from kundfokus.i18n import check_lang, tr
    from kundfokus.reports.numbers import MISSING, fmt_number

    lang = check_lang(lang)
    yes_no = {True: {"en": "yes", "sv": "ja"}, False: {"en": "no", "sv": "nej"}}
    out = df.reset_index(drop=True).copy()
    for col in out.columns:
        ser = out[col]
        if pd.api.types.is_bool_dtype(ser):
            out[col] = [MISSING if pd.isna(v) else tr(yes_no[bool(v)], lang) for v in ser]
        elif pd.api.types.is_float_dtype(ser):
            out[col] = [fmt_number(v, digits, lang) for v in ser]
        elif pd.api.types.is_integer_dtype(ser):
            out[col] = [MISSING if pd.isna(v) else str(int(v)) for v in ser]
        else:
            out[col] = [
                MISSING if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                else tr(_ALL[v], lang) if col in ("group", "segment") and v in _ALL
                else v
                for v in ser
            ]  # fmt: skip
    if headers and lang == "sv":
        out = out.rename(columns={c: SV_HEADERS[c] for c in out.columns if c in SV_HEADERS})
    with pd.option_context(
        "display.max_rows", 500, "display.max_columns", 50, "display.width", 200
    ):
        return out.to_string(index=False)

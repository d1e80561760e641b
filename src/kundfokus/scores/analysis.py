"""One call for the CLI, the web and reports: a score table and the comparison of its two rows."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kundfokus.base import Result
from kundfokus.errors import InputError
from kundfokus.scores.comparisons import compare_independent, compare_paired
from kundfokus.scores.counting import Kind, OnInvalid, Period, resolve_on_invalid
from kundfokus.scores.measures import ces, csat, nps, score_warnings

# --------------------------------------------------------------------------------------------------
# One call for the CLI and reports
# --------------------------------------------------------------------------------------------------


@dataclass
class ScoreReport(Result):
    """A score table, the comparison of its two rows (when it has exactly two) and its warnings.

    A :class:`kundfokus.base.Result`: the tables are ``table`` and (when there is one)
    ``comparison``, the metadata is ``kind``, and ``to_dict(lang)`` adds the warnings.

    Attributes
    ----------
    kind : str
        ``"nps"``, ``"csat"`` or ``"ces"``.
    table : pandas.DataFrame
        One row per group and/or period (see :func:`kundfokus.scores.nps`).
    comparison : pandas.DataFrame or None
        One row comparing the two rows of ``table``; ``None`` unless it has exactly two.

    Examples
    --------
    >>> df = pd.DataFrame({"s": [10, 9, 3, 8] * 10, "g": ["x", "y"] * 20})
    >>> d = analyze("nps", df, "s", by="g").to_dict(lang="sv")
    >>> d["kind"], len(d["table"]), len(d["comparison"])
    ('nps', 2, 1)
    >>> d["warnings"][0]
    'x: bara 20 svar (färre än 30); värdet är för osäkert för att läsas'
    """

    kind: str
    table: pd.DataFrame
    comparison: pd.DataFrame | None

    def warnings(self, lang: str = "en") -> list[str]:
        """Cells with too few answers or with invalid answers left out, in ``lang``."""
        return score_warnings(self.table, lang=lang)


def analyze(
    kind: Kind,
    frame: Any,
    score: str,
    *,
    by: str | None = None,
    period: Period | None = None,
    date: str | None = None,
    ci: str | None = None,
    level: float = 0.95,
    min_n: int = 30,
    on_invalid: OnInvalid = "raise",
    paired: bool = False,
    respondent: str | None = None,
    scale: tuple[int, int] | None = None,
    n_boot: int = 2000,
    seed: int | None = 0,
    invalid: OnInvalid | None = None,
) -> ScoreReport:
    """Compute a score table and, when it has exactly two rows, compare them.

    The comparison is independent (:func:`compare_independent`) unless ``paired`` is set, in which
    case ``respondent`` names the respondent column (:func:`compare_paired`). The other
    parameters are those of :func:`nps`, :func:`csat` and :func:`ces`; ``on_invalid`` is
    ``"raise"`` or ``"missing"`` (``invalid=`` is its deprecated spelling, removed after 0.2).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"s": [10, 9, 3, 8] * 10, "g": ["x", "y"] * 20})
    >>> rep = analyze("nps", df, "s", by="g")
    >>> list(rep.table["group"]), round(float(rep.comparison["z"].iloc[0]), 3)
    (['x', 'y'], -2.0)
    """
    on_invalid = resolve_on_invalid(on_invalid, invalid)
    if kind not in ("nps", "csat", "ces"):
        raise InputError(f"unknown score {kind!r}: use nps, csat or ces", value=kind)
    if paired and respondent is None:
        raise InputError("a paired comparison needs the respondent column (--respondent)")
    common: dict[str, Any] = dict(
        by=by, period=period, date=date, level=level, min_n=min_n, on_invalid=on_invalid
    )
    boot: dict[str, Any] = dict(n_boot=n_boot, seed=seed)
    if kind == "nps":
        table = nps(frame, score, ci=ci or "adjusted-wald", **common, **boot)
    elif kind == "csat":
        table = csat(frame, score, scale=scale or (1, 5), ci=ci or "wilson", **common, **boot)
    else:
        table = ces(frame, score, scale=scale or (1, 7), ci=ci or "t", **common, **boot)
    comparison = None
    if len(table) == 2 and (paired or bool((table["n"] >= 2).all())):
        if paired:
            comparison = compare_paired(
                frame,
                score,
                respondent=respondent or "",
                kind=kind,
                by=by,
                period=period,
                date=date,
                scale=scale,
                level=level,
                on_invalid=on_invalid,
            )
        else:
            comparison = compare_independent(table, level=level)
    elif paired:
        raise InputError(
            f"a paired comparison needs exactly two groups or periods, found {len(table)}"
        )
    return ScoreReport(kind=kind, table=table, comparison=comparison)


def analyse(*args: Any, **kwargs: Any) -> ScoreReport:
    """Deprecated spelling of :func:`analyze` (kept for one release; Kano and the CLI say analyze)."""
    warnings.warn(
        "kundfokus.scores.analyse is deprecated; use kundfokus.scores.analyze",
        DeprecationWarning,
        stacklevel=2,
    )
    return analyze(*args, **kwargs)

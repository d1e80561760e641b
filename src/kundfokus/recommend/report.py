"""Plain-words output of the recommender in English and Swedish, and the JSON contracts.

:func:`fit_dict` / :func:`fit_text`: what ``recommend fit`` learnt; :func:`evaluation_dict` /
:func:`evaluation_text`: the offline policy evaluation of ``recommend evaluate``
(see docs/recommend.md for the keys).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from kundfokus.i18n import tr
from kundfokus.reports import frame_text
from kundfokus.serialize import records

if TYPE_CHECKING:
    from kundfokus.recommend.model import Recommender
    from kundfokus.recommend.policy import Evaluation

__all__ = ["evaluation_dict", "evaluation_text", "fit_dict", "fit_text", "num"]

CONFOUNDED = {
    "en": "History is confounded: these are adjusted estimates, not experiments.",
    "sv": "Historiken är snedvriden (tjänsten valdes utifrån situationen): detta är justerade "
    "skattningar, inte experiment.",
}
ESTIMATED = {
    "en": "The logging propensities were estimated from the situation columns (no --propensity "
    "given).",
    "sv": "Sannolikheterna för de loggade valen skattades från situationskolumnerna (ingen "
    "--propensity angiven).",
}
MIXED = {
    "en": "Some logging propensities were missing and were estimated from the situation columns.",
    "sv": "Några sannolikheter för de loggade valen saknades och skattades från "
    "situationskolumnerna.",
}
LOGGED = {
    "en": "The logging propensities were taken from the data.",
    "sv": "Sannolikheterna för de loggade valen togs från data.",
}


def num(v: Any, lang: str, digits: int = 3) -> str:
    """A number for people: decimal comma in Swedish, ``-`` when missing.

    >>> num(0.1234, "sv"), num(float("nan"), "en")
    ('0,123', '-')
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    s = f"{float(v):.{digits}f}"
    return s.replace(".", ",") if lang == "sv" else s


def fit_dict(model: Recommender) -> dict[str, Any]:
    """JSON of ``recommend fit --format json``."""
    cells = model.cells
    best = model.policy(model.situation_table(cells[model.columns]))
    return {
        "outcome": model.outcome,
        "better": model.better,
        "actions": model.actions,
        "n": model.n_rows,
        "situation": model.situation,
        "features": model.features,
        "propensity_estimated": model.propensity_estimated,
        "confounded_note": CONFOUNDED["en"],
        "modes": [{"action": a, **v} for a, v in model.raw.items()],
        "policy": records(best),
        "cells": records(cells),
        "lacking_overlap": records(model.lacking_overlap()),
        "min_propensity": model.min_propensity,
        "min_cases": model.min_cases,
    }


def _lacking_lines(lacking: pd.DataFrame, cols: list[str], lang: str, limit: int = 20) -> list[str]:
    if lacking.empty:
        return [tr({"en": "Every situation has enough overlap for every mode.",
                    "sv": "Varje situation har tillräcklig överlappning för varje tjänst."}, lang)]  # fmt: skip
    lines = [tr({"en": "Too little overlap to judge (not enough evidence):",
                 "sv": "För lite överlappning för att bedöma (för lite underlag):"}, lang)]  # fmt: skip
    for r in lacking.head(limit).itertuples(index=False):
        d = r._asdict()
        where = (
            ", ".join(f"{c}={d[c]}" for c in cols) if all(c.isidentifier() for c in cols) else ""
        )
        if not where:
            where = ", ".join(str(v) for v in list(r)[: len(cols)])
        lines.append(
            "  "
            + tr(
                {"en": "{where}: {action} ({n} cases, propensity {p})",
                 "sv": "{where}: {action} ({n} fall, sannolikhet {p})"},
                lang,
                where=where,
                action=d["action"],
                n=int(d["evidence"]),
                p=num(d["propensity"], lang, 2),
            )
        )  # fmt: skip
    if len(lacking) > limit:
        lines.append("  " + tr({"en": "... and {k} more", "sv": "... och {k} till"}, lang,
                               k=len(lacking) - limit))  # fmt: skip
    return lines


def fit_text(model: Recommender, lang: str = "en") -> str:
    """What the fit learnt, in plain words."""
    cols = model.columns
    direction = tr({"en": "higher is better", "sv": "högre är bättre"}, lang)
    if model.better == "lower":
        direction = tr({"en": "lower is better", "sv": "lägre är bättre"}, lang)
    lines = [
        tr({"en": "Service recommendations for {o} ({d}), from {n} cases and {k} modes.",
            "sv": "Tjänsterekommendationer för {o} ({d}), från {n} fall och {k} tjänster."},
           lang, o=model.outcome, d=direction, n=model.n_rows, k=len(model.actions)),
        CONFOUNDED[lang],
        (ESTIMATED if model.propensity_column is None else
         (MIXED if model.propensity_estimated else LOGGED))[lang],
        "",
        tr({"en": "Per mode: raw average and adjusted average (over the situations where the mode "
                  "has enough evidence; coverage = their share of the cases).",
            "sv": "Per tjänst: rått medelvärde och justerat medelvärde (över de situationer där "
                  "tjänsten har tillräckligt underlag; täckning = deras andel av fallen)."}, lang),
    ]  # fmt: skip
    modes = pd.DataFrame(
        [
            {
                tr({"en": "mode", "sv": "tjänst"}, lang): a,
                "n": int(v["n"]),
                tr({"en": "raw", "sv": "rått"}, lang): num(v["raw_mean"], lang),
                tr({"en": "adjusted", "sv": "justerat"}, lang): num(v["adjusted_mean"], lang),
                tr({"en": "coverage", "sv": "täckning"}, lang): num(v["coverage"], lang, 2),
            }
            for a, v in model.raw.items()
        ]
    )
    lines += [frame_text(modes), ""]
    pol = model.policy(model.situation_table(model.cells[cols]))
    lines.append(tr({"en": "Best mode per situation:", "sv": "Bästa tjänst per situation:"}, lang))
    show = pol.assign(
        has_evidence=pol["has_evidence"].map(
            lambda v: tr({"en": "yes", "sv": "ja"} if v else {"en": "no", "sv": "nej"}, lang)
        )
    ).rename(
        columns={
            "best": tr({"en": "best", "sv": "bäst"}, lang),
            "usual": tr({"en": "usual practice", "sv": "vanligast hittills"}, lang),
            "has_evidence": tr({"en": "evidence", "sv": "underlag"}, lang),
        }
    )
    lines.append(frame_text(show.head(40)))
    if len(show) > 40:
        lines.append(tr({"en": "... and {k} more (all in --format json)",
                         "sv": "... och {k} till (alla i --format json)"}, lang, k=len(show) - 40))  # fmt: skip
    lines.append("")
    lines += _lacking_lines(model.lacking_overlap(), cols, lang)
    return "\n".join(lines)


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    """JSON of ``recommend evaluate --format json``."""
    d = dict(ev.values)
    d["confounded_note"] = CONFOUNDED["en"]
    d["propensity_note"] = {"estimated": ESTIMATED, "mixed": MIXED, "logged": LOGGED}[
        d["propensity_source"]
    ]["en"]
    d["per_situation"] = records(ev.per_situation)
    d["lacking_overlap"] = records(ev.lacking)
    return d


def evaluation_text(ev: Evaluation, cols: list[str], lang: str = "en") -> str:
    """The offline policy evaluation in plain words."""
    v = ev.values
    pct = round(v["level"] * 100)

    def ci(k: str) -> str:
        return f"[{num(v[f'{k}_ci_low'], lang)}, {num(v[f'{k}_ci_high'], lang)}]"

    src = {"estimated": ESTIMATED, "mixed": MIXED, "logged": LOGGED}[v["propensity_source"]]
    lines = [
        tr({"en": "Offline evaluation of the learned policy on {n} logged cases.",
            "sv": "Utvärdering i efterhand av den inlärda policyn på {n} loggade fall."},
           lang, n=int(v["n"])),
        CONFOUNDED[lang],
        src[lang],
        "",
        tr({"en": "Logged value (what was done): {x} {c}",
            "sv": "Loggat värde (det som gjordes): {x} {c}"},
           lang, x=num(v["logged_value"], lang), c=ci("logged_value")),
        tr({"en": "Learned policy, doubly robust (DR): {x} {c} ({p} % interval)",
            "sv": "Inlärd policy, dubbelt robust (DR): {x} {c} ({p} %-intervall)"},
           lang, x=num(v["dr"], lang), c=ci("dr"), p=pct),
        tr({"en": "  inverse propensity scoring (IPS): {x} {c}",
            "sv": "  inverst sannolikhetsviktad (IPS): {x} {c}"},
           lang, x=num(v["ips"], lang), c=ci("ips")),
        tr({"en": "  self-normalised IPS (SNIPS): {x} {c}",
            "sv": "  självnormerad IPS (SNIPS): {x} {c}"},
           lang, x=num(v["snips"], lang), c=ci("snips")),
        tr({"en": "  direct method (outcome model only): {x}",
            "sv": "  direkt metod (bara utfallsmodellen): {x}"}, lang, x=num(v["dm"], lang)),
        tr({"en": "Effective sample size: {e} of {n} cases (how much the logs can tell about "
                  "the new policy); the policy changes the mode in {s} % of the cases.",
            "sv": "Effektiv urvalsstorlek: {e} av {n} fall (hur mycket loggarna kan säga om den "
                  "nya policyn); policyn byter tjänst i {s} % av fallen."},
           lang, e=num(v["ess"], lang, 0), n=int(v["n"]),
           s=num(100 * v["share_changed"], lang, 0)),
        "",
    ]  # fmt: skip
    lines += _lacking_lines(ev.lacking, cols, lang)
    return "\n".join(lines)

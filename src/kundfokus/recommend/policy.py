"""Using a fitted recommender: ranked modes per case, an exploring policy, offline evaluation.

:func:`recommend_for` gives each case the ranked modes with their expected outcome, interval and
evidence, and draws the mode to offer from an epsilon-greedy policy: the best mode with probability
``1 - explore + explore / K``, every other mode with ``explore / K`` (``K`` modes). The probability
of the offered mode is the ``propensity`` to log with it, so that the next offline evaluation of
any policy from these logs is unbiased.

:func:`evaluate_policy` estimates the value of the learned policy from a history (IPS, SNIPS,
DM, DR, see :mod:`.evaluation`) and compares it with the logged value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.frames import as_frame, require_columns, to_pandas
from kundfokus.recommend.cells import (
    HISTORY_FEATURES,
    _numbers_from_text,
    cell_expressions,
    cell_table,
    check_history,
)
from kundfokus.recommend.cells import derive_history as _derive
from kundfokus.recommend.evaluation import estimate_value
from kundfokus.recommend.model import Recommender, logged_sums

__all__ = ["Evaluation", "Recommendations", "evaluate_policy", "prepare", "recommend_for"]


def prepare(model: Recommender, frame: Any) -> Any:
    """Derive the customer-history features the model was fitted with, when the frame lacks them."""
    d = model.derive
    if not d:
        return frame
    have = set(as_frame(frame).collect_schema().names())
    if all(c in have for c in model.features if c in HISTORY_FEATURES):
        return frame
    missing = [d[k] for k in ("customer", "time", "action") if d[k] not in have]
    if missing:
        raise InputError(
            "the model uses the customer's earlier behaviour, derived from earlier rows",
            column=missing[0],
            hint=f"give the columns {', '.join(HISTORY_FEATURES[:2])} or the customer's earlier "
            f"contacts with {d['customer']}, {d['time']} and {d['action']} (empty for new cases)",
        )
    return _derive(frame, **d)


def _policy_probs(model: Recommender, best: pd.Series, explore: float) -> np.ndarray:
    k = len(model.actions)
    probs = np.full((len(best), k), explore / k)
    idx = np.array([model.actions.index(b) for b in best], dtype=int)
    probs[np.arange(len(best)), idx] += 1.0 - explore
    return probs


@dataclass
class Recommendations:
    """What :func:`recommend_for` returns.

    ``table``: the input rows with ``recommended`` (the mode to offer), ``best`` (the mode with the
    best expected outcome), ``expected``, ``ci_low``, ``ci_high`` (for the recommended mode; empty
    without enough evidence), ``evidence`` (cases of this situation that got the recommended mode),
    ``evidence_note``, ``propensity`` (probability of the offered mode), ``explored`` and
    ``ranking`` (all modes, best first). ``probabilities``: per row the policy's probability of
    every mode (logged with the recommendation, to weigh overrides).
    """

    table: pd.DataFrame
    probabilities: list[dict[str, float]]
    explore: float
    lacking: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_without_evidence: int = 0


def _fmt(v: float) -> str:
    return f"{v:.3g}"


def _ranking_text(grp: pd.DataFrame, sign: float) -> str:
    g = grp.assign(_s=np.where(grp["enough"], sign * grp["expected"].fillna(0), -np.inf))
    g = g.sort_values(["_s", "action"], ascending=[False, True])
    parts = []
    for r in g.itertuples():
        if r.enough:
            parts.append(f"{r.action} {_fmt(r.expected)} [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]")
        else:
            parts.append(f"{r.action}: not enough evidence (n={int(r.evidence)})")
    return "; ".join(parts)


def recommend_for(
    model: Recommender,
    frame: Any,
    *,
    explore: float = 0.05,
    seed: int = 0,
) -> Recommendations:
    """Ranked modes and the mode to offer for every row of ``frame`` (any engine).

    The rows come back to Python (the output has one row per case); the situation levels are
    computed in the engine first.
    """
    if not 0 <= explore <= 1:
        raise InputError("--explore is a probability between 0 and 1", value=explore)
    frame = prepare(model, frame)
    f = as_frame(frame)
    cols = model.columns
    require_columns(f, cols)
    f = _numbers_from_text(f, list(model.bins), strict=True)
    names = list(f.collect_schema().names())
    levels = cell_expressions(cols, model.bins)
    rows = to_pandas(
        f.select(
            *[nw.col(c) for c in names],
            *[e.alias(f"_kf_{c}") for e, c in zip(levels, cols, strict=True)],
        )
    )
    x = rows[[f"_kf_{c}" for c in cols]].copy()
    x.columns = cols
    table = model.situation_table(x)
    pol = model.policy(table)
    keyed = x.merge(pol, on=cols, how="left")
    probs = _policy_probs(model, keyed["best"], explore)
    rng = np.random.default_rng(seed)
    u = rng.random(len(keyed))
    cum = probs.cumsum(axis=1)
    drawn = np.minimum((u[:, None] >= cum).sum(axis=1), len(model.actions) - 1)
    recommended = [model.actions[i] for i in drawn]
    t_idx = table.set_index([*cols, "action"])
    look = pd.MultiIndex.from_frame(x.assign(action=recommended)[[*cols, "action"]])
    chosen = t_idx.loc[look].reset_index(drop=True)
    rank_text = {
        key if isinstance(key, tuple) else (key,): _ranking_text(grp, model.sign)
        for key, grp in table.groupby(cols, sort=False)
    }
    out = rows[names].copy()
    # the file's own columns with the name of an output column (a history file's `propensity`)
    # are kept as `input_<name>`, never overwritten
    mine = ("recommended", "best", "expected", "ci_low", "ci_high", "evidence", "evidence_note",
            "propensity", "explored", "ranking")  # fmt: skip
    out = out.rename(columns={c: f"input_{c}" for c in mine if c in out.columns})
    out["recommended"] = recommended
    out["best"] = keyed["best"].to_numpy()
    out["expected"] = chosen["expected"].to_numpy()
    out["ci_low"] = chosen["ci_low"].to_numpy()
    out["ci_high"] = chosen["ci_high"].to_numpy()
    out["evidence"] = chosen["evidence"].to_numpy().astype(int)
    enough = chosen["enough"].to_numpy().astype(bool)
    has = keyed["has_evidence"].to_numpy().astype(bool)
    out["evidence_note"] = np.where(
        enough,
        "enough evidence",
        np.where(has, "not enough evidence (explored)", "not enough evidence (usual practice)"),
    )
    out["propensity"] = probs[np.arange(len(keyed)), drawn]
    out["explored"] = [r != b for r, b in zip(recommended, keyed["best"], strict=True)]
    out["ranking"] = [rank_text[tuple(r)] for r in x[cols].itertuples(index=False, name=None)]
    plist = [dict(zip(model.actions, map(float, p), strict=True)) for p in probs]
    lacking = table.loc[~table["enough"], [*cols, "action", "evidence", "propensity"]]
    return Recommendations(
        table=out.reset_index(drop=True),
        probabilities=plist,
        explore=explore,
        lacking=lacking.reset_index(drop=True),
        n_without_evidence=int((~has).sum()),
    )


@dataclass
class Evaluation:
    """What :func:`evaluate_policy` returns: the figures (``values``), where the policy differs
    from the logs, and the situations without overlap."""

    values: dict[str, Any]
    per_situation: pd.DataFrame
    lacking: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.values,
            "per_situation": self.per_situation,
            "lacking_overlap": self.lacking,
        }


def evaluate_policy(
    model: Recommender,
    frame: Any,
    *,
    propensity: str | None = None,
    explore: float = 0.0,
    level: float = 0.95,
) -> Evaluation:
    """Estimate the value of the learned policy from the history ``frame`` (any engine).

    The target policy is the learned one (greedy, or epsilon-greedy with ``explore``). The
    logging propensities come from ``propensity`` (by default the model's propensity column when
    the frame has it); missing ones, or all without the column, are estimated from the situation
    and feature columns of ``frame`` itself (its own logging practice). The outcome model of
    ``model`` gives DM and the DR correction.

    Returns
    -------
    Evaluation
        ``values``: ``logged_value, dm, ips, snips, dr`` with ``*_ci_low, *_ci_high``, ``ess``,
        ``n``, ``max_weight``, ``propensity_source`` (``logged``, ``estimated`` or ``mixed``),
        ``better``, ``improvement`` (``dr - logged_value``), ``share_changed`` (cases where the
        policy differs from the logged mode).
    """
    frame = prepare(model, frame)
    f = as_frame(frame)
    names = set(f.collect_schema().names())
    if propensity is None and model.propensity_column in names:
        propensity = model.propensity_column
    cols = model.columns
    f = check_history(
        f, cols, model.action, model.outcome, propensity, numeric_features=list(model.bins)
    )
    ct = cell_table(f, cols, model.action, model.outcome, model.bins, propensity=propensity)
    unknown = sorted(set(ct["action"]) - set(model.actions))
    if unknown:
        raise InputError(
            "the history holds a service mode the model does not know",
            column=model.action,
            value=unknown[0],
            hint=f"the model knows: {', '.join(model.actions)}",
        )
    # propensities of this history's own practice, with the model's encoding
    local = _local_propensity_model(model, ct)
    ct, _ = logged_sums(local, ct)
    x = ct[cols]
    table = model.situation_table(x)
    pol = model.policy(table)
    keyed = x.merge(pol, on=cols, how="left")
    probs = _policy_probs(model, keyed["best"], explore)
    a_idx = np.array([model.actions.index(a) for a in ct["action"]])
    pi = probs[np.arange(len(ct)), a_idx]
    qmat = model.outcome_matrix(x)
    q = qmat[np.arange(len(ct)), a_idx]
    v = (probs * qmat).sum(axis=1)
    values = estimate_value(ct, pi, q, v, level=level)
    n_known = float(ct["n_known"].sum())
    source = "logged" if n_known == values["n"] else ("estimated" if n_known == 0 else "mixed")
    values["propensity_source"] = source
    values["better"] = model.better
    values["improvement"] = values["dr"] - values["logged_value"]
    changed = keyed["best"].to_numpy() != ct["action"].to_numpy()
    values["share_changed"] = float((ct["n"] * changed).sum() / values["n"])
    values["explore"] = explore
    values["level"] = level
    per = pol.merge(
        ct.groupby(cols, as_index=False)["n"].sum().rename(columns={"n": "cases"}), on=cols
    )
    lacking = table.loc[~table["enough"], [*cols, "action", "evidence", "propensity"]]
    return Evaluation(values=values, per_situation=per, lacking=lacking.reset_index(drop=True))


def _local_propensity_model(model: Recommender, ct: pd.DataFrame) -> Recommender:
    """A copy of ``model`` whose propensity regression is refitted on ``ct`` (the evaluated logs)."""
    from copy import copy

    from kundfokus.recommend.model import _fit_propensity

    local = copy(model)
    local.levels = {c: sorted(set(model.levels[c]) | set(ct[c])) for c in model.columns}
    _fit_propensity(local, ct)
    return local

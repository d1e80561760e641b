"""Learning which service mode works best for which situation, from confounded history.

:func:`fit_recommender` fits two models on the per-cell sums of the history (see
:mod:`kundfokus.recommend.cells`):

* a **propensity model**: how likely each mode was in each situation under the old practice, a
  multinomial logistic regression on the one-hot situation (and feature) columns, blended with the
  cell's own shares (``(n_xa + s * p_lr) / (n_x + s)``, ``s = 1``) so that a cell with many cases
  follows its own data and a rare or new cell follows the regression. Given propensities
  (``propensity=``, e.g. from the recommender's own log) are used as they are.
* an **outcome model**: ridge regression of the outcome on the one-hot columns, the modes and
  their interactions (fitted on the cell means weighted by the counts, which gives the same
  coefficients as fitting it on the rows).

For each situation cell and mode the expected outcome is the doubly robust estimate (outcome model
plus the inverse-propensity-weighted mean of its errors) with a normal interval from the
influence function. A mode has **enough evidence** in a cell when at least ``min_cases`` cases of
the cell got it and its propensity is at least ``min_propensity``; otherwise the cell lacks overlap
for that mode and its expected value is not shown. The policy is the mode with the best expected
outcome among those with enough evidence, else the usual practice (the most likely mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kundfokus.errors import InputError
from kundfokus.recommend.cells import cell_table, check_history, numeric_bins
from kundfokus.recommend.evaluation import cell_action_value

__all__ = ["Recommender", "fit_recommender", "propensity_table"]

SMOOTHING = 1.0


@dataclass
class Recommender:
    """A fitted recommender: plain data only (saved as JSON, see :mod:`.persistence`)."""

    situation: list[str]
    features: list[str]
    action: str
    outcome: str
    better: str
    actions: list[str]
    levels: dict[str, list[str]]
    bins: dict[str, list[float]]
    outcome_coef: list[float]
    outcome_intercept: float
    prop_coef: list[list[float]]
    prop_intercept: list[float]
    cells: pd.DataFrame
    propensity_column: str | None = None
    propensity_estimated: bool = True
    min_propensity: float = 0.05
    min_cases: int = 5
    level: float = 0.95
    alpha: float = 1.0
    n_rows: int = 0
    raw: dict[str, dict[str, float]] = field(default_factory=dict)
    derive: dict[str, Any] | None = None

    @property
    def columns(self) -> list[str]:
        return [*self.situation, *self.features]

    @property
    def sign(self) -> float:
        return 1.0 if self.better == "higher" else -1.0

    # ---- design matrices -------------------------------------------------------------------
    def main_effects(self, xdf: pd.DataFrame) -> np.ndarray:
        blocks = []
        for c in self.columns:
            lev = self.levels[c]
            vals = xdf[c].astype(str).to_numpy()
            blocks.append((vals[:, None] == np.asarray(lev, dtype=object)[None, :]).astype(float))
        return np.hstack(blocks) if blocks else np.zeros((len(xdf), 0))

    def outcome_design(self, xdf: pd.DataFrame, action: Sequence[str]) -> np.ndarray:
        m = self.main_effects(xdf)
        a = np.asarray(action, dtype=object)[:, None] == np.asarray(self.actions, dtype=object)
        a = a.astype(float)
        inter = (a[:, :, None] * m[:, None, :]).reshape(len(xdf), -1)
        return np.hstack([m, a, inter])

    def predict_outcome(self, xdf: pd.DataFrame, action: Sequence[str]) -> np.ndarray:
        X = self.outcome_design(xdf, action)
        return X @ np.asarray(self.outcome_coef) + self.outcome_intercept

    def outcome_matrix(self, xdf: pd.DataFrame) -> np.ndarray:
        """Predicted outcome for every row of ``xdf`` (cells) and every action: (rows, actions)."""
        return (
            np.column_stack([self.predict_outcome(xdf, [a] * len(xdf)) for a in self.actions])
            if len(xdf)
            else np.zeros((0, len(self.actions)))
        )

    def propensity_lr(self, xdf: pd.DataFrame) -> np.ndarray:
        """The logistic-regression propensities (rows, actions)."""
        m = self.main_effects(xdf)
        logits = m @ np.asarray(self.prop_coef).T + np.asarray(self.prop_intercept)
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    # ---- per-situation recommendations ----------------------------------------------------------
    def situation_table(self, xdf: pd.DataFrame) -> pd.DataFrame:
        """For each distinct situation row of ``xdf``: every mode with its expected outcome, interval,
        evidence and propensity, from the fitted cells (unseen situations: no evidence).

        Long format: the columns of the model, ``action``, ``expected``, ``ci_low``, ``ci_high``,
        ``evidence`` (cases of the situation that got the mode), ``propensity`` (how often the old
        practice chose it there), ``enough`` (bool), ``model_expected`` (outcome model only).
        """
        cols = self.columns
        x = xdf[cols].astype(str).drop_duplicates().reset_index(drop=True)
        grid = x.loc[x.index.repeat(len(self.actions))].reset_index(drop=True)
        grid["action"] = list(self.actions) * len(x)
        known = self.cells[[*cols, "action", "expected", "ci_low", "ci_high", "evidence",
                            "propensity", "enough", "n_situation"]]  # fmt: skip
        out = grid.merge(known, on=[*cols, "action"], how="left")
        new = out["propensity"].isna()
        if new.any():
            lr = self.propensity_lr(out.loc[new, cols])
            idx = [self.actions.index(a) for a in out.loc[new, "action"]]
            out.loc[new, "propensity"] = lr[np.arange(len(idx)), idx]
        out["evidence"] = out["evidence"].fillna(0).astype(int)
        out["n_situation"] = out["n_situation"].fillna(0).astype(int)
        out["enough"] = out["enough"].fillna(False).astype(bool)
        out["model_expected"] = self.predict_outcome(out[cols], out["action"].tolist())
        for c in ("expected", "ci_low", "ci_high"):
            out.loc[~out["enough"], c] = np.nan
        return out

    def policy(self, table: pd.DataFrame) -> pd.DataFrame:
        """The best mode per situation of a :meth:`situation_table`: columns of the model,
        ``best``, ``has_evidence`` (some mode has enough evidence) and ``usual`` (the most likely
        mode under the old practice)."""
        cols = self.columns
        t = table.copy()
        t["_score"] = np.where(t["enough"], self.sign * t["expected"].fillna(0.0), -np.inf)
        rows = []
        for key, grp in t.groupby(cols, sort=False, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            usual = str(grp.loc[grp["propensity"].idxmax(), "action"])
            if grp["enough"].any():
                best = str(grp.loc[grp["_score"].idxmax(), "action"])
                has = True
            else:
                best, has = usual, False
            rows.append({**dict(zip(cols, key, strict=True)), "best": best,
                         "has_evidence": has, "usual": usual})  # fmt: skip
        return pd.DataFrame(rows, columns=[*cols, "best", "has_evidence", "usual"])

    def lacking_overlap(self) -> pd.DataFrame:
        """Situations (seen in the history) and modes without enough evidence."""
        c = self.cells
        return c.loc[~c["enough"], [*self.columns, "action", "evidence", "propensity"]].reset_index(
            drop=True
        )


def propensity_table(
    ct: pd.DataFrame, columns: Sequence[str], actions: Sequence[str], model: Recommender
) -> pd.DataFrame:
    """Smoothed propensities ``(n_xa + s p_lr) / (n_x + s)`` for every cell of ``ct`` × action.

    ``model`` supplies the one-hot encoding and its logistic regression. Returns the cells with
    ``n_situation`` and one column per action.
    """
    cols = list(columns)
    counts = ct.pivot_table(index=cols, columns="action", values="n", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=list(actions), fill_value=0)
    x = counts.index.to_frame(index=False)
    lr = model.propensity_lr(x)
    nmat = counts.to_numpy(dtype=float)
    n_x = nmat.sum(axis=1, keepdims=True)
    p = (nmat + SMOOTHING * lr) / (n_x + SMOOTHING)
    out = x.copy()
    out["n_situation"] = n_x[:, 0]
    for j, a in enumerate(actions):
        out[a] = p[:, j]
    return out


def _fill_propensity_sums(ct: pd.DataFrame, p_hat: np.ndarray) -> pd.DataFrame:
    """Add the rows without a logged propensity to the inverse-propensity sums, with ``p_hat``."""
    ct = ct.copy()
    m = ct["n"] - ct["n_known"]
    y = ct["sy"] - ct["sy_known"]
    y2 = ct["sy2"] - ct["sy2_known"]
    ct["s1"] += m / p_hat
    ct["syp"] += y / p_hat
    ct["s2"] += m / p_hat**2
    ct["syp2"] += y / p_hat**2
    ct["sy2p2"] += y2 / p_hat**2
    return ct


def fit_recommender(
    frame: Any,
    situation: Sequence[str],
    action: str,
    outcome: str,
    *,
    propensity: str | None = None,
    features: Sequence[str] = (),
    better: str = "higher",
    min_propensity: float = 0.05,
    min_cases: int = 5,
    level: float = 0.95,
    alpha: float = 1.0,
) -> Recommender:
    """Learn which service mode works best per situation from a history of any engine.

    Parameters
    ----------
    frame : pandas, Polars, DuckDB or PySpark frame
        One row per case: the situation columns, the feature columns (e.g. the customer's earlier
        behaviour), the mode used (``action``) and the outcome.
    situation, features : column names
        Both become one-hot features; numeric features with many values are cut into quartiles.
    propensity : str, optional
        Column with the probability with which the logged mode was chosen (missing values are
        estimated). Without it all propensities are estimated from the situation and feature
        columns.
    better : ``"higher"`` or ``"lower"``
        Direction of the outcome (``lower`` for time to resolution, repeat contacts).
    min_propensity, min_cases
        Overlap rule: below these a mode has "not enough evidence" in a situation.

    Returns
    -------
    Recommender
    """
    if better not in ("higher", "lower"):
        raise InputError("--better is 'higher' or 'lower'", value=better)
    if not 0 <= min_propensity < 1:
        raise InputError("the minimum propensity must be between 0 and 1", value=min_propensity)
    situation, features = list(situation), list(features)
    if not situation:
        raise InputError("give at least one situation column", hint="--situation need,urgency")
    cols = [*situation, *features]
    f = check_history(frame, cols, action, outcome, propensity, numeric_features=features)
    bins = numeric_bins(f, features)
    ct = cell_table(f, cols, action, outcome, bins, propensity=propensity)
    if ct.empty:
        raise InputError("the history has no rows")
    actions = sorted(ct["action"].unique().tolist())
    if len(actions) < 2:
        raise InputError(
            "the history holds only one service mode, so there is nothing to compare",
            column=action,
            value=actions[0],
        )
    levels = {c: sorted(ct[c].unique().tolist()) for c in cols}
    model = Recommender(
        situation=situation,
        features=features,
        action=action,
        outcome=outcome,
        better=better,
        actions=actions,
        levels=levels,
        bins=bins,
        outcome_coef=[],
        outcome_intercept=0.0,
        prop_coef=[],
        prop_intercept=[],
        cells=pd.DataFrame(),
        propensity_column=propensity,
        propensity_estimated=propensity is None or bool((ct["n_known"] < ct["n"]).any()),
        min_propensity=min_propensity,
        min_cases=min_cases,
        level=level,
        alpha=alpha,
        n_rows=int(ct["n"].sum()),
    )
    _fit_propensity(model, ct)
    _fit_outcome(model, ct)
    model.cells = _cell_estimates(model, ct)
    model.raw = _raw_and_adjusted(model, ct)
    return model


def _fit_propensity(model: Recommender, ct: pd.DataFrame) -> None:
    from sklearn.linear_model import LogisticRegression

    X = model.main_effects(ct)
    y = ct["action"].to_numpy()
    present = sorted(set(y.tolist()))
    k, width = len(model.actions), X.shape[1]
    coef_all = np.zeros((k, width))
    inter_all = np.full(k, -30.0)  # a mode never logged here: propensity ~ 0
    if len(present) == 1:
        inter_all[model.actions.index(present[0])] = 0.0
    else:
        lr = LogisticRegression(C=10.0, max_iter=2000)
        lr.fit(X, y, sample_weight=ct["n"].to_numpy(dtype=float))
        coef, intercept = lr.coef_, lr.intercept_
        if len(lr.classes_) == 2:  # binary: one row of coefficients, for the second class
            coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
            intercept = np.array([0.0, intercept[0]])
        for j, a in enumerate(lr.classes_):
            coef_all[model.actions.index(a)] = coef[j]
            inter_all[model.actions.index(a)] = intercept[j]
    model.prop_coef = coef_all.tolist()
    model.prop_intercept = inter_all.tolist()


def _fit_outcome(model: Recommender, ct: pd.DataFrame) -> None:
    from sklearn.linear_model import Ridge

    X = model.outcome_design(ct, ct["action"].tolist())
    y = (ct["sy"] / ct["n"]).to_numpy(dtype=float)
    r = Ridge(alpha=model.alpha)
    r.fit(X, y, sample_weight=ct["n"].to_numpy(dtype=float))
    model.outcome_coef = r.coef_.tolist()
    model.outcome_intercept = float(r.intercept_)


def logged_sums(model: Recommender, ct: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``ct`` with the inverse-propensity sums completed by the estimated propensities, and the
    table of those propensities per cell (:func:`propensity_table`)."""
    cols = model.columns
    pt = propensity_table(ct, cols, model.actions, model)
    long = pt.melt(id_vars=[*cols, "n_situation"], value_vars=model.actions,
                   var_name="action", value_name="p_hat")  # fmt: skip
    ct = ct.merge(long, on=[*cols, "action"], how="left")
    return _fill_propensity_sums(ct, ct["p_hat"].to_numpy(dtype=float)), pt


def _cell_estimates(model: Recommender, ct: pd.DataFrame) -> pd.DataFrame:
    cols = model.columns
    ct, pt = logged_sums(model, ct)
    long = pt.melt(id_vars=[*cols, "n_situation"], value_vars=model.actions,
                   var_name="action", value_name="propensity")  # fmt: skip
    sums = ["n", "s1", "syp", "s2", "syp2", "sy2p2"]
    g = long.merge(ct[[*cols, "action", *sums]], on=[*cols, "action"], how="left")
    g[sums] = g[sums].fillna(0.0)
    q = model.predict_outcome(g[cols], g["action"].tolist())
    mean, lo, hi = cell_action_value(g["n_situation"], g, q, level=model.level)
    out = g[[*cols, "action", "n_situation", "propensity"]].copy()
    out["evidence"] = g["n"].astype(int)
    out["expected"], out["ci_low"], out["ci_high"] = mean, lo, hi
    out["model_expected"] = q
    out["enough"] = (out["evidence"] >= model.min_cases) & (
        out["propensity"] >= model.min_propensity
    )
    out["n_situation"] = out["n_situation"].astype(int)
    return out.sort_values([*cols, "action"]).reset_index(drop=True)


def _raw_and_adjusted(model: Recommender, ct: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per mode: the raw mean outcome, and the adjusted mean over the situations where it has
    enough evidence (weighted by the situation's cases), for the text report."""
    raw = ct.groupby("action")[["n", "sy"]].sum()
    c = model.cells
    out: dict[str, dict[str, float]] = {}
    for a in model.actions:
        ca = c[(c["action"] == a) & c["enough"]]
        w = ca["n_situation"].to_numpy(dtype=float)
        adj = float((ca["expected"] * w).sum() / w.sum()) if w.sum() > 0 else float("nan")
        cover = float(w.sum() / model.n_rows) if model.n_rows else 0.0
        n = float(raw.loc[a, "n"]) if a in raw.index else 0.0
        out[a] = {
            "n": n,
            "raw_mean": float(raw.loc[a, "sy"] / n) if n else float("nan"),
            "adjusted_mean": adj,
            "coverage": cover,
        }
    return out

"""One call from a transaction log to fitted models: summary, purchase model, spend model.

:func:`fit_transactions` is what the ``kundfokus clv`` commands call: it builds the per-customer
summary in the frame's own engine, fits the chosen purchase model (BG/NBD or Pareto/NBD) on the
unique (frequency, recency, T) rows with weights and, when amounts are given, the Gamma-Gamma spend
model on the repeat buyers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kundfokus.base import Result
from kundfokus.clv.models import BetaGeo, GammaGamma, ParetoNBD
from kundfokus.clv.summary import parse_date, summary_from_transactions
from kundfokus.errors import InputError
from kundfokus.i18n import check_lang, tr
from kundfokus.serialize import json_safe

__all__ = ["MODELS", "TransactionFit", "fit_transactions"]

#: Purchase models by their command-line name.
MODELS: dict[str, type] = {"bgnbd": BetaGeo, "pareto": ParetoNBD}
_KEYS = {"bgnbd": "bgnbd", "pareto": "pareto_nbd"}

_WARN = {
    "purchase": {"en": "purchase model", "sv": "köpmodellen"},
    "spend": {"en": "spend model", "sv": "beloppsmodellen"},
    "not_converged": {
        "en": "the {name} did not converge: the estimates may be unreliable",
        "sv": "{name} konvergerade inte: skattningarna kan vara otillförlitliga",
    },
    "no_se": {
        "en": "some standard errors of the {name} could not be computed: the data may be too few "
        "or the estimate at a boundary",
        "sv": "några medelfel för {name} kunde inte beräknas: det kan finnas för lite data, eller "
        "så ligger skattningen vid en gräns",
    },
}


@dataclass
class TransactionFit(Result):
    """The result of :func:`fit_transactions`.

    A :class:`kundfokus.base.Result`: :meth:`tables` gives the customer ``summary`` and the
    ``parameters``, :meth:`warnings` speaks English or Swedish, and :meth:`to_dict` is the JSON
    of ``kundfokus clv fit --format json``.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per customer (see :func:`~kundfokus.clv.summary_from_transactions`).
    transaction_model : BetaGeo or ParetoNBD
    spend_model : GammaGamma or None
        Fitted when amounts were given.
    model : str
        ``"bgnbd"`` or ``"pareto"``.
    unit : str
        ``"week"`` or ``"day"``: the unit of recency, T and the model's rates.
    calibration_end : datetime.date
    customer : str
        Name of the customer column.
    spend_correlation : float or None
        Pearson correlation between frequency and mean repeat spend among repeat buyers; the
        Gamma-Gamma model assumes it is near 0.
    """

    summary: pd.DataFrame
    transaction_model: Any
    spend_model: GammaGamma | None
    model: str
    unit: str
    calibration_end: dt.date
    customer: str
    spend_correlation: float | None = None

    def parameters(self) -> pd.DataFrame:
        """All fitted parameters as one tidy frame: ``model``, ``parameter``, ``estimate``,
        ``std_error``, ``lower_95``, ``upper_95``."""
        frames = [self.transaction_model.summary().assign(model=_KEYS[self.model])]
        if self.spend_model is not None:
            frames.append(self.spend_model.summary().assign(model="gamma_gamma"))
        out = pd.concat(frames, ignore_index=True)
        return out[["model", "parameter", "estimate", "std_error", "lower_95", "upper_95"]]

    def tables(self) -> dict[str, pd.DataFrame]:
        """``summary`` (one row per customer) and ``parameters`` (see :meth:`parameters`)."""
        return {"summary": self.summary, "parameters": self.parameters()}

    def meta(self) -> dict[str, Any]:
        """Model, unit, calibration end, customer column, customer counts and the
        frequency-spend correlation (the fitted model objects are in :meth:`to_dict`)."""
        return {
            "model": self.model,
            "unit": self.unit,
            "calibration_end": self.calibration_end.isoformat(),
            "customer": self.customer,
            "n_customers": len(self.summary),
            "n_repeat_customers": int((self.summary["frequency"] > 0).sum()),
            "spend_correlation": self.spend_correlation,
        }

    def warnings(self, lang: str = "en") -> list[str]:
        """Plain-language warnings about the fit: no convergence, undetermined standard errors.

        Parameters
        ----------
        lang : {"en", "sv"}

        Returns
        -------
        list of str
            Empty when both models converged with finite standard errors.
        """
        check_lang(lang)
        out = []
        for key, m in (("purchase", self.transaction_model), ("spend", self.spend_model)):
            if m is None:
                continue
            name = tr(_WARN[key], lang)
            if not m.converged_:
                out.append(tr(_WARN["not_converged"], lang, name=name))
            if any(not np.isfinite(v) for v in m.standard_errors_.values()):
                out.append(tr(_WARN["no_se"], lang, name=name))
        return out

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready result: ``unit``, ``calibration_end``, ``n_customers``,
        ``n_repeat_customers``, the purchase model under ``bgnbd`` or ``pareto_nbd`` (parameters,
        ``loglik``, ``std_errors``, ``n_unique_rows``, ``converged``), ``warnings`` in ``lang``
        and, with amounts, ``gamma_gamma``. NaN and infinite values (an undetermined standard
        error, the mean spend when q <= 1) are ``None``, as in the JSON the CLI prints."""
        tm = self.transaction_model
        out: dict[str, Any] = {
            "unit": self.unit,
            "calibration_end": self.calibration_end.isoformat(),
            "n_customers": len(self.summary),
            "n_repeat_customers": int((self.summary["frequency"] > 0).sum()),
            _KEYS[self.model]: {
                **tm.params_,
                "loglik": tm.log_likelihood_,
                "std_errors": tm.standard_errors_,
                "n_unique_rows": tm.n_unique_rows_,
                "converged": tm.converged_,
            },
        }
        out["warnings"] = self.warnings(lang)
        if self.spend_model is not None:
            gg = self.spend_model
            out["gamma_gamma"] = {
                **gg.params_,
                "loglik": gg.log_likelihood_,
                "std_errors": gg.standard_errors_,
                "n_customers": int(gg.n_customers_ or 0),
                "mean_spend": gg.population_mean_spend(),
                "frequency_spend_correlation": self.spend_correlation,
                "converged": gg.converged_,
            }
        return json_safe(out)


def fit_transactions(
    transactions: Any,
    customer: str,
    date: str,
    amount: str | None = None,
    *,
    calibration_end: Any,
    observation_end: Any = None,
    unit: str = "week",
    model: str = "bgnbd",
    date_format: str | None = None,
) -> TransactionFit:
    """Build the summary from a transaction log and fit the models.

    Parameters
    ----------
    transactions : pandas, Polars, DuckDB or PySpark frame
    customer, date, amount : str
        Column names (``amount`` optional).
    calibration_end, observation_end : date or str
        See :func:`~kundfokus.clv.summary_from_transactions`.
    unit : {"week", "day"}
    model : {"bgnbd", "pareto"}
    date_format : str, optional

    Returns
    -------
    TransactionFit

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 1, 2, 3, 3, 3, 4],
    ...     "day": ["2024-01-01", "2024-02-01", "2024-01-10", "2024-01-05", "2024-01-20",
    ...             "2024-03-01", "2024-02-15"]})
    >>> fit = fit_transactions(tx, "id", "day", calibration_end="2024-03-31")
    >>> fit.to_dict()["n_customers"], sorted(fit.transaction_model.params_)
    (4, ['a', 'alpha', 'b', 'r'])
    """
    if model not in MODELS:
        raise InputError(
            f"unknown model {model!r}: use {' or '.join(MODELS)}", column="model", value=model
        )
    summary = summary_from_transactions(
        transactions,
        customer,
        date,
        amount,
        calibration_end=calibration_end,
        observation_end=observation_end,
        unit=unit,
        date_format=date_format,
        negative_amounts="raise",
    )
    if summary.empty:
        raise InputError("no customer made a purchase on or before the calibration end")
    tm = MODELS[model]().fit(summary["frequency"], summary["recency"], summary["T"])
    gg = None
    corr = None
    if amount is not None:
        repeat = summary[summary["frequency"] > 0]
        bad = repeat[repeat["monetary_value"] <= 0]
        if len(bad):
            first = bad.iloc[0]
            raise InputError(
                f"customer {first[customer]!r} has a mean repeat spend of "
                f"{first['monetary_value']:g}; the Gamma-Gamma spend model needs amounts above 0",
                column=amount,
                value=first[customer],
                hint="leave out returns and free orders, or fit without --amount",
            )
        if len(repeat):
            gg = GammaGamma().fit(summary["frequency"], summary["monetary_value"])
            if (
                len(repeat) > 2
                and repeat["monetary_value"].std() > 0
                and repeat["frequency"].std() > 0
            ):
                corr = float(np.corrcoef(repeat["frequency"], repeat["monetary_value"])[0, 1])
    return TransactionFit(
        summary=summary,
        transaction_model=tm,
        spend_model=gg,
        model=model,
        unit=unit,
        calibration_end=parse_date(calibration_end, "calibration_end"),
        customer=customer,
        spend_correlation=corr,
    )

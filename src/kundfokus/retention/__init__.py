"""Churn, cohort retention and the shifted-beta-geometric (sBG) retention model.

Two kinds of customer data:

- **Contractual** (subscriptions, contracts): one row per customer with a start date and an end date
  (empty while the customer is still active). A customer is *active at the start of a period* when
  they started before the period and had not ended before it; they are *lost in the period* when
  their end date falls in it.
- **Non-contractual** (purchases): a transaction log with customer and date. Nobody tells us when a
  customer leaves, so a rule is needed: a customer counts as lost on the day ``window`` days after
  their last purchase when no purchase follows within that window, and as still active while the
  window after their last purchase has not yet run out (by the end of the data, or ``as_of``). The
  customer's first purchase is their start.

Churn rate of a period = customers lost during the period / customers active at its start.
Customers acquired during the period count in neither (they are reported in ``acquired``).
A per-period rate ``c`` is annualised as 1 - (1 - c)^k with k periods a year.

The sBG model (Fader & Hardie 2007) describes a contractual cohort in which each customer has a
constant churn probability per period, and those probabilities vary across customers as a
beta(alpha, beta) distribution. It is fitted by maximum likelihood to survival curves or to cohort
counts, projects survival and retention rates forward, and gives the discounted expected residual
lifetime (DERL, Fader & Hardie 2010). The functions return an :class:`SBGFit`;
:class:`ShiftedBetaGeometric` is the same model as a scikit-learn style estimator.

Examples
--------
>>> fit = sbg_fit([100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1])
>>> round(fit.alpha, 3), round(fit.beta, 3)
(0.668, 3.806)
>>> round(annualise(0.03), 3)  # 3% a month: 1 - 0.97**12
0.306
"""

from __future__ import annotations

from kundfokus.retention.churn import churn, churn_summary, rule_text
from kundfokus.retention.cohorts import cohort_matrix, cohorts
from kundfokus.retention.periods import PERIODS_PER_YEAR, annualise
from kundfokus.retention.sbg import (
    SBGFit,
    ShiftedBetaGeometric,
    sbg_derl,
    sbg_fit,
    sbg_fit_cohorts,
    sbg_fit_curves,
    sbg_retention_rate,
    sbg_survival,
)

__all__ = [
    "PERIODS_PER_YEAR",
    "SBGFit",
    "ShiftedBetaGeometric",
    "annualise",
    "churn",
    "churn_summary",
    "cohort_matrix",
    "cohorts",
    "rule_text",
    "sbg_derl",
    "sbg_fit",
    "sbg_fit_cohorts",
    "sbg_fit_curves",
    "sbg_retention_rate",
    "sbg_survival",
]

"""Customer lifetime value: who is still active, how many purchases and how much value to expect.

* :func:`summary_from_transactions` builds the per-customer summary (frequency, recency, T, mean
  repeat spend, holdout purchases) from a transaction log inside pandas, Polars, DuckDB or Spark;
* :class:`BetaGeo` (BG/NBD), :class:`ParetoNBD` and :class:`GammaGamma` are fitted by maximum
  likelihood with standard errors;
* :func:`customer_lifetime_value` discounts expected purchases x expected spend x margin;
* :func:`holdout_by_frequency` and :func:`cumulative_forecast` check forecasts against a holdout
  period.

See ``docs/clv.md``.
"""

from kundfokus.clv.holdout import cumulative_forecast, holdout_by_frequency
from kundfokus.clv.models import BetaGeo, GammaGamma, ParetoNBD
from kundfokus.clv.summary import (
    aggregate_summary,
    parse_date,
    repeat_transactions_by_day,
    summary_from_transactions,
)
from kundfokus.clv.value import (
    DAYS_PER_MONTH,
    customer_lifetime_value,
    history_matrix,
    predict_customers,
)

__all__ = [
    "DAYS_PER_MONTH",
    "BetaGeo",
    "GammaGamma",
    "ParetoNBD",
    "aggregate_summary",
    "cumulative_forecast",
    "customer_lifetime_value",
    "history_matrix",
    "holdout_by_frequency",
    "parse_date",
    "predict_customers",
    "repeat_transactions_by_day",
    "summary_from_transactions",
]

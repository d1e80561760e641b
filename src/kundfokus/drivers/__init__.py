"""Driver analysis: which drivers move a KPI (Shapley/LMG decomposition of R², relative weights).
It shows association, not cause.

For a numeric outcome (an NPS answer, CLV) the R² of an ordinary least squares regression on the
drivers is split exactly over the drivers with Shapley values (LMG: Lindeman, Merenda & Gold 1980;
Grömping 2007): a driver's value is the R² it adds, averaged over every order in which the drivers
could enter the model, and the values sum to R². Johnson's (2000) relative weights, close to them
and cheap for many drivers, are given next to them. A binary outcome (detractor, churned) gets the
same on a logistic model with McFadden's pseudo-R². Text drivers (contact reason, situation,
channel) are one-hot encoded and enter as one driver. Every value has a bootstrap interval.

See docs/drivers.md.
"""

from __future__ import annotations

from kundfokus.drivers.analysis import MAX_LEVELS, DriverReport, DriverResult, driver_analysis
from kundfokus.drivers.logistic import MAX_LOGISTIC_DRIVERS
from kundfokus.drivers.shapley import (
    MAX_EXACT_DRIVERS,
    RelativeWeights,
    ShapleyResult,
    relative_weights,
    relative_weights_from_cov,
    shapley_from_cov,
    shapley_from_values,
    shapley_r2,
    subset_r2,
)

__all__ = [
    "MAX_EXACT_DRIVERS",
    "MAX_LEVELS",
    "MAX_LOGISTIC_DRIVERS",
    "DriverReport",
    "DriverResult",
    "RelativeWeights",
    "ShapleyResult",
    "driver_analysis",
    "relative_weights",
    "relative_weights_from_cov",
    "shapley_from_cov",
    "shapley_from_values",
    "shapley_r2",
    "subset_r2",
]

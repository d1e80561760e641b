"""Customer performance indicators (CPIs): outcomes that matter to the customer at each journey
step, defined in YAML and computed from journey events.

A CPI (Cornfield, HBR 2020) measures an outcome customers say is important to them, in units they
value: time to resolution, contacts per errand, channel switches, money saved, effort. KPIs measure
how customers perform for the company; CPIs how the company performs for customers (NPS is not a
CPI). The definitions live in a YAML file (:mod:`kundfokus.cpi.definitions`, bundled default set in
``default_cpis.yaml``); :func:`compute_cpis` computes them per group and period from journey events
of any engine, :func:`cpis_per_journey` and :func:`join_kpis` put them beside the customers' KPIs.

Durations with journeys still open are Kaplan-Meier medians with the open journeys censored at the
end of the data (:mod:`kundfokus.cpi.km`).
"""

from __future__ import annotations

from kundfokus.cpi.compute import (
    COLUMNS,
    CpiReport,
    compute_cpis,
    cpis_per_journey,
    join_kpis,
    median_interval,
    resolve_definitions,
)
from kundfokus.cpi.definitions import (
    Cpi,
    CpiDefinitions,
    default_definitions,
    default_yaml,
    load_definitions,
    parse_definitions,
)
from kundfokus.cpi.km import (
    KaplanMeier,
    kaplan_meier,
    km_median,
    km_median_interval,
    survival_at,
)

__all__ = [
    "COLUMNS",
    "Cpi",
    "CpiDefinitions",
    "CpiReport",
    "KaplanMeier",
    "compute_cpis",
    "cpis_per_journey",
    "default_definitions",
    "default_yaml",
    "join_kpis",
    "kaplan_meier",
    "km_median",
    "km_median_interval",
    "load_definitions",
    "median_interval",
    "parse_definitions",
    "resolve_definitions",
    "survival_at",
]

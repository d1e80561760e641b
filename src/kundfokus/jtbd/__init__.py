"""Jobs to be done and outcome-driven innovation.

* :func:`read_inventory` / :class:`JobInventory`: the jobs customers hire the service for
  (functional, emotional, social), the situation each arises in, and the desired outcomes under each
  job.
* :func:`opportunity`: Ulwick's importance, satisfaction and opportunity scores per desired outcome
  from survey answers, with under-/over-served labels.
* :func:`jtbd_sections` / :func:`write_jtbd_report`: a plain-language bilingual report.
* :func:`kundfokus.jtbd.charts.opportunity_landscape`: the opportunity landscape chart.
"""

from kundfokus.jtbd.inventory import (
    DIRECTION_VERBS,
    JOB_TYPES,
    Job,
    JobInventory,
    Outcome,
    StatementWarning,
    read_inventory,
)
from kundfokus.jtbd.odi import (
    OPPORTUNITY_LEVELS,
    SERVED_LABELS,
    opportunity,
    opportunity_level,
    opportunity_score,
    parse_rating,
    served_label,
    wilson_interval,
)
from kundfokus.jtbd.report import (
    inventory_sections,
    jtbd_sections,
    summary_sentences,
    write_jtbd_report,
)

__all__ = [
    "DIRECTION_VERBS",
    "JOB_TYPES",
    "OPPORTUNITY_LEVELS",
    "SERVED_LABELS",
    "Job",
    "JobInventory",
    "Outcome",
    "StatementWarning",
    "inventory_sections",
    "jtbd_sections",
    "opportunity",
    "opportunity_level",
    "opportunity_score",
    "parse_rating",
    "read_inventory",
    "served_label",
    "summary_sentences",
    "wilson_interval",
    "write_jtbd_report",
]

"""Survey scores: Net Promoter Score (NPS), customer satisfaction (CSAT) and customer effort (CES).

Each score is computed per group (a segment, channel, contact reason or situation) and per period
(ISO week, month or quarter of a date column), with a standard error, a confidence interval and a
flag on groups too small to read. Two groups or periods can be compared, either as independent
samples or as paired samples (the same respondents answering twice).

The functions take a pandas, Polars, DuckDB or PySpark frame (through narwhals). The heavy work, one
pass that counts answers per group, period and score value, runs in the frame's own engine; only that
small table of counts comes back to Python, where the statistics are computed. Because every score
here lives on a short integer scale, the counts hold all the information the statistics need
(including the bootstrap, which resamples respondents by drawing from those counts).

Scales
------
- NPS: 0-10; promoters 9-10, passives 7-8, detractors 0-6; NPS = %promoters - %detractors, on the
  -100..100 scale. Each respondent scores +1 / 0 / -1, so Var = pP + pD - (pP - pD)^2 and
  SE = sqrt(Var / n) (times 100 on the NPS scale).
- CSAT: 1-5 by default; ``csat`` is the top-2-box share (answers 4 or 5) in percent, with a Wilson
  interval. The mean answer is reported separately as ``mean_score``.
- CES: 1-7 by default (CES 2.0, agreement with "the company made it easy for me to handle my issue");
  ``mean_score`` with a t interval and ``pct_agree``, the share of answers above the neutral midpoint
  of the scale (5-7 on 1-7, 4-5 on 1-5) with a Wilson interval.

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"nps": [10, 9, 9, 8, 7, 6, 3, 10, 9, 0]})
>>> table = nps(answers, "nps", ci="wald")
>>> table[["group", "n", "promoters", "detractors", "nps"]].to_dict("records")
[{'group': 'all', 'n': 10, 'promoters': 5, 'detractors': 3, 'nps': 20.0}]
"""

from __future__ import annotations

from kundfokus.frames import period_of
from kundfokus.scores.analysis import ScoreReport, analyse, analyze
from kundfokus.scores.comparisons import compare_independent, compare_paired
from kundfokus.scores.intervals import mean_interval, nps_interval, proportion_interval
from kundfokus.scores.measures import ces, csat, nps, score_warnings

__all__ = [
    "ScoreReport",
    "analyse",
    "analyze",
    "ces",
    "compare_independent",
    "compare_paired",
    "csat",
    "mean_interval",
    "nps",
    "nps_interval",
    "period_of",
    "proportion_interval",
    "score_warnings",
]

"""Service recommendations per situation, learnt from confounded history, with offline policy
evaluation (IPS, self-normalised IPS, doubly robust).

>>> import pandas as pd
>>> hist = pd.DataFrame({"urgency": ["high", "low"] * 20,
...                      "mode": ["callback"] * 20 + ["guide"] * 20,
...                      "solved": [1, 0, 1, 1] * 10})
>>> model = fit_recommender(hist, ["urgency"], "mode", "solved")
>>> model.actions
['callback', 'guide']
"""

from kundfokus.recommend.cells import derive_history
from kundfokus.recommend.evaluation import estimate_value, row_stats
from kundfokus.recommend.model import Recommender, fit_recommender
from kundfokus.recommend.persistence import load_recommender, save_recommender
from kundfokus.recommend.policy import Evaluation, Recommendations, evaluate_policy, recommend_for

__all__ = [
    "Evaluation",
    "Recommendations",
    "Recommender",
    "derive_history",
    "estimate_value",
    "evaluate_policy",
    "fit_recommender",
    "load_recommender",
    "recommend_for",
    "row_stats",
    "save_recommender",
]

"""A confounded contact-centre simulator with known true policy values (for the tests).

Urgent cases were mostly sent to the specialist queue, calm ones mostly to the self-service guide.
The specialist queue is the best mode in both situations, but by raw averages it looks worst,
because it got the hard (urgent) cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ACTIONS = ["callback", "self_service", "specialist"]
TRUE = {
    "urgent": {"callback": 0.5, "self_service": 0.2, "specialist": 0.6},
    "calm": {"callback": 0.8, "self_service": 0.85, "specialist": 0.9},
}
LOG = {
    "urgent": {"callback": 0.15, "self_service": 0.05, "specialist": 0.8},
    "calm": {"callback": 0.3, "self_service": 0.6, "specialist": 0.1},
}
UNIFORM = {s: {a: 1 / 3 for a in ACTIONS} for s in TRUE}
SHARE_URGENT = 0.5


def simulate(n: int, seed: int, logging: dict | None = None) -> pd.DataFrame:
    logging = logging or LOG
    rng = np.random.default_rng(seed)
    urgency = np.where(rng.random(n) < SHARE_URGENT, "urgent", "calm")
    u = rng.random(n)
    modes, props, means = [], [], []
    for s, x in zip(urgency, u, strict=True):
        cum = 0.0
        for a in ACTIONS:
            cum += logging[s][a]
            if x < cum or a == ACTIONS[-1]:
                modes.append(a)
                props.append(logging[s][a])
                means.append(TRUE[s][a])
                break
    y = (rng.random(n) < np.array(means)).astype(int)
    return pd.DataFrame({"urgency": urgency, "mode": modes, "p": props, "solved": y})


def true_value(policy: dict[str, str]) -> float:
    """The true mean outcome of a deterministic policy situation -> mode."""
    return (
        SHARE_URGENT * TRUE["urgent"][policy["urgent"]]
        + (1 - SHARE_URGENT) * TRUE["calm"][policy["calm"]]
    )

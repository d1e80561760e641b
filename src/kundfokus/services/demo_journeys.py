"""The demo organisation's journeys and service history: errands at Nordström Energi's contact
centre as journey events (for the journey map and the CPIs), and a history of which service mode
was used in which situation and whether it resolved the errand (for the recommendations).

Everything is drawn from one seeded generator, anchored at the moment the demo is built, like the
rest of the demo (:mod:`kundfokus.services.demo_org`):

* about 900 errands over six months, each a journey of events: ``contact_opened``, a
  ``first_answer`` (or a try in ``self_service``), sometimes ``transferred`` to a specialist,
  ``resolved`` (with a CES answer 1-7 and whether the customer's goal was reached) and sometimes
  ``reopened``; columns ``customer_id, journey_id, step, timestamp, channel, agent, reason,
  amount_saved, ces_score, goal_achieved``. A call-back service introduced three months ago shortens
  the wait for a first answer on the phone, and a few errands are still open at the end;
* about 1,500 past cases with the situation (reason, urgency, mood), the service mode agents chose
  (``callback``, ``chat``, ``self_service_guide``, ``specialist_queue``) and whether the errand was
  resolved at the first contact. The history is confounded on purpose, as real logs are: urgent,
  upset customers were mostly sent to the specialist queue, which resolves more for them, so its raw
  average looks worse than it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

#: The steps of a demo errand (they match the bundled CPI definitions).
STEPS = ("contact_opened", "first_answer", "self_service", "transferred", "resolved", "reopened")
#: Service modes of the history.
MODES = ("callback", "chat", "self_service_guide", "specialist_queue")
_REASONS = {
    "invoice": 0.30, "moving": 0.15, "outage": 0.15, "price_contract": 0.12,
    "meter_reading": 0.10, "payment_plan": 0.08, "cancellation": 0.10,
}  # fmt: skip
_CHANNELS = {"phone": 0.45, "chat": 0.30, "email": 0.15, "web": 0.10}


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys])
    return str(keys[rng.choice(len(keys), p=p / p.sum())])


def generate_journeys(
    seed: int = 0, now: datetime | None = None, n: int = 900, days: int = 182
) -> pd.DataFrame:
    """Journey events of ``n`` demo errands over the last ``days`` days before ``now``."""
    rng = np.random.default_rng(seed + 101)
    now = (now or datetime(2026, 1, 1)).replace(microsecond=0)
    rows: list[dict[str, object]] = []
    agents = [f"A{i:02d}" for i in range(1, 13)]
    for j in range(n):
        customer = f"K{rng.integers(1, 700):05d}"
        reason = _pick(rng, _REASONS)
        channel = _pick(rng, _CHANNELS)
        t = now - timedelta(days=float(rng.uniform(0, days)))
        recent = t > now - timedelta(days=days / 2)  # the call-back service is running
        ev: list[tuple[str, datetime, str, str | None]] = [("contact_opened", t, channel, None)]
        if channel == "web" or (reason == "meter_reading" and rng.random() < 0.6):
            t += timedelta(minutes=float(rng.exponential(20)))
            ev.append(("self_service", t, "web", None))
            if rng.random() < 0.55:
                t += timedelta(minutes=float(rng.exponential(10)))
                ev.append(("resolved", t, "web", None))
            else:
                channel = "phone"
        if ev[-1][0] != "resolved":
            wait = 45 if channel == "phone" and not recent else 20
            wait = wait * (3 if reason == "outage" else 1)
            t += timedelta(minutes=float(rng.exponential(wait)))
            agent = agents[int(rng.integers(0, len(agents)))]
            ev.append(("first_answer", t, channel, agent))
            if reason in ("outage", "payment_plan", "cancellation") and rng.random() < 0.45:
                t += timedelta(hours=float(rng.exponential(4)))
                agent = agents[int(rng.integers(0, len(agents)))]
                ev.append(("transferred", t, channel, agent))
            t += timedelta(hours=float(rng.exponential(6 if reason != "outage" else 14)))
            ev.append(("resolved", t, channel, agent))
            if rng.random() < 0.12:
                t += timedelta(days=float(rng.uniform(1, 10)))
                ev.append(("reopened", t, channel, None))
                t += timedelta(hours=float(rng.exponential(8)))
                ev.append(("resolved", t, channel, agent))
        for k, (step, when, ch, agent) in enumerate(ev):
            if when >= now:  # still open at the end of the data
                break
            resolved = step == "resolved"
            effort = 3 + (step == "resolved") * (len(ev) <= 3) * 2 - (len(ev) > 4)
            rows.append(
                {
                    "event_id": f"NE-{j:05d}-{k}",
                    "customer_id": customer,
                    "journey_id": f"E{j:05d}",
                    "step": step,
                    "timestamp": when,
                    "channel": ch,
                    "agent": agent,
                    "reason": reason,
                    "amount_saved": round(float(rng.gamma(2, 90)), 2) if resolved else None,
                    "ces_score": int(np.clip(round(rng.normal(effort + 1.5, 1.2)), 1, 7))
                    if resolved
                    else None,
                    "goal_achieved": int(rng.random() < 0.82) if resolved else None,
                }
            )
    return pd.DataFrame(rows)


def generate_service_history(seed: int = 0, n: int = 1500) -> pd.DataFrame:
    """Past cases: situation, the service mode agents chose and whether it resolved the errand.

    The true effects: the specialist queue and a call back resolve most for urgent, upset
    customers; self-service guides work for calm customers with simple reasons; chat in between.
    Agents chose with the situation in mind (the log is confounded), and each case carries the
    probability with which the mode was chosen (``propensity``).
    """
    rng = np.random.default_rng(seed + 202)
    reasons = ["invoice", "moving", "outage", "payment_plan"]
    rows = []
    for i in range(n):
        reason = reasons[int(rng.integers(0, len(reasons)))]
        urgency = "urgent" if rng.random() < (0.6 if reason == "outage" else 0.25) else "calm"
        mood = "upset" if rng.random() < (0.5 if urgency == "urgent" else 0.2) else "neutral"
        hard = (urgency == "urgent") + (mood == "upset")
        # how agents chose: hard cases mostly to the specialist queue
        w = np.array([1.0 + hard, 1.5, 3.0 - 1.3 * hard, 0.4 + 2.2 * hard])
        p = w / w.sum()
        m = int(rng.choice(len(MODES), p=p))
        base = {0: 0.72, 1: 0.55, 2: 0.45}[hard]
        effect = {
            "callback": 0.05 + 0.08 * hard,
            "chat": 0.0,
            "self_service_guide": 0.12 - 0.25 * hard,
            "specialist_queue": 0.02 + 0.15 * hard,
        }[MODES[m]]
        resolved = int(rng.random() < np.clip(base + effect, 0.02, 0.98))
        rows.append(
            {
                "case_id": f"H{i:05d}",
                "reason": reason,
                "urgency": urgency,
                "mood": mood,
                "mode": MODES[m],
                "propensity": round(float(p[m]), 4),
                "resolved_first_contact": resolved,
            }
        )
    return pd.DataFrame(rows)

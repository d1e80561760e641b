"""Generate the example Kano survey: a Swedish bank's contact centre asks 400 customers about ten
service features.

The data is synthetic but shaped like a real survey export: one row per respondent with the contact
channel, the customer's situation, and for every feature the answers to the functional and
dysfunctional questions (short English wording, as printed by ``kundfokus kano questionnaire
--wording short``) and a 1-9 self-stated importance. A few answers are left blank, as in real
exports.

Every respondent holds, per feature, a latent Kano category drawn from a feature- and
situation-specific propensity; the answer pair is then drawn so that the evaluation table maps it
back to that category (with a little reverse and questionable noise). The design:

* must-be: BankID login, instant card blocking in the app;
* performance: callback instead of the phone queue, status tracking, chat with a person;
* attractive: personal adviser, same agent on follow-up;
* indifferent: SMS reminders, video meetings;
* weekend opening hours: indifferent overall, but must-be for customers who lost their card;
  the personal adviser is performance for customers applying for a mortgage.

Run from the repository root (the output is committed, so this is only needed after a change):

    .venv/bin/python examples/make_kano_example.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from kundfokus.kano.answers import WORDINGS

SEED = 20261123
N_RESPONDENTS = 400
BLANK_RATE = 0.004  # share of Kano answers left empty
HERE = Path(__file__).resolve().parent

FEATURES: list[tuple[str, str, str]] = [
    ("callback", "callback instead of phone queue", "återuppringning i stället för kö"),
    ("bankid", "login with BankID", "inloggning med BankID"),
    ("case_status", "status tracking of your case", "statusspårning av ditt ärende"),
    ("human_chat", "chat with a person, not a bot", "chatt med en människa, inte en bot"),
    ("adviser", "a personal adviser", "en personlig rådgivare"),
    ("sms_reminders", "SMS reminders", "sms-påminnelser"),
    ("same_agent", "the same agent on follow-up", "samma handläggare vid uppföljning"),
    ("weekend", "weekend opening hours", "öppet på helger"),
    ("card_block", "instant card blocking in the app", "direkt kortspärr i appen"),
    ("video", "video meetings", "videomöten"),
]

SITUATIONS = ("lost card", "moving house", "new customer", "mortgage application")
SITUATION_P = (0.24, 0.26, 0.25, 0.25)
CHANNELS = ("phone", "chat", "e-mail", "app")
CHANNEL_P = (0.34, 0.24, 0.14, 0.28)
CATS = ("A", "O", "M", "I", "R", "Q")

# Propensities over A, O, M, I, R, Q per feature (rows need not sum to 1; they are normalised).
BASE: dict[str, tuple[float, ...]] = {
    "callback": (0.18, 0.46, 0.20, 0.12, 0.02, 0.02),
    "bankid": (0.06, 0.20, 0.58, 0.13, 0.02, 0.01),
    "case_status": (0.24, 0.42, 0.14, 0.16, 0.02, 0.02),
    "human_chat": (0.16, 0.44, 0.18, 0.17, 0.04, 0.01),
    "adviser": (0.46, 0.16, 0.06, 0.28, 0.03, 0.01),
    "sms_reminders": (0.16, 0.10, 0.06, 0.58, 0.08, 0.02),
    "same_agent": (0.48, 0.18, 0.07, 0.24, 0.02, 0.01),
    "weekend": (0.13, 0.09, 0.08, 0.66, 0.03, 0.01),
    "card_block": (0.07, 0.22, 0.55, 0.13, 0.02, 0.01),
    "video": (0.14, 0.05, 0.03, 0.66, 0.10, 0.02),
}
# Situation-specific propensities that replace the base ones.
BY_SITUATION: dict[tuple[str, str], tuple[float, ...]] = {
    ("weekend", "lost card"): (0.08, 0.18, 0.56, 0.15, 0.02, 0.01),
    ("card_block", "lost card"): (0.03, 0.22, 0.68, 0.05, 0.01, 0.01),
    ("adviser", "mortgage application"): (0.22, 0.50, 0.14, 0.12, 0.01, 0.01),
    ("adviser", "new customer"): (0.55, 0.14, 0.04, 0.24, 0.02, 0.01),
    ("case_status", "moving house"): (0.18, 0.50, 0.18, 0.11, 0.02, 0.01),
}
# Mean self-stated importance (1-9) by latent category.
IMPORTANCE_MEAN = {"A": 6.0, "O": 7.4, "M": 8.0, "I": 3.6, "R": 3.0, "Q": 5.0}


def propensity(feature: str, situation: str, channel: str) -> np.ndarray:
    p = np.array(BY_SITUATION.get((feature, situation), BASE[feature]), dtype=float)
    if feature == "human_chat" and channel == "chat":  # chat users care more about a human
        p = p + np.array([0.0, 0.10, 0.04, -0.08, 0.0, 0.0])
    if feature == "callback" and channel == "phone":  # phone users know the queue
        p = p + np.array([-0.04, 0.08, 0.04, -0.06, 0.0, 0.0])
    p = np.clip(p, 0.001, None)
    return p / p.sum()


def answer_pair(category: str, rng: np.random.Generator) -> tuple[int, int]:
    """Codes (functional, dysfunctional) 1-5 that the standard table maps to ``category``."""
    mid = (2, 3, 4)
    if category == "A":
        return 1, int(rng.choice(mid, p=(0.15, 0.6, 0.25)))
    if category == "O":
        return 1, 5
    if category == "M":
        return int(rng.choice(mid, p=(0.45, 0.35, 0.2))), 5
    if category == "I":
        return int(rng.choice(mid, p=(0.2, 0.6, 0.2))), int(rng.choice(mid, p=(0.15, 0.6, 0.25)))
    if category == "R":
        if rng.random() < 0.6:
            return 5, int(rng.choice((1, 2, 3, 4), p=(0.5, 0.1, 0.3, 0.1)))
        return int(rng.choice(mid)), 1
    return (1, 1) if rng.random() < 0.5 else (5, 5)  # Q


def main(out_dir: Path = HERE) -> None:
    rng = np.random.default_rng(SEED)
    texts = WORDINGS["short"]["en"]
    with open(out_dir / "kano_features.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "label_en", "label_sv"])
        w.writerows(FEATURES)

    header = ["respondent", "channel", "situation"]
    for fid, _, _ in FEATURES:
        header += [f"{fid}_functional", f"{fid}_dysfunctional", f"{fid}_importance"]
    rows = []
    for r in range(1, N_RESPONDENTS + 1):
        situation = str(rng.choice(SITUATIONS, p=SITUATION_P))
        channel = str(rng.choice(CHANNELS, p=CHANNEL_P))
        leniency = rng.normal(0.0, 0.7)  # some people rate everything higher
        row = [f"R{r:04d}", channel, situation]
        for fid, _, _ in FEATURES:
            cat = str(rng.choice(CATS, p=propensity(fid, situation, channel)))
            f, d = answer_pair(cat, rng)
            imp = int(np.clip(round(rng.normal(IMPORTANCE_MEAN[cat] + leniency, 1.3)), 1, 9))
            f_text = "" if rng.random() < BLANK_RATE else texts[f - 1]
            d_text = "" if rng.random() < BLANK_RATE else texts[d - 1]
            row += [f_text, d_text, str(imp)]
        rows.append(row)
    with open(out_dir / "kano_answers.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    main()
    print(f"wrote {HERE / 'kano_features.csv'} and {HERE / 'kano_answers.csv'}")

"""The axes a contact is read on: its need (purpose type, reason) and its situation (urgency,
treatment wanted, mood, tags), kept apart so that a model never confuses the two.

>>> AXIS_GROUPS["situation"]
('urgency', 'treatment', 'mood', 'tags')
"""

from __future__ import annotations

NEED_AXES: tuple[str, ...] = ("purpose", "reason")
SITUATION_AXES: tuple[str, ...] = ("urgency", "treatment", "mood", "tags")
AXES: tuple[str, ...] = NEED_AXES + SITUATION_AXES
AXIS_GROUPS: dict[str, tuple[str, ...]] = {"need": NEED_AXES, "situation": SITUATION_AXES}

"""Taxonomies shipped with kundfokus: mappings from public data sets to our axes.

``banking77_purpose.csv`` maps each of the 77 BANKING77 intents (Casanueva et al. 2020) to one of
our four purpose types. The mapping is **ours**, not part of the data set: it was written for
kundfokus from the intent names and example texts, with a one-line reason where the choice is not
obvious. Purpose types:

``problem``
    something went wrong or does not work as expected (declined, failed, missing, unrecognised,
    charged unexpectedly, lost or stolen);
``need``
    the customer wants to obtain something from the organisation (a card, a refund, a new
    passcode, a verification);
``intent``
    the customer wants to carry out an action on their account (transfer, top up, change, cancel,
    close, activate, link);
``question``
    the customer wants information (fees, limits, rates, times, where and why) before anything
    has gone wrong.
"""

from __future__ import annotations

import csv
from importlib import resources

__all__ = ["PURPOSE_TYPES", "banking77_purpose"]

from kundfokus.contacts.rules import PURPOSE_TYPES


def banking77_purpose() -> dict[str, str]:
    """Our mapping of the 77 BANKING77 intents to purpose types.

    Returns
    -------
    dict of intent -> purpose type

    Examples
    --------
    >>> m = banking77_purpose()
    >>> len(m), m["card_arrival"], m["exchange_rate"], m["change_pin"], m["request_refund"]
    (77, 'problem', 'question', 'intent', 'need')
    >>> set(m.values()) <= set(PURPOSE_TYPES)  # no BANKING77 intent is feedback
    True
    """
    text = resources.files(__name__).joinpath("banking77_purpose.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["intent"]: r["purpose_type"] for r in rows}

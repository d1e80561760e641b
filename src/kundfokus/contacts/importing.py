"""Deprecated: importing contacts is a service now, :mod:`kundfokus.services.contacts_import`;
the pure checks are :mod:`kundfokus.contacts.preparation`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.contacts.preparation import CHANNELS, DEFAULT_COLUMNS, parse_timestamp  # noqa: F401
from kundfokus.services.contacts_import import *  # noqa: F403
from kundfokus.services.contacts_import import prepare_contacts  # noqa: F401

moved("kundfokus.contacts.importing", "kundfokus.services.contacts_import")

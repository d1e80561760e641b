"""Deprecated: moved to :mod:`kundfokus.services.demo`."""

from __future__ import annotations

from kundfokus._deprecated import moved
from kundfokus.services.demo import *  # noqa: F403
from kundfokus.services.demo import EXAMPLE_FILES, find_examples, run_demo  # noqa: F401

moved("kundfokus.demo", "kundfokus.services.demo")

"""Customer journeys: events per journey, the journey map (steps, transitions, variants, drop-off,
repeat contacts), computed in the engine the events live in.

- :func:`check_events`: the event schema and its checks (:mod:`kundfokus.journeys.events`).
- :func:`journey_map`: the journey map (:mod:`kundfokus.journeys.map`).
- :func:`load_journeys`: read, check and sort events once for the map and the CPIs both.
- :func:`map_chart`: a Vega-Lite flow chart of the map (:mod:`kundfokus.journeys.chart`).
"""

from __future__ import annotations

from kundfokus.journeys.chart import map_chart
from kundfokus.journeys.columnar import SortedEvents, load_journeys
from kundfokus.journeys.events import OPTIONAL, REQUIRED, check_events, parse_timestamps
from kundfokus.journeys.map import JourneyMap, journey_map

__all__ = [
    "OPTIONAL",
    "REQUIRED",
    "JourneyMap",
    "SortedEvents",
    "check_events",
    "journey_map",
    "load_journeys",
    "map_chart",
    "parse_timestamps",
]

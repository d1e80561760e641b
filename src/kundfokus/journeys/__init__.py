"""Customer journeys: events per journey, the journey map (steps, transitions, variants, drop-off,
repeat contacts), computed in the engine the events live in."""

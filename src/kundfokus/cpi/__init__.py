"""Customer performance indicators (CPIs): outcomes that matter to the customer at each journey
step, defined in YAML and computed from journey events."""

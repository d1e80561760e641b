"""Service recommendations per situation, learnt from confounded history, with offline policy
evaluation (IPS, self-normalised IPS, doubly robust)."""

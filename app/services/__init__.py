"""Use cases: each runs in one transaction and writes state and events together."""

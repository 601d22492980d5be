"""Linting one article: the engine (rule selection, severity, fixes), the context rules look at,
file positions, inline suppressions and the cache of findings."""

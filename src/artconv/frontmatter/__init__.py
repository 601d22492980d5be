"""Front matter as data: YAML node trees with positions, the one definition of the dates site
generators accept, and JSON Schemas (bundled presets or files)."""

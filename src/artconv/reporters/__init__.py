"""Lint reporters, one module per `--format`: text, json, github, sarif (and plugins')."""

"""The errors every layer raises, defined below all of them so that no layer imports upward to
name one: a per-file problem with a position, a conversion refused, a usage or configuration
mistake, a plugin that cannot be loaded."""

from __future__ import annotations


class PositionedError(ValueError):
    """`line` and `column` are 1-based positions in the file, or None where there is none."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __reduce__(self):  # keep the position when a worker process sends the error back
        return type(self), (self.message, self.line, self.column)


class ConversionError(PositionedError):
    """A file that could not be converted without loss."""


class UsageError(ValueError):
    """Command-line options that do not go together (exit code 2)."""


class ConfigError(ValueError):
    """A configuration file that is unreadable or says something artconv does not know (exit code 2)."""


class PluginError(ValueError):
    """A transformer, rule, writer or reporter that is unknown or cannot be loaded (exit code 2)."""

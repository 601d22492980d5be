"""The one error shape every per-file problem takes: a one-line message and a file position."""

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

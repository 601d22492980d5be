"""Regular expressions that come from configuration, compiled by RE2 (google-re2).

A site profile's `remove-text`, `comments` and `lift` patterns and the style transformer's
`keep-classes` are written by whoever writes `.artconv.toml`, and in a content repository that
includes a pull request. Python's `re` backtracks: `(a+)+$` against forty `a`s followed by a `b`
never finishes, so one configuration file beside an article could hang every command and CI.
RE2 matches in time linear in the text, by construction; what it cannot do that way
(backreferences, lookaround) it refuses to compile, and artconv reports that when it loads the
configuration (exit 2), before any file is read.

The patterns artconv ships (profiles/*.toml, the transformers' own) stay with `re`: they are
reviewed here, and keeping them there keeps their output byte for byte.
"""

from __future__ import annotations

from typing import Any


class PatternError(ValueError):
    """A pattern from configuration that RE2 cannot run."""


def compile_user_pattern(pattern: Any, where: str) -> Any:
    """The compiled RE2 pattern (search, fullmatch, groupdict as in `re`), or PatternError."""
    if not isinstance(pattern, str):
        raise PatternError(f"{where}: a pattern must be a string, not {type(pattern).__name__}")
    import re2  # only configurations with patterns of their own pay for the import

    options = re2.Options()
    options.log_errors = False  # the error comes back as our one line, not as RE2's log on stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(
            f"{where}: pattern {pattern!r} is refused by RE2, the linear-time engine for patterns "
            f"from configuration ({reason}; RE2 has no backreferences or lookaround)"
        ) from None

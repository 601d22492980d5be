"""HT001 undecodable-file: the file is not text in any encoding artconv knows, is binary, or is
over 10 MiB (a dump or a log, not an article: reading it would take minutes and gigabytes).

Fails: a PNG image saved as `post.md`; a file mixing encodings beyond repair; a 50 MB export.

Passes: UTF-8 (with or without BOM), UTF-16, GB18030, Big5, cp1252 text.
"""

from __future__ import annotations

from artconv.rules import Rule


class UndecodableFile(Rule):
    code = "HT001"
    name = "undecodable-file"
    summary = "the file cannot be read as an article (binary, undecodable, or over 10 MiB)"
    severity = "error"  # nothing else can be checked in the file

    def check(self, context):
        if context.decode_error is not None:
            yield context.finding(self, 1, 1, context.decode_error.message)

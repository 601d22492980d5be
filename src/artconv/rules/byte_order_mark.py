"""FM007 byte-order-mark: the file starts with a UTF-8 byte-order mark.

Jekyll, Hugo and many editors then do not see `---` as the first line, and the front matter
is shown as text. The fix rewrites the file without the mark.

Fails: a file whose first bytes are EF BB BF, then `---`.

Passes: the same file without those three bytes.
"""

from __future__ import annotations

import codecs

from artconv.rules import Fix, Rule


class ByteOrderMark(Rule):
    code = "FM007"
    name = "byte-order-mark"
    summary = "a UTF-8 byte-order mark before the front matter"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic
    fix = Fix(transformer=None, safe=True)  # writing the file back is the fix

    def check(self, context):
        if context.data.startswith(codecs.BOM_UTF8) and context.article is not None and context.article.has_front_matter:
            yield context.finding(self, 1, 1, "byte-order mark before '---': some generators then miss the front matter")

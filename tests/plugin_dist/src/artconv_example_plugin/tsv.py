"""A reporter, `--format tsv`: one tab-separated line per finding, with a header, for spreadsheets.

One module and one entry point are all a new lint output format takes.
"""

from artconv.reporters.base import BaseReporter, severity


class TsvReporter(BaseReporter):
    format = "tsv"
    summary = "tab-separated values: path, line, column, code, severity, message"

    def __init__(self, out, color=False):
        super().__init__(out, color)
        out.write("path\tline\tcolumn\tcode\tseverity\tmessage\n")

    def add(self, findings):
        for f in findings:
            self.out.write(f"{f.path}\t{f.line}\t{f.column}\t{f.code}\t{severity(f)}\t{f.message}\n")

"""`artconv server`: the lint engine behind a Language Server, for editors.

Two modules with one job each: `adapter` lints an editor's unsaved text and computes fixes and
edits in plain terms (0-based lines, code-point columns; no LSP types), and `protocol` is the
pygls glue (document sync, debouncing, UTF-16 positions, diagnostics and code actions).
"""

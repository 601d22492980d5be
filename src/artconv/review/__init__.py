"""The review page of a run (`artconv convert … --report review.html`, `artconv lint … --report`):
what each file looked like before and after, as one self-contained, sanitised HTML page.

entry.py turns one file's outcome into the data the page shows (rendered, sanitised, diffed,
compressed), diff.py diffs the visible text word by word, page.py assembles the page from the
template (page.html, page.css, page.js: package data) with its Content-Security-Policy."""

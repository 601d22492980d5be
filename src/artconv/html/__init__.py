"""HTML helpers with no knowledge of articles: tree edits, tags in Markdown text, tag balance,
and the element sets and character classes every writer shares."""

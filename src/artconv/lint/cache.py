"""A cache of lint findings for unchanged files, in `.artconv_cache/` (as ruff's `.ruff_cache`)
at the project root: the nearest folder above the linted paths that holds pyproject.toml,
.artconv.toml or .git, so that a run from any folder of the repository finds the same cache.
Entries are keyed by the path relative to that root.

An entry is keyed by the file's content hash, the configuration that applies to it (schema files
included) and the rule selection, under a folder named after the artconv version. The cache is
one file per selection, read once and written once per run, through a temporary file and
`os.replace`: concurrent runs never see a half-written cache, the last one simply wins.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

try:
    # BLAKE2 is built into CPython; hashlib would first load OpenSSL (6 ms of every lint run)
    from _blake2 import blake2b as _digest
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b as _digest

from artconv.core.atomic import write_atomically
from artconv.core.config import Config
from artconv.core.version import __version__
from artconv.lint.findings import Finding

CACHE_DIR = ".artconv_cache"
ROOT_MARKERS = ("pyproject.toml", ".artconv.toml", ".git")


def project_root(arguments: list[str]) -> Path:
    """The folder the cache goes in: the nearest one above the paths' common folder holding a
    project marker, or the current folder when none does."""
    folders = [a if os.path.isdir(a) else os.path.dirname(a) or "." for a in arguments if a != "-"] or ["."]
    start = os.path.commonpath([os.path.abspath(f) for f in folders])
    folder = start
    while True:
        if any(os.path.exists(os.path.join(folder, marker)) for marker in ROOT_MARKERS):
            return Path(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            return Path.cwd()
        folder = parent


def content_key(data: bytes, config: Config) -> str:
    return _digest(data, digest_size=32).hexdigest() + ":" + config_key(config)


_config_keys: dict[int, tuple[Config, str]] = {}


def config_key(config: Config) -> str:
    known = _config_keys.get(id(config))
    if known is None or known[0] is not config:  # holding the config keeps its id unique
        known = (config, _config_key(config))
        _config_keys[id(config)] = known
    return known[1]


def _config_key(config: Config) -> str:
    digest = _digest(repr(config).encode("utf-8"), digest_size=32)
    settings = config.lint
    for _, schema in ((None, settings.schema), *settings.schemas):
        if schema and settings.root and (Path(settings.root) / schema).is_file():
            digest.update((Path(settings.root) / schema).read_bytes())
    return digest.hexdigest()[:16]


class LintCache:
    """Findings of unchanged files. A message is stored once and a finding as three numbers
    (line, column, message index): a repository's findings repeat the same few dozen messages,
    and the compact form loads in a fraction of the time and memory."""

    def __init__(self, selection_key: str, folder: Path | None = None):
        name = _digest(selection_key.encode("utf-8"), digest_size=8).hexdigest() + ".json"
        self.root = os.path.abspath(folder or Path.cwd())
        self.path = Path(self.root) / CACHE_DIR / __version__ / name
        self.messages: list[tuple] = []
        self.files: dict[str, list] = {}
        self.fresh: dict[str, list] = {}
        self._index: dict[tuple, int] = {}
        self.changed = False
        try:
            stored = json.loads(self.path.read_text("utf-8"))
            self.messages = [tuple(m) for m in stored["messages"]]
            self.files = stored["files"]
        except (OSError, ValueError, KeyError, TypeError):
            self.messages, self.files = [], {}  # no cache, or not one we can read: start afresh
        self._index = {message: index for index, message in enumerate(self.messages)}

    def _name(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), self.root)

    def get(self, path: str, key: str) -> list[Finding] | None:
        name = self._name(path)
        entry = self.files.get(name)
        if entry is None or entry[0] != key:
            return None
        try:
            rows, messages, make = entry[1], self.messages, Finding._make
            findings = [make((path, rows[i], rows[i + 1], *messages[rows[i + 2]])) for i in range(0, len(rows), 3)]
        except (IndexError, TypeError):
            return None  # a damaged entry is a miss, never an error
        self.fresh[name] = entry
        return findings

    def put(self, path: str, key: str, findings: list[Finding]) -> None:
        rows: list[int] = []
        for finding in findings:
            message = (finding.code, finding.message, finding.name, finding.fix, finding.severity)
            index = self._index.get(message)
            if index is None:
                index = self._index[message] = len(self.messages)
                self.messages.append(message)
            rows += (finding.line, finding.column, index)
        self.fresh[self._name(path)] = [key, rows]
        self.changed = True

    def save(self) -> None:
        """Keep the entries of this run (files gone or changed drop out), atomically."""
        if not self.changed and self.fresh.keys() == self.files.keys():
            return  # a warm run that changed nothing need not rewrite the cache
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.path.parent.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# written by artconv\n*\n", "utf-8")
            # dumps (C encoder), not dump (which encodes in Python, chunk by chunk); written like an
            # article, so an interrupted run leaves neither a half cache nor a temporary file
            data = json.dumps(self._compacted(), ensure_ascii=False, separators=(",", ":"))
            write_atomically(self.path, data.encode("utf-8"))
        except OSError:
            pass  # a read-only checkout lints fine without a cache

    def _compacted(self) -> dict:
        """This run's entries with only the messages they use (the table never grows stale)."""
        used: dict[int, int] = {}
        files = {}
        for path, (key, rows) in self.fresh.items():
            renumbered = list(rows)
            for i in range(2, len(rows), 3):
                renumbered[i] = used.setdefault(rows[i], len(used))
            files[path] = [key, renumbered]
        messages = [None] * len(used)
        for old, new in used.items():
            messages[new] = self.messages[old]
        return {"messages": messages, "files": files}

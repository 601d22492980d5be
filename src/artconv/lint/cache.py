"""A cache of lint findings for unchanged files, in `.artconv_cache/` (as ruff's `.ruff_cache`)
at the project root: the nearest folder above the linted paths that holds pyproject.toml,
.artconv.toml or .git, so that a run from any folder of the repository finds the same cache.
Entries are keyed by the path relative to that root.

An entry is keyed by the file's content hash, the configuration that applies to it (schema files
included) and the rule selection, under a folder named after the artconv version and the
selection. The cache is written in segments of SEGMENT_FILES files, in the order the run met
them, each segment a file of its own; an index, replaced last and atomically, names the segments
and the range of paths each holds. A run holds one segment being written and the one or two
being read, never the whole cache: memory does not grow with the number of files. Runs walk
files in the same sorted order, so a warm run reads each old segment once, in turn; a segment
whose every entry a run found unchanged is kept as it is, not written again. Concurrent runs
never see a half-written cache (segments are written through a temporary file and
`os.replace`, under names no other run uses): the last index written wins.
"""

from __future__ import annotations

import bisect
import json
import os
import time
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
SEGMENT_FILES = 2048  # entries a segment holds: about 100 KB of JSON
_INDEX = "index.json"
_LOADED = 2  # old segments held at once: the current one, and the one a stray path asked for


def content_key(data: bytes, config: Config) -> str:
    return _digest(data, digest_size=32).hexdigest() + ":" + config_key(config)


# A file modified this recently may be modified again within the same clock tick, keeping its
# size and stamp: as git does with "racily clean" entries, its stamp is not trusted (not stored).
RACY_SECONDS = 2.0


def file_stamp(path: str, now: float) -> str | None:
    """Size, modification time and inode of a file, or None when they cannot vouch for its
    content (modified less than RACY_SECONDS before `now`). Taken before the file is read: a
    change after that leaves a stamp older than the content, which only costs a read."""
    status = os.stat(path)
    if status.st_mtime > now - RACY_SECONDS:
        return None
    return f"{status.st_size}:{status.st_mtime_ns}:{status.st_ino}"


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


def _order(path: str) -> tuple[str, ...]:
    """Paths compared as discovery sorts them: part by part."""
    return tuple(path.split(os.sep))


class _Segment:
    """Entries of a run of files. A message is stored once and a finding as three numbers (line,
    column, message index): a repository's findings repeat the same few dozen messages, and the
    compact form loads in a fraction of the time and memory."""

    def __init__(self, messages: list[tuple] | None = None, files: dict[str, list] | None = None):
        self.messages = messages or []
        self.files = files or {}
        self._index = {message: index for index, message in enumerate(self.messages)}

    def findings(self, name: str, key: str, path: str) -> list[Finding] | None:
        """The findings stored under `name` (relative to the project root), reported for `path`."""
        entry = self.files.get(name)
        if entry is None or entry[0] != key:
            return None
        return self._made(entry, path)

    def unchanged(self, name: str, stamp: str, config: str, path: str) -> list[Finding] | None:
        """The findings stored under `name` when the file's stamp and the configuration part of
        its key (content_key: "content hash:configuration key") are the ones stored."""
        entry = self.files.get(name)
        if entry is None or len(entry) < 3 or entry[2] != stamp or not str(entry[0]).endswith(":" + config):
            return None
        return self._made(entry, path)

    def _made(self, entry: list, path: str) -> list[Finding] | None:
        try:
            rows, messages, make = entry[1], self.messages, Finding._make
            return [make((path, rows[i], rows[i + 1], *messages[rows[i + 2]])) for i in range(0, len(rows), 3)]
        except (IndexError, TypeError):
            return None  # a damaged entry is a miss, never an error

    def put(self, path: str, key: str, findings: list[Finding], stamp: str | None = None) -> None:
        rows: list[int] = []
        for finding in findings:
            message = (finding.code, finding.message, finding.name, finding.fix, finding.severity)
            index = self._index.get(message)
            if index is None:
                index = self._index[message] = len(self.messages)
                self.messages.append(message)
            rows += (finding.line, finding.column, index)
        self.files[path] = [key, rows, stamp]

    def dumps(self) -> bytes:
        # dumps (C encoder), not dump (which encodes in Python, chunk by chunk)
        data = json.dumps({"messages": self.messages, "files": self.files}, ensure_ascii=False, separators=(",", ":"))
        return data.encode("utf-8")


class LintCache:
    """Findings of unchanged files, read and written a segment at a time."""

    def __init__(self, selection_key: str, folder: Path | None = None, segment_files: int = SEGMENT_FILES):
        name = _digest(selection_key.encode("utf-8"), digest_size=8).hexdigest()
        self.root = os.path.abspath(folder or Path.cwd())  # entries are named relative to it
        self.folder = Path(self.root) / CACHE_DIR / __version__ / name
        self.segment_files = segment_files
        self.old = self._read_index()  # [first path, last path, file name, entries], in run order
        self._firsts = sorted((_order(first), number) for number, (first, *_) in enumerate(self.old))
        self._loaded: dict[int, _Segment] = {}
        self.written: list[list] = []  # the new index, segment by segment
        self.current = _Segment()
        self._current_from: set[int] = set()  # old segments whose entries the current one copied
        self._stored = 0  # entries of the current segment this run looked up and wrote anew
        self.changed = False
        self._folders: dict[str, str] = {}  # folder → its path relative to the root
        self.started = time.time()  # stamps of files modified since are not trusted (file_stamp)

    def _read_index(self) -> list[list]:
        try:
            index = json.loads((self.folder / _INDEX).read_text("utf-8"))
            return [list(entry) for entry in index["segments"] if len(entry) == 4]
        except (OSError, ValueError, KeyError, TypeError):
            return []  # no cache, or not one we can read: start afresh

    def _name(self, path: str) -> str:
        # relpath walks both paths each time: once per folder is enough
        folder, name = os.path.split(os.path.abspath(path))
        relative = self._folders.get(folder)
        if relative is None:
            relative = self._folders[folder] = os.path.relpath(folder, self.root)
        return name if relative == "." else os.path.join(relative, name)

    def get(self, path: str, key: str, stamp: str | None = None) -> list[Finding] | None:
        """The findings stored for `path` under the content key `key`; `stamp` (file_stamp) is
        kept with the entry, so that the next run knows the file unchanged without reading it."""
        return self._hit(path, stamp, lambda segment, name: segment.findings(name, key, path))

    def get_unchanged(self, path: str, stamp: str, config: Config) -> list[Finding] | None:
        """The findings stored for `path` when the file has the stamp they were stored with
        (the same size, modification time and inode) under the same configuration: what ruff
        and make trust too, with no byte of the file read."""
        configuration = config_key(config)
        return self._hit(path, stamp, lambda segment, name: segment.unchanged(name, stamp, configuration, path))

    def _hit(self, path: str, stamp: str | None, found_in) -> list[Finding] | None:
        """What found_in(segment, name) gives in the first old segment that has it, the entry
        carried into the new cache with `stamp`."""
        name = self._name(path)
        for number in self._candidates(name):
            segment = self._segment(number)
            findings = found_in(segment, name)
            if findings is not None:
                self._keep(name, segment.files[name], segment, number, stamp)
                return findings
        return None

    def put(self, path: str, key: str, findings: list[Finding], stamp: str | None = None) -> None:
        self.current.put(self._name(path), key, findings, stamp)
        self._stored += 1
        self.changed = True
        self._full()

    def _keep(self, path: str, entry: list, segment: _Segment, number: int, stamp: str | None) -> None:
        """Carry a hit into the new cache, its messages renumbered into the current segment."""
        key, rows = entry[0], entry[1]
        renumbered = list(rows)
        for i in range(2, len(rows), 3):
            message = segment.messages[rows[i]]
            index = self.current._index.get(message)
            if index is None:
                index = self.current._index[message] = len(self.current.messages)
                self.current.messages.append(message)
            renumbered[i] = index
        self.current.files[path] = [key, renumbered, stamp]
        if stamp != (entry[2] if len(entry) > 2 else None):
            self._stored += 1  # the segment differs from the old one: it is written anew
            self.changed = True
        self._current_from.add(number)
        self._full()

    def _candidates(self, path: str) -> list[int]:
        """Old segments whose range of paths holds `path`: in a run in order, the one segment
        starting at or before it (ranges of a run in another order may overlap: a few more)."""
        order = _order(path)
        position = bisect.bisect_right(self._firsts, (order, len(self.old)))
        nearest = self._firsts[max(0, position - 4) : position]
        return [number for _, number in reversed(nearest) if _order(self.old[number][1]) >= order][:2]

    def _segment(self, number: int) -> _Segment:
        segment = self._loaded.get(number)
        if segment is None:
            try:
                stored = json.loads((self.folder / self.old[number][2]).read_text("utf-8"))
                segment = _Segment([tuple(m) for m in stored["messages"]], stored["files"])
            except (OSError, ValueError, KeyError, TypeError):
                segment = _Segment()  # gone (another run replaced it) or damaged: all misses
            while len(self._loaded) >= _LOADED:
                del self._loaded[next(iter(self._loaded))]
            self._loaded[number] = segment
        return segment

    def _full(self) -> None:
        if len(self.current.files) >= self.segment_files:
            self._close_segment()

    def _close_segment(self) -> None:
        files = self.current.files
        if not files:
            return
        first, last = min(files, key=_order), max(files, key=_order)
        reused = self._reusable()
        if reused is not None:
            self.written.append([first, last, reused, len(files)])
        else:
            name = f"{os.getpid()}-{_digest(os.urandom(16), digest_size=6).hexdigest()}.json"
            try:
                self._write(name, self.current.dumps())
                self.written.append([first, last, name, len(files)])
            except OSError:
                pass  # a read-only checkout lints fine without a cache
            self.changed = True
        self.current, self._current_from, self._stored = _Segment(), set(), 0

    def _reusable(self) -> str | None:
        """The old segment file the current segment is a copy of, if it is one (a warm run)."""
        if self._stored or len(self._current_from) != 1:
            return None
        number = next(iter(self._current_from))
        first, last, name, entries = self.old[number]
        files = self.current.files
        return name if entries == len(files) and first in files and last in files else None

    def _write(self, name: str, data: bytes) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder.parent.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# written by artconv\n*\n", "utf-8")
        # written like an article, so an interrupted run leaves neither a half file nor a temporary one
        write_atomically(self.folder / name, data)

    def save(self) -> None:
        """Keep the entries of this run (files gone or changed drop out), atomically."""
        self._close_segment()
        if not self.changed and [entry[2] for entry in self.written] == [entry[2] for entry in self.old]:
            return  # a warm run that changed nothing need not rewrite the cache
        try:
            self._write(_INDEX, json.dumps({"segments": self.written}, ensure_ascii=False).encode("utf-8"))
        except OSError:
            return
        kept = {entry[2] for entry in self.written}
        for _, _, name, _ in self.old:
            if name not in kept:
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass

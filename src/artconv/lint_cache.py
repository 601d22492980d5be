"""A cache of lint findings for unchanged files, in `.artconv_cache/` (as ruff's `.ruff_cache`).

An entry is keyed by the file's content hash, the configuration that applies to it (schema files
included) and the rule selection, under a folder named after the artconv version. The cache is
one file per selection, read once and written once per run, through a temporary file and
`os.replace`: concurrent runs never see a half-written cache, the last one simply wins.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from artconv import __version__
from artconv.config import Config
from artconv.findings import Finding

CACHE_DIR = ".artconv_cache"


def content_key(data: bytes, config: Config) -> str:
    return hashlib.sha256(data).hexdigest() + ":" + config_key(config)


_config_keys: dict[int, tuple[Config, str]] = {}


def config_key(config: Config) -> str:
    known = _config_keys.get(id(config))
    if known is None or known[0] is not config:  # holding the config keeps its id unique
        known = (config, _config_key(config))
        _config_keys[id(config)] = known
    return known[1]


def _config_key(config: Config) -> str:
    digest = hashlib.sha256(repr(config).encode("utf-8"))
    settings = config.lint
    for _, schema in ((None, settings.schema), *settings.schemas):
        if schema and settings.root and (Path(settings.root) / schema).is_file():
            digest.update((Path(settings.root) / schema).read_bytes())
    return digest.hexdigest()[:16]


class LintCache:
    def __init__(self, selection_key: str, folder: Path | None = None):
        name = hashlib.sha256(selection_key.encode("utf-8")).hexdigest()[:16] + ".json"
        self.path = (folder or Path.cwd()) / CACHE_DIR / __version__ / name
        self.entries: dict[str, list] = {}
        self.fresh: dict[str, list] = {}
        self.changed = False
        try:
            self.entries = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def get(self, path: str, key: str) -> list[Finding] | None:
        entry = self.entries.get(path)
        if entry is None or entry[0] != key:
            return None
        self.fresh[path] = entry
        return [Finding(path, *fields) for fields in entry[1]]

    def put(self, path: str, key: str, findings: list[Finding]) -> None:
        self.fresh[path] = [key, [[f.line, f.column, f.code, f.message, f.name, f.fix] for f in findings]]
        self.changed = True

    def save(self) -> None:
        """Keep the entries of this run (files gone or changed drop out), atomically."""
        if not self.changed and self.fresh.keys() == self.entries.keys():
            return  # a warm run that changed nothing need not rewrite the cache
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.path.parent.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# written by artconv\n*\n", "utf-8")
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                # dumps (C encoder), not dump (which encodes in Python, chunk by chunk)
                out.write(json.dumps(self.fresh, ensure_ascii=False, separators=(",", ":")))
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only checkout lints fine without a cache

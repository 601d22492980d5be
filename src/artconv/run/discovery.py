"""Finding the article files under the paths a user names, for `lint` and `convert` alike.

As ruff does: a folder is walked, skipping what `.gitignore` files (nested ones too) and
`.git/info/exclude` ignore inside a git work tree, and what the `exclude`/`extend-exclude`
patterns (gitignore syntax, from the configuration or `--exclude`/`--extend-exclude`) match.
A file named on the command line is taken as it is, unless `--force-exclude` applies the
exclude patterns to it too (what a pre-commit hook, which names every staged file, wants).

The walk streams: each folder is listed once, sorted by name, and its files are yielded before
the next folder is listed, so a 100,000-file repository never sits in memory as a list. The
order is the same as sorting whole paths part by part.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from artconv.core.config import DEFAULT_EXCLUDE, Config, config_for
from artconv.core.names import quote_name

if TYPE_CHECKING:
    import pathspec


@dataclass(frozen=True)
class Source:
    """An article file to process, and the path it maps to under an output folder."""

    path: Path
    root: Path | None = None  # the folder argument it was found under; None when named itself

    @cached_property  # a frozen dataclass still has a __dict__ for it: asked three times a file
    def relative(self) -> Path:
        """Where it goes under --output (computed on demand: most runs never ask)."""
        return self.path.relative_to(self.root) if self.root is not None else _relative_for_file(self.path)


@dataclass(frozen=True)
class Exclusions:
    """What the command line says about skipping files; the configuration adds its own."""

    exclude: tuple[str, ...] | None = None  # --exclude: replaces the configuration's `exclude`
    extend_exclude: tuple[str, ...] = ()  # --extend-exclude: added to everything else
    force: bool = False  # --force-exclude: files named on the command line are checked too
    respect_gitignore: bool | None = None  # None: as the configuration says (default: yes)
    base: str = field(default_factory=os.getcwd)  # command-line patterns are relative to it


NO_EXCLUSIONS = Exclusions()


def missing(arguments: list[str]) -> list[str]:
    """An error line for each argument that names nothing: checked before any file is read, so
    that a typo in a path stops a run (exit 2, lint and convert alike) instead of passing."""
    return [f"{quote_name(a)}: no such file or directory" for a in arguments if a != "-" and not os.path.lexists(a)]


def discover(
    arguments: list[str], skip: Path | None = None, exclusions: Exclusions = NO_EXCLUSIONS
) -> Iterator[Source | str]:
    """Article files under each argument, in order; yields an error string for a missing path.

    Directories are searched for the extensions their configuration names; files named
    explicitly are taken whatever their extension. `skip` (the output folder) is never entered,
    so an output folder inside the input folder is not read back as input.
    """
    walker = _Walker(exclusions, skip.resolve() if skip is not None else None)
    for argument in arguments:
        root = Path(argument)
        if exclusions.force and walker.force_excluded(os.path.abspath(argument)):
            continue
        if root.is_file():
            yield Source(root)
        elif root.is_dir():
            yield from walker.walk(root)
        elif root.exists():
            yield f"{quote_name(argument)}: not a regular file"
        else:
            yield f"{quote_name(argument)}: no such file or directory"


def is_excluded(path: str, exclusions: Exclusions) -> bool:
    """Whether --force-exclude drops this path (for stdin's --stdin-filename too)."""
    return _Walker(exclusions, None).force_excluded(os.path.abspath(path))


def _relative_for_file(path: Path) -> Path:
    """A file named on the command line keeps its relative path under --output (so that
    `a/x.md b/x.md` do not collide); an absolute or `..` path keeps only its name."""
    if path.is_absolute() or ".." in path.parts:
        return Path(path.name)
    return path


# (the folder the patterns are relative to, the patterns, whether any can match a file: a file
# below an ignored folder is never reached, so folder-only patterns need not see files)
Matcher = tuple[str, "pathspec.PathSpec", bool]
# Python's re, not the RE2 backend pathspec picks when google-re2 is installed: RE2 refuses a
# file name that is not UTF-8 (held as surrogates), and a walk must not stop at one
_BACKEND = "simple"


class _Answer:
    __slots__ = ("include",)

    def __init__(self, include: bool | None) -> None:
        self.include = include


class _DefaultFolders:
    """What pathspec's GitIgnoreSpec answers for the default patterns, `.*/`, `node_modules/`
    and `__pycache__/`: a folder at any depth whose name starts with a dot or is one of the
    others, and all that is under it; never a file by its own name. Most runs use only these,
    and no longer import pathspec for them (11 ms of a warm lint of a whole repository)."""

    # a part followed by "/" is a folder ("a/b/" names folders a and b; "a/b.md" only a); one
    # search in C, since the walk asks this of every entry with its whole relative path
    _FOLDER = re.compile(r"(?:^|/)(?:\.[^/]*|node_modules|__pycache__)/")
    _YES, _NO_OPINION = _Answer(True), _Answer(None)

    def check_file(self, relative: str) -> _Answer:
        return self._YES if self._FOLDER.search(relative) else self._NO_OPINION


def _matcher(where: str, lines: list[str] | tuple[str, ...]) -> Matcher:
    if tuple(lines) == DEFAULT_EXCLUDE:
        return where, _DefaultFolders(), False  # type: ignore[return-value]
    # imported here: a run on named files (a pre-commit hook's) walks nothing and skips its 16 ms
    import pathspec

    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    files_too = any(not pattern.endswith("/") for pattern in patterns)
    return where, pathspec.GitIgnoreSpec.from_lines(lines, backend=_BACKEND), files_too


class _Walker:
    def __init__(self, exclusions: Exclusions, skip: Path | None) -> None:
        self.exclusions = exclusions
        self.skip = skip
        self.base = os.path.abspath(exclusions.base)
        self._matchers: dict[int, tuple[Config, list[Matcher]]] = {}

    def walk(self, root: Path) -> Iterator[Source]:
        top = os.path.abspath(root)
        config = config_for(os.path.join(top, "_"))
        ignores = _gitignores_above(top) if self._respects_gitignore(config) else []
        # a stack of folder listings, not recursion: a repository may nest folders as deep as
        # its paths allow (1,500 levels of one-letter names fit in PATH_MAX)
        stack = [self._folder(top, str(root), root, ignores)]
        while stack:
            found = next(stack[-1], None)
            if found is None:
                stack.pop()
            elif isinstance(found, Source):
                yield found
            else:
                stack.append(self._folder(*found))

    def _folder(self, folder: str, shown: str, root: Path, ignores: list[Matcher]) -> Iterator[Source | tuple]:
        """The files of one folder and, in name order among them, its subfolders (as the
        arguments of their own listing, which `walk` reads in their place).
        `folder` is absolute (for matching); `shown` is as the user spelt it (for the output)."""
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return  # an unreadable folder holds nothing we can read, as os.walk had it
        config = config_for(os.path.join(folder, "_"))
        if ignores and any(entry.name == ".gitignore" for entry in entries):
            ignores = [*ignores, *_gitignore_in(folder)]
        ignored, excluded = _in_folder(folder, ignores), _in_folder(folder, self._excludes(config))
        extensions = tuple(config.extensions)
        shown_path = Path(shown)
        for entry in entries:
            name, is_dir = entry.name, _is_dir(entry)
            if is_dir and name == ".git":
                continue  # never content, whatever the patterns say
            if _verdict(name, is_dir, ignored) or _verdict(name, is_dir, excluded):
                continue
            path = os.path.join(folder, name)
            if is_dir:
                if not entry.is_symlink() and not self._is_output(path):
                    yield (path, os.path.join(shown, name), root, ignores)
            elif name.endswith(extensions) and not _special(entry, path):
                yield Source(shown_path / name, root)

    def force_excluded(self, path: str) -> bool:
        """--force-exclude: the path, or one of its folders inside the patterns' own folder,
        matches an exclude pattern. Folders above it are not asked: a project checked out under
        a hidden folder (~/.local/src/site) must not be excluded by the default `.*/`."""
        config = config_for(path if not os.path.isdir(path) else os.path.join(path, "_"))
        excludes = self._excludes(config)
        is_dir = os.path.isdir(path)
        if _matches(path, is_dir, excludes):
            return True
        while True:
            parent = os.path.dirname(path)
            inside = [m for m in excludes if parent.startswith(m[0].rstrip(os.sep) + os.sep)]
            if parent == path or not inside:
                return False
            if _matches(parent, True, inside):
                return True
            path = parent

    def _respects_gitignore(self, config: Config) -> bool:
        chosen = self.exclusions.respect_gitignore
        return config.respect_gitignore if chosen is None else chosen

    def _excludes(self, config: Config) -> list[Matcher]:
        known = self._matchers.get(id(config))
        if known is None or known[0] is not config:  # holding the config keeps its id unique
            known = (config, self._build_excludes(config))
            self._matchers[id(config)] = known
        return known[1]

    def _build_excludes(self, config: Config) -> list[Matcher]:
        # patterns from the configuration are relative to its file's folder, as ruff has them
        home = os.path.dirname(os.path.abspath(config.source)) if config.source else self.base
        own = self.exclusions.exclude
        layers = [
            (self.base, own) if own is not None else (home, config.exclude),
            (home, config.extend_exclude),
            (self.base, self.exclusions.extend_exclude),
        ]
        return [_matcher(where, lines) for where, lines in layers if lines]

    def _is_output(self, path: str) -> bool:
        # only a folder of the output's own name can be it (the walk enters no link, and a real
        # folder's resolved path ends in its name): resolving every folder met was an lstat per
        # level of each, cubic in the depth (1,500 nested folders took 40 s of system time)
        if self.skip is None or os.path.basename(path) != self.skip.name:
            return False
        return Path(path).resolve() == self.skip


def _matches(path: str, is_dir: bool, matchers: list[Matcher]) -> bool:
    """Whether the patterns ignore `path` (absolute), for a path met outside a walk."""
    return _verdict(os.path.basename(path), is_dir, _in_folder(os.path.dirname(path), matchers))


Check = tuple[str | None, "pathspec.PathSpec", bool]


def _in_folder(folder: str, matchers: list[Matcher]) -> list[Check]:
    """The matchers as they apply to the entries of one folder: each with the entries' path
    prefix relative to its patterns' folder (None outside it: then only patterns without a
    slash can match, on the name), computed once per folder rather than once per file."""
    checks = []
    for where, spec, files_too in matchers:
        if folder == where:
            prefix: str | None = ""
        elif folder.startswith(where.rstrip(os.sep) + os.sep):
            prefix = folder[len(where.rstrip(os.sep)) + 1 :].replace(os.sep, "/") + "/"
        else:
            prefix = None
        checks.append((prefix, spec, files_too))
    return checks


def _verdict(name: str, is_dir: bool, checks: list[Check]) -> bool:
    """Whether the last matcher with an opinion on the entry ignores it: a deeper .gitignore's
    `!keep.md` wins over its parent's `*.md`, as in git."""
    verdict = False
    for prefix, spec, files_too in checks:
        if not (is_dir or files_too):
            continue
        relative = name if prefix is None else prefix + name
        result = spec.check_file(relative + "/" if is_dir else relative)
        if result.include is not None:
            verdict = result.include
    return verdict


def _git_top(folder: str) -> str | None:
    """The work tree a folder is in (the nearest folder above it holding `.git`), or None."""
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _gitignores_above(top: str) -> list[Matcher]:
    """The ignore files that apply when a walk starts at `top`: .git/info/exclude and every
    .gitignore from the work tree's root down to `top` (read once; deeper ones as walked)."""
    work_tree = _git_top(top)
    if work_tree is None:
        return []
    matchers = _spec_from(work_tree, os.path.join(work_tree, ".git", "info", "exclude"))
    folder, below = work_tree, os.path.relpath(top, work_tree)
    for part in ([] if below == "." else below.split(os.sep)):
        matchers += _gitignore_in(folder)  # top's own is read by the walk, as any folder's
        folder = os.path.join(folder, part)
    # a work tree without ignore files still counts: an empty matcher marks "inside git"
    return matchers or [_matcher(work_tree, [])]


def _gitignore_in(folder: str) -> list[Matcher]:
    return _spec_from(folder, os.path.join(folder, ".gitignore"))


def _spec_from(folder: str, file: str) -> list[Matcher]:
    try:
        with open(file, encoding="utf-8", errors="surrogateescape") as handle:
            return [_matcher(folder, handle.read().splitlines())]
    except OSError:
        return []


def _is_dir(entry: os.DirEntry) -> bool:
    """A folder to walk; a looping symlink is not (it is a file that cannot be read, reported so)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _special(entry: os.DirEntry, path: str) -> bool:
    """A FIFO, socket or device: reading a FIFO would block a walk forever.

    A dangling or looping symlink is not special: reading it fails, and that is reported.
    """
    try:
        return not entry.is_file() and os.path.exists(path)
    except OSError:
        return False

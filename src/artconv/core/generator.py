"""Which site generator builds an article: configured, or read from the repository's own markers.

The generator decides what in a body is template syntax (kept as opaque islands, core/islands.py)
and whether Hexo's brace escaping runs: Hexo reads `{{`, `{%` and `{#` in a post through
Nunjucks, while Jekyll and Hugo would show `&#123;` as a literal entity in code and break
`{% raw %}`. So a repository that is not plainly Hexo never gets brace entities.

`auto` walks up from the article's folder to the repository root (a folder holding `.git`) or the
file-system root, and takes the first folder with a strong marker:

- Hexo: `_config.yml` beside a `package.json` that mentions hexo;
- Hugo: `hugo.toml`/`hugo.yaml`/`hugo.json`, or `config.toml`/`config.yaml` beside `content/`;
- Jekyll: `_config.yml` (without Hexo's package.json), or a `Gemfile` that mentions jekyll or
  github-pages.

A `_posts/` folder alone is a weak sign of Jekyll: Hexo keeps posts in `source/_posts/` too, so
it only decides when no strong marker is found further up. Each folder is looked at once per
run (a repository of thousands of articles has a few dozen folders).
"""

from __future__ import annotations

import os
from functools import lru_cache

GENERATORS = ("auto", "hexo", "jekyll", "hugo", "none")
UNKNOWN = "unknown"  # `auto` with no marker found: template syntax kept, braces never escaped


def generator_for(path: str | os.PathLike[str] | None, configured: str = "auto") -> str:
    """The generator that builds the article at `path`: hexo, jekyll, hugo, none or unknown."""
    if configured != "auto":
        return configured
    if path is None:
        return UNKNOWN
    return _detected(os.path.dirname(os.path.abspath(path)))


_answered: dict[str, str] = {}  # folder → what _detected says of it
_MAX_ANSWERED = 4096


def _detected(folder: str) -> str:
    """The nearest strong marker up to the repository root; failing one, the weak sign found
    furthest up. The folders are climbed in a loop to the first one already answered (or one
    that ends the climb), then answered on the way down, each from its parent: not recursion,
    as folders may nest deeper than Python's stack, and a walk down them asks at every level."""
    climbed = []
    level = folder
    while level not in _answered:
        climbed.append(level)
        strong, _, last = _markers(level)
        parent = os.path.dirname(level)
        if strong is not None or last or parent == level:
            break  # the climb ends here: this level's answer is its own
        level = parent
    if level in _answered:
        answer = _answered[level]
    else:
        strong, weak, _ = _markers(climbed.pop())
        answer = strong if strong is not None else weak
        _answered[level] = answer
    for below in reversed(climbed):  # no marker of their own that ends a climb
        answer = answer if answer != UNKNOWN else _markers(below)[1]
        _answered[below] = answer
    if len(_answered) > _MAX_ANSWERED:
        _answered.clear()
    return answer


@lru_cache(maxsize=4096)
def _markers(folder: str) -> tuple[str | None, str, bool]:
    """(its strong marker or None, its weak sign or unknown, whether it is a repository root);
    cached: the folders of one repository share the walk up."""
    weak = "jekyll" if os.path.isdir(os.path.join(folder, "_posts")) else UNKNOWN
    return _strong_marker(folder), weak, os.path.exists(os.path.join(folder, ".git"))


def _strong_marker(folder: str) -> str | None:
    config_yml = os.path.isfile(os.path.join(folder, "_config.yml"))
    if config_yml and _mentions(os.path.join(folder, "package.json"), ("hexo",)):
        return "hexo"
    if any(os.path.isfile(os.path.join(folder, name)) for name in ("hugo.toml", "hugo.yaml", "hugo.json")):
        return "hugo"
    if os.path.isdir(os.path.join(folder, "content")) and any(
        os.path.isfile(os.path.join(folder, name)) for name in ("config.toml", "config.yaml")
    ):
        return "hugo"
    if config_yml or _mentions(os.path.join(folder, "Gemfile"), ("jekyll", "github-pages")):
        return "jekyll"
    return None


def _mentions(path: str, words: tuple[str, ...]) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(200_000).lower()
    except OSError:
        return False
    return any(word in text for word in words)

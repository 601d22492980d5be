"""Entry points of third-party packages, without paying for importlib.metadata when there are none.

Importing importlib.metadata and scanning every installed distribution costs 15-20 ms, a tenth of
`artconv lint ONE.md`. Most installations have no rule plugin, so the distributions' own
entry_points.txt files are searched for the group's header first; only when one names the group
does importlib.metadata load the entry points.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache


@lru_cache(maxsize=8)
def entry_points(group: str) -> tuple:
    if not _declared_anywhere(group):
        return ()
    from importlib.metadata import entry_points as installed

    return tuple(installed(group=group))


def _declared_anywhere(group: str) -> bool:
    header = f"[{group}]"
    for folder in dict.fromkeys(sys.path):  # keeps order, drops repeats
        try:
            entries = os.scandir(folder or ".")
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not entry.name.endswith((".dist-info", ".egg-info")):
                    continue
                try:
                    with open(os.path.join(entry.path, "entry_points.txt"), encoding="utf-8", errors="replace") as handle:
                        if header in handle.read():
                            return True
                except OSError:
                    continue
    return False

"""The shape of the package: imports flow one way, and no module or function grows too big.

Read from the source with `ast`, so that the checks see every import, including those inside
functions (lazy imports still make a circle) and under `if TYPE_CHECKING:` (a circle for the
reader, and one refactoring away from a real one).
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "artconv"

# Lowest first: a module may import from its own layer (without making a circle) and from the
# layers below it, never from one above. Read → transform → write, and check → report.
LAYERS = [
    {"html"},  # tree edits, tags in Markdown text, tag balance: knows nothing about articles
    {"core"},  # errors, decoding, the reader, body split, Document, pipeline, guard, config, plugins
    {"frontmatter"},  # YAML nodes, dates, schemas
    {"transformers"},
    {"writers"},
    {"lint"},  # the engine, the context rules look at, positions, suppressions, cache
    {"rules"},
    {"reporters"},
    {"convert"},  # the library API of one article: read → transform → write
    {"review"},  # the review page of a run: rendered bodies, word diffs, the page itself
    {"run"},  # many files: discovery, worker pool, progress, summaries, exit codes
    {"server"},  # the language server: lint over an editor's unsaved text
    {"cli", "entry", "__main__", "__init__"},
]
MAX_MODULE_LINES = 500
MAX_COMPLEXITY = 15


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@lru_cache(maxsize=1)
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@lru_cache(maxsize=1)
def _trees() -> dict[str, ast.Module]:
    return {name: ast.parse(path.read_text("utf-8"), str(path)) for name, path in _modules().items()}


def _resolve(name: str) -> str | None:
    """The artconv module an import names: the module itself, else the package holding it."""
    while name and name not in _modules():
        name = name.rpartition(".")[0]
    return name or None


def _imports(name: str) -> set[str]:
    found = set()
    for node in ast.walk(_trees()[name]):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from artconv.core import config` names a module; `from artconv.rules import Rule` does not
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "artconv" or target.startswith("artconv."):
                resolved = _resolve(target)
                if resolved and resolved != name:
                    found.add(resolved)
    return found


def _graph() -> dict[str, set[str]]:
    return {name: _imports(name) for name in _modules()}


def _layer(module: str) -> int:
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "__init__"
    for index, layer in enumerate(LAYERS):
        if key in layer:
            return index
    raise AssertionError(f"{module} is in no layer of tests/test_architecture.py: place it")


def test_the_walk_sees_the_imports_it_must():
    graph = _graph()
    assert "artconv.core.article" in graph["artconv.convert"]
    assert "artconv.core.config" in graph["artconv.run.convert"]  # resolves `from artconv.core.config import …`
    assert "artconv.rules" in graph["artconv.rules.script"]  # a package's own __init__ counts


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_imports_only_go_down_the_layers():
    upward = [
        f"{module} imports {target}"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if _layer(target) > _layer(module)
    ]
    assert not upward, "imports against the data flow:\n" + "\n".join(upward)


def test_the_root_package_is_imported_by_no_module():
    # `import artconv` stays the lazy public facade; modules take what they need from below it
    importers = [module for module, targets in _graph().items() if "artconv" in targets and module != "artconv.__main__"]
    assert not importers


@pytest.mark.parametrize("module", sorted(_modules()), ids=str)
def test_modules_stay_small(module):
    lines = len(_modules()[module].read_text("utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module} has {lines} lines (limit {MAX_MODULE_LINES}): split it by job"


# -- cyclomatic complexity, counted as radon counts it --------------------------------------------

_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def complexity(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """1, plus one per decision: if/elif and conditional expressions, loops (and a loop's else),
    except clauses (and a try's else), each extra operand of and/or, comprehension loops and
    their ifs, match cases, asserts. Nested functions and classes count on their own."""
    total = 1
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, _NESTED):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.If | ast.IfExp | ast.Assert | ast.match_case):
            total += 1
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            total += 1 + bool(node.orelse)
        elif isinstance(node, ast.Try):
            total += len(node.handlers) + bool(node.orelse)
        elif isinstance(node, ast.BoolOp):
            total += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            total += 1 + len(node.ifs)
    return total


def _complexity_of(source: str) -> int:
    return complexity(ast.parse(source).body[0])


def test_the_complexity_count_follows_radon():
    assert _complexity_of("def f(a):\n    return a\n") == 1
    assert _complexity_of("def f(a, b, c):\n    if a:\n        if b:\n            print(c)\n    elif c:\n        return 2\n") == 4
    assert _complexity_of("def f(a, b, c):\n    return a and b or c\n") == 3
    assert _complexity_of("def f(xs):\n    for x in xs:\n        pass\n    else:\n        pass\n") == 3
    assert _complexity_of("def f():\n    try:\n        g()\n    except A:\n        pass\n    except B:\n        pass\n") == 3
    assert _complexity_of("def f(xs):\n    return [x for x in xs if x]\n") == 3
    assert _complexity_of("def f(a):\n    def g():\n        if a:\n            pass\n    return g\n") == 1


def test_no_function_is_too_complex():
    too_complex = []
    for module, tree in sorted(_trees().items()):
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                count = complexity(node)
                if count > MAX_COMPLEXITY:
                    too_complex.append(f"{module}:{node.lineno} {node.name} has complexity {count}")
    assert not too_complex, f"over {MAX_COMPLEXITY}:\n" + "\n".join(too_complex)

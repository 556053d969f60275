"""Import rules that keep the layers apart, read from the source with `ast` (nothing is imported).

The direction (docs/architecture.md): shared types (replies, postbacks, clock, errors, settings) at
the bottom; models, nlu, knowledge and services above them; dialogue above those; the application
core (events) and the adapters (line, console, worker, simulator) at the top. LINE stays in
otopbot.line; settings is the only reader of the environment; no two modules import each other.
Imports under `if TYPE_CHECKING:` are for annotations only and do not run, so they are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src" / "otopbot"
# PyThaiNLP reads two variables when first imported; nlu/__init__.py sets safe defaults (documented there)
ENVIRONMENT_READERS = {"otopbot.settings", "otopbot.nlu"}


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_name(path): path for path in sorted(SRC.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those inside `if TYPE_CHECKING:` blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in (child, *_runtime_nodes(child)))
            continue
        yield node
        yield from _runtime_nodes(node)


def _absolute(module: str, node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every module name this file imports at run time (`from a import b` counts a.b when b is a module)."""
    path = _modules()[module]
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node, path)
            names.update(f"{base}.{a.name}" if f"{base}.{a.name}" in _modules() else base for a in node.names)
    return frozenset(names)


def _in(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _offenders(layer: str, *forbidden: str) -> list[str]:
    return sorted(f"{m} imports {n}" for m in _modules() if _in(m, layer) for n in imports_of(m) if _in(n, *forbidden))


@pytest.mark.parametrize("layer", ["otopbot.services", "otopbot.knowledge", "otopbot.models"])
def test_the_domain_never_imports_the_dialogue(layer: str) -> None:
    assert _offenders(layer, "otopbot.dialogue", "otopbot.events", "otopbot.worker", "otopbot.console") == []


def test_the_line_adapter_never_imports_the_core_it_serves() -> None:
    assert _offenders("otopbot.line", "otopbot.worker", "otopbot.events", "otopbot.dialogue") == []


@pytest.mark.parametrize("layer", ["otopbot.nlu", "otopbot.dialogue", "otopbot.services", "otopbot.knowledge"])
def test_understanding_and_deciding_know_no_web_framework_and_no_line(layer: str) -> None:
    assert _offenders(layer, "flask", "werkzeug", "linebot", "otopbot.line", "otopbot.simulator") == []


def test_only_the_line_package_imports_the_line_sdk() -> None:
    offenders = [m for m in _modules() if not _in(m, "otopbot.line") and any(_in(n, "linebot") for n in imports_of(m))]
    assert offenders == []


def _reads_environment(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv", "environb"):
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(a.name in ("environ", "getenv", "environb") for a in node.names)
        ):
            return True
    return False


def test_only_settings_reads_the_environment() -> None:
    readers = {m for m, path in _modules().items() if _reads_environment(path)}
    assert readers <= ENVIRONMENT_READERS, sorted(readers - ENVIRONMENT_READERS)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_two_modules_import_each_other_even_through_others() -> None:
    graph = {m: {n for n in imports_of(m) if n in _modules() and n != m} for m in _modules()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_import_graph_sees_imports_of_every_form() -> None:
    assert {"otopbot.line.webhook", "otopbot.events"} <= imports_of("otopbot.app")  # from a.b import c
    assert "otopbot.dialogue.state" in imports_of("otopbot.dialogue.router")  # from a import module
    assert "otopbot.dialogue.forms" not in imports_of("otopbot.dialogue.parsers")  # only under TYPE_CHECKING

"""Import rules that keep the layers apart: LINE stays in otopbot.line; nlu and dialogue know no Flask."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src" / "otopbot"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(under: Path) -> list[Path]:
    return sorted(under.rglob("*.py"))


def test_only_the_line_package_imports_the_line_sdk() -> None:
    offenders = [str(p.relative_to(SRC)) for p in _modules(SRC)
                 if "line" not in p.relative_to(SRC).parts[:1]
                 and any(n == "linebot" or n.startswith("linebot.") for n in _imports(p))]
    assert offenders == []


@pytest.mark.parametrize("package", ["nlu", "dialogue", "services", "knowledge"])
def test_domain_packages_do_not_import_flask_or_the_line_package(package: str) -> None:
    offenders = [str(p.relative_to(SRC)) for p in _modules(SRC / package)
                 if any(n == "flask" or n.startswith(("flask.", "otopbot.line", "linebot")) for n in _imports(p))]
    assert offenders == []

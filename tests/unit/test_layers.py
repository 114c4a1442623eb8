"""The layers of docs/architecture.md: no module imports a layer above its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# Layer → the first-party packages it must never import.
FORBIDDEN = {
    "modeling": ("neobank_dashboard",),
    "neobank_dashboard.db": (
        "neobank_dashboard.services",
        "neobank_dashboard.api",
        "neobank_dashboard.state",
    ),
    "neobank_dashboard.i18n": (
        "neobank_dashboard.services",
        "neobank_dashboard.state",
        "neobank_dashboard.api",
    ),
    "neobank_dashboard.services": (
        "neobank_dashboard.api",
        "neobank_dashboard.state",
        "neobank_dashboard.views",
        "neobank_dashboard.pages",
        "neobank_dashboard.components",
        "neobank_dashboard.display",
    ),
    "neobank_dashboard.api": (
        "neobank_dashboard.views",
        "neobank_dashboard.pages",
        "neobank_dashboard.components",
    ),
    "neobank_dashboard.components": (
        "neobank_dashboard.state",
        "neobank_dashboard.views",
        "neobank_dashboard.pages",
    ),
    "neobank_dashboard.display": (
        "neobank_dashboard.state",
        "neobank_dashboard.views",
        "neobank_dashboard.pages",
    ),
    "neobank_dashboard.state": (
        "neobank_dashboard.components",
        "neobank_dashboard.views",
        "neobank_dashboard.pages",
    ),
}


def _modules():
    for package in ("modeling", "neobank_dashboard"):
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
            yield name, path


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize(("layer", "forbidden"), FORBIDDEN.items())
def test_no_layer_imports_one_above_it(layer, forbidden):
    offending = sorted(
        f"{name} imports {imported}"
        for name, path in _modules()
        if name == layer or name.startswith(layer + ".")
        for imported in _imports(path)
        if any(imported == f or imported.startswith(f + ".") for f in forbidden)
    )
    assert not offending, "\n".join(offending)

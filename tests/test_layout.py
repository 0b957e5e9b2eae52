"""House rules the layout shows: route module names, no private imports across packages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import keyvex

ROOT = Path(keyvex.__file__).parent
ROUTER = re.compile(r"^\w+ = APIRouter\(", re.M)
ALLOWED = re.compile(r"^(routes|pages|_[a-z_]+_routes)\.py$")


def test_every_module_that_defines_routes_is_named_routes_pages_or_private_routes() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if ROUTER.search(path.read_text()) and not ALLOWED.match(path.name)
    ]
    assert offenders == []


# (importing module, imported private module) pairs that may cross a package boundary: none.
PRIVATE_IMPORT_ALLOWLIST: frozenset[tuple[str, str]] = frozenset()


def _package_of(path: Path) -> str:
    """The top-level package a module belongs to ("" for a module directly under keyvex/)."""
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else ""


def _imported_modules(tree: ast.AST) -> list[str]:
    """Every dotted name an import statement reaches, anywhere in the module (also in functions)."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return names


def _private_of_another_package(name: str, package: str) -> bool:
    parts = name.split(".")
    if parts[0] != "keyvex" or len(parts) < 3 or parts[1] == package:
        return False
    return any(part.startswith("_") and not part.startswith("__") for part in parts[2:])


def test_no_module_imports_a_private_module_of_another_package() -> None:
    offenders = set()
    for path in ROOT.rglob("*.py"):
        package = _package_of(path)
        for name in _imported_modules(ast.parse(path.read_text(), str(path))):
            if _private_of_another_package(name, package):
                offenders.add((str(path.relative_to(ROOT)), name))
    assert sorted(offenders - PRIVATE_IMPORT_ALLOWLIST) == []

"""House rules that a file name can show: route modules are named the one way."""

from __future__ import annotations

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

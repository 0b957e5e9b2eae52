"""A public page loads formula-more.js only when its tool's formulas call one of its functions."""

from __future__ import annotations

import gzip
import re
from typing import Any

from fastapi.testclient import TestClient

from keyvex.tools import get_template
from tests.public.test_public_pages import ASSETS, BUDGET

SCRIPTS = re.compile(r'<script src="/kvx/(formula[^"?]*\.js)\?v=[^"]+" defer></script>')


def test_a_tool_with_core_functions_loads_formula_js_alone(
    client: TestClient, publisher: Any
) -> None:
    tool = publisher.publish(get_template("roi-calculator"))
    page = client.get(f"/t/{tool.slug}").text
    assert SCRIPTS.findall(page) == ["formula.js"]


def test_a_tool_calling_median_also_loads_formula_more_js(
    client: TestClient, publisher: Any
) -> None:
    definition = get_template("roi-calculator")
    first = definition.calculations[0]
    first.formula = f"MEDIAN({first.formula})"  # the same value, through formula-more.js
    tool = publisher.publish(definition)
    page = client.get(f"/t/{tool.slug}").text
    assert SCRIPTS.findall(page) == ["formula.js", "formula-more.js"]
    served = client.get("/kvx/formula-more.js?v=1")
    assert served.status_code == 200 and "K.register" in served.text
    # The page budget (60 KB compressed, page and assets) holds with the second file too.
    total = len(gzip.compress(page.encode()))
    for url in ASSETS.findall(page):
        total += len(gzip.compress(client.get(url.replace("&amp;", "&")).content))
    assert total < BUDGET, total

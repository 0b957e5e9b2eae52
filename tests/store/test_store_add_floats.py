"""``add`` with an integral float (a cost of 0.0, say) adds on every backend; DynamoDB used to
refuse it ("incorrect data type"), losing the AI usage counts of a worker on DynamoDB."""

from __future__ import annotations

from keyvex.store import Backend


def test_adding_integral_floats_adds_on_every_backend(backend: Backend) -> None:
    for amount in (0.0, 2.0, 0.5, -0.0):
        backend.update("USER#u1", "USAGE#2026-12-03", add={"requests": 1, "cost_usd": amount})
    item = backend.get("USER#u1", "USAGE#2026-12-03")
    assert item is not None
    assert (item["requests"], item["cost_usd"]) == (4, 2.5)

"""Values and edge conditions every backend keeps the same way: numbers come back as they were
written (an int an int, a float a float, even ``3.0`` and ``1e300``), and sort-key conditions on
the empty string mean what they mean on SQLite (DynamoDB refuses empty key values)."""

from __future__ import annotations

import math

import pytest

from keyvex.store import SK, Backend

NUMBERS = {
    "int": 12,
    "big": 10**30,
    "negative": -7,
    "fraction": 71.5,
    "tiny": 1e-7,
    "whole_float": 3.0,
    "negative_zero": -0.0,
    "huge_float": 1e300,
    "nested": {"answers": [1, 2.5, 4.0, {"deep": 1e-200}], "flag": True, "none": None},
    "text": "",
}


def test_numbers_read_back_with_their_type_and_value(backend: Backend) -> None:
    backend.put({"PK": "N", "SK": "1", **NUMBERS})
    got = backend.get("N", "1")
    assert got is not None
    for name, value in NUMBERS.items():
        assert got[name] == value and type(got[name]) is type(value), name
    assert math.copysign(1, got["negative_zero"]) == -1
    assert got["nested"]["answers"][2] == 4.0 and isinstance(got["nested"]["answers"][2], float)


def test_counters_add_ints_and_fractions(backend: Backend) -> None:
    backend.update("C", "1", add={"views": 2, "score": 1.5})
    new = backend.update("C", "1", add={"views": 3, "score": 0.25})
    assert (new["views"], new["score"]) == (5, 1.75)
    assert isinstance(new["views"], int)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (SK.ge(""), ["a", "b"]),
        (SK.gt(""), ["a", "b"]),
        (SK.begins_with(""), ["a", "b"]),
        (SK.between("", "a"), ["a"]),
        (SK.le(""), []),
        (SK.lt(""), []),
        (SK.eq(""), []),
    ],
)
def test_sort_key_conditions_on_the_empty_string(
    backend: Backend, condition: SK, expected: list[str]
) -> None:
    for sk in ("a", "b"):
        backend.put({"PK": "E", "SK": sk, "GSI1PK": "G", "GSI1SK": sk})
    assert [i["SK"] for i in backend.query("E", condition).items] == expected
    assert [i["SK"] for i in backend.query("G", condition, index="GSI1").items] == expected


def test_batch_get_with_a_key_twice(backend: Backend) -> None:
    backend.put({"PK": "B", "SK": "1"})
    assert [i["SK"] for i in backend.batch_get([("B", "1"), ("B", "1")])] == ["1", "1"]


def test_an_update_on_an_expired_item_starts_a_new_one(backend: Backend, clock) -> None:  # type: ignore[no-untyped-def]
    backend.put({"PK": "X", "SK": "1", "old": "gone", "n": 5, "ttl": int(clock.now) + 10})
    clock.now += 60
    new = backend.update("X", "1", add={"n": 1})
    assert new["n"] == 1 and new["version"] == 1 and "old" not in new and "ttl" not in new

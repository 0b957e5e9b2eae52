"""The item-store contract: what every backend (SQLite now, DynamoDB later) must do."""

from __future__ import annotations

import pytest

from keyvex.errors import Invalid
from keyvex.store import (
    MAX_ITEM_BYTES,
    SK,
    Backend,
    CancelReason,
    Check,
    Condition,
    ConditionFailed,
    Delete,
    ItemTooLarge,
    Put,
    TransactionCanceled,
    Update,
)


def item(pk: str, sk: str, **attrs: object) -> dict[str, object]:
    return {"PK": pk, "SK": sk, **attrs}


def test_put_then_get_returns_the_item_with_managed_attributes(backend: Backend) -> None:
    backend.put(item("USER#1", "PROFILE", email="a@example.com", entity_type="user"))
    got = backend.get("USER#1", "PROFILE")
    assert got is not None
    assert got["email"] == "a@example.com"
    assert got["version"] == 1
    assert got["created_at"] and got["updated_at"]


def test_get_of_a_missing_item_is_none(backend: Backend) -> None:
    assert backend.get("USER#nobody", "PROFILE") is None


def test_put_with_not_exists_refuses_a_second_write(backend: Backend) -> None:
    backend.put(item("A", "1", n=1), Condition.not_exists())
    with pytest.raises(ConditionFailed):
        backend.put(item("A", "1", n=2), Condition.not_exists())
    assert backend.get("A", "1")["n"] == 1  # type: ignore[index]


def test_put_with_version_condition_is_optimistic_locking(backend: Backend) -> None:
    first = backend.put(item("A", "1", n=1))
    second = backend.put({**first, "n": 2}, Condition.version_is(first["version"]))
    assert second["version"] == 2
    with pytest.raises(ConditionFailed):
        backend.put({**first, "n": 3}, Condition.version_is(first["version"]))
    assert backend.get("A", "1")["n"] == 2  # type: ignore[index]


def test_update_sets_adds_and_removes_atomically(backend: Backend) -> None:
    backend.put(item("T#1", "STAT#2026-01-01", views=1, note="x"))
    new = backend.update(
        "T#1",
        "STAT#2026-01-01",
        set={"label": "day"},
        add={"views": 2, "leads": 1},
        remove=["note"],
    )
    assert new["views"] == 3 and new["leads"] == 1 and new["label"] == "day"
    assert "note" not in new
    assert new["version"] == 2
    assert backend.get("T#1", "STAT#2026-01-01") == new


def test_update_creates_a_missing_item_like_dynamodb(backend: Backend) -> None:
    new = backend.update("T#1", "STAT#d", add={"views": 1})
    assert new["views"] == 1 and new["version"] == 1


def test_update_with_failing_condition_changes_nothing(backend: Backend) -> None:
    backend.put(item("A", "1", n=1))
    with pytest.raises(ConditionFailed):
        backend.update("A", "1", add={"n": 1}, condition=Condition.version_is(7))
    with pytest.raises(ConditionFailed):
        backend.update("B", "1", set={"n": 1}, condition=Condition.exists())
    assert backend.get("A", "1")["n"] == 1  # type: ignore[index]
    assert backend.get("B", "1") is None


def test_update_refuses_managed_attributes_and_non_numeric_adds(backend: Backend) -> None:
    backend.put(item("A", "1", name="x"))
    with pytest.raises(Invalid, match="managed"):
        backend.update("A", "1", set={"version": 99})
    with pytest.raises(Invalid, match="number"):
        backend.update("A", "1", add={"name": 1})


def test_delete_with_condition(backend: Backend) -> None:
    backend.put(item("A", "1"))
    with pytest.raises(ConditionFailed):
        backend.delete("A", "1", Condition.version_is(5))
    assert backend.get("A", "1") is not None
    deleted = backend.delete("A", "1", Condition.version_is(1))
    assert deleted is not None and deleted["SK"] == "1"
    assert backend.get("A", "1") is None
    assert backend.delete("A", "1") is None


@pytest.fixture
def partition(backend: Backend) -> Backend:
    backend.batch_write(
        puts=[item("P", f"LEAD#{i:03d}", i=i) for i in range(30)]
        + [item("P", "PROFILE"), item("Q", "LEAD#000")]
    )
    return backend


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (SK.eq("LEAD#005"), [5]),
        (SK.begins_with("LEAD#00"), list(range(10))),
        (SK.between("LEAD#010", "LEAD#012"), [10, 11, 12]),
        (SK.lt("LEAD#002"), [0, 1]),
        (SK.le("LEAD#002"), [0, 1, 2]),
        (SK.gt("LEAD#027"), [28, 29, "PROFILE"]),
        (SK.ge("LEAD#028"), [28, 29, "PROFILE"]),
    ],
)
def test_query_sort_key_conditions(
    partition: Backend, condition: SK, expected: list[int | str]
) -> None:
    page = partition.query("P", condition)
    assert [i.get("i", i["SK"]) for i in page.items] == expected
    assert page.cursor is None


def test_query_descending_with_limit(partition: Backend) -> None:
    page = partition.query("P", SK.begins_with("LEAD#"), ascending=False, limit=3)
    assert [i["i"] for i in page.items] == [29, 28, 27]
    assert page.cursor is not None


@pytest.mark.parametrize("ascending", [True, False])
def test_query_pages_through_a_partition_with_a_cursor(partition: Backend, ascending: bool) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        page = partition.query(
            "P", SK.begins_with("LEAD#"), ascending=ascending, limit=7, cursor=cursor
        )
        seen.extend(i["i"] for i in page.items)
        if page.cursor is None:
            break
        cursor = page.cursor
    assert seen == sorted(range(30), reverse=not ascending)


def test_cursor_of_one_partition_is_refused_for_another(partition: Backend) -> None:
    page = partition.query("P", limit=2)
    assert page.cursor is not None
    with pytest.raises(Invalid, match="cursor"):
        partition.query("Q", cursor=page.cursor)
    with pytest.raises(Invalid, match="cursor"):
        partition.query("P", cursor="not-a-cursor!!")


def test_query_limit_must_be_sane(partition: Backend) -> None:
    with pytest.raises(Invalid):
        partition.query("P", limit=0)


@pytest.mark.parametrize(
    ("index", "pk_attr", "sk_attr"), [("GSI1", "GSI1PK", "GSI1SK"), ("GSI2", "GSI2PK", "GSI2SK")]
)
def test_query_on_secondary_indexes(
    backend: Backend, index: str, pk_attr: str, sk_attr: str
) -> None:
    for i in range(12):
        backend.put(
            item(
                f"TOOL#{i % 3}",
                f"LEAD#{i:02d}",
                **{pk_attr: "USER#u#LEADS", sk_attr: f"2026-01-{i % 4:02d}"},
                i=i,
            )
        )
    backend.put(item("X", "Y", **{pk_attr: "USER#other#LEADS", sk_attr: "2026-01-01"}))
    everything = backend.query("USER#u#LEADS", index=index).items
    assert len(everything) == 12
    assert [x[sk_attr] for x in everything] == sorted(x[sk_attr] for x in everything)
    seen, cursor = [], None
    while True:
        page = backend.query(
            "USER#u#LEADS",
            SK.ge("2026-01-01"),
            index=index,
            ascending=False,
            limit=4,
            cursor=cursor,
        )
        seen.extend(x["i"] for x in page.items)
        if page.cursor is None:
            break
        cursor = page.cursor
    assert sorted(seen) == sorted(x["i"] for x in everything if x[sk_attr] >= "2026-01-01")
    assert len(seen) == len(set(seen))


def test_index_keys_come_in_pairs(backend: Backend) -> None:
    with pytest.raises(Invalid, match="GSI1"):
        backend.put(item("A", "1", GSI1PK="only-half"))


def test_unknown_index_is_refused(backend: Backend) -> None:
    with pytest.raises(Invalid, match="index"):
        backend.query("A", index="GSI9")


def test_batch_get_returns_found_items_in_request_order(backend: Backend) -> None:
    backend.batch_write(puts=[item("B", str(i), i=i) for i in range(150)])
    keys = [("B", str(i)) for i in (149, 3, 77)] + [("B", "missing")]
    assert [x["i"] for x in backend.batch_get(keys)] == [149, 3, 77]
    assert len(backend.batch_get([("B", str(i)) for i in range(150)])) == 150


def test_batch_write_deletes(backend: Backend) -> None:
    backend.batch_write(puts=[item("B", "1"), item("B", "2")])
    backend.batch_write(deletes=[("B", "1")])
    assert backend.get("B", "1") is None and backend.get("B", "2") is not None


def test_batch_write_validates_everything_before_writing(backend: Backend) -> None:
    with pytest.raises(ItemTooLarge):
        backend.batch_write(puts=[item("B", "1"), item("B", "2", blob="x" * (MAX_ITEM_BYTES + 1))])
    assert backend.get("B", "1") is None


def test_transaction_applies_all_operations(backend: Backend) -> None:
    backend.put(item("A", "1", n=1))
    backend.put(item("A", "gone"))
    backend.transact_write(
        [
            Put(item("U", "PROFILE", email="x"), Condition.not_exists()),
            Put(item("EMAIL#x", "EMAIL", uid="U"), Condition.not_exists()),
            Update("A", "1", add={"n": 1}, condition=Condition.version_is(1)),
            Delete("A", "gone"),
        ]
    )
    assert backend.get("U", "PROFILE") is not None
    assert backend.get("EMAIL#x", "EMAIL") is not None
    assert backend.get("A", "1")["n"] == 2  # type: ignore[index]
    assert backend.get("A", "gone") is None


def test_transaction_is_all_or_nothing(backend: Backend) -> None:
    backend.put(item("EMAIL#taken", "EMAIL"))
    with pytest.raises(TransactionCanceled) as caught:
        backend.transact_write(
            [
                Put(item("U2", "PROFILE"), Condition.not_exists()),
                Put(item("EMAIL#taken", "EMAIL"), Condition.not_exists()),
            ]
        )
    assert caught.value.reasons == [None, CancelReason.CONDITION_FAILED]
    assert backend.get("U2", "PROFILE") is None


def test_transaction_condition_check_without_write(backend: Backend) -> None:
    with pytest.raises(TransactionCanceled):
        backend.transact_write([Check("NOPE", "1", Condition.exists()), Put(item("A", "1"))])
    assert backend.get("A", "1") is None


def test_transaction_limits(backend: Backend) -> None:
    with pytest.raises(Invalid, match="at most 100"):
        backend.transact_write([Put(item("A", str(i))) for i in range(101)])
    with pytest.raises(Invalid, match="once"):
        backend.transact_write([Put(item("A", "1")), Delete("A", "1")])
    backend.transact_write([Put(item("A", str(i))) for i in range(100)])
    assert len(backend.query("A").items) == 100


def test_oversized_item_gets_a_clear_error(backend: Backend) -> None:
    with pytest.raises(ItemTooLarge, match="400 KB.*blob store"):
        backend.put(item("A", "1", payload="x" * MAX_ITEM_BYTES))
    assert backend.get("A", "1") is None
    backend.put(item("A", "1", payload="x" * (MAX_ITEM_BYTES - 1000)))


def test_items_must_be_json_values(backend: Backend) -> None:
    with pytest.raises(Invalid):
        backend.put(item("A", "1", bad=object()))
    with pytest.raises(Invalid):
        backend.put(item("A", "1", bad=float("nan")))
    with pytest.raises(Invalid, match="PK"):
        backend.put({"SK": "x"})


def test_expired_items_are_invisible_then_swept(backend: Backend, clock) -> None:  # type: ignore[no-untyped-def]
    now = int(clock.now)
    backend.put(item("D", "ACTIVITY#1", ttl=now + 60))
    backend.put(item("D", "ACTIVITY#2", ttl=now + 3600))
    backend.put(item("D", "KEEP"))
    assert len(backend.query("D").items) == 3
    clock.now += 120
    assert backend.get("D", "ACTIVITY#1") is None
    assert [x["SK"] for x in backend.query("D").items] == ["ACTIVITY#2", "KEEP"]
    assert backend.batch_get([("D", "ACTIVITY#1")]) == []
    backend.put(item("D", "ACTIVITY#1"), Condition.not_exists())  # expired counts as absent
    clock.now += 7200
    assert backend.sweep_expired() == 1
    assert [x["SK"] for x in backend.query("D").items] == ["ACTIVITY#1", "KEEP"]


def test_ping_answers(backend: Backend) -> None:
    backend.ping()


def test_index_reads_cannot_ask_for_consistency(backend: Backend) -> None:
    backend.put({**item("A", "1"), "GSI1PK": "G", "GSI1SK": "1"})
    assert backend.get("A", "1", consistent=True) is not None
    assert len(backend.query("A", consistent=True).items) == 1
    with pytest.raises(Invalid, match="eventually consistent"):
        backend.query("G", index="GSI1", consistent=True)


def test_a_cancelled_transaction_names_the_failed_condition_by_position(backend: Backend) -> None:
    backend.put(item("A", "1"))
    with pytest.raises(TransactionCanceled) as caught:
        backend.transact_write([Put(item("A", "2")), Put(item("A", "1"), Condition.not_exists())])
    assert caught.value.reasons == [None, CancelReason.CONDITION_FAILED]
    assert caught.value.failed_condition(1) and not caught.value.failed_condition(0)
    assert not caught.value.conflict_only

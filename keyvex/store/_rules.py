"""The rules every item-store backend applies the same way, so that code which works on one
backend works on all: key and index shape, the 400 KB item limit and JSON types, managed
attributes (``version``, ``created_at``, ``updated_at``), update semantics (set / add /
remove, each attribute once, numbers only for add), transaction shape (1 to 100 operations on
distinct items) and the condition messages callers show.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from keyvex.clock import now_iso
from keyvex.errors import Invalid
from keyvex.store._model import (
    INDEXES,
    MANAGED,
    MAX_ITEM_BYTES,
    MAX_QUERY_LIMIT,
    MAX_TRANSACTION_ITEMS,
    Check,
    Condition,
    Item,
    ItemTooLarge,
    Key,
    Put,
    TransactOp,
    Update,
)


def stamped(item: Item, version: int, created_at: str | None, now: str) -> Item:
    """The item with the attributes the store maintains."""
    result = dict(item)
    result["version"] = version
    result["created_at"] = created_at or now
    result["updated_at"] = now
    return result


def prepare_put(item: Item) -> Item:
    """A whole item ready to write: keys checked, stamped (version + 1), size checked."""
    return encoded_put(item)[0]


def encoded_put(item: Item) -> tuple[Item, str]:
    """``prepare_put`` and the item's JSON text (for a backend that stores the text)."""
    check_keys(item)
    prepared = stamped(item, int(item.get("version") or 0) + 1, item.get("created_at"), now_iso())
    return prepared, encode_item(prepared)


def op_key(op: TransactOp) -> Key:
    if isinstance(op, Put):
        return (op.item["PK"], op.item["SK"])
    return (op.pk, op.sk)


def encode_item(item: Item) -> str:
    """Serialise an item, enforcing JSON types and the 400 KB limit."""
    try:
        text = json.dumps(item, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        where = f"{item.get('PK')!r}/{item.get('SK')!r}"
        raise Invalid(f"Item {where} holds a value the store cannot keep: {exc}.") from exc
    # A character is at most 4 bytes in UTF-8: most items need no encoding to know.
    size = len(text) if len(text) * 4 <= MAX_ITEM_BYTES else len(text.encode("utf-8"))
    if size > MAX_ITEM_BYTES:
        raise ItemTooLarge(
            f"Item {item.get('PK')!r}/{item.get('SK')!r} is {size // 1024} KB; the limit is "
            f"{MAX_ITEM_BYTES // 1024} KB. Store large payloads in the blob store and keep a "
            "reference in the item."
        )
    return text


def check_keys(item: Item) -> None:
    """Validate the key attributes of an item about to be written."""
    for attr in ("PK", "SK"):
        value = item.get(attr)
        if not isinstance(value, str) or not value:
            raise Invalid(f"Every item needs a non-empty string {attr}.")
    for index, (pk_attr, sk_attr) in INDEXES.items():
        has_pk, has_sk = pk_attr in item, sk_attr in item
        if has_pk != has_sk:
            raise Invalid(f"{index} needs both {pk_attr} and {sk_attr}, or neither.")
        if has_pk and not (isinstance(item[pk_attr], str) and isinstance(item[sk_attr], str)):
            raise Invalid(f"{pk_attr} and {sk_attr} must be strings.")
    ttl = item.get("ttl")
    if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool)):
        raise Invalid("ttl must be an integer number of seconds since the epoch.")


def check_query(index: str | None, consistent: bool) -> None:
    if index is not None and index not in INDEXES:
        raise Invalid(f"Unknown index {index!r}; use GSI1 or GSI2.")
    if index is not None and consistent:
        raise Invalid(
            "Index queries are eventually consistent; query the table to read your writes."
        )


def check_limit(limit: int | None) -> int:
    if limit is None:
        return MAX_QUERY_LIMIT
    if limit < 1 or limit > MAX_QUERY_LIMIT:
        raise Invalid(f"A query limit must be between 1 and {MAX_QUERY_LIMIT}.")
    return limit


def condition_message(condition: Condition, pk: str, sk: str) -> str:
    if condition.kind == "not_exists":
        return f"Item {pk}/{sk} already exists."
    if condition.kind == "exists":
        return f"Item {pk}/{sk} does not exist."
    return f"Item {pk}/{sk} is no longer at version {condition.version}."


def check_update(change: Update) -> None:
    touched = set(change.set) | set(change.add) | set(change.remove)
    managed = touched & MANAGED
    if managed:
        raise Invalid(
            f"Attributes {sorted(managed)} are managed by the store and cannot be updated."
        )
    if len(touched) != len(change.set) + len(change.add) + len(change.remove):
        raise Invalid("An update may touch each attribute once (set, add or remove).")
    for name, amount in change.add.items():
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise Invalid(f"Cannot add {amount!r} to {name}: only numbers can be added.")


def apply_update(current: Item | None, change: Update) -> Item:
    new: Item = dict(current) if current else {"PK": change.pk, "SK": change.sk}
    new.update(change.set)
    for name, amount in change.add.items():
        existing = new.get(name, 0)
        if isinstance(existing, bool) or not isinstance(existing, int | float):
            raise Invalid(
                f"Cannot add to {name}: it holds {type(existing).__name__}, not a number."
            )
        new[name] = existing + amount
    for name in change.remove:
        new.pop(name, None)
    check_keys(new)
    version = int(current["version"]) + 1 if current else 1
    created = current.get("created_at") if current else None
    return stamped(new, version, created, now_iso())


def check_transaction(ops: Sequence[TransactOp]) -> None:
    if not ops:
        raise Invalid("A transaction needs at least one operation.")
    if len(ops) > MAX_TRANSACTION_ITEMS:
        raise Invalid(f"A transaction may hold at most {MAX_TRANSACTION_ITEMS} operations.")
    keys = [op_key(o) for o in ops]
    if len(set(keys)) != len(keys):
        raise Invalid("A transaction may touch each item only once.")
    for o in ops:
        if isinstance(o, Check) and o.condition is None:
            raise Invalid("A check operation needs a condition.")

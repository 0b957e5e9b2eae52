"""How the store's rules read on DynamoDB items: keys, positions, expiry, update checks."""

from __future__ import annotations

from typing import Any

from keyvex.errors import Invalid
from keyvex.store._dynamo_codec import decode_item, encode_value
from keyvex.store._model import INDEXES, CancelReason, Condition, ConditionFailed, Item, Update
from keyvex.store._rules import apply_update, condition_message


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def expired(item: Item, now: int) -> bool:
    ttl = item.get("ttl")
    return isinstance(ttl, int) and ttl <= now


def check_set_values(change: Update) -> None:
    """What ``check_keys`` would refuse in the updated item, decidable without reading it."""
    for pk_attr, sk_attr in INDEXES.values():
        for attr in (pk_attr, sk_attr):
            if attr in change.set and not isinstance(change.set[attr], str):
                raise Invalid(f"{pk_attr} and {sk_attr} must be strings.")
    ttl = change.set.get("ttl")
    if ttl is not None and (not isinstance(ttl, int) or isinstance(ttl, bool)):
        raise Invalid("ttl must be an integer number of seconds since the epoch.")
    for value in change.set.values():
        encode_value(value)


def why_update_failed(change: Update, raw: dict[str, Any] | None, now: int) -> CancelReason | None:
    """CONDITION_FAILED, or None for an expired leftover (or a change meanwhile) to clear
    and try again; raises Invalid for what ``apply_update`` refuses."""
    current = None if raw is None else decode_item(raw)
    if current is not None and expired(current, now):
        current = None
    if change.condition is not None and not change.condition.holds(current):
        return CancelReason.CONDITION_FAILED
    if current is not None and raw is not None:
        for name in change.add:
            if name in raw and "N" not in raw[name]:
                held = type(current[name]).__name__
                raise Invalid(f"Cannot add to {name}: it holds {held}, not a number.")
    apply_update(current, change)  # raises what SQLite raises (index keys in pairs)
    return None


def failed(condition: Condition | None, pk: str, sk: str) -> ConditionFailed:
    if condition is None:  # only the store's own guards failed: the item changed meanwhile
        return ConditionFailed(f"Item {pk}/{sk} was changed by someone else; try again.")
    return ConditionFailed(condition_message(condition, pk, sk))


def position(item: Item, index: str | None) -> list[str]:
    if index is None:
        return [item["SK"]]
    return [item[INDEXES[index][1]], item["PK"], item["SK"]]


def start_key(index: str | None, pk: str, position: list[str]) -> dict[str, Any]:
    if index is None:
        return key(pk, position[0])
    pk_attr, sk_attr = INDEXES[index]
    return {pk_attr: {"S": pk}, sk_attr: {"S": position[0]}, **key(position[1], position[2])}

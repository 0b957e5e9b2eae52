"""Types shared by every item-store backend: keys, conditions, pages, transaction ops."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from keyvex.errors import Conflict, Invalid

Item = dict[str, Any]
Key = tuple[str, str]

#: DynamoDB's item size limit; the SQLite backend enforces the same so code that
#: works on one backend works on the other.
MAX_ITEM_BYTES = 400 * 1024
MAX_TRANSACTION_ITEMS = 100  # DynamoDB TransactWriteItems' limit
MAX_QUERY_LIMIT = 1000

INDEXES: dict[str, tuple[str, str]] = {"GSI1": ("GSI1PK", "GSI1SK"), "GSI2": ("GSI2PK", "GSI2SK")}
#: Attributes the store maintains itself; callers may not set them through ``update``.
MANAGED = frozenset({"PK", "SK", "version", "created_at"})


class ConditionFailed(Conflict):
    """A conditional write found the item in a state other than the one required."""

    title = "The item was changed by someone else"


class TransactionCanceled(ConditionFailed):
    """A transactional write was rolled back; ``reasons[i]`` says why op ``i`` failed."""

    def __init__(self, message: str, reasons: list[str | None]) -> None:
        super().__init__(message)
        self.reasons = reasons


class ItemTooLarge(Invalid):
    """An item is over the 400 KB limit; large payloads belong in the blob store."""

    status = 413
    title = "Item too large"


@dataclass(frozen=True, slots=True)
class Condition:
    """A write precondition: the item must exist, must not exist, or have a version."""

    kind: Literal["exists", "not_exists", "version"]
    version: int | None = None

    @classmethod
    def not_exists(cls) -> Condition:
        return cls("not_exists")

    @classmethod
    def exists(cls) -> Condition:
        return cls("exists")

    @classmethod
    def version_is(cls, version: int) -> Condition:
        return cls("version", version)

    def holds(self, current: Item | None) -> bool:
        if self.kind == "not_exists":
            return current is None
        if self.kind == "exists":
            return current is not None
        return current is not None and current.get("version") == self.version


SkOp = Literal["eq", "begins_with", "between", "lt", "le", "gt", "ge"]


@dataclass(frozen=True, slots=True)
class SK:
    """A key condition on the sort key of a query (table or index)."""

    op: SkOp
    value: str
    upper: str | None = None

    @classmethod
    def eq(cls, value: str) -> SK:
        return cls("eq", value)

    @classmethod
    def begins_with(cls, prefix: str) -> SK:
        return cls("begins_with", prefix)

    @classmethod
    def between(cls, low: str, high: str) -> SK:
        return cls("between", low, high)

    @classmethod
    def lt(cls, value: str) -> SK:
        return cls("lt", value)

    @classmethod
    def le(cls, value: str) -> SK:
        return cls("le", value)

    @classmethod
    def gt(cls, value: str) -> SK:
        return cls("gt", value)

    @classmethod
    def ge(cls, value: str) -> SK:
        return cls("ge", value)


@dataclass(slots=True)
class Page:
    """One page of query results; ``cursor`` is None when there is nothing more."""

    items: list[Item]
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Put:
    item: Item
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Update:
    pk: str
    sk: str
    set: Item = field(default_factory=dict)
    add: dict[str, float] = field(default_factory=dict)
    remove: tuple[str, ...] = ()
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Delete:
    pk: str
    sk: str
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Check:
    pk: str
    sk: str
    condition: Condition


TransactOp = Put | Update | Delete | Check


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
    size = len(text.encode("utf-8"))
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


def check_limit(limit: int | None) -> int:
    if limit is None:
        return MAX_QUERY_LIMIT
    if limit < 1 or limit > MAX_QUERY_LIMIT:
        raise Invalid(f"A query limit must be between 1 and {MAX_QUERY_LIMIT}.")
    return limit

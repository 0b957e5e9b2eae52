"""Types shared by every item-store backend: keys, conditions, pages, transaction ops."""

from __future__ import annotations

import enum
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


class CancelReason(enum.Enum):
    """Why one operation of a cancelled transaction failed (DynamoDB's cancellation codes)."""

    #: Its condition did not hold: a real answer ("already exists", "changed meanwhile").
    CONDITION_FAILED = "ConditionalCheckFailed"
    #: Another transaction touched the item at the same moment: worth trying again.
    CONFLICT = "TransactionConflict"
    #: Anything else DynamoDB reports (throttling, capacity, item collection size): not an
    #: answer about the data; the message of the exception names DynamoDB's code.
    OTHER = "Other"


class TransactionCanceled(ConditionFailed):
    """A transactional write was rolled back; ``reasons[i]`` says why op ``i`` failed (None:
    that op was fine). ``ItemStore.transact_write`` retries a transaction cancelled only by
    conflicts; what reaches the caller has a failed condition, or conflicts that outlasted
    the retries."""

    def __init__(self, message: str, reasons: list[CancelReason | None]) -> None:
        super().__init__(message)
        self.reasons = reasons

    @property
    def conflict_only(self) -> bool:
        found = [reason for reason in self.reasons if reason is not None]
        return bool(found) and all(reason is CancelReason.CONFLICT for reason in found)

    def failed_condition(self, index: int) -> bool:
        """Whether operation ``index`` failed because its condition did not hold."""
        return index < len(self.reasons) and self.reasons[index] is CancelReason.CONDITION_FAILED


class WouldBlock(Exception):
    """A read tried on the event loop's thread would have had to wait (see ``inline_reads``);
    ``ItemStore`` runs it again on a worker thread. Never reaches callers of ``ItemStore``."""


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


def due_key(at: float, tail: str = "") -> str:
    """An index sort key that orders by time as text (fixed-width epoch seconds with
    milliseconds), then by ``tail`` to keep keys unique: ``SK.le(due_key(now, "~"))`` finds
    everything due by ``now``. Every due-work index (jobs, webhooks, digests, syncs) uses it."""
    key = f"{max(0.0, at):017.3f}"
    return f"{key}#{tail}" if tail else key

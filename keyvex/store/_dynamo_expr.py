"""DynamoDB expressions for the store's conditions, sort-key conditions and updates.

Every expression treats an item whose ``ttl`` has passed (by the backend's clock) as absent,
as the SQLite backend does: DynamoDB deletes expired items lazily, so they may still be there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from keyvex.errors import Invalid
from keyvex.store._dynamo_codec import encode_value
from keyvex.store._model import INDEXES, SK, Condition, Update


@dataclass
class Expr:
    """Placeholders shared by the expressions of one request."""

    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)

    def name(self, attr: str) -> str:
        for placeholder, known in self.names.items():
            if known == attr:
                return placeholder
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attr
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = encode_value(value)
        return placeholder

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.names:
            params["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            params["ExpressionAttributeValues"] = dict(self.values)
        return params


def absent(expr: Expr, now: int) -> str:
    """The item is not there, or has expired."""
    return f"(attribute_not_exists({expr.name('PK')}) OR {expr.name('ttl')} <= {expr.value(now)})"


def live(expr: Expr, now: int) -> str:
    """The item is there and has not expired."""
    ttl = expr.name("ttl")
    return (
        f"(attribute_exists({expr.name('PK')}) AND "
        f"(attribute_not_exists({ttl}) OR {ttl} > {expr.value(now)}))"
    )


def live_or_absent(expr: Expr, now: int) -> str:
    """Not an expired leftover: what an update needs before it builds on the current item."""
    ttl = expr.name("ttl")
    return f"(attribute_not_exists({ttl}) OR {ttl} > {expr.value(now)})"


def condition(expr: Expr, cond: Condition, now: int) -> str:
    if cond.kind == "not_exists":
        return absent(expr, now)
    if cond.kind == "exists":
        return live(expr, now)
    return f"({expr.name('version')} = {expr.value(cond.version)} AND {live(expr, now)})"


def key_condition(expr: Expr, pk_attr: str, sk_attr: str, pk: str, sk: SK | None) -> str | None:
    """``KeyConditionExpression`` for a partition and an optional sort-key condition; None
    when nothing can match. DynamoDB key values are never empty, so a condition on the empty
    string is decided here (DynamoDB refuses one): ``>= ""`` is everything, ``<= ""`` nothing."""
    parts = [f"{expr.name(pk_attr)} = {expr.value(pk)}"]
    if sk is not None and sk.op == "between" and sk.upper is None:
        raise Invalid("A between condition needs two values.")
    if sk is not None and sk.op == "between" and not sk.value:
        sk = SK.le(sk.upper or "")
    if sk is None or (not sk.value and sk.op in ("begins_with", "ge", "gt")):
        return parts[0]
    if not sk.value:  # eq, le, lt the empty string
        return None
    name = expr.name(sk_attr)
    if sk.op == "begins_with":
        parts.append(f"begins_with({name}, {expr.value(sk.value)})")
    elif sk.op == "between":
        parts.append(f"{name} BETWEEN {expr.value(sk.value)} AND {expr.value(sk.upper)}")
    else:
        ops = {"eq": "=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
        parts.append(f"{name} {ops[sk.op]} {expr.value(sk.value)}")
    return " AND ".join(parts)


def _addend(value: float) -> float:
    """What ``ADD`` is given: a number. An integral float (``0.0``, ``3.0``) would otherwise be
    encoded as the tagged map that keeps it a float, which DynamoDB refuses to add."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def update_expression(expr: Expr, change: Update, now_iso: str) -> str:
    """SET / ADD / REMOVE for a checked ``Update``, maintaining version and timestamps the
    way ``_rules.apply_update`` does (version + 1, or 1 for a new item)."""
    stamp = expr.value(now_iso)
    sets = [f"{expr.name(k)} = {expr.value(v)}" for k, v in change.set.items()]
    created = expr.name("created_at")
    sets += [
        f"{expr.name('updated_at')} = {stamp}",
        f"{created} = if_not_exists({created}, {stamp})",
    ]
    adds = [f"{expr.name(k)} {expr.value(_addend(v))}" for k, v in change.add.items()]
    adds.append(f"{expr.name('version')} {expr.value(1)}")
    text = "SET " + ", ".join(sets) + " ADD " + ", ".join(adds)
    if change.remove:
        text += " REMOVE " + ", ".join(expr.name(k) for k in change.remove)
    return text


def update_condition(expr: Expr, change: Update, now: int) -> str:
    """What must hold for the native update to equal ``apply_update`` on the current item:
    not an expired leftover, the caller's condition, numbers under ``add``, index keys in
    pairs. When it fails the caller works out which part did from the current item."""
    parts = [live_or_absent(expr, now)]
    if change.condition is not None:
        parts.append(condition(expr, change.condition, now))
    for attr in change.add:
        name = expr.name(attr)
        parts.append(f"(attribute_not_exists({name}) OR attribute_type({name}, {expr.value('N')}))")
    parts += _pair_guards(expr, change)
    return " AND ".join(parts)


def _pair_guards(expr: Expr, change: Update) -> list[str]:
    guards: list[str] = []
    for index, (pk_attr, sk_attr) in INDEXES.items():
        for one, other in ((pk_attr, sk_attr), (sk_attr, pk_attr)):
            if one in change.set and other not in change.set:
                if other in change.remove:
                    raise Invalid(f"{index} needs both {pk_attr} and {sk_attr}, or neither.")
                guards.append(f"attribute_exists({expr.name(other)})")
            if one in change.remove and other not in change.remove and other not in change.set:
                guards.append(f"attribute_not_exists({expr.name(other)})")
    return guards

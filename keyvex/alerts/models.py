"""Alert rules (what is watched, above which threshold) and alerts (a rule's breach, kept)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from keyvex.settings import Settings

RuleKind = Literal[
    "daily_cost",
    "cost_per_request",
    "error_rate",
    "p95_latency",
    "fallback_rate",
    "failing_sources",
    "job_failures",
]
AlertState = Literal["open", "acknowledged", "resolved"]


@dataclass(frozen=True, slots=True)
class Kind:
    """What a rule watches: its title, the unit of its value and threshold, the setting that
    holds its default threshold, and whether it needs ``alert_min_requests`` AI requests."""

    title: str
    unit: Literal["usd", "share", "ms", "count"]
    setting: str
    needs_requests: bool


KINDS: dict[RuleKind, Kind] = {
    "daily_cost": Kind("AI cost today (UTC)", "usd", "alert_daily_cost_usd", False),
    "cost_per_request": Kind(
        "AI cost per request today", "usd", "alert_cost_per_request_usd", True
    ),
    "error_rate": Kind("AI error rate today", "share", "alert_error_rate", True),
    "p95_latency": Kind("AI p95 latency today", "ms", "alert_p95_latency_ms", True),
    "fallback_rate": Kind("AI fallback rate today", "share", "alert_fallback_rate", True),
    "failing_sources": Kind("Data sources failing", "count", "alert_failing_sources", False),
    "job_failures": Kind("Jobs given up (last 24 hours)", "count", "alert_job_failures", False),
}


def show(kind: RuleKind, value: float | None) -> str:
    """A value as people read it: $12.50, 23.0%, 1,800 ms, 3."""
    if value is None:
        return "n/a"
    unit = KINDS[kind].unit
    if unit == "usd":
        return f"${value:,.4f}" if 0 < value < 0.1 else f"${value:,.2f}"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "ms":
        return f"{value:,.0f} ms"
    return f"{value:,.0f}"


@dataclass(frozen=True, slots=True)
class Rule:
    kind: RuleKind
    threshold: float
    enabled: bool = True
    customised: bool = False  # False: the setting's default

    @property
    def title(self) -> str:
        return KINDS[self.kind].title

    @property
    def shown(self) -> str:
        return show(self.kind, self.threshold)

    @classmethod
    def default(cls, kind: RuleKind, settings: Settings) -> Rule:
        return cls(kind, float(getattr(settings, KINDS[kind].setting)))


@dataclass(frozen=True, slots=True)
class Alert:
    """One breach of a rule, from opening to resolution."""

    id: str
    kind: RuleKind
    state: AlertState
    threshold: float
    value: float
    last_value: float | None
    message: str
    opened_at: str
    acknowledged_at: str | None = None
    acknowledged_by: str | None = None  # an email; empty once that account has gone
    resolved_at: str | None = None
    sk: str = ""

    @property
    def title(self) -> str:
        return KINDS[self.kind].title

    @property
    def shown_value(self) -> str:
        return show(self.kind, self.value)

    @property
    def shown_last(self) -> str:
        return show(self.kind, self.last_value)

    @property
    def shown_threshold(self) -> str:
        return show(self.kind, self.threshold)

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Alert:
        last = item.get("last_value")
        return cls(
            id=item["alert_id"],
            kind=item["kind"],
            state=item["state"],
            threshold=float(item["threshold"]),
            value=float(item["value"]),
            last_value=None if last is None else float(last),
            message=item.get("message", ""),
            opened_at=item["opened_at"],
            acknowledged_at=item.get("acknowledged_at"),
            acknowledged_by=item.get("acknowledged_by"),
            resolved_at=item.get("resolved_at"),
            sk=item["SK"],
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "state": self.state,
            "threshold": self.threshold,
            "value": self.value,
            "last_value": self.last_value,
            "message": self.message,
            "opened_at": self.opened_at,
            "acknowledged_at": self.acknowledged_at,
            "resolved_at": self.resolved_at,
        }

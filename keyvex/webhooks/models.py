"""Webhook endpoints and deliveries as the rest of the app sees them (secrets never included)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EVENTS = frozenset({"lead.created", "lead.deleted", "tool.published"})
#: Seconds to wait before attempt n+1 (Standard Webhooks' usual schedule): about 27 hours of
#: retries in all, then the delivery fails and the endpoint is disabled with a notice.
RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: str
    owner_id: str
    url: str
    events: tuple[str, ...]
    tool_id: str | None
    status: str
    notice: str
    created_at: str

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Endpoint:
        return cls(
            id=item["webhook_id"],
            owner_id=item["owner_id"],
            url=item["url"],
            events=tuple(item["events"]),
            tool_id=item.get("tool_id"),
            status=item.get("status", "active"),
            notice=item.get("notice", ""),
            created_at=item["created_at"],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "events": list(self.events),
            "tool_id": self.tool_id,
            "status": self.status,
            "notice": self.notice,
            "created_at": self.created_at,
        }


def delivery_json(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["delivery_id"],
        "event": item["event"],
        "state": item["state"],
        "attempts": item.get("attempts", []),
        "created_at": item["created_at"],
        "next_attempt_at": item.get("next_attempt_at"),
    }

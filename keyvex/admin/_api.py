"""Response models of the admin API (``/api/v1/admin``), named in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from keyvex.accounts import User
from keyvex.admin.usage import UsageSummary
from keyvex.web.api_models import ApiModel


class UsageOut(ApiModel):
    start: str
    end: str
    totals: dict[str, Any]
    days: list[dict[str, Any]]
    by_process: list[dict[str, Any]]
    by_provider: list[dict[str, Any]]
    by_model: list[dict[str, Any]]
    creators: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    expensive: list[dict[str, Any]]


class UserOut(ApiModel):
    id: str
    email: str
    name: str
    is_admin: bool
    disabled: bool
    created_at: str


class UserListOut(ApiModel):
    users: list[UserOut]
    more: bool


class HealthOut(ApiModel):
    ok: bool
    checks: list[dict[str, Any]]
    jobs: dict[str, Any]
    dead_letters: list[dict[str, Any]]
    email_failures: list[dict[str, Any]]


class JobOut(ApiModel):
    id: str
    task: str
    status: str


class AuditOut(ApiModel):
    entries: list[dict[str, str]]
    cursor: str | None


def user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "is_admin": user.is_admin,
            "disabled": user.disabled, "created_at": user.created_at}  # fmt: skip


def usage_json(s: UsageSummary) -> dict[str, Any]:
    def named(rows: list[Any]) -> list[dict[str, Any]]:
        return [{"name": name, **f.as_json()} for name, f in rows]

    return {
        "start": s.start.isoformat(),
        "end": s.end.isoformat(),
        "totals": s.totals.as_json(),
        "days": [{"day": day, **f.as_json()} for day, f in s.days],
        "by_process": named(s.by_process),
        "by_provider": named(s.by_provider),
        "by_model": named(s.by_model),
        "creators": [{"user_id": c.uid, "email": c.email, **c.figures.as_json()}
                     for c in s.creators],
        "tools": [{"session_id": t.session_id, "tool_id": t.tool_id, "title": t.title,
                   "user_id": t.uid, "email": t.email, **t.figures.as_json()} for t in s.tools],
        "expensive": [{k: v for k, v in c.items() if k != "SK"} for c in s.expensive],
    }  # fmt: skip

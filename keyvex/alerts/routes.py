"""``/api/v1/admin/alerts``: the alerts page's rules and alerts as JSON, for administrators'
API tokens only (403 problem JSON for anyone else)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from keyvex.admin import audit
from keyvex.alerts.models import Rule
from keyvex.alerts.service import acknowledge, list_alerts, list_rules, save_rule
from keyvex.web.deps import AdminApiUser, AppDep

router = APIRouter(prefix="/api/v1/admin/alerts", tags=["admin"])


class RuleIn(BaseModel):
    threshold: float = Field(ge=0)
    enabled: bool = True


class RuleOut(BaseModel):
    kind: str
    title: str
    threshold: float
    enabled: bool
    customised: bool


class AlertOut(BaseModel):
    id: str
    kind: str
    title: str
    state: str
    threshold: float
    value: float
    last_value: float | None
    message: str
    opened_at: str
    acknowledged_at: str | None
    resolved_at: str | None


class AlertsOut(BaseModel):
    rules: list[RuleOut]
    alerts: list[AlertOut]


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {"kind": rule.kind, "title": rule.title, "threshold": rule.threshold,
            "enabled": rule.enabled, "customised": rule.customised}  # fmt: skip


@router.get("", summary="Alert rules and alerts, newest first", response_model=AlertsOut)
async def alerts_json(app: AppDep, admin: AdminApiUser) -> dict[str, Any]:
    """Every rule, and the alerts newest first (open, acknowledged and resolved)."""
    return {
        "rules": [_rule_json(r) for r in await list_rules(app)],
        "alerts": [a.as_json() for a in await list_alerts(app)],
    }


@router.put("/rules/{kind}", summary="Set an alert rule's threshold and switch",
            response_model=RuleOut)  # fmt: skip
async def rule_put(app: AppDep, admin: AdminApiUser, kind: str, body: RuleIn) -> dict[str, Any]:
    rule = await save_rule(app, admin, kind, repr(body.threshold), body.enabled)
    state = "on" if rule.enabled else "off"
    await audit.record(app, admin, "alert rule", detail=f"{kind} > {rule.threshold:g} ({state})")
    return _rule_json(rule)


@router.post("/{alert_id}/acknowledge", summary="Acknowledge an open alert",
             response_model=AlertOut)  # fmt: skip
async def alert_ack_json(app: AppDep, admin: AdminApiUser, alert_id: str) -> dict[str, Any]:
    alert = await acknowledge(app, admin, alert_id)
    await audit.record(app, admin, "acknowledge alert", detail=f"{alert.kind} {alert.id}")
    return alert.as_json()

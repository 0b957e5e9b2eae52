"""``/admin/alerts``: the alert rules (editable) and the alerts, open and past. Admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from keyvex.admin import audit
from keyvex.alerts.models import KINDS
from keyvex.alerts.service import acknowledge, list_alerts, list_rules, save_rule
from keyvex.errors import KeyvexError
from keyvex.web.deps import AdminUser, AppDep, CsrfChecked
from keyvex.web.templating import render

router = APIRouter(prefix="/admin/alerts", include_in_schema=False)
DONE = {"saved": "The rule is saved.", "acknowledged": "The alert is acknowledged."}


@router.get("")
async def alerts_page(request: Request, app: AppDep, admin: AdminUser, done: str = "") -> Response:
    return await _page(request, app, notice=DONE.get(done, ""))


async def _page(
    request: Request, app: AppDep, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    alerts = await list_alerts(app)
    context = {
        "section": "alerts", "rules": await list_rules(app), "kinds": KINDS,
        "current": [a for a in alerts if a.state != "resolved"],
        "history": [a for a in alerts if a.state == "resolved"],
        "notice": notice, "error": error,
    }  # fmt: skip
    return render(request, "alerts/alerts.html", context, status_code=status)


@router.post("/rules/{kind}", dependencies=[CsrfChecked])
async def rule_save(
    request: Request,
    app: AppDep,
    admin: AdminUser,
    kind: str,
    threshold: Annotated[str, Form(max_length=40)],
    enabled: Annotated[bool, Form()] = False,
) -> Response:
    try:
        rule = await save_rule(app, admin, kind, threshold, enabled)
    except KeyvexError as exc:
        details = " ".join(exc.fields.values())
        return await _page(request, app, error=f"{exc.message} {details}".strip(),
                           status=exc.status)  # fmt: skip
    state = "on" if rule.enabled else "off"
    await audit.record(app, admin, "alert rule", detail=f"{kind} > {rule.threshold:g} ({state})")
    return RedirectResponse("/admin/alerts?done=saved", status_code=303)


@router.post("/{alert_id}/acknowledge", dependencies=[CsrfChecked])
async def alert_ack(request: Request, app: AppDep, admin: AdminUser, alert_id: str) -> Response:
    try:
        alert = await acknowledge(app, admin, alert_id)
    except KeyvexError as exc:
        return await _page(request, app, error=exc.message, status=exc.status)
    await audit.record(app, admin, "acknowledge alert", detail=f"{alert.kind} {alert.id}")
    return RedirectResponse("/admin/alerts?done=acknowledged", status_code=303)

"""The admin area's pages (``/admin``): AI usage, users, system health, the audit log.

Administrators only (``AdminUser``: everyone else gets 403); every form is CSRF-checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from keyvex.accounts.roles import account, list_users
from keyvex.admin import _playground_routes, audit
from keyvex.admin._views import period, render_admin, usage_context
from keyvex.admin.export import usage_csv
from keyvex.admin.health import retry_dead_job, system_health
from keyvex.admin.usage import usage_summary
from keyvex.admin.users import DONE, Action, act_on_user
from keyvex.errors import KeyvexError
from keyvex.web.deps import AdminUser, AppDep, CsrfChecked

router = APIRouter(prefix="/admin", include_in_schema=False)
#: Served at ``/static/admin``.
STATIC_DIR = Path(__file__).parent / "static"
Days = Annotated[int, Query(ge=1, le=366)]
Name = Annotated[str, Query(max_length=200)]


@router.get("")
async def usage_page(
    request: Request, app: AppDep, admin: AdminUser, days: Days = 30,
    process: Name = "", provider: Name = "",
) -> Response:  # fmt: skip
    start, end = period(days)
    summary = await usage_summary(app, start, end, process=process or None,
                                  provider=provider or None)  # fmt: skip
    filters = {k: v for k, v in (("process", process), ("provider", provider)) if v}
    context = usage_context(summary, days, filters)
    return render_admin(request, "admin/usage.html", {"section": "usage", **context})


@router.get("/usage.csv")
async def usage_export(
    app: AppDep, admin: AdminUser, days: Days = 30, process: Name = "", provider: Name = ""
) -> Response:
    start, end = period(days)
    summary = await usage_summary(app, start, end, process=process or None,
                                  provider=provider or None, detail=False)  # fmt: skip
    name = f"keyvex-ai-usage-{start}-{end}.csv"
    return Response(usage_csv(summary), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/users")
async def users_page(
    request: Request, app: AppDep, admin: AdminUser, q: Name = "", done: Name = ""
) -> Response:
    users, more = await list_users(app, q)
    notice = DONE.get(done, "")
    context = {"section": "users", "users": users, "more": more, "q": q, "notice": notice}
    return render_admin(request, "admin/users.html", context)


@router.get("/users/{uid}/delete")
async def delete_page(request: Request, app: AppDep, admin: AdminUser, uid: str) -> Response:
    target = await account(app, uid)
    return render_admin(request, "admin/delete.html", {"section": "users", "target": target})


@router.post("/users/{uid}/{action}", dependencies=[CsrfChecked])
async def user_action(
    request: Request, app: AppDep, admin: AdminUser, uid: str, action: Action
) -> Response:
    try:
        await act_on_user(app, admin, uid, action)
    except KeyvexError as exc:
        users, more = await list_users(app)
        return render_admin(request, "admin/users.html",
                      {"section": "users", "users": users, "more": more, "q": "",
                       "error": exc.message}, status_code=exc.status)  # fmt: skip
    if uid == admin.id and action in ("delete", "disable", "revoke-admin"):
        return RedirectResponse("/dashboard", status_code=303)
    return RedirectResponse(f"/admin/users?done={action}", status_code=303)


@router.get("/health")
async def health_page(request: Request, app: AppDep, admin: AdminUser, done: Name = "") -> Response:
    health = await system_health(app)
    notice = "The job is queued again." if done == "retried" else ""
    return render_admin(request, "admin/health.html",
                  {"section": "health", "health": health, "notice": notice})  # fmt: skip


@router.post("/jobs/{job_id}/retry", dependencies=[CsrfChecked])
async def retry_job(request: Request, app: AppDep, admin: AdminUser, job_id: str) -> Response:
    job = await retry_dead_job(app, job_id)
    await audit.record(app, admin, "retry job", detail=f"{job.name} {job.id}")
    return RedirectResponse("/admin/health?done=retried", status_code=303)


@router.get("/audit")
async def audit_page(
    request: Request, app: AppDep, admin: AdminUser, cursor: Name = ""
) -> Response:
    entries, more = await audit.recent(app, cursor=cursor or None)
    return render_admin(request, "admin/audit.html",
                  {"section": "audit", "entries": entries, "cursor": more})  # fmt: skip


_playground_routes.register(router)

"""Dashboard pages: the tools list, creating (template, import), duplicating, archiving and
deleting tools.

The tool page, leads and funnel routes live in ``_tool_routes`` and ``_lead_routes`` and are
included here, so ``router`` is the one thing the app factory mounts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from keyvex.dashboard import _views as views
from keyvex.dashboard._builder_routes import router as builder_router
from keyvex.dashboard._editor_routes import router as editor_router
from keyvex.dashboard._formula_routes import router as formula_router
from keyvex.dashboard._lead_routes import router as lead_router
from keyvex.dashboard._tool_routes import router as tool_router
from keyvex.dashboard.leads import delete_tool_leads
from keyvex.errors import Invalid, NotFound
from keyvex.tools import ToolValidationError, get_template
from keyvex.tools.service import archive_tool, create_tool, delete_tool, get_tool, unarchive_tool
from keyvex.tools.transfer import import_tool
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_fields
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=200)]
MAX_IMPORT_BYTES = 900_000
NOTICES = {
    "deleted": "The tool was deleted. Its leads were kept.",
    "deleted_leads": "The tool and its leads were deleted.",
    "archived": "The tool was archived. Choose 'Archived tools' to see it again.",
}


def _tool_url(tool_id: str, done: str = "") -> str:
    return f"/dashboard/tools/{tool_id}" + (f"?done={done}" if done else "")


@router.get("/dashboard")
async def home(
    request: Request,
    app: AppDep,
    user: CurrentUser,
    q: Text = "",
    kind: Text = "",
    status: Text = "",
    show: Text = "",
    done: Text = "",
) -> Response:
    rows = await views.tool_rows(app, user, q.strip(), kind, status, show)
    context = {
        "rows": rows,
        "filters": {"q": q, "kind": kind, "status": status, "show": show},
        "kinds": views.KINDS,
        "statuses": views.STATUSES,
        "shows": views.SHOW,
        "notice": NOTICES.get(done, ""),
        "days": views.RECENT_DAYS,
        "short_time": views.short_time,
    }
    return render(request, "dashboard/home.html", context)


def _new_page(request: Request, status: int = 200, **context: object) -> Response:
    ctx = {"templates": views.templates(), "problems": [], **context}
    return render(request, "dashboard/new.html", ctx, status_code=status)


@router.get("/dashboard/new")
async def new_tool(request: Request, user: CurrentUser) -> Response:
    return _new_page(request)


@router.post("/dashboard/tools/from-template", dependencies=[CsrfChecked])
async def from_template(request: Request, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "template_id")
    try:
        definition = get_template(values["template_id"])
    except NotFound as exc:  # an unknown template id: answer on the form
        return _new_page(request, 422, template_error=exc.message)
    tool = await create_tool(app, user, definition, note=f"From template {definition.id}")
    return RedirectResponse(_tool_url(tool.id, "created"), status_code=303)


@router.post("/dashboard/tools/import", dependencies=[CsrfChecked])
async def import_(request: Request, app: AppDep, user: CurrentUser) -> Response:
    async with request.form() as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _new_page(request, 422, problems=[("file", "Choose an exported JSON file.")])
        data = await upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return _new_page(request, 422, problems=[("file", "The file is too large.")])
    try:
        tool = await import_tool(app, user, data)
    except ToolValidationError as exc:
        problems = [(e["path"] or "definition", e["message"]) for e in exc.errors]
        return _new_page(request, 422, problems=problems, import_error=exc.message)
    except Invalid as exc:
        # The summary above the list of problems; a problem of the whole file is said once.
        return _new_page(request, 422, problems=list(exc.fields.items()), import_error=exc.message)
    return RedirectResponse(_tool_url(tool.id, "imported"), status_code=303)


@router.post("/dashboard/tools/{tool_id}/duplicate", dependencies=[CsrfChecked])
async def duplicate(tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    original = await get_tool(app, user, tool_id)
    copy = await create_tool(
        app, user, views.copy_of(original.definition), note=f"Duplicated from {tool_id}"
    )
    return RedirectResponse(_tool_url(copy.id, "duplicated"), status_code=303)


@router.post("/dashboard/tools/{tool_id}/archive", dependencies=[CsrfChecked])
async def archive(tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    await archive_tool(app, user, tool_id)
    return RedirectResponse("/dashboard?done=archived", status_code=303)


@router.post("/dashboard/tools/{tool_id}/unarchive", dependencies=[CsrfChecked])
async def unarchive(tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    await unarchive_tool(app, user, tool_id)
    return RedirectResponse(_tool_url(tool_id, "unarchived"), status_code=303)


@router.get("/dashboard/tools/{tool_id}/delete")
async def delete_page(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    tool = await get_tool(app, user, tool_id)
    return render(request, "dashboard/delete.html", {"tool": tool})


@router.post("/dashboard/tools/{tool_id}/delete", dependencies=[CsrfChecked])
async def delete(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    values = await form_fields(request, "delete_leads")
    with_leads = values["delete_leads"] == "yes"
    if with_leads:
        await delete_tool_leads(app, user, tool_id)
    await delete_tool(app, user, tool_id)
    done = "deleted_leads" if with_leads else "deleted"
    return RedirectResponse(f"/dashboard?done={done}", status_code=303)


router.include_router(tool_router)
router.include_router(lead_router)
router.include_router(editor_router)
router.include_router(builder_router)
router.include_router(formula_router)

"""The visual tool editor: its page, saving a draft as a new version, starting from scratch."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from keyvex.dashboard._builder import (
    MAX_DRAFT_BYTES,
    DraftRefused,
    create_blank,
    editor_choices,
    save_draft,
)
from keyvex.dashboard.editing import THEME_COLOURS
from keyvex.errors import Conflict, Invalid
from keyvex.tools.service import get_tool
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.errors import problem_json
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/dashboard/tools/{tool_id}/edit")
async def editor_page(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    tool = await get_tool(app, user, tool_id)
    context = {
        "tool": tool,
        "d": tool.definition.model_dump(mode="json"),
        "choices": editor_choices(),
        "colours": THEME_COLOURS,
    }
    return render(request, "dashboard/editor.html", context)


@router.post("/dashboard/tools/{tool_id}/edit", dependencies=[CsrfChecked])
async def save(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    await get_tool(app, user, tool_id)  # another creator's tool is not found, body unread
    body = await request.body()
    try:
        posted = json.loads(body) if len(body) <= MAX_DRAFT_BYTES else None
    except ValueError:
        posted = None
    if not isinstance(posted, dict):
        return problem_json(Invalid("Not saved: the editor sent something that is not a tool."))
    try:
        saved = await save_draft(
            app, user, tool_id, posted.get("version"), posted.get("definition"),
            update_tests=posted.get("update_tests") is True,
        )  # fmt: skip
    except DraftRefused as exc:
        # Problem details; ``errors`` in draft order (a path may hold several), plus what the
        # editor offers next: constants for removed names, re-recording changed test cases.
        problem = Invalid(exc.message).to_problem(instance=request.url.path)
        problem |= {
            "errors": [{"field": e["path"], "message": e["message"]} for e in exc.errors],
            "removed": exc.removed,
            "results_changed": exc.results_changed,
            **exc.summary,
        }
        return JSONResponse(problem, status_code=422, media_type="application/problem+json")
    except Conflict as exc:
        return problem_json(exc, request.url.path)
    return JSONResponse(
        {
            "version": saved.tool.version,
            "message": saved.message,
            "warnings": saved.warnings,
            "definition": saved.tool.definition.model_dump(mode="json"),
        }
    )


@router.post("/dashboard/tools/blank", dependencies=[CsrfChecked])
async def blank(app: AppDep, user: CurrentUser) -> Response:
    tool = await create_blank(app, user)
    return RedirectResponse(f"/dashboard/tools/{tool.id}/edit", status_code=303)

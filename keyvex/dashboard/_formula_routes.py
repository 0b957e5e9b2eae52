"""The editor's formula help: ``POST /dashboard/tools/{tool_id}/edit/check`` with the draft.

Answers each formula's problems at their positions and its live value on sample answers
(``keyvex.tools.formula_check``); nothing is saved. The tool must be the creator's own (404
otherwise, like every tool page); the body is the draft as ``{"draft": {...}}``.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from keyvex.errors import Invalid
from keyvex.tools.formula_check import check_formulas
from keyvex.tools.service import get_tool
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser

router = APIRouter(include_in_schema=False)


class CheckBody(BaseModel):
    draft: dict[str, Any] = Field(description="The tool definition as the editor holds it.")


@router.post("/dashboard/tools/{tool_id}/edit/check", dependencies=[CsrfChecked])
async def check_draft(
    request: Request, app: AppDep, user: CurrentUser, tool_id: str
) -> JSONResponse:
    await get_tool(app, user, tool_id)  # another creator's tool is a 404 before anything else
    try:
        body = CheckBody.model_validate_json(await request.body())
    except ValidationError:
        raise Invalid(
            'Send the draft as JSON: {"draft": {...}}.',
            fields={"draft": "is missing or not an object."},
        ) from None
    report = await to_thread.run_sync(check_formulas, body.draft)
    return JSONResponse(report.to_json(), headers={"Cache-Control": "no-store"})

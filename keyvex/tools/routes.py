"""REST API v1 for tools, publishing, evaluation and templates (Bearer-token users only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from keyvex.engine import Result, run
from keyvex.errors import Invalid
from keyvex.tools import get_template, list_templates, parse_tool, publishing, service, transfer
from keyvex.tools._api import (
    ExportOut,
    PublishedOut,
    StatusOut,
    TemplateListOut,
    ToolListOut,
    ToolOut,
    ToolSummaryOut,
    VersionListOut,
)
from keyvex.tools.left_off import left_off
from keyvex.web.deps import ApiUser, AppDep

router = APIRouter(prefix="/api/v1", tags=["tools"])

ToolBody = Annotated[
    dict[str, Any],
    Body(description="A ToolDefinition (see `keyvex schema` for its JSON Schema)."),
]


def _detail(tool: service.StoredTool) -> dict[str, Any]:
    return {**tool.summary(), "definition": tool.definition.model_dump(mode="json")}


def _base(request: Request, app: AppDep) -> str:
    return app.settings.base_url or str(request.base_url).rstrip("/")


def _public_url(request: Request, app: AppDep, slug: str) -> str:
    return f"{_base(request, app)}/t/{slug}"


class PublishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: str | None = Field(default=None, max_length=60)
    allowed_origins: list[str] | None = Field(default=None, max_length=20)


class EvaluateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Any] = Field(default_factory=dict, max_length=500)


@router.post("/tools", status_code=201, summary="Create a tool", response_model=ToolOut)
async def create(body: ToolBody, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Store a new tool definition (a draft, version 1); 422 names every invalid path."""
    tool = await service.create_tool(app, user, parse_tool(body))
    return _detail(tool)


@router.get("/tools", summary="List your tools", response_model=ToolListOut)
async def index(app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"tools": [t.summary() for t in await service.list_tools(app, user)]}


@router.post(
    "/tools/from-template/{template_id}",
    status_code=201,
    summary="Create a tool from a template",
    response_model=ToolOut,
)
async def from_template(template_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Create a tool as a copy of a built-in template."""
    tool = await service.create_tool(
        app, user, get_template(template_id), note=f"From template {template_id}"
    )
    return _detail(tool)


@router.post("/tools/import", status_code=201, summary="Import a tool", response_model=ToolOut)
async def import_(body: ToolBody, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Create a tool from an export (or a bare definition); 422 names every problem."""
    return _detail(await transfer.import_tool(app, user, body))


@router.get("/tools/{tool_id}/export", summary="Export a tool", response_model=ExportOut)
async def export(tool_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """The tool as a portable JSON document: definition, tests and theme; never leads."""
    return await transfer.export_tool(app, user, tool_id)


@router.get("/tools/{tool_id}", summary="Get a tool", response_model=ToolOut)
async def show(tool_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return _detail(await service.get_tool(app, user, tool_id))


@router.put("/tools/{tool_id}", summary="Save a new version of a tool", response_model=ToolOut)
async def replace(
    tool_id: str,
    body: ToolBody,
    app: AppDep,
    user: ApiUser,
    if_match: Annotated[str | None, Header(description="Expected current version")] = None,
) -> dict[str, Any]:
    """Save a new version; send `If-Match: <version>` to refuse lost updates (409)."""
    expected = None
    if if_match is not None:
        if not if_match.strip('"').isdigit():
            raise Invalid("If-Match must be a version number.", fields={"If-Match": if_match})
        expected = int(if_match.strip('"'))
    tool = await service.update_tool(
        app, user, tool_id, parse_tool(body), expected_version=expected
    )
    return _detail(tool)


@router.delete(
    "/tools/{tool_id}", status_code=204, summary="Delete a tool", response_class=Response
)
async def remove(tool_id: str, app: AppDep, user: ApiUser) -> Response:
    await service.delete_tool(app, user, tool_id)
    return Response(status_code=204)


@router.get(
    "/tools/{tool_id}/versions", summary="List a tool's versions", response_model=VersionListOut
)
async def versions(tool_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    return {"versions": await service.list_versions(app, user, tool_id)}


@router.post("/tools/{tool_id}/publish", summary="Publish a tool", response_model=PublishedOut)
async def publish(
    tool_id: str,
    request: Request,
    app: AppDep,
    user: ApiUser,
    body: PublishIn | None = None,
) -> dict[str, Any]:
    """Publish the current version if it verifies; 422 lists the errors otherwise.

    `left_off` lists what the public page leaves out (a button still linking to example.com),
    each with the editor field that fixes it; publishing goes ahead regardless."""
    options = body or PublishIn()
    live = await publishing.publish(
        app, user, tool_id, slug=options.slug, allowed_origins=options.allowed_origins
    )
    base = _base(request, app)
    return {
        "slug": live.slug,
        "url": _public_url(request, app, live.slug),
        "version": live.version,
        "allowed_origins": list(live.allowed_origins),
        "left_off": [
            {"code": x.code, "field": x.path, "message": x.message,
             "edit_url": base + x.edit_path(tool_id)}
            for x in left_off(live.definition)
        ],
    }  # fmt: skip


@router.post(
    "/tools/{tool_id}/unpublish", summary="Take a tool's page down", response_model=StatusOut
)
async def unpublish(tool_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    await publishing.unpublish(app, user, tool_id)
    return {"status": "draft"}


@router.post("/tools/{tool_id}/archive", summary="Archive a tool", response_model=ToolSummaryOut)
async def archive(tool_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Hide the tool from the list; a published tool is unpublished first (its page: 410)."""
    return (await service.archive_tool(app, user, tool_id)).summary()


@router.post(
    "/tools/{tool_id}/unarchive", summary="Unarchive a tool", response_model=ToolSummaryOut
)
async def unarchive(tool_id: str, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Bring an archived tool back (a draft; publish it again to put it live)."""
    return (await service.unarchive_tool(app, user, tool_id)).summary()


@router.post("/tools/{tool_id}/evaluate", summary="Run a tool on answers", response_model=Result)
async def evaluate(tool_id: str, body: EvaluateIn, app: AppDep, user: ApiUser) -> dict[str, Any]:
    """Run the current definition on answers: values, scores, outcome, rendered blocks."""
    tool = await service.get_tool(app, user, tool_id)
    result: dict[str, Any] = run(tool.definition, body.answers).model_dump(mode="json")
    return result


@router.get("/templates", summary="List the built-in templates", response_model=TemplateListOut)
async def templates(user: ApiUser) -> dict[str, Any]:
    return {
        "templates": [
            {
                "id": t.id,
                "title": t.title,
                "kind": t.kind,
                "description": t.description,
                "tags": t.tags,
            }
            for t in list_templates()
        ]
    }

"""``/admin/playground``: send a prompt or a brief to a process or a model (admins only).

The playground's service loads pydantic-ai and the provider SDKs, so it is imported when the
page is first opened, not when the app starts.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from keyvex.admin._views import render_admin
from keyvex.errors import KeyvexError
from keyvex.web.deps import AdminApiUser, AdminUser, AppDep, CsrfChecked


def _service() -> Any:
    return importlib.import_module("keyvex.admin.playground")


async def playground_page(request: Request, app: AppDep, admin: AdminUser) -> Response:
    context = {"section": "playground", "targets": _service().targets(app),
               "target": "process:conversation", "mode": "brief", "prompt": ""}  # fmt: skip
    return render_admin(request, "admin/playground.html", context)


async def playground_run(
    request: Request,
    app: AppDep,
    admin: AdminUser,
    target: Annotated[str, Form(max_length=300)],
    mode: Annotated[Literal["prompt", "brief"], Form()],
    prompt: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    service = _service()
    context: dict[str, Any] = {"section": "playground", "targets": service.targets(app),
                               "target": target, "mode": mode, "prompt": prompt}  # fmt: skip
    try:
        context["run"] = await service.run_playground(app, admin, target, mode, prompt)
    except KeyvexError as exc:
        context["error"] = exc.message
        return render_admin(request, "admin/playground.html", context, status_code=exc.status)
    return render_admin(request, "admin/playground.html", context)


def register(router: APIRouter) -> None:
    """Add the playground's routes to the admin router (``/admin/playground``)."""
    router.add_api_route("/playground", playground_page, methods=["GET"])
    router.add_api_route(
        "/playground", playground_run, methods=["POST"], dependencies=[CsrfChecked]
    )


class PlaygroundIn(BaseModel):
    target: str = Field(max_length=300, examples=["process:conversation", "model:offline"])
    mode: Literal["prompt", "brief"] = "brief"
    prompt: str = Field(max_length=20_000)


class TargetOut(BaseModel):
    value: str
    label: str
    usable: bool


class TargetsOut(BaseModel):
    targets: list[TargetOut]


class CallOut(BaseModel):
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cost_usd: float
    latency_ms: float
    success: bool
    error_kind: str | None
    fallback: bool


class PlaygroundOut(BaseModel):
    target: str
    mode: str
    answer: str
    summary: list[str]
    error: str
    latency_ms: float
    input_tokens: int
    output_tokens: int
    cost_usd: float
    calls: list[CallOut]


async def playground_targets_json(app: AppDep, admin: AdminApiUser) -> dict[str, Any]:
    """What the playground can ask: every process and every model the registry names."""
    return {"targets": [{"value": t.value, "label": t.label, "usable": t.usable}
                        for t in _service().targets(app)]}  # fmt: skip


async def playground_run_json(app: AppDep, admin: AdminApiUser, body: PlaygroundIn) -> Any:
    """Send a prompt or a brief; the answer, tokens, cost, latency and each model request."""
    run = await _service().run_playground(app, admin, body.target, body.mode, body.prompt)
    return run.as_json()


def register_api(router: APIRouter) -> None:
    """Add the playground's JSON twin to the admin API router (``/api/v1/admin``)."""
    router.add_api_route(
        "/playground/targets", playground_targets_json, methods=["GET"],
        summary="What the model playground can ask", response_model=TargetsOut,
    )  # fmt: skip
    router.add_api_route(
        "/playground", playground_run_json, methods=["POST"],
        summary="Send a prompt or a brief to a process or a model", response_model=PlaygroundOut,
    )  # fmt: skip

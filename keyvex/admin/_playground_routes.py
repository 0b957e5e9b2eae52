"""``/admin/playground``: send a prompt or a brief to a process or a model (admins only).

The playground's service loads pydantic-ai and the provider SDKs, so it is imported when the
page is first opened, not when the app starts.
"""

from __future__ import annotations

import importlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from keyvex.errors import KeyvexError
from keyvex.web.deps import AdminUser, AppDep, CsrfChecked
from keyvex.web.templating import render


def _service() -> Any:
    return importlib.import_module("keyvex.admin.playground")


async def playground_page(request: Request, app: AppDep, admin: AdminUser) -> Response:
    context = {"section": "playground", "targets": _service().targets(app),
               "target": "process:conversation", "mode": "brief", "prompt": ""}  # fmt: skip
    return render(request, "admin/playground.html", context)


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
        return render(request, "admin/playground.html", context, status_code=exc.status)
    return render(request, "admin/playground.html", context)


def register(router: APIRouter) -> None:
    """Add the playground's routes to the admin router (``/admin/playground``)."""
    router.add_api_route("/playground", playground_page, methods=["GET"])
    router.add_api_route(
        "/playground", playground_run, methods=["POST"], dependencies=[CsrfChecked]
    )

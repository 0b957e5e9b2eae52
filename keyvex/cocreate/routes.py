"""HTTP routes of co-creation: the creator page, the session JSON API, preview and events.

Handlers are thin: parse, call one service function, answer. The JSON routes answer errors
as ``{"message", "errors": {field: sentence}}`` with a 4xx status (the page's scripts read
them); state-changing ones need the CSRF token in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from keyvex.cocreate import preview, service
from keyvex.cocreate.sse import event_response, parse_last_event_id
from keyvex.errors import Invalid, KeyvexError
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.errors import problem_json
from keyvex.web.templating import render


class JsonErrorRoute(APIRoute):
    """Errors of the creator page's JSON endpoints as problem details (``problem_json``),
    whatever the request's content type."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except KeyvexError as exc:
                return problem_json(exc, request.url.path)
            except RequestValidationError as exc:
                invalid = Invalid("Some fields are not valid.", fields=_fields(exc))
                return problem_json(invalid, request.url.path)

        return route


def _fields(exc: RequestValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            fields["request"] = "Send a JSON object."
            continue
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        message = str(error.get("msg", "is not valid")).rstrip(".") + "."
        fields.setdefault(".".join(loc) or "request", message)
    return fields


class StartBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    brief: str
    build_now: bool = False
    source_id: str | None = Field(default=None, max_length=40)


class AnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_id: str
    value: Any = None


class ChangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    request: str


pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/create/sessions", route_class=JsonErrorRoute, include_in_schema=False)
ACCEPTED = {"status": "accepted"}


@pages.get("/create", response_class=HTMLResponse)
async def create_page(
    request: Request,
    app: AppDep,
    user: CurrentUser,
    expertise: str | None = None,
    audience: str | None = None,
    offer: str | None = None,
) -> HTMLResponse:
    """The creator page; with ``expertise`` and ``audience`` it also shows tool ideas."""
    asked = {"expertise": expertise or "", "audience": audience or "", "offer": offer or ""}
    ideas, errors = [], {}
    if expertise is not None or audience is not None:
        try:
            ideas = await service.ideas(app, user, **asked)
        except Invalid as exc:
            errors = exc.fields
    context = {"session_id": None, "ideas": ideas, "idea_form": asked, "idea_errors": errors}
    return render(request, "cocreate/create.html", context)


@pages.get("/create/{sid}", response_class=HTMLResponse)
async def session_page(request: Request, app: AppDep, user: CurrentUser, sid: str) -> Response:
    session = await service.get_session(app, user, sid)
    return render(request, "cocreate/create.html", {"session_id": session.id})


@api.post("", dependencies=[CsrfChecked])
async def start(app: AppDep, user: CurrentUser, body: StartBody) -> JSONResponse:
    session = await service.start_session(
        app, user, body.brief, build_now=body.build_now, source_id=body.source_id
    )
    return JSONResponse({"session_id": session.id}, status_code=201)


@api.get("/{sid}")
async def session_json(request: Request, app: AppDep, user: CurrentUser, sid: str) -> JSONResponse:
    return JSONResponse(await service.session_view(app, user, sid, str(request.base_url)))


@api.post("/{sid}/answers", dependencies=[CsrfChecked])
async def answer(app: AppDep, user: CurrentUser, sid: str, body: AnswerBody) -> JSONResponse:
    stored = await service.answer(app, user, sid, body.question_id, body.value)
    return JSONResponse({**ACCEPTED, "answer": stored}, status_code=202)


@api.post("/{sid}/build", dependencies=[CsrfChecked])
async def build(app: AppDep, user: CurrentUser, sid: str) -> JSONResponse:
    await service.build_now(app, user, sid)
    return JSONResponse(ACCEPTED, status_code=202)


@api.post("/{sid}/changes", dependencies=[CsrfChecked])
async def change(app: AppDep, user: CurrentUser, sid: str, body: ChangeBody) -> JSONResponse:
    await service.request_change(app, user, sid, body.request)
    return JSONResponse(ACCEPTED, status_code=202)


@api.post("/{sid}/publish", dependencies=[CsrfChecked])
async def publish(request: Request, app: AppDep, user: CurrentUser, sid: str) -> JSONResponse:
    return JSONResponse(await service.publish_and_show(app, user, sid, str(request.base_url)))


@api.get("/{sid}/preview", response_class=HTMLResponse)
async def preview_page(app: AppDep, user: CurrentUser, sid: str, embed: str = "") -> Response:
    html = await preview.preview_page(app, user, sid, embed=embed in ("1", "true"))
    headers = {"Content-Security-Policy": preview.PREVIEW_CSP, "Cache-Control": "no-store"}
    return HTMLResponse(html, headers=headers)


@api.get("/{sid}/preview/theme.css")
async def preview_theme(app: AppDep, user: CurrentUser, sid: str) -> Response:
    css = await preview.preview_theme(app, user, sid)
    return Response(css, media_type="text/css", headers={"Cache-Control": "no-store"})


@api.get("/{sid}/events")
async def events(
    request: Request, app: AppDep, user: CurrentUser, sid: str, last_event_id: str | None = None
) -> Response:
    await service.get_session(app, user, sid)
    after = parse_last_event_id(request.headers.get("last-event-id"), last_event_id)
    return event_response(app, sid, after)


router = APIRouter()
router.include_router(api)
router.include_router(pages)

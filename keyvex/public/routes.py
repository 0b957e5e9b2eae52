"""Public routes: tool pages, embeds, the embed script, results, leads and analytics events.

These are plain Starlette routes, placed before every FastAPI route (see ``keyvex.web.app``):
they carry nearly all the traffic, take no dependencies and are not part of the API schema,
and FastAPI's per-route work (dependency solving, parameter models) cost a lead submission
more than a third of its CPU time. Their errors are the same problem+json (or error pages,
through the app's one error handler) as everywhere else.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from keyvex.analytics import EVENTS, over_event_limit, record_event
from keyvex.app import App
from keyvex.engine import run
from keyvex.errors import Invalid, KeyvexError, NotFound, PayloadTooLarge
from keyvex.leads import LeadSubmission, RequestMeta, submit_lead
from keyvex.logs import get_logger
from keyvex.public._page import asset, embed_csp, render_page, theme_css, valid_origin
from keyvex.tools.publishing import PublishedTool, published_by_slug
from keyvex.web.errors import problem_json

log = get_logger("keyvex.public")

MAX_JSON_BYTES = 64_000
ASSET_CACHE = "public, max-age=31536000, immutable"


def _state(request: Request) -> App:
    app: App = request.app.state.keyvex
    return app


def _meta(request: Request) -> RequestMeta:
    host = request.client.host if request.client else ""
    return RequestMeta(ip=host, user_agent=request.headers.get("user-agent", "")[:500])


async def _record_quietly(
    app: App, tool: PublishedTool, event: str, step: int | None, meta: RequestMeta
) -> None:
    """Analytics are best effort: a failure is logged, never shown to the visitor."""
    try:
        await record_event(app, tool, event, step=step, ip=meta.ip, user_agent=meta.user_agent)
    except Exception as exc:  # noqa: BLE001 - counting must never break a page
        log.warning("event not recorded", slug=tool.slug, event_name=event, error=str(exc))


def _json_error(exc: KeyvexError) -> JSONResponse:
    return problem_json(exc)


def _pydantic_errors(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(p) for p in error.get("loc", ())) or "request"
        fields.setdefault(name, str(error.get("msg", "is not valid")).rstrip(".") + ".")
    return fields


async def _json_body(request: Request) -> dict[str, Any]:
    """The body as a JSON object (any content type: sendBeacon sends text/plain)."""
    body = await request.body()
    if len(body) > MAX_JSON_BYTES:
        raise PayloadTooLarge("The request is too large.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("Send a JSON object.", fields={"request": "Send a JSON object."}) from None
    if not isinstance(data, dict):
        raise Invalid("Send a JSON object.", fields={"request": "Send a JSON object."})
    return data


def _page(
    request: Request, tool: PublishedTool, html: str, headers: dict[str, str]
) -> HTMLResponse:
    task = BackgroundTask(
        _record_quietly, request.app.state.keyvex, tool, "view", None, _meta(request)
    )
    headers = {"Cache-Control": "no-cache", **headers}
    return HTMLResponse(html, headers=headers, background=task)


async def tool_page(request: Request) -> HTMLResponse:
    tool = await published_by_slug(_state(request), request.path_params["slug"])
    return _page(request, tool, render_page(tool, embed=False), {})


async def tool_embed(request: Request) -> HTMLResponse:
    tool = await published_by_slug(_state(request), request.path_params["slug"])
    parent = valid_origin(request.query_params.get("origin", ""), tool.allowed_origins)
    clear = request.query_params.get("transparent", "") in ("1", "true", "yes")
    html = render_page(tool, embed=True, transparent=clear, origin=parent)
    return _page(request, tool, html, {"Content-Security-Policy": embed_csp(tool.allowed_origins)})


async def tool_theme(request: Request) -> Response:
    tool = await published_by_slug(_state(request), request.path_params["slug"])
    fresh = request.query_params.get("v", "") == str(tool.version)
    cache = ASSET_CACHE if fresh else "public, max-age=60"
    return Response(
        theme_css(tool.definition), media_type="text/css", headers={"Cache-Control": cache}
    )


def _asset_response(request: Request, name: str) -> Response:
    found = asset(name)
    if found is None:
        raise NotFound("There is no such file.")
    headers = {"Cache-Control": ASSET_CACHE, "ETag": f'"{found.digest}"', "Vary": "Accept-Encoding"}
    if name == "embed.js":  # the embed line has no version: let browsers revalidate it
        headers["Cache-Control"] = "public, max-age=300"
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(found.gzipped, media_type=found.media_type, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


async def public_asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "embed.js":
        raise NotFound("There is no such file.")
    return _asset_response(request, name)


async def embed_script(request: Request) -> Response:
    return _asset_response(request, "embed.js")


async def tool_result(request: Request) -> Response:
    app, slug = _state(request), request.path_params["slug"]
    try:
        meta = _meta(request)
        await app.limiter.check(
            app.settings.result_limit_ip,
            "public-result",
            meta.ip,
            message="Too many requests; wait a minute.",
        )
        tool = await published_by_slug(app, slug)
        data = await _json_body(request)
        result = run(tool.definition, data.get("answers", {}))
    except KeyvexError as exc:
        return _json_error(exc)
    return JSONResponse({"result": result.model_dump(mode="json")})


async def tool_submit(request: Request) -> Response:
    app, slug = _state(request), request.path_params["slug"]
    try:
        tool = await published_by_slug(app, slug)
        data = await _json_body(request)
        try:
            submission = LeadSubmission.model_validate(data)
        except ValidationError as exc:
            raise Invalid("Some fields need attention.", fields=_pydantic_errors(exc)) from None
        lead, result = await submit_lead(app, tool, submission, _meta(request))
    except KeyvexError as exc:
        return _json_error(exc)
    # The result is serialised by pydantic straight to JSON (no dict of it in between).
    body = b'{"lead_id":"%s","result":%s}' % (lead.id.encode(), result.model_dump_json().encode())
    return Response(body, status_code=201, media_type="application/json")


async def tool_event(request: Request) -> Response:
    app, slug = _state(request), request.path_params["slug"]
    try:
        meta = _meta(request)
        if await over_event_limit(app, meta.ip):  # a flood is ignored, as its beacons would be
            return Response(status_code=204)
        tool = await published_by_slug(app, slug)
        data = await _json_body(request)
        event, step = data.get("event"), data.get("step")
        if not isinstance(event, str) or event not in EVENTS or event == "view":
            raise Invalid("Unknown event.", fields={"event": "Unknown event."})
        if step is not None and (type(step) is not int or not 0 <= step <= 1000):
            raise Invalid("Bad step.", fields={"step": "Send the step as a whole number."})
    except KeyvexError as exc:
        return _json_error(exc)
    await _record_quietly(app, tool, event, step, meta)
    return Response(status_code=204)


#: Added ahead of the app's FastAPI routes by ``keyvex.web.app.create_app``.
routes: list[BaseRoute] = [
    Route("/t/{slug}", tool_page, methods=["GET"]),
    Route("/t/{slug}/embed", tool_embed, methods=["GET"]),
    Route("/t/{slug}/theme.css", tool_theme, methods=["GET"]),
    Route("/kvx/{name}", public_asset, methods=["GET"]),
    Route("/embed.js", embed_script, methods=["GET"]),
    Route("/t/{slug}/result", tool_result, methods=["POST"]),
    Route("/t/{slug}/submit", tool_submit, methods=["POST"]),
    Route("/t/{slug}/events", tool_event, methods=["POST"]),
]

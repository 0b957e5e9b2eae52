"""One place that turns errors into responses: HTML pages for people, problem JSON for /api."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from keyvex.errors import KeyvexError, NotFound, RateLimited, Unauthorized
from keyvex.logs import get_logger
from keyvex.web.deps import LoginRequired
from keyvex.web.templating import render

log = get_logger("keyvex.errors")

_HTTP_ERRORS: dict[int, tuple[str, str]] = {
    404: ("Page not found", "There is nothing at this address. Check the link or go back home."),
    405: ("Method not allowed", "This address does not accept that kind of request."),
}


def is_api(request: Request) -> bool:
    """API paths, and a page's own scripts that send JSON: both get problem JSON."""
    if request.url.path.startswith("/api/"):
        return True
    return request.headers.get("content-type", "").startswith("application/json")


def problem_json(exc: KeyvexError, instance: str | None = None) -> JSONResponse:
    """The one JSON error format: RFC 9457 problem details, with ``errors`` as a list of
    ``{field, message}`` when the problem belongs to fields."""
    return JSONResponse(
        exc.to_problem(instance=instance),
        status_code=exc.status,
        media_type="application/problem+json",
        headers=_headers(exc),
    )


def problem_response(request: Request, exc: KeyvexError) -> Response:
    headers = _headers(exc)
    if is_api(request):
        return problem_json(exc, request.url.path)
    context: dict[str, Any] = {"title": exc.title, "message": exc.message, "status": exc.status}
    return render(request, "error.html", context, status_code=exc.status, headers=headers)


def _headers(exc: KeyvexError) -> dict[str, str] | None:
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": "Bearer"}
    return None


async def keyvex_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KeyvexError)
    if isinstance(exc, LoginRequired) and not is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    return problem_response(request, exc)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.__cause__, KeyvexError):
        # FastAPI turns anything raised while it reads a body into a 400 "There was an error
        # parsing the body"; a body the middlewares refused (too large, nested too deep, see
        # keyvex.web.middleware) keeps its own status and sentence.
        return await keyvex_error(request, exc.__cause__)
    title, message = _HTTP_ERRORS.get(exc.status_code, ("Error", str(exc.detail)))
    err = NotFound(message) if exc.status_code == 404 else KeyvexError(message)
    err.status, err.title = exc.status_code, title
    return problem_response(request, err)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        fields[".".join(loc) or "request"] = str(error.get("msg", "is not valid")) + "."
    err = KeyvexError("Some fields are not valid.", fields=fields)
    err.status, err.title = 422, "Invalid input"
    return problem_response(request, err)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error", exc_info=exc, path=request.url.path)
    request_id = request.scope.get("state", {}).get("request_id", "")
    err = KeyvexError(
        f"Something went wrong on our side. The team can trace it with reference {request_id}."
    )
    return problem_response(request, err)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KeyvexError, keyvex_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)

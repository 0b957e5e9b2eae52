"""Site pages that belong to no domain: the landing page and health probes."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from keyvex import __version__
from keyvex.app import App
from keyvex.web.deps import OptionalUser
from keyvex.web.templating import render

router = APIRouter()


@router.get("/", include_in_schema=False)
async def landing(request: Request, user: OptionalUser) -> Response:
    if user is not None:
        return RedirectResponse("/dashboard", status_code=303)
    return render(request, "landing.html")


#: The liveness answer never changes: encoded once (a probe is asked every few seconds).
_LIVE = json.dumps({"status": "ok", "version": __version__}, separators=(",", ":")).encode()


async def healthz(_: Request) -> Response:
    """Liveness: the process answers."""
    return Response(_LIVE, media_type="application/json")


async def readyz(request: Request) -> Response:
    """Readiness: the item store answers a query."""
    app: App = request.app.state.keyvex
    try:
        await app.store.ping()
    except Exception as exc:  # any store failure means "not ready", reported, not raised
        return JSONResponse({"status": "unavailable", "store": str(exc)[:200]}, status_code=503)
    return JSONResponse({"status": "ok", "store": "ok"})


#: Health probes are plain Starlette routes, ahead of the FastAPI ones: a load balancer asks
#: every few seconds, they take no parameters and are not part of the API, and FastAPI's
#: per-route work would triple what a probe costs the process. They still pass through the
#: whole middleware stack, so they measure it (bench/public.py: the app's floor).
probes: list[BaseRoute] = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
]

"""Site pages that belong to no domain: the landing page and health probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from keyvex import __version__
from keyvex.web.deps import AppDep, OptionalUser
from keyvex.web.templating import render

router = APIRouter()


@router.get("/", include_in_schema=False)
async def landing(request: Request, user: OptionalUser) -> Response:
    if user is not None:
        return RedirectResponse("/dashboard", status_code=303)
    return render(request, "landing.html")


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz")
async def readyz(app: AppDep) -> Response:
    """Readiness: the item store answers a query."""
    try:
        await app.store.ping()
    except Exception as exc:  # any store failure means "not ready", reported, not raised
        return JSONResponse({"status": "unavailable", "store": str(exc)[:200]}, status_code=503)
    return JSONResponse({"status": "ok", "store": "ok"})

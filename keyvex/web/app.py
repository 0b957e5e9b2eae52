"""The FastAPI application factory: one App object, middlewares, routers, error handlers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig

from keyvex import __version__
from keyvex.accounts.pages import router as account_settings_router
from keyvex.accounts.routes import api as accounts_api
from keyvex.accounts.routes import router as accounts_router
from keyvex.admin.pages import STATIC_DIR as ADMIN_STATIC
from keyvex.admin.pages import router as admin_pages
from keyvex.admin.routes import router as admin_api
from keyvex.alerts import EVALUATE_SECONDS as ALERT_SECONDS
from keyvex.alerts import evaluate as evaluate_alerts
from keyvex.alerts.pages import router as alerts_pages
from keyvex.alerts.routes import router as alerts_api
from keyvex.analytics.routes import router as analytics_api
from keyvex.app import App, build_app
from keyvex.cocreate.routes import router as cocreate_router
from keyvex.dashboard import STATIC_DIR as DASHBOARD_STATIC
from keyvex.dashboard import router as dashboard_router
from keyvex.data.pages import STATIC_DIR as DATA_STATIC
from keyvex.data.pages import router as data_pages
from keyvex.data.routes import router as data_api
from keyvex.data.sync import POLL_SECONDS as SYNC_POLL_SECONDS
from keyvex.data.sync import sync_due
from keyvex.jobs import ClusterScheduler, Periodic
from keyvex.leads.routes import router as leads_api
from keyvex.logs import configure_logging, get_logger
from keyvex.notify import send_due_digests
from keyvex.notify.routes import pages as notify_pages
from keyvex.notify.routes import router as notify_api
from keyvex.ops import HttpRecorder, route_templates
from keyvex.ops.routes import router as ops_router
from keyvex.ops.tracing import start_tracing
from keyvex.public import install_page_cache
from keyvex.public import routes as public_routes
from keyvex.settings import Settings, load_settings
from keyvex.tools.routes import router as tools_api
from keyvex.web import _apidocs_routes as apidocs
from keyvex.web import pages
from keyvex.web.errors import install_error_handlers
from keyvex.web.middleware import EdgeMiddleware
from keyvex.webhooks import deliver_due
from keyvex.webhooks.routes import router as webhooks_api

STATIC_DIR = Path(__file__).parent / "static"
COCREATE_STATIC = Path(__file__).parents[1] / "cocreate" / "static"
WEBHOOK_POLL_SECONDS = 5
DIGEST_POLL_SECONDS = 60
JOBS_POLL_SECONDS = 5
#: With the queue the due sweep only enqueues: cheap enough to keep retries punctual.
QUEUE_SWEEP_SECONDS = 1
log = get_logger("keyvex.app")


async def _run_due_jobs(app: App) -> int:
    """Retries whose backoff has passed, delayed jobs, and runs whose process died: started
    here (inline) or enqueued for the workers (queue)."""
    return await app.jobs.run_due()


async def _sweep_expired(app: App) -> None:
    """Delete expired items; reads already hide them."""
    while await app.store.sweep_expired() > 0:
        await asyncio.sleep(0)


def periodic_work(state: App) -> list[Periodic]:
    """The cluster's periodic work, run by whichever process (web or worker) holds the
    scheduler lease: due jobs, webhook retries (the first attempt is immediate), daily lead
    digests, data syncs, the TTL sweep, the alert rules. Each round is found through a
    due-time index (the alert rules read counters and two small indexes)."""
    queued = state.settings.jobs == "queue"
    return [
        Periodic("jobs", QUEUE_SWEEP_SECONDS if queued else JOBS_POLL_SECONDS, _run_due_jobs),
        Periodic("ttl sweep", state.settings.ttl_sweep_seconds, _sweep_expired),
        Periodic("webhook delivery", WEBHOOK_POLL_SECONDS, deliver_due),
        Periodic("lead digest", DIGEST_POLL_SECONDS, send_due_digests),
        Periodic("data sync", SYNC_POLL_SECONDS, sync_due),
        Periodic("alerts", ALERT_SECONDS, evaluate_alerts),
    ]


_WARM_UP_PATH = "/.keyvex-warm-up"


async def _warm_routes(web: FastAPI) -> None:
    """Work out FastAPI's per-route matching data at start, not on the first requests.

    FastAPI builds each route's dependency and settings data lazily, the first time a request
    is routed past it: about 250 ms for Keyvex's routes, which the first visitors of a process
    (an administrator opening /admin, say) would otherwise wait for. One request for a path
    nothing answers is routed past every route; it goes to the router alone (no middleware,
    no log line) and its 404 goes nowhere.
    """
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": _WARM_UP_PATH, "raw_path": _WARM_UP_PATH.encode(),
        "query_string": b"", "root_path": "", "headers": [],
        "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 0),
    }  # fmt: skip

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_: object) -> None:
        return None

    try:
        await web.router(scope, receive, send)
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation; serving goes on
        log.warning("routes not warmed at start", error=str(exc))


#: FastAPI's native telemetry, off: nothing is exported unless Keyvex's tracing is set up.
_NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app; raises ConfigError (one sentence) for unusable settings."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_format)
    state = build_app(settings)
    tracing = start_tracing(settings)  # None (and nothing loaded) without KEYVEX_OTEL_ENDPOINT
    if tracing is not None:
        tracing.instrument_store(state.store)

    @contextlib.asynccontextmanager
    async def lifespan(web: FastAPI) -> AsyncIterator[dict[str, App]]:
        await _warm_routes(web)
        await state.bus.start()  # other processes' invalidations and stream wake-ups
        try:
            await state.jobs.run_due()  # jobs a stopped process left queued or running
        except Exception as exc:  # the queue's Redis is away: the scheduler's sweep retries
            log.warning("due jobs not started", error=str(exc))
        scheduler = ClusterScheduler(
            state, periodic_work(state), lease_seconds=settings.scheduler_lease_seconds
        )
        scheduler.start()
        try:
            yield {"keyvex": state}
        finally:
            await scheduler.stop()  # gives the lease up: another process takes over at once
            await state.jobs.aclose(timeout=10)  # running builds get 10 s, then are cancelled
            await state.bus.aclose()
            await state.limiter.aclose()
            state.close()
            if tracing is not None:
                tracing.shutdown()  # exports the spans still buffered

    app = FastAPI(
        title="Keyvex",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads scripts from a CDN; the schema is at openapi_url
        redoc_url=None,
        openapi_url="/api/openapi.json",
        # FastAPI's own OpenTelemetry layer asks the global providers on every request;
        # Keyvex's tracing (KEYVEX_OTEL_ENDPOINT) decides whether there is anything to do.
        telemetry=tracing.telemetry if tracing is not None else _NO_TELEMETRY,
    )
    app.state.keyvex = state
    install_error_handlers(app)
    # Domain assets are mounted before /static, which would otherwise catch their paths.
    app.mount("/static/cocreate", StaticFiles(directory=COCREATE_STATIC), name="cocreate-static")
    app.mount("/static/dashboard", StaticFiles(directory=DASHBOARD_STATIC), name="dashboard-static")
    app.mount("/static/data", StaticFiles(directory=DATA_STATIC), name="data-static")
    app.mount("/static/admin", StaticFiles(directory=ADMIN_STATIC), name="admin-static")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(apidocs.router)
    app.include_router(accounts_router)
    app.include_router(account_settings_router)
    app.include_router(accounts_api)
    app.include_router(tools_api)
    app.include_router(leads_api)
    app.include_router(analytics_api)
    app.include_router(webhooks_api)
    app.include_router(notify_api)
    app.include_router(notify_pages)
    app.include_router(data_api)
    app.include_router(data_pages)
    app.include_router(cocreate_router)
    app.include_router(dashboard_router)
    app.include_router(ops_router)
    app.include_router(alerts_pages)
    app.include_router(alerts_api)
    app.include_router(admin_pages)
    app.include_router(admin_api)
    # Public pages first: they carry most traffic and routes are matched in order.
    app.router.routes[0:0] = [*pages.probes, *public_routes]
    # Added last = outermost: request id wraps everything, headers apply to error pages too.
    record = HttpRecorder(lambda: route_templates(app.routes))
    app.add_middleware(
        EdgeMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_bytes=settings.data_max_upload_bytes,
        access_log=settings.access_log,
        record=record,
    )
    # Outside everything: repeat tool-page views are answered from whole cached responses
    # (and still counted in the request metrics through the same recorder).
    install_page_cache(app, state, record)
    return app


def factory() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (``keyvex serve --reload`` and ``--workers N``)."""
    web = create_app()
    settle_heap()
    return web


def settle_heap() -> None:
    """Leave what a serving process built at start out of every later garbage collection.

    Once the app is built the process holds some 380,000 objects (modules, templates, the
    knowledge base, pydantic's validators) that live as long as it does, and a full
    collection walks every one of them: 100-300 ms measured here, during which no request
    is answered. Full collections come every so often as caches fill, so a busy server
    would stall now and then for that long. ``gc.freeze`` moves them to the permanent
    generation, so collections walk only what was made since (a full one: under 1 ms).
    Called by the serving entry points (``keyvex serve``, ``factory``), not by
    ``create_app``: tests build many apps in one process, which must stay collectable.
    """
    gc.collect()  # what start-up left as garbage goes first, instead of staying forever
    gc.freeze()

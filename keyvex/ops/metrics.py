"""Prometheus metrics: what each process counts as it works, and what the store says at scrape.

Two kinds of figures:

- **Counted in the process** (prometheus-client counters and histograms): HTTP requests by
  route template, method and status, and their latency (recorded by ``EdgeMiddleware``
  through :class:`HttpRecorder`, with the label children resolved once per route and status);
  leads stored, tool builds and data syncs (from the ``LeadCreated``, ``ToolBuilt`` and
  ``SourceSynced`` domain events). With several web processes (``keyvex serve --workers N``)
  each writes its values to ``PROMETHEUS_MULTIPROC_DIR`` and a scrape of any one of them sums
  them all (prometheus-client's multiprocess mode).
- **Read from the store when scraped** (the same for every process, so the cluster's own
  truth): the job backlog and dead letters, and today's AI requests, failures, fallbacks,
  tokens and cost by process, provider and model, from the counters every usage record
  updates (``keyvex.ai.usage_counters``), so model calls made by ``keyvex worker`` processes
  are included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from keyvex import events
from keyvex.events import LeadCreated, SourceSynced, ToolBuilt
from keyvex.logs import get_logger

if TYPE_CHECKING:
    from starlette.types import Scope

    from keyvex.app import App

log = get_logger(__name__)
#: The registry of this process's own metrics (not prometheus-client's global one, whose
#: process and platform collectors do not apply in multiprocess mode).
REGISTRY = CollectorRegistry(auto_describe=True)
#: Latency buckets in seconds: a cached page is ~1 ms, a lead ~10 ms, a build stream minutes.
BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: Routes x methods x statuses is small; this bounds it should a client invent methods.
MAX_SERIES = 4096

HTTP_REQUESTS = Counter(
    "keyvex_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "keyvex_http_request_duration_seconds",
    "Time from the first byte of the request to the end of the response, by route template.",
    ["route", "method"],
    buckets=BUCKETS,
    registry=REGISTRY,
)
LEADS = Counter(
    "keyvex_lead_submissions",
    "Leads stored (the LeadCreated event after the lead's transaction committed); a retry "
    "answered with its stored lead and a submission discarded as automated do not count.",
    registry=REGISTRY,
)
BUILDS = Counter(
    "keyvex_tool_builds",
    "Co-creation builds finished, by how: model (the configured models) or offline "
    "(the offline planner composed it, including a fallback to it).",
    ["how"],
    registry=REGISTRY,
)
SYNCS = Counter(
    "keyvex_data_syncs",
    "Data source syncs run, by outcome (ok, error, gone).",
    ["outcome"],
    registry=REGISTRY,
)


def multiprocess() -> bool:
    """Whether this process writes its metrics to a directory shared with its siblings:
    prometheus-client chose so when it was imported (``PROMETHEUS_MULTIPROC_DIR`` set then);
    the variable set later changes nothing."""
    return values.ValueClass is not values.MutexValue


class HttpRecorder:
    """Records one request in the counters; called by ``EdgeMiddleware`` once the response
    has gone. The label children of each (route, method, status) are resolved the first time
    it is seen, so a request costs a dict lookup, an increment and an observation."""

    def __init__(self, templates: Callable[[], dict[Any, str]]) -> None:
        self._templates = templates  # endpoint -> path template, read once the app is built
        self._by_endpoint: dict[Any, str] | None = None
        self._children: dict[tuple[int, str, int], tuple[Any, ...]] = {}

    def __call__(self, scope: Scope, status: int, seconds: float) -> None:
        # FastAPI leaves its route in the scope, a plain Starlette route only its endpoint;
        # keyed by identity (routes are not hashable, and live as long as the app).
        found = scope.get("route") or scope.get("endpoint")
        key = (id(found), scope["method"], status)
        children = self._children.get(key)
        if children is None:
            children = self._resolve(key, found)
        for counter in children[1:]:
            counter.inc()
        children[0].observe(seconds)

    def _resolve(self, key: tuple[int, str, int], found: Any) -> tuple[Any, ...]:
        if self._by_endpoint is None:
            self._by_endpoint = self._templates()
        _, method, status = key
        route = getattr(found, "path", None) if hasattr(found, "path_regex") else None
        if route is None:
            route = self._by_endpoint.get(found, "unmatched") if found is not None else "unmatched"
        method = method if method in METHODS else "OTHER"
        children: tuple[Any, ...] = (
            HTTP_LATENCY.labels(route, method),
            HTTP_REQUESTS.labels(route, method, str(status)),
        )
        if len(self._children) < MAX_SERIES:
            self._children[key] = children
        return children


def route_templates(routes: Iterable[Any]) -> dict[Any, str]:
    """Endpoint -> path template of every route (mounts: their prefix and ``{path}``)."""
    found: dict[Any, str] = {}
    for route in routes:
        path = getattr(route, "path", None)
        endpoint = getattr(route, "endpoint", None)
        if path is None:
            continue
        if endpoint is not None:
            found.setdefault(endpoint, path)
        elif getattr(route, "app", None) is not None:  # a Mount: static files
            found.setdefault(route.app, f"{path}/{{path}}")
    return found


@events.on(LeadCreated)
async def _count_lead(app: App, event: LeadCreated) -> None:
    LEADS.inc()


@events.on(ToolBuilt)
async def _count_build(app: App, event: ToolBuilt) -> None:
    BUILDS.labels("offline" if event.offline else "model").inc()


@events.on(SourceSynced)
async def _count_sync(app: App, event: SourceSynced) -> None:
    SYNCS.labels(event.outcome).inc()


class _Snapshot:
    """A collector returning families computed beforehand (the store is read asynchronously,
    collectors are called synchronously)."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> list[Metric]:
        return self.families


class _Own:
    """This process's own metrics (single-process mode)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


async def exposition(app: App) -> bytes:
    """The text exposition of every metric: this process's (or, in multiprocess mode, all
    processes' from the shared directory) and the store's figures."""
    from keyvex.ops._store_figures import store_families  # reads jobs and AI usage counters

    registry = CollectorRegistry(auto_describe=False)
    if multiprocess():
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Own())
    try:
        families = await store_families(app)
    except Exception as exc:  # a store outage must not hide the process's own figures
        log.warning("metrics: store figures not read", error=str(exc))
        families = [_up(0.0)]
    else:
        families.append(_up(1.0))
    registry.register(_Snapshot(families))
    return generate_latest(registry)


def _up(value: float) -> Metric:
    family = GaugeMetricFamily(
        "keyvex_store_figures_up", "1 when the store figures below were read at this scrape."
    )
    family.add_metric([], value)
    return family

"""OpenTelemetry tracing, only when ``KEYVEX_OTEL_ENDPOINT`` is set (the ``otel`` extra).

Set, each process gets its own tracer provider exporting over OTLP/HTTP (protobuf) to
``ENDPOINT/v1/traces`` in batches, and three things are traced: every HTTP request
(FastAPI's own telemetry, given that provider; ``/metrics`` and the probes left out), every
outbound request made with httpx (webhooks, data sources, model providers: the
opentelemetry-instrumentation-httpx patch, removed again at shutdown) and every item store
call (a span per ``get``, ``query``, ``put``... named ``store.<call>``, with the kind of
partition, never its key, which may hold an email address). Unset, this module's imports
never run: no OpenTelemetry SDK is loaded and no request pays for it.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any, TypeVar

from keyvex.errors import ConfigError

if TYPE_CHECKING:
    from fastapi.telemetry import TelemetryConfig

    from keyvex.settings import Settings
    from keyvex.store import ItemStore

T = TypeVar("T")
#: The item store calls that reach the backend (``query_all`` and the rest go through them).
STORE_CALLS = (
    "get", "batch_get", "query", "put", "update", "delete", "batch_write", "transact_write"
)  # fmt: skip
UNTRACED_PATHS = frozenset({"/metrics", "/healthz", "/readyz"})


class Tracing:
    """The process's tracer provider and what was instrumented with it."""

    def __init__(self, settings: Settings) -> None:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
            from opentelemetry.sdk.resources import Resource
            from opentelemetry.sdk.trace import TracerProvider
            from opentelemetry.sdk.trace.export import BatchSpanProcessor
        except ImportError as exc:
            raise ConfigError(
                "KEYVEX_OTEL_ENDPOINT is set but OpenTelemetry is not installed "
                f"({exc.name} is missing): pip install 'keyvex[otel]'."
            ) from None
        assert settings.otel_endpoint is not None
        resource = Resource.create({"service.name": settings.otel_service_name})
        self.provider = TracerProvider(resource=resource)
        exporter = OTLPSpanExporter(endpoint=f"{settings.otel_endpoint}/v1/traces")
        self.provider.add_span_processor(BatchSpanProcessor(exporter))
        self.tracer = self.provider.get_tracer("keyvex")
        self._httpx = HTTPXClientInstrumentor()
        self._httpx.instrument(tracer_provider=self.provider)

    @property
    def telemetry(self) -> TelemetryConfig:
        """FastAPI's own request spans, on this provider only."""
        return {
            "tracer_provider": self.provider,
            "tracing": True,
            "metrics": False,
            "logs": False,
            "operation_spans": False,
            "exclude": _untraced,
        }

    def instrument_store(self, store: ItemStore) -> None:
        """A span around each backend call of this store (instance attributes shadow the
        methods, so the store's class and every other store stay as they are)."""
        for name in STORE_CALLS:
            setattr(store, name, self._traced(name, getattr(store, name)))

    def _traced(self, name: str, call: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
        from opentelemetry.trace import SpanKind

        span_name = f"store.{name}"

        @functools.wraps(call)
        async def traced(*args: Any, **kwargs: Any) -> T:
            with self.tracer.start_as_current_span(span_name, kind=SpanKind.CLIENT) as span:
                if args and isinstance(args[0], str):
                    span.set_attribute("keyvex.store.partition", args[0].split("#", 1)[0])
                if kwargs.get("index"):
                    span.set_attribute("keyvex.store.index", str(kwargs["index"]))
                return await call(*args, **kwargs)

        return traced

    def shutdown(self) -> None:
        """Export what is buffered and undo the httpx patch."""
        self._httpx.uninstrument()
        self.provider.shutdown()


def start_tracing(settings: Settings) -> Tracing | None:
    """Tracing for this process when ``KEYVEX_OTEL_ENDPOINT`` is set, else None (free)."""
    return Tracing(settings) if settings.otel_endpoint else None


def _untraced(scope: MutableMapping[str, Any]) -> bool:
    return scope.get("path") in UNTRACED_PATHS

"""Operations: Prometheus metrics (``/metrics``) and OpenTelemetry tracing.

``metrics`` counts in each process and reads cluster figures from the store at each scrape;
``tracing`` is imported only when ``KEYVEX_OTEL_ENDPOINT`` is set (the ``otel`` extra).
"""

from keyvex.ops.metrics import HttpRecorder, exposition, multiprocess, route_templates

__all__ = ["HttpRecorder", "exposition", "multiprocess", "route_templates"]

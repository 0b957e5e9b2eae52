"""AI usage as CSV: one row per day and (process, provider, model), spreadsheet-safe."""

from __future__ import annotations

import csv
import io

from keyvex.admin.usage import UsageSummary
from keyvex.leads import neutralise

COLUMNS = ("day", "process", "provider", "model", "requests", "errors", "fallbacks",
           "input_tokens", "output_tokens", "cost_usd", "error_rate", "fallback_rate",
           "latency_p50_ms", "latency_p95_ms", "latency_mean_ms")  # fmt: skip


def usage_csv(summary: UsageSummary) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in sorted(summary.rows, key=lambda r: (r.day, r.process, r.provider, r.model)):
        f = row.figures
        values = (row.day, row.process, row.provider, row.model, f.requests, f.errors,
                  f.fallbacks, f.input_tokens, f.output_tokens, f"{f.cost_usd:.6f}",
                  _ratio(f.error_rate), _ratio(f.fallback_rate), f.p50_ms, f.p95_ms,
                  None if f.mean_latency_ms is None else round(f.mean_latency_ms, 1))  # fmt: skip
        writer.writerow([neutralise(v) for v in values])
    return out.getvalue()


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"

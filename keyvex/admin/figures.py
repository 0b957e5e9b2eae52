"""Usage figures summed from counters: requests, errors, tokens, cost and latency percentiles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from keyvex.ai.usage_counters import LATENCY_BUCKETS_MS

BUCKETS = len(LATENCY_BUCKETS_MS) + 1
_BUCKET_NAMES = tuple(f"lat_{n}" for n in range(BUCKETS))


@dataclass(slots=True)
class Figures:
    """Sums over some counter items; rates and percentiles are derived, never stored."""

    requests: int = 0
    errors: int = 0
    fallbacks: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms_total: float = 0.0
    #: Calls per latency bucket (upper bounds ``LATENCY_BUCKETS_MS``, the last one open).
    latency: list[int] = field(default_factory=lambda: [0] * BUCKETS)
    error_kinds: dict[str, int] = field(default_factory=dict)

    def add_item(self, item: dict[str, Any]) -> None:
        """Add one counter item (``keyvex.ai.usage_counters.call_increments`` wrote its fields)."""
        get = item.get
        self.requests += int(get("requests", 0))
        errors = int(get("errors", 0))
        self.errors += errors
        self.fallbacks += int(get("fallbacks", 0))
        self.input_tokens += int(get("input_tokens", 0))
        self.output_tokens += int(get("output_tokens", 0))
        self.cost_usd += float(get("cost_usd", 0))
        self.latency_ms_total += float(get("latency_ms", 0))
        latency = self.latency
        for n, name in enumerate(_BUCKET_NAMES):
            if name in item:
                latency[n] += int(item[name])
        if errors:
            kinds = self.error_kinds
            for name, value in item.items():
                if name.startswith("err_"):
                    kinds[name[4:]] = kinds.get(name[4:], 0) + int(value)

    def add(self, other: Figures) -> None:
        self.requests += other.requests
        self.errors += other.errors
        self.fallbacks += other.fallbacks
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cost_usd += other.cost_usd
        self.latency_ms_total += other.latency_ms_total
        self.latency = [a + b for a, b in zip(self.latency, other.latency, strict=True)]
        for kind, count in other.error_kinds.items():
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + count

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def error_rate(self) -> float | None:
        """Failed requests as a share of all (0..1); None without requests."""
        return self.errors / self.requests if self.requests else None

    @property
    def fallback_rate(self) -> float | None:
        return self.fallbacks / self.requests if self.requests else None

    @property
    def cost_per_request(self) -> float | None:
        return self.cost_usd / self.requests if self.requests else None

    @property
    def mean_latency_ms(self) -> float | None:
        return self.latency_ms_total / self.requests if self.requests else None

    @property
    def p50_ms(self) -> float | None:
        return latency_percentile(self.latency, 0.50)

    @property
    def p95_ms(self) -> float | None:
        return latency_percentile(self.latency, 0.95)

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "fallbacks": self.fallbacks,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "error_rate": self.error_rate,
            "fallback_rate": self.fallback_rate,
            "latency_p50_ms": self.p50_ms,
            "latency_p95_ms": self.p95_ms,
            "latency_mean_ms": self.mean_latency_ms,
            "error_kinds": dict(sorted(self.error_kinds.items())),
        }


def latency_percentile(counts: list[int], q: float) -> float | None:
    """The q-quantile of a bucketed latency, interpolated linearly inside its bucket (as
    Prometheus' ``histogram_quantile``); in the open last bucket, its lower bound."""
    total = sum(counts)
    if not total:
        return None
    rank = q * total
    seen = 0
    for n, count in enumerate(counts):
        if count and seen + count >= rank:
            if n == len(LATENCY_BUCKETS_MS):
                return float(LATENCY_BUCKETS_MS[-1])
            low = 0.0 if n == 0 else float(LATENCY_BUCKETS_MS[n - 1])
            high = float(LATENCY_BUCKETS_MS[n])
            return round(low + (high - low) * (rank - seen) / count, 1)
        seen += count
    return float(LATENCY_BUCKETS_MS[-1])

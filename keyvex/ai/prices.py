"""What a model call cost: the settings' override table first, then the genai-prices library."""

from __future__ import annotations

import json
from decimal import Decimal

import genai_prices

OFFLINE_PROVIDERS = frozenset({"offline", "function", "test"})
PROVIDER_IDS = {"openai": "openai", "anthropic": "anthropic"}
MILLION = Decimal(1_000_000)


def parse_overrides(text: str) -> dict[str, tuple[Decimal, Decimal]]:
    """``{"provider:model" or "model": (input, output) USD per million tokens}``."""
    if not text.strip():
        return {}
    table = json.loads(text)
    return {
        name: (Decimal(str(p["input_per_mtok"])), Decimal(str(p["output_per_mtok"])))
        for name, p in table.items()
    }


def call_cost(
    provider: str,
    model: str,
    input_tokens: int,
    output_tokens: int,
    overrides: dict[str, tuple[Decimal, Decimal]],
) -> tuple[float, str]:
    """(cost in USD, where the price came from: offline, override, genai-prices or unknown)."""
    if provider in OFFLINE_PROVIDERS:
        return 0.0, "offline"
    price = overrides.get(f"{provider}:{model}") or overrides.get(model)
    if price is not None:
        cost = (price[0] * input_tokens + price[1] * output_tokens) / MILLION
        return float(cost), "override"
    usage = genai_prices.Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    try:
        calc = genai_prices.calc_price(usage, model, provider_id=PROVIDER_IDS.get(provider))
    except LookupError:
        return 0.0, "unknown"
    return float(calc.total_price), "genai-prices"

"""Deterministic answer generation for verification: bounds, defaults and seeded randoms."""

from __future__ import annotations

import math
import random
from typing import Any, Literal

from keyvex.tools.definition import ToolDefinition
from keyvex.tools.inputs import CHOICE_TYPES, NUMERIC_TYPES, Input

Mode = Literal["low", "high", "default", "random"]
TEXT_SAMPLES = {"text": "Sample answer", "email": "visitor@example.com", "date": "2025-01-15"}


def bounds(item: Input) -> tuple[float, float]:
    """The sampled range: declared min/max, else a range around the default."""
    default = item.default if isinstance(item.default, int | float) else None
    low = item.min if item.min is not None else min(0.0, default or 0.0)
    if item.max is not None:
        high = item.max
    elif item.type == "percent":
        high = 100.0
    else:
        high = max(low + 100.0, 10 * abs(default or 0.0))
    return float(low), float(high)


def answers_for(tool: ToolDefinition, rng: random.Random, mode: Mode) -> dict[str, Any]:
    return {item.id: value_for(item, rng, mode) for item in tool.inputs}


def value_for(item: Input, rng: random.Random, mode: Mode) -> Any:
    if mode == "default" and item.default is not None:
        return item.default
    if mode == "random" and not item.required and rng.random() < 0.1:
        return None
    if item.type in NUMERIC_TYPES:
        return _number(item, rng, mode)
    if item.type in CHOICE_TYPES:
        return _choice(item, rng, mode)
    if item.type == "yes_no":
        values = ["no", "yes"] + (["na"] if any(o.value == "na" for o in item.options) else [])
        return {"low": "no", "high": "yes"}.get(mode) or rng.choice(values)
    return TEXT_SAMPLES.get(item.type, "Sample answer")


def _number(item: Input, rng: random.Random, mode: Mode) -> float:
    low, high = bounds(item)
    if mode == "low":
        return low
    if mode == "high" or (mode == "random" and rng.random() < 0.15):
        return high
    if mode == "random" and rng.random() < 0.15:
        return low
    value = _spread(low, high, rng)
    if item.step:
        value = low + round((value - low) / item.step) * item.step
    else:
        value = round(value, 2)
    return min(high, max(low, value))


def _spread(low: float, high: float, rng: random.Random) -> float:
    """Uniform, or (for ranges over orders of magnitude) often log-uniform, so that
    small realistic values get sampled in a 0 .. 1,000,000,000 range too."""
    floor = max(low, 1.0)
    if high / floor > 100 and rng.random() < 0.5:
        return math.exp(rng.uniform(math.log(floor), math.log(high)))
    return rng.uniform(low, high)


def _choice(item: Input, rng: random.Random, mode: Mode) -> Any:
    values = [o.value for o in item.options]
    if item.type != "multiselect":
        return {"low": values[0], "high": values[-1]}.get(mode) or rng.choice(values)
    if mode == "high":
        return values
    if mode == "low":
        return [] if not item.required else values[:1]
    chosen = [v for v in values if rng.random() < 0.5]
    return chosen or ([rng.choice(values)] if item.required else [])

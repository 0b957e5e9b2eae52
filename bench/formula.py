"""Benchmark: compiled Keyvex formulas against CPython eval() of the same expression."""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from pathlib import Path

import keyvex.formula as formula

# A dental-practice ROI calculator: 31 operators and functions.
FORMULA = (
    "ROUND("
    "IF(missed_recalls > 0,"
    " MIN(missed_recalls * avg_visit_value * (1 - no_show_rate) * 12, cap), 0)"
    " + MAX(0, (new_patients - churned_patients) * lifetime_value * 15%)"
    " - IF(software_cost > budget, (software_cost - budget) / 12, 0)"
    " + staff_hours * hourly_rate * 52 * 25%"
    " - MIN(discount, 0.5) * software_cost"
    ", 2)"
)
PYTHON = (
    "round("
    "(min(missed_recalls * avg_visit_value * (1 - no_show_rate) * 12, cap)"
    " if missed_recalls > 0 else 0)"
    " + max(0, (new_patients - churned_patients) * lifetime_value * 0.15)"
    " - ((software_cost - budget) / 12 if software_cost > budget else 0)"
    " + staff_hours * hourly_rate * 52 * 0.25"
    " - min(discount, 0.5) * software_cost"
    ", 2)"
)
VARIABLES: dict[str, object] = {
    "missed_recalls": 42.0,
    "avg_visit_value": 180.0,
    "no_show_rate": 0.12,
    "cap": 250_000.0,
    "new_patients": 30.0,
    "churned_patients": 11.0,
    "lifetime_value": 2_400.0,
    "software_cost": 6_000.0,
    "budget": 4_800.0,
    "staff_hours": 6.0,
    "hourly_rate": 38.5,
    "discount": 0.1,
}
JS = Path(formula.__file__).parent / "js" / "formula.js"


def rates(runs: list[Callable[[], object]], rounds: int = 9) -> list[float]:
    """Evaluations per second of each callable: best of interleaved timed batches.

    Interleaving means a burst of load on a shared machine slows both sides alike.
    """
    best = [0.0] * len(runs)
    batch = 5_000
    for _ in range(rounds):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            for _ in range(batch):
                run()
            best[index] = max(best[index], batch / (time.perf_counter() - start))
    return best


def main() -> None:
    compiled = formula.compile(FORMULA)
    code = compile(PYTHON, "<bench>", "eval")
    scope = dict(VARIABLES)
    ours_value = compiled.evaluate(VARIABLES)
    eval_value = eval(code, {"__builtins__": {"round": round, "min": min, "max": max}}, scope)
    assert abs(float(ours_value) - eval_value) < 0.01, (ours_value, eval_value)  # type: ignore[arg-type]
    names = {"round": round, "min": min, "max": max}
    ours, baseline = rates([lambda: compiled.evaluate(VARIABLES), lambda: eval(code, names, scope)])
    size = len(gzip.compress(JS.read_bytes(), compresslevel=9))
    print(f"formula: {FORMULA}")
    print(f"value:   keyvex {ours_value}  eval {eval_value}")
    print(f"keyvex compiled evaluator: {ours:12,.0f} evaluations/s")
    print(f"CPython eval() baseline:   {baseline:12,.0f} evaluations/s")
    print(f"ratio (eval / keyvex):     {baseline / ours:12.2f}x  (target: at most 2.2x)")
    print(f"formula.js gzipped:        {size:12,} bytes  (target: under 12,288)")


if __name__ == "__main__":
    main()

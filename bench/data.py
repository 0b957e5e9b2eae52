"""Data analysis (`keyvex.data.analysis.analyze`) vs polars' plain `read_csv`, same file, same run.

Run: python bench/data.py [--rows 1000000]. Generates a seeded 12-column CSV with mixed types
(currency, percent, ISO and day/month dates, booleans, categories, free text, nulls) into a
temporary directory, then prints the best of 3 times for `pl.read_csv(path)` (baseline) and
`analyze(path)` (ours), their ratio, and our peak memory against the file size.

Timing: three rounds, each timing `read_csv` then `analyze` back to back (the machine's load
hits both alike); the best of the three counts for each. Memory: a fresh child process analyses
a 3-row CSV first (so every module it needs is loaded), reads its own peak RSS (VmHWM from
/proc/self/status, which starts afresh at exec; `ru_maxrss` would carry over the forking
parent's peak on Linux) as the interpreter baseline, runs `analyze(path)` on the big file once
and reads the peak again; the increase is our peak memory. Targets: time within 2x of
`read_csv`, peak memory under 3x the file size.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from keyvex.data.analysis import analyze

HEADER = [
    "SKU", "Product name", "Category", "Region", "Price", "Discount", "Quantity", "Rating",
    "Order date", "Ship date", "In stock", "Notes",
]  # fmt: skip
CATEGORIES = ["Tools", "Garden", "Kitchen", "Office", "Toys", "Sports", "Books", "Audio"]
REGIONS = ["North", "South", "East", "West", "Central"]
WORDS = "alpha bravo delta echo fox gold harbor iris jade kilo lima nova oak pine quartz".split()
TIME_TARGET, MEMORY_TARGET = 2.0, 3.0
CHILD = """
import resource, sys
from pathlib import Path
from keyvex.data.analysis import analyze

def peak_kib():
    try:  # VmHWM starts afresh at exec; ru_maxrss keeps the forking parent's peak
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

warm_up = Path(sys.argv[2])
warm_up.write_text("a,b\\n1,x\\n2,y\\n3,z\\n", encoding="utf-8")
analyze(warm_up)
before = peak_kib()
analyze(Path(sys.argv[1]))
print(before, peak_kib())
"""


def _row(rng: random.Random, i: int) -> list[str]:
    price = rng.uniform(1, 5000)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    words = rng.sample(WORDS, 3)
    return [
        f"P{i:07d}",
        f"{words[0].title()} {words[1]} {rng.randint(1, 999)}",
        rng.choice(CATEGORIES),
        rng.choice(REGIONS) if rng.random() > 0.02 else "",
        f"${price:,.2f}" if rng.random() > 0.01 else "-$5",
        f"{rng.randint(0, 40) / 2}%",
        str(rng.randint(0, 500)),
        f"{rng.uniform(1, 5):.1f}" if rng.random() > 0.05 else "",
        f"2024-{month:02d}-{day:02d}",
        f"{day:02d}/{month:02d}/2024",
        rng.choice(("yes", "no")),
        " ".join(rng.choices(WORDS, k=rng.randint(2, 6))) if rng.random() > 0.3 else "",
    ]


def generate(path: Path, rows: int, seed: int = 7, chunk: int = 50_000) -> None:
    """Write ``rows`` seeded rows to ``path`` in chunks (never the whole file in memory)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(f'"{h}"' for h in HEADER) + "\n")
        for start in range(0, rows, chunk):
            lines = []
            for i in range(start, min(rows, start + chunk)):
                lines.append(",".join(f'"{c}"' if "," in c else c for c in _row(rng, i)))
            out.write("\n".join(lines) + "\n")


def _timed(*fns: Callable[[], object], rounds: int = 3) -> list[float]:
    """Best time of each function over ``rounds`` rounds that run them one after another."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for index, fn in enumerate(fns):
            started = time.perf_counter()
            fn()
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def peak_memory(path: Path) -> int:
    """Bytes our analysis adds to a warmed-up fresh interpreter's peak RSS (Linux: KiB)."""
    warm_up = path.with_name("warm-up.csv")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(warm_up)],
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = (int(v) for v in done.stdout.split())
    return (after - before) * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the generated CSV")
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        started = time.perf_counter()
        generate(path, rows)
        size = path.stat().st_size
        print(
            f"generated {rows:,} rows, {size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        )
        baseline, ours = _timed(lambda: pl.read_csv(path), lambda: analyze(path))
        memory = peak_memory(path)
        result = analyze(path)
    ratio, mem_ratio = ours / baseline, memory / size
    print(f"polars read_csv  {baseline:.3f} s (best of 3)")
    print(f"analyze          {ours:.3f} s (best of 3)")
    verdict = "PASS" if ratio <= TIME_TARGET else "FAIL"
    print(f"time ratio       {ratio:.2f}x (target <= {TIME_TARGET:g}x) {verdict}")
    verdict = "PASS" if mem_ratio < MEMORY_TARGET else "FAIL"
    print(
        f"peak memory      {memory / 1e6:.1f} MB = {mem_ratio:.2f}x the file "
        f"(target < {MEMORY_TARGET:g}x) {verdict}"
    )
    types = {c.name: c.type for c in result.columns}
    print(f"row_count {result.row_count:,}; types {json.dumps(types)}")


if __name__ == "__main__":
    main()

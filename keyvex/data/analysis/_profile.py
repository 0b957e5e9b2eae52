"""Column profiling: types from a sample, exact counts and ranges from one streaming pass.

The first ``sample_rows`` rows decide each column's type and consistency (regexes are the
costly part). One streaming pass over all rows then turns every column into a compact
column: a small category code when the sample showed few distinct values (any value the
sample did not have sends that column through a second, hashed pass), else a 64-bit hash
(null kept as null) plus its parsed value for typed columns; the row hash combines every
column's hash. Null and duplicate-row counts are exact; distinct counts are exact unless two
different values share a 64-bit hash (odds below 1e-7 for a million distinct values).
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import reduce

import polars as pl

from keyvex.data.analysis._source import NULL_SPELLINGS, Frame
from keyvex.data.analysis._types import Detection, Values, detect
from keyvex.data.analysis.models import QUALITY_WEIGHTS, ColumnProfile, Quality

SAMPLES = 5
#: Columns with at most this many distinct values in the sample are coded as categories
#: (UInt16 codes: 0 is empty).
CATEGORY_LIMIT = 2000
_GOLDEN = 0x9E3779B97F4A7C15
Scalar = int | float | str | None


@dataclass
class Plan:
    """How the full pass handles one column: its detection and, if few, its categories."""

    detection: Detection
    categories: list[str] | None
    #: No empty and no repeated value in the sample: probably a key, so no row hash needed.
    unique_in_sample: bool = False


@dataclass
class Stats:
    """Exact figures for one column over every row."""

    nulls: int
    distinct: int
    low: Scalar = None
    high: Scalar = None


@dataclass
class Profile:
    """What profiling found: rows (declared and analysed), columns, empties and duplicates."""

    row_count: int
    columns: list[ColumnProfile]
    duplicate_rows: int
    analysed_rows: int = 0
    null_counts: tuple[int, ...] = ()

    def quality(self) -> Quality:
        """The weighted quality score (weights in QUALITY_WEIGHTS) and its parts."""
        rows, columns = self.analysed_rows, self.columns
        cells = rows * len(columns)
        completeness = 1 - sum(self.null_counts) / cells if cells else 0.0
        consistency = sum(c.consistency for c in columns) / len(columns) if columns else 0.0
        uniqueness = 1 - self.duplicate_rows / rows if rows else 0.0
        parts = {"completeness": completeness, "type_consistency": consistency}
        parts["uniqueness"] = uniqueness
        score = sum(QUALITY_WEIGHTS[k] * v for k, v in parts.items())
        return Quality(
            score=round(score, 4),
            completeness=round(completeness, 4),
            type_consistency=round(consistency, 4),
            uniqueness=round(uniqueness, 4),
            duplicate_rows=self.duplicate_rows,
            duplicate_pct=round(100 * self.duplicate_rows / rows, 2) if rows else 0.0,
        )


def profile(frame: Frame, sample_rows: int) -> Profile:
    """Profiles of every column of ``frame``, with exact counts over all its rows."""
    names = frame.columns
    if not names:
        return Profile(frame.row_count or 0, [], 0)
    raw = frame.head(max(1, sample_rows))
    # Cleaning costs a pass of lookups: only columns whose sample holds "NA", "-", ... get it.
    words = raw.select(pl.all().is_in(NULL_SPELLINGS).any()).row(0)
    cleaned = [frame.cleaned(i, has_null_words=bool(w)) for i, w in enumerate(words)]
    sample = raw.select(cleaned)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        plans = list(pool.map(_plan, [sample.get_column(f"c{i}") for i in range(len(names))]))
    lazy = frame.lazy.select(cleaned)
    rows, stats, duplicates = _full_pass(lazy, plans)
    columns = [
        _column(name, plans[i].detection, stats[i], sample.get_column(f"c{i}"), rows)
        for i, name in enumerate(names)
    ]
    nulls = tuple(s.nulls for s in stats)
    return Profile(frame.row_count or rows, columns, duplicates, rows, nulls)


def _plan(values: pl.Series) -> Plan:
    counts = values.drop_nulls().value_counts(sort=False, name="n")
    distinct = counts.to_series(0)
    categories = distinct.sort().to_list() if len(distinct) <= CATEGORY_LIMIT else None
    unique = len(values) > 1 and values.null_count() == 0 and len(distinct) == len(values)
    return Plan(detect(Values.counted(counts)), categories, unique)


def _full_pass(lazy: pl.LazyFrame, plans: list[Plan]) -> tuple[int, list[Stats], int]:
    """Rows, per-column stats and duplicate rows, from one streaming pass (a second one when
    a coded column met a value its sample lacked, or a likely key column was not one)."""
    exprs = [e for i, plan in enumerate(plans) for e in _compact(i, plan)]
    keyed_sample = any(p.unique_in_sample for p in plans)
    if not keyed_sample:
        exprs.append(_row_hash(len(plans)))
    projected = lazy.select(exprs).collect(engine="streaming")
    rows = projected.height
    stats = _stats(projected, dict(enumerate(plans)))
    missed = {i: Plan(plans[i].detection, None) for i, s in enumerate(stats) if s is None}
    # A column with a distinct value in every row proves every row distinct.
    keyed = any(s is not None and s.nulls == 0 and s.distinct == rows for s in stats)
    second = [e for i, plan in missed.items() for e in _compact(i, plan)]
    if not keyed and keyed_sample:
        second.append(_row_hash(len(plans)))
    if second:  # values the sample lacked, or a likely key that was not one
        projected = lazy.select(second).collect(engine="streaming")
        for i, found in zip(missed, _stats(projected, missed), strict=True):
            stats[i] = found
    final = [s for s in stats if s is not None]
    keyed = any(s.nulls == 0 and s.distinct == rows for s in final)
    distinct_rows = rows if keyed else projected.get_column("row").n_unique()
    return rows, final, rows - distinct_rows


def _row_hash(width: int) -> pl.Expr:
    mixed = [
        pl.col(f"c{i}").hash() * pl.lit((_GOLDEN * (2 * i + 1)) % 2**64, dtype=pl.UInt64)
        for i in range(width)
    ]
    return reduce(lambda a, b: a ^ b, mixed).alias("row")


def _compact(i: int, plan: Plan) -> list[pl.Expr]:
    col = pl.col(f"c{i}")
    if plan.categories is not None:
        # 0 = empty, k = the k-th category, null = a value the sample did not have
        code = col.cast(pl.Enum(plan.categories), strict=False).to_physical()
        code = code.cast(pl.UInt16) + 1
        zero = pl.lit(0, dtype=pl.UInt16)
        return [pl.when(col.is_null()).then(zero).otherwise(code).alias(f"k{i}")]
    exprs = [pl.when(col.is_not_null()).then(col.hash()).alias(f"h{i}")]
    if plan.detection.parse is not None:
        exprs.append(plan.detection.parse(col).alias(f"p{i}"))
    return exprs


def _aggregates(i: int, plan: Plan) -> list[pl.Expr]:
    if plan.categories is None:
        hashed = pl.col(f"h{i}")
        exprs = [hashed.null_count().alias(f"n{i}"), hashed.drop_nulls().n_unique().alias(f"u{i}")]
        if plan.detection.parse is not None:
            parsed = pl.col(f"p{i}")
            exprs += [parsed.min().alias(f"lo{i}"), parsed.max().alias(f"hi{i}")]
        return exprs
    codes = pl.col(f"k{i}")
    return [
        (codes == 0).sum().alias(f"n{i}"),
        codes.null_count().alias(f"x{i}"),
        codes.filter(codes > 0).unique().implode().alias(f"u{i}"),
    ]


def _stats(frame: pl.DataFrame, plans: dict[int, Plan]) -> list[Stats | None]:
    """Each column's stats (None for a coded column that met an unknown value), all
    aggregates computed in one parallel select."""
    row = frame.select([e for i, plan in plans.items() for e in _aggregates(i, plan)]).row(
        0, named=True
    )
    found: list[Stats | None] = []
    for i, plan in plans.items():
        if plan.categories is None:
            low, high = _scalar(row.get(f"lo{i}")), _scalar(row.get(f"hi{i}"))
            found.append(Stats(row[f"n{i}"], row[f"u{i}"], low, high))
        elif row[f"x{i}"]:
            found.append(None)
        else:
            found.append(_coded(row[f"n{i}"], row[f"u{i}"], plan))
    return found


def _coded(nulls: int, present: list[int], plan: Plan) -> Stats:
    """Stats of a coded column: min and max come from parsing just its categories."""
    found = Stats(nulls, len(present))
    if plan.detection.parse is not None and present and plan.categories is not None:
        values = pl.Series("v", plan.categories).gather([p - 1 for p in present])
        parsed = pl.select(plan.detection.parse(pl.lit(values))).to_series()
        found.low, found.high = _scalar(parsed.min()), _scalar(parsed.max())
    return found


def _scalar(value: object) -> Scalar:
    if value is None:
        return None
    if isinstance(value, dt.date):  # date and datetime
        return value.isoformat()
    if not isinstance(value, int | float):
        return str(value)
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else round(number, 10)


def _column(
    name: str, detection: Detection, stats: Stats, sample: pl.Series, rows: int
) -> ColumnProfile:
    return ColumnProfile(
        name=name,
        type=detection.type,
        null_pct=round(100 * stats.nulls / rows, 2) if rows else 0.0,
        distinct_count=stats.distinct,
        min=stats.low,
        max=stats.high,
        samples=_samples(sample),
        consistency=round(detection.consistency, 4),
        currency=detection.currency,
        date_format=detection.date_format,
        best_other=detection.near,
    )


def _samples(sample: pl.Series) -> list[str]:
    values = sample.drop_nulls()
    return [str(v) for v in values.unique(maintain_order=True).head(SAMPLES).to_list()]

"""Column profiling: types from a sample, exact counts and ranges from one streaming pass.

The first ``sample_rows`` rows decide each column's type and consistency (regexes are the
costly part). One streaming pass over all rows then turns every column into a 64-bit hash
(null kept as null), plus the parsed value of a typed column with many distinct values; the
in-memory aggregates that follow run in parallel. A column with few distinct values in the
sample (its categories) takes its distinct count from the distinct hashes, and its min and max
from parsing just the categories present (a typed value the sample lacked costs a second,
streamed pass for that column's min and max). Null and duplicate-row counts are exact, and so
are distinct counts, unless two different values share a 64-bit hash (odds below 1e-7 for a
million distinct values), with one exception: from :data:`APPROXIMATE_FROM` rows on, a column
with more than :data:`CATEGORY_LIMIT` distinct values in its sample that is not a likely key
gets a HyperLogLog estimate (``approx_n_unique``, typically within 2%). A likely key (no
empty or repeated value in the sample) is always counted exactly; when its sample rises
strictly, checking that every row is above the one before replaces counting its hashes. A
proven key proves every row distinct; otherwise duplicates come from a hash of whole rows.
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
#: Columns with at most this many distinct values in the sample are treated as categories.
CATEGORY_LIMIT = 2000
#: From this many rows on, distinct counts of many-valued columns are estimates (except
#: likely keys).
APPROXIMATE_FROM = 100_000
_GOLDEN = 0x9E3779B97F4A7C15
Scalar = int | float | str | None


@dataclass
class Plan:
    """How the full pass handles one column: its detection and, if few, its categories."""

    detection: Detection
    categories: list[str] | None
    #: No empty and no repeated value in the sample: probably a key, so no row hash needed.
    unique_in_sample: bool = False
    #: A many-valued likely key whose sample rises strictly: sorted, so checked in order.
    ascending: bool = False
    #: Distinct non-empty values in the sample (a floor for an estimated count).
    sample_distinct: int = 0
    #: Some non-empty value repeats in the sample (so not every row's value is distinct).
    repeats: bool = False


@dataclass
class Stats:
    """Exact figures for one column over every row."""

    nulls: int
    distinct: int
    low: Scalar = None
    high: Scalar = None
    #: False when ``distinct`` is a HyperLogLog estimate.
    exact: bool = True


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
    ascending = unique and categories is None and bool((values > values.shift(1)).all())
    repeats = len(distinct) < len(values) - values.null_count()
    detection = detect(Values.counted(counts))
    return Plan(detection, categories, unique, ascending, len(distinct), repeats)


def _full_pass(lazy: pl.LazyFrame, plans: list[Plan]) -> tuple[int, list[Stats], int]:
    """Rows, per-column stats and duplicate rows, from one streaming pass (a second one, of
    min and max only, when a coded column of a typed column met a value its sample lacked)."""
    exprs = [e for i, plan in enumerate(plans) for e in _compact(i, plan)]
    projected = lazy.select(exprs).collect(engine="streaming")
    rows = projected.height
    stats, unranged = _stats(projected, plans)
    if unranged:  # typed values the sample lacked: their min and max, streamed
        ranges = lazy.select([e for i in unranged for e in _range(i, plans[i])])
        found = ranges.collect(engine="streaming").row(0, named=True)
        for i in unranged:
            stats[i].low, stats[i].high = _scalar(found[f"lo{i}"]), _scalar(found[f"hi{i}"])
    # A column with a distinct value in every row proves every row distinct.
    keyed = any(s.exact and s.nulls == 0 and s.distinct == rows for s in stats)
    distinct_rows = rows if keyed else projected.select(_row_hash(plans)).n_unique()
    return rows, stats, rows - distinct_rows


def _row_hash(plans: list[Plan]) -> pl.Expr:
    """Every column's hash (nulls as a fixed value) mixed into one per row."""
    mixed = [
        _hashed(i, plan).fill_null(pl.lit(_GOLDEN, dtype=pl.UInt64))
        * pl.lit((_GOLDEN * (2 * i + 1)) % 2**64, dtype=pl.UInt64)
        for i, plan in enumerate(plans)
    ]
    return reduce(lambda a, b: a ^ b, mixed).alias("row")


def _compact(i: int, plan: Plan) -> list[pl.Expr]:
    """A 64-bit hash of each value (null kept), and the parsed value of a typed column the
    sample did not reduce to a few categories."""
    col = pl.col(f"c{i}")
    if plan.ascending:  # the text itself, to check the order instead of counting hashes
        exprs = [col.alias(f"k{i}")]
    else:
        exprs = [pl.when(col.is_not_null()).then(col.hash()).alias(f"h{i}")]
    if plan.categories is None and plan.detection.parse is not None:
        exprs.append(plan.detection.parse(col).alias(f"p{i}"))
    return exprs


def _hashed(i: int, plan: Plan) -> pl.Expr:
    """Column ``i``'s hashes in the compact frame (null kept)."""
    if not plan.ascending:
        return pl.col(f"h{i}")
    text = pl.col(f"k{i}")
    return pl.when(text.is_not_null()).then(text.hash())


def _range(i: int, plan: Plan) -> list[pl.Expr]:
    parse = plan.detection.parse
    assert parse is not None
    parsed = parse(pl.col(f"c{i}"))
    return [parsed.min().alias(f"lo{i}"), parsed.max().alias(f"hi{i}")]


def _aggregates(i: int, plan: Plan, exact: bool) -> list[pl.Expr]:
    compact = pl.col(f"k{i}" if plan.ascending else f"h{i}")  # text or hash: nulls alike
    exprs = [compact.null_count().alias(f"n{i}")]
    if plan.categories is not None:  # the distinct hashes, to look up among the categories
        return [*exprs, compact.drop_nulls().unique(maintain_order=True).implode().alias(f"u{i}")]
    if plan.ascending:  # strictly rising values are distinct; else counted in a second step
        exprs.append((compact > compact.shift(1)).all().alias(f"s{i}"))
    else:
        present = compact.drop_nulls()
        exprs.append((present.n_unique() if exact else present.approx_n_unique()).alias(f"u{i}"))
    if plan.detection.parse is not None:
        parsed = pl.col(f"p{i}")
        exprs += [parsed.min().alias(f"lo{i}"), parsed.max().alias(f"hi{i}")]
    return exprs


def _stats(frame: pl.DataFrame, plans: list[Plan]) -> tuple[list[Stats], list[int]]:
    """Each column's stats, all aggregates computed in one parallel select, and the typed
    coded columns whose min and max need another pass (values the sample lacked)."""
    rows = frame.height
    exact = [p.unique_in_sample or rows < APPROXIMATE_FROM for p in plans]
    aggregates = [e for i, plan in enumerate(plans) for e in _aggregates(i, plan, exact[i])]
    row = frame.select(aggregates).row(0, named=True)
    unsorted = [i for i, p in enumerate(plans) if p.ascending and not _rising(row, i)]
    if unsorted:  # likely keys out of order: their distinct hashes, counted
        counts = [_hashed(i, plans[i]).drop_nulls().n_unique().alias(f"u{i}") for i in unsorted]
        row |= frame.select(counts).row(0, named=True)
    found: list[Stats] = []
    unranged: list[int] = []
    for i, plan in enumerate(plans):
        if plan.categories is None:
            low, high = _scalar(row.get(f"lo{i}")), _scalar(row.get(f"hi{i}"))
            distinct = row.get(f"u{i}", rows)  # rising: every row a distinct value
            if not exact[i]:  # an estimate, kept between what the sample and rows allow
                most = rows - row[f"n{i}"] - plan.repeats
                distinct = max(plan.sample_distinct, min(distinct, most))
            found.append(Stats(row[f"n{i}"], distinct, low, high, exact[i]))
            continue
        stats, complete = _coded(row[f"n{i}"], row[f"u{i}"], plan)
        found.append(stats)
        if not complete and plan.detection.parse is not None:
            unranged.append(i)
    return found, unranged


def _rising(row: dict[str, object], i: int) -> bool:
    """Whether column ``i`` rose strictly from row to row with no empty cell."""
    return row[f"n{i}"] == 0 and row[f"s{i}"] is not False


def _coded(nulls: int, hashes: list[int], plan: Plan) -> tuple[Stats, bool]:
    """Stats of a column with few distinct values in its sample: min and max come from
    parsing the categories present; False when it had values the sample lacked."""
    found = Stats(nulls, len(hashes))
    categories = pl.Series("v", plan.categories or [], dtype=pl.String)
    seen = set(hashes)
    codes = categories.hash().to_list()
    kept = [c for c, h in zip(categories, codes, strict=True) if h in seen]
    present = pl.Series("v", kept, pl.String)
    if plan.detection.parse is not None and len(present):
        parsed = pl.select(plan.detection.parse(pl.lit(present))).to_series()
        found.low, found.high = _scalar(parsed.min()), _scalar(parsed.max())
    return found, len(present) == len(hashes)


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
        distinct_estimated=not stats.exact,
        min=stats.low,
        max=stats.high,
        samples=_samples(sample),
        consistency=round(detection.consistency, 4),
        currency=detection.currency,
        date_format=detection.date_format,
        best_other=detection.near,
    )


def _samples(sample: pl.Series) -> list[str]:
    """The first distinct values, from a short head of the sample when that holds enough."""
    values = sample.drop_nulls()
    found = values.head(256).unique(maintain_order=True)
    if len(found) < SAMPLES and len(values) > 256:
        found = values.unique(maintain_order=True)
    return [str(v) for v in found.head(SAMPLES).to_list()]

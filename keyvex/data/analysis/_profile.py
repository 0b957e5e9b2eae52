"""Column profiling: types from a sample, exact counts and ranges from one streaming pass.

The first ``sample_rows`` rows decide each column's type and consistency (regexes are the
costly part). One streaming pass over all rows then turns every column into a 64-bit hash
(null kept as null) plus, for typed columns, its parsed value; the row hash combines the
column hashes. Null, distinct and duplicate-row counts come from those hashes and are exact
unless two different values share a 64-bit hash (odds below 1e-7 for a million distinct
values); min and max come from the parsed values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce

import polars as pl

from keyvex.data.analysis._source import NULL_SPELLINGS, Frame
from keyvex.data.analysis._types import Detection, detect
from keyvex.data.analysis.models import QUALITY_WEIGHTS, ColumnProfile, Quality

SAMPLES = 5
_GOLDEN = 0x9E3779B97F4A7C15


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
        parts = {
            "completeness": completeness,
            "type_consistency": consistency,
            "uniqueness": uniqueness,
        }
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
    raw = frame.lazy.head(max(1, sample_rows)).collect()
    # Cleaning costs a pass of lookups: only columns whose sample holds "NA", "-", ... get it.
    words = raw.select(pl.all().is_in(NULL_SPELLINGS).any()).row(0)
    cleaned = [frame.cleaned(i, has_null_words=bool(w)) for i, w in enumerate(words)]
    sample = raw.select(cleaned)
    detections = [detect(sample.get_column(f"c{i}")) for i in range(len(names))]
    stats = _full_pass(frame.lazy.select(cleaned), detections)
    rows = int(stats.get_column("rows")[0])
    columns = [
        _column(name, i, detection, stats, sample.get_column(f"c{i}"), rows)
        for i, (name, detection) in enumerate(zip(names, detections, strict=True))
    ]
    duplicates = rows - int(stats.get_column("distinct_rows")[0])
    nulls = tuple(int(stats.get_column(f"n{i}")[0]) for i in range(len(names)))
    return Profile(frame.row_count or rows, columns, duplicates, rows, nulls)


def _full_pass(lazy: pl.LazyFrame, detections: list[Detection]) -> pl.DataFrame:
    """One streaming pass to compact columns (hashes, parsed values), then the aggregates.

    ``lazy`` has the columns c0, c1, ...; nulls keep their place in the hash columns."""
    names = [f"c{i}" for i in range(len(detections))]
    hashes = [pl.col(name).hash() for name in names]
    exprs = [
        pl.when(pl.col(name).is_not_null()).then(h).alias(f"h{i}")
        for i, (name, h) in enumerate(zip(names, hashes, strict=True))
    ]
    mixed = [
        h * pl.lit((_GOLDEN * (2 * i + 1)) % 2**64, dtype=pl.UInt64) for i, h in enumerate(hashes)
    ]
    exprs.append(reduce(lambda a, b: a ^ b, mixed).alias("row"))
    parsed: list[int] = []
    for i, detection in enumerate(detections):
        if detection.parse is not None:
            exprs.append(detection.parse(pl.col(names[i])).alias(f"p{i}"))
            parsed.append(i)
    projected = lazy.select(exprs).collect(engine="streaming")
    aggregates = [pl.len().alias("rows"), pl.col("row").n_unique().alias("distinct_rows")]
    for i in range(len(names)):
        h = pl.col(f"h{i}")
        aggregates += [h.null_count().alias(f"n{i}"), h.drop_nulls().n_unique().alias(f"u{i}")]
    for i in parsed:
        aggregates += [
            pl.col(f"p{i}").min().alias(f"min{i}"),
            pl.col(f"p{i}").max().alias(f"max{i}"),
        ]
    return projected.select(aggregates)


def _column(
    name: str, i: int, detection: Detection, stats: pl.DataFrame, sample: pl.Series, rows: int
) -> ColumnProfile:
    nulls = int(stats.get_column(f"n{i}")[0])
    return ColumnProfile(
        name=name,
        type=detection.type,
        null_pct=round(100 * nulls / rows, 2) if rows else 0.0,
        distinct_count=int(stats.get_column(f"u{i}")[0]),
        min=_value(stats, f"min{i}"),
        max=_value(stats, f"max{i}"),
        samples=_samples(sample),
        consistency=round(detection.consistency, 4),
        currency=detection.currency,
        date_format=detection.date_format,
        best_other=detection.near,
    )


def _value(stats: pl.DataFrame, column: str) -> int | float | str | None:
    if column not in stats.columns:
        return None
    value = stats.get_column(column)[0]
    if value is None:
        return None
    if isinstance(value, dt.date):  # date and datetime
        return value.isoformat()
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else round(number, 10)


def _samples(sample: pl.Series) -> list[str]:
    values = sample.drop_nulls()
    return [str(v) for v in values.unique(maintain_order=True).head(SAMPLES).to_list()]

"""Column type detection with vectorised polars regexes, and the parsers for min/max.

A column takes a type when at least :data:`TYPE_THRESHOLD` (85%) of its non-empty values fit
it (so a price column with a few stray notes stays a price column, with a clean-up
suggestion); otherwise it is text. Booleans are stricter: every value must be a boolean word (and a
column of digits must hold both 0 and 1). Currency and percent columns need the symbol, code
or ``%`` on at least half of their values; plain numbers among them still fit. Each column
picks one number convention (``1,234.5`` or ``1.234,5``) from the values that tell them apart,
and numeric dates pick day-first or month-first from parts above 12.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from keyvex.data.analysis.models import ColumnType

TYPE_THRESHOLD = 0.85
MARKED_SHARE = 0.5

_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_SYMBOLS |= {"A$": "AUD", "C$": "CAD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD"}
_CODES = "USD EUR GBP JPY INR CAD AUD CHF CNY SEK NOK DKK NZD ZAR BRL MXN SGD HKD PLN".split()
_MARK = r"(?:US\$|A\$|C\$|NZ\$|HK\$|S\$|[$€£¥₹]|" + "|".join(_CODES) + ")"
_DOT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_COMMA = r"(?:\d{1,3}(?:[.\s\u00a0]\d{3})+|\d+)(?:,\d+)?|,\d+"
_SIGN = r"(?:[+-]\s*)?"


def _envelope(num: str, mark: str = "") -> str:
    """A number with an optional sign, accounting parentheses and ``mark`` before or after."""
    before = f"(?:{mark}\\s*)?" if mark else ""
    after = f"(?:\\s*{mark})?" if mark else ""
    return rf"^{_SIGN}\(?\s*{_SIGN}{before}{_SIGN}(?:{num}){after}\s*\)?$"


_NUMBER = {"dot": rf"^{_SIGN}(?:{_DOT})(?:[eE][+-]?\d+)?$", "comma": rf"^{_SIGN}(?:{_COMMA})$"}
_CURRENCY = {conv: _envelope(num, _MARK) for conv, num in (("dot", _DOT), ("comma", _COMMA))}
_PERCENT = {
    conv: rf"^{_SIGN}(?:{num})(?:\s*%)?$" for conv, num in (("dot", _DOT), ("comma", _COMMA))
}
_ANY_DOT, _ANY_COMMA = _envelope(_DOT, rf"(?:{_MARK}|%)"), _envelope(_COMMA, rf"(?:{_MARK}|%)")

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec"
)
TRUE_WORDS = ("true", "yes", "y", "t", "1")
FALSE_WORDS = ("false", "no", "n", "f", "0")


@dataclass(frozen=True)
class DateFamily:
    """One way of writing dates: its regex and strftime format(s) (day-first, month-first)."""

    pattern: str
    day_first: str
    month_first: str | None = None
    datetime: bool = False


def _numeric_families() -> list[DateFamily]:
    families = []
    for sep in ("/", ".", "-"):
        s = "\\" + sep if sep == "." else sep
        for year, fmt in ((r"\d{4}", "%Y"), (r"\d{2}", "%y")):
            families.append(
                DateFamily(
                    rf"^\d{{1,2}}{s}\d{{1,2}}{s}{year}$",
                    f"%d{sep}%m{sep}{fmt}",
                    f"%m{sep}%d{sep}{fmt}",
                )
            )
    return families


DATE_FAMILIES: list[DateFamily] = [
    DateFamily(r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d"),
    DateFamily(
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
        "%Y-%m-%dT%H:%M:%S",
        datetime=True,
    ),
    DateFamily(
        r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$",
        "%Y-%m-%d %H:%M:%S",
        datetime=True,
    ),
    *_numeric_families(),
    DateFamily(rf"(?i)^\d{{1,2}} (?:{_MONTHS})\.? \d{{4}}$", "%d %B %Y"),
    DateFamily(rf"(?i)^\d{{1,2}}-(?:{_MONTHS})-\d{{4}}$", "%d-%B-%Y"),
    DateFamily(rf"(?i)^(?:{_MONTHS})\.? \d{{1,2}}, \d{{4}}$", "%B %d, %Y"),
    DateFamily(rf"(?i)^(?:{_MONTHS})\.? \d{{1,2}} \d{{4}}$", "%B %d %Y"),
]

#: Any date family's pattern: one regex that rules out most non-date columns at once.
_ANY_DATE = "|".join(f"(?:{family.pattern})" for family in DATE_FAMILIES)
Parser = Callable[[pl.Expr], pl.Expr]
PROBE = 500
_PLAIN = r"^[+-]?\d+(?:\.\d+)?$"
_STRIP_MONEY = "$€£¥₹()+- \u00a0" + "".join(sorted(set("".join(_CODES)) | set("USACNZHK")))


@dataclass
class Values:
    """A column's distinct trimmed non-empty values and how often each occurs."""

    text: pl.Series
    weights: pl.Series
    total: int
    #: Shares already measured, by pattern.
    shares: dict[str, float] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, values: pl.Series) -> Values:
        return cls.counted(values.drop_nulls().value_counts(sort=False, name="n"))

    @classmethod
    def counted(cls, counts: pl.DataFrame) -> Values:
        """From raw distinct values and their counts (first column, then ``n``): trimmed,
        blanks dropped, values equal once trimmed merged."""
        text = counts.to_series(0).cast(pl.String).str.strip_chars()
        trimmed = pl.DataFrame({"v": text, "n": counts.get_column("n")}).filter(pl.col("v") != "")
        if len(trimmed) and trimmed.get_column("v").n_unique() < len(trimmed):
            trimmed = trimmed.group_by("v", maintain_order=True).agg(pl.col("n").sum())
        weights = trimmed.get_column("n")
        return cls(trimmed.get_column("v"), weights, int(weights.sum()))

    def head(self, n: int) -> Values:
        return Values(self.text.head(n), self.weights.head(n), int(self.weights.head(n).sum()))

    def share(self, mask: pl.Series) -> float:
        return float(self.weights.filter(mask).sum()) / self.total if self.total else 0.0

    def matching(self, pattern: str) -> float:
        if pattern not in self.shares:
            self.measure([pattern])
        return self.shares[pattern] if self.total else 0.0

    def measure(self, patterns: Iterable[str]) -> None:
        """The shares of several patterns from one parallel select (every polars call has a
        fixed cost that dwarfs matching a few hundred values)."""
        todo = list(dict.fromkeys(p for p in patterns if p not in self.shares))
        if not todo or not self.total:
            return
        frame = pl.DataFrame({"v": self.text, "n": self.weights})
        hits = pl.col("n").filter
        found = frame.select(
            [hits(pl.col("v").str.contains(p)).sum().alias(f"p{k}") for k, p in enumerate(todo)]
        ).row(0)
        self.shares.update({p: float(n) / self.total for p, n in zip(todo, found, strict=True)})

    def masks(self, patterns: list[str]) -> list[pl.Series]:
        """Which values match each pattern, from one parallel select."""
        text = pl.col("v")
        frame = pl.DataFrame({"v": self.text})
        found = frame.select([text.str.contains(p).alias(f"p{k}") for k, p in enumerate(patterns)])
        return found.get_columns()


@dataclass
class Detection:
    """What a column's sample says: its type, consistency and how to parse it."""

    type: ColumnType = "string"
    consistency: float = 1.0
    currency: str | None = None
    date_format: str | None = None
    parse: Parser | None = None
    #: For text columns, the best other type's share when it came close (>= 50%).
    near: tuple[ColumnType, float] | None = None


def detect(values: pl.Series | Values) -> Detection:
    """The type of a column from (a sample of) its raw text values.

    Every type is tried on the first distinct values (a probe); only the types the probe
    makes plausible are measured on all of them, so text columns cost little.
    """
    found = values if isinstance(values, Values) else Values.of(values)
    if found.total == 0:
        return Detection()
    if _is_boolean(found.text):
        return Detection("boolean", 1.0)
    probe = found.head(PROBE) if len(found.text) > PROBE else found
    conv = _convention(probe)
    probe.measure([r"\d", _ANY_DATE, r"%\s*$", _PERCENT[conv], _MARK, _CURRENCY[conv]])
    probe.measure([_NUMBER[conv], _PLAIN])
    measured: list[Detection] = []
    for guess in _candidates(probe, conv):
        if guess.consistency < 0.5:
            continue
        exact = guess if probe is found else _measure(guess.type, found, conv)
        if exact is not None and exact.consistency >= TYPE_THRESHOLD:
            return exact
        if exact is not None:
            measured.append(exact)
    best = max(measured, key=lambda d: d.consistency, default=None)
    near = (best.type, round(best.consistency, 4)) if best and best.consistency >= 0.5 else None
    return Detection("string", 1.0, near=near)


def _candidates(values: Values, conv: str) -> list[Detection]:
    """Date, percent, currency and number readings, in that priority order."""
    found = [_measure(kind, values, conv) for kind in ("date", "percent", "currency", "number")]
    return [d for d in found if d is not None]


def _measure(kind: ColumnType, values: Values, conv: str) -> Detection | None:
    if kind == "date":
        return _date(values)
    if kind == "percent":
        return _percent(values, conv)
    if kind == "currency":
        return _currency(values, conv)
    return _number(values, conv)


def _is_boolean(text: pl.Series) -> bool:
    if len(text) > len(TRUE_WORDS + FALSE_WORDS):
        return False
    distinct = set(text.str.to_lowercase().to_list())
    if not distinct <= set(TRUE_WORDS + FALSE_WORDS):
        return False
    return not distinct <= {"0", "1"} or distinct == {"0", "1"}


def _convention(values: Values) -> str:
    """'comma' when more values only make sense with a decimal comma than with a dot."""
    dot, comma = pl.col("v").str.contains(_ANY_DOT), pl.col("v").str.contains(_ANY_COMMA)
    hits = pl.col("n").filter
    frame = pl.DataFrame({"v": values.text, "n": values.weights})
    dot_only, comma_only = frame.select(
        hits(dot & ~comma).sum().alias("dot"), hits(comma & ~dot).sum().alias("comma")
    ).row(0)
    return "comma" if comma_only > dot_only else "dot"


def _number(values: Values, conv: str) -> Detection:
    share = values.matching(_NUMBER[conv])
    plain = values.matching(_PLAIN) == 1.0
    return Detection("number", share, parse=lambda e: _to_float(e, conv, plain=plain))


def _percent(values: Values, conv: str) -> Detection | None:
    if values.matching(r"%\s*$") < MARKED_SHARE:
        return None
    share = values.matching(_PERCENT[conv])
    return Detection("percent", share, parse=lambda e: _to_float(e.str.strip_chars("% "), conv))


def _currency(values: Values, conv: str) -> Detection | None:
    values.measure([_MARK, _CURRENCY[conv]])
    if values.matching(_MARK) < MARKED_SHARE:
        return None
    share = values.matching(_CURRENCY[conv])
    marks = values.text.str.extract(f"({_MARK})", 1)
    weighted = pl.DataFrame({"mark": marks, "n": values.weights}).drop_nulls()
    top = weighted.group_by("mark").agg(pl.col("n").sum()).sort("n", descending=True)
    mark = str(top[0, 0]) if len(top) else "$"
    code = _SYMBOLS.get(mark, mark if mark in _CODES else None)
    return Detection("currency", share, currency=code, parse=lambda e: _money(e, conv))


def _to_float(expr: pl.Expr, conv: str, *, plain: bool = False) -> pl.Expr:
    """The number in a text (thousands separators dropped) as Float64."""
    if plain:
        return expr.cast(pl.Float64, strict=False)
    if conv == "comma":
        core = expr.str.replace_all(r"[.\s\u00a0]", "").str.replace(",", ".", literal=True)
    else:
        core = expr.str.replace_all(",", "", literal=True)
    return core.cast(pl.Float64, strict=False)


def _money(expr: pl.Expr, conv: str) -> pl.Expr:
    """Amounts: marks dropped, ``(1,234.00)`` and ``-$5`` negative."""
    value = _to_float(expr.str.strip_chars(_STRIP_MONEY), conv)
    negative = expr.str.contains_any(["-", "("])
    return pl.when(negative).then(-value).otherwise(value)


def _date(values: Values) -> Detection | None:
    text = values.text
    if values.matching(r"\d") < 0.5:  # every date family holds digits
        return None
    if not values.matching(_ANY_DATE):
        return None
    masks = values.masks([f.pattern for f in DATE_FAMILIES])
    hits = [(f, mask) for f, mask in zip(DATE_FAMILIES, masks, strict=True) if mask.any()]
    if not hits:
        return None
    parts = _parts(text)
    day_first = _day_first(values, [(f, m) for f, m in hits if f.month_first], parts)
    fits = _order_fits(parts, day_first)
    matched: pl.Series | None = None
    counts: list[tuple[float, str]] = []
    for family, mask in hits:
        if family.month_first:
            mask = mask & fits
        matched = mask if matched is None else matched | mask
        counts.append((values.share(mask), _format(family, day_first)))
    formats = [fmt for n, fmt in sorted(counts, key=lambda c: -c[0]) if n]
    is_datetime = all(f.datetime for f, _ in hits)
    return Detection(
        "date",
        values.share(matched) if matched is not None else 0.0,
        date_format=formats[0] if formats else None,
        parse=lambda e: _parse_dates(e, formats, is_datetime),
    )


def _format(family: DateFamily, day_first: bool) -> str:
    if family.month_first and not day_first:
        return family.month_first
    return family.day_first


def _parts(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    first = text.str.extract(r"^(\d{1,2})\D", 1).cast(pl.Int32, strict=False)
    second = text.str.extract(r"^\d{1,2}\D(\d{1,2})\D", 1).cast(pl.Int32, strict=False)
    return first, second


def _day_first(
    values: Values, numeric: list[tuple[DateFamily, pl.Series]], parts: tuple[pl.Series, pl.Series]
) -> bool:
    """Day-first when more values have a first part above 12 than a second one; when no
    value tells, day-first for '.' and '-' separators and month-first for '/'."""
    if not numeric:
        return False
    mask = numeric[0][1]
    for _, other in numeric[1:]:
        mask = mask | other
    first, second = parts
    days_first = values.share(mask & (first > 12).fill_null(False))
    months_first = values.share(mask & (second > 12).fill_null(False))
    if days_first != months_first:
        return days_first > months_first
    return "/" not in numeric[0][0].day_first


def _order_fits(parts: tuple[pl.Series, pl.Series], day_first: bool) -> pl.Series:
    first, second = parts
    month = second if day_first else first
    return (month <= 12).fill_null(False)


def _parse_dates(expr: pl.Expr, formats: list[str], is_datetime: bool) -> pl.Expr:
    """Dates (or datetimes, time zones dropped) in any of the column's formats."""
    if is_datetime:
        core = expr.str.slice(0, 19).str.replace("T", " ", literal=True)
        parsed = [
            core.str.to_datetime(f, strict=False) for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
        ]
        return pl.coalesce(parsed)
    parsed = []
    for fmt in formats:
        if "%H" in fmt:  # a datetime among dates: its date part
            parsed.append(expr.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        else:
            parsed.append(expr.str.to_date(fmt, strict=False))
    return parsed[0] if len(parsed) == 1 else pl.coalesce(parsed)

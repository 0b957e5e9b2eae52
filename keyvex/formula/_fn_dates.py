"""Date functions: DATE, TODAY, NOW, YEAR, MONTH, DAY, WEEKDAY, EDATE, EOMONTH, DATEDIF, DAYS,
NETWORKDAYS, WORKDAY and YEARFRAC.

Decision: a date is a spreadsheet serial number, not a value kind of its own. Day 0 is
1899-12-30 (so 1900-03-01 is 61, as in every spreadsheet), the fraction is the time of day,
and the calendar is the proleptic Gregorian one from 0001-01-01 to 9999-12-31 (NUM outside).
Date arithmetic is therefore ordinary arithmetic (a date plus 30 is 30 days later, a date minus
a date is a number of days), comparisons and aggregates work unchanged, and both evaluators and
the spreadsheet oracle agree digit for digit. What a distinct kind would give, showing a result
as a date, comes from the tool instead: a date input reaches formulas as its serial number and
a calculation declared with the date format shows its value as a date (as a spreadsheet cell
formatted as a date does).

TODAY() and NOW() read the evaluation time injected by the caller, the reserved table
``@now`` (a serial number in UTC): ``Formula.evaluate(..., now=datetime)`` on the server (the
engine passes its clock), and the public page passes the same serial number to the browser
runtime, so both give the same answer. Without it they read the machine's clock (UTC).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from ._errors import Fail
from ._family import (
    MORE_SCRIPT,
    Args,
    Arity,
    Family,
    Fn,
    Node,
    Tables,
    Variables,
    number_fn,
    numbers,
)
from ._site import Site
from ._values import Value, to_number, to_text

NOW_TABLE = "@now"
VOLATILE = frozenset({"TODAY", "NOW"})  # never folded into a constant: they read the time
EPOCH = date(1899, 12, 30)
_EPOCH_TIME = datetime(1899, 12, 30, tzinfo=UTC)
_FIRST = date(1, 1, 1).toordinal() - EPOCH.toordinal()
_LAST = date(9999, 12, 31).toordinal() - EPOCH.toordinal()
_MONDAY = 2  # 1900-01-01, a Monday: the anchor for counting working days


def serial_of(moment: datetime | date) -> float:
    """The serial number of a date or of a moment (naive datetimes are taken as UTC)."""
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return (aware - _EPOCH_TIME) / timedelta(days=1)
    return float(moment.toordinal() - EPOCH.toordinal())


def date_of(serial: float) -> date:
    """The calendar date of a serial number (its time of day dropped)."""
    day = math.floor(serial)
    if not _FIRST <= day <= _LAST:
        raise Fail("NUM", "A date must be between the years 1 and 9999")
    return date.fromordinal(EPOCH.toordinal() + day)


def _day(value: Value) -> date:
    return date_of(to_number(value))


def make_date(year: int, month: int, day: int) -> float:
    """DATE's arithmetic: months and days beyond their range roll over, as in a spreadsheet."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    if not 1 <= year <= 9999:
        raise Fail("NUM", "A date must be between the years 1 and 9999")
    serial = date(year, month, 1).toordinal() - EPOCH.toordinal() + day - 1
    date_of(serial)
    return float(serial)


def _date(args: Args) -> Value:
    year, month, day = (math.trunc(to_number(arg)) for arg in args)
    if year < 0 or year > 9999:
        raise Fail("NUM", "DATE needs a year from 0 to 9999")
    if year < 1900:  # two-digit and old years count from 1900, as in a spreadsheet
        year += 1900
    return make_date(year, month, day)


def _year(args: Args) -> Value:
    return float(_day(args[0]).year)


def _month(args: Args) -> Value:
    return float(_day(args[0]).month)


def _day_of_month(args: Args) -> Value:
    return float(_day(args[0]).day)


_WEEKDAY_FIRST = {1: 6, 2: 0, 3: 0, 11: 0, 12: 1, 13: 2, 14: 3, 15: 4, 16: 5, 17: 6}


def _weekday(args: Args) -> Value:
    kind = math.trunc(to_number(args[1])) if len(args) > 1 else 1
    if kind not in _WEEKDAY_FIRST:
        raise Fail("NUM", "WEEKDAY's type must be 1, 2, 3 or 11 to 17")
    monday_based = _day(args[0]).weekday()  # Monday is 0
    number = (monday_based - _WEEKDAY_FIRST[kind]) % 7
    return float(number if kind == 3 else number + 1)


def _month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _add_months(serial: float, months: int, end_of_month: bool) -> float:
    day = date_of(serial)
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise Fail("NUM", "A date must be between the years 1 and 9999")
    last = _month_length(year, month)
    chosen = date(year, month, last if end_of_month else min(day.day, last))
    return float(chosen.toordinal() - EPOCH.toordinal())


def _edate(args: Args) -> Value:
    return _add_months(to_number(args[0]), math.trunc(to_number(args[1])), False)


def _eomonth(args: Args) -> Value:
    return _add_months(to_number(args[0]), math.trunc(to_number(args[1])), True)


def _rolled(year: int, month: int, day: int) -> date:
    """A date whose day may be past its month's end (Feb 31 is Mar 2 or 3), like Calc."""
    return date_of(make_date(year, month, day))


def _datedif(args: Args) -> Value:
    first, last = math.floor(to_number(args[0])), math.floor(to_number(args[1]))
    unit = to_text(args[2]).strip().lower()
    if first > last:
        raise Fail("NUM", "DATEDIF needs the start date on or before the end date")
    if unit == "d" or first == last:
        if unit not in ("d", "m", "y", "ym", "yd", "md"):
            raise Fail("NUM", 'DATEDIF\'s unit must be "y", "m", "d", "ym", "yd" or "md"')
        return float(last - first)
    start, end = date_of(first), date_of(last)
    if unit in ("m", "ym"):
        months = end.month - start.month + 12 * (end.year - start.year)
        if start.day > end.day:
            months -= 1
        return float(months % 12 if unit == "ym" else months)
    if unit == "y":
        years = end.year - start.year
        if (start.month, start.day) > (end.month, end.day):
            years -= 1
        return float(max(years, 0))
    if unit == "md":
        if start.day <= end.day:
            return float(end.day - start.day)
        year, month = (end.year - 1, 12) if end.month == 1 else (end.year, end.month - 1)
        return float((end - _rolled(year, month, start.day)).days)
    if unit == "yd":
        on_or_after = (end.month, end.day) >= (start.month, start.day)
        anniversary = _rolled(end.year if on_or_after else end.year - 1, start.month, start.day)
        return float((end - anniversary).days)
    raise Fail("NUM", 'DATEDIF\'s unit must be "y", "m", "d", "ym", "yd" or "md"')


def _days(args: Args) -> Value:
    end, start = (math.floor(to_number(arg)) for arg in args)
    date_of(end)
    date_of(start)
    return float(end - start)


# Working days: each Monday-to-Friday day has an index, counted from the Monday anchor.
def _workdays_before(day: int) -> int:
    """How many working days come before `day` (from the anchor; negative before it)."""
    weeks, rest = divmod(day - _MONDAY, 7)
    return 5 * weeks + min(rest, 5)


def _workday_at(index: int) -> int:
    weeks, rest = divmod(index, 5)
    return _MONDAY + 7 * weeks + rest


def _holidays(args: Args) -> set[int]:
    days = {math.floor(number) for number in numbers(args)}
    return {day for day in days if (day - _MONDAY) % 7 < 5}


def _networkdays(args: Args) -> Value:
    # Argument by argument, as the browser does: a bad start date is NUM even when the end
    # date is of the wrong kind (TYPE).
    first = math.floor(to_number(args[0]))
    date_of(first)
    last = math.floor(to_number(args[1]))
    date_of(last)
    holidays = _holidays(args[2:])
    sign = 1.0
    if first > last:
        first, last, sign = last, first, -1.0
    count = _workdays_before(last + 1) - _workdays_before(first)
    count -= sum(1 for day in holidays if first <= day <= last)
    return sign * count


def _workday(args: Args) -> Value:
    start, steps = math.floor(to_number(args[0])), math.trunc(to_number(args[1]))
    holidays = sorted(_holidays(args[2:]))
    date_of(start)
    if steps == 0:
        return float(start)
    skipped = 0
    while True:  # the least number of holidays to skip; grows at most once per holiday
        if steps > 0:
            end = _workday_at(_workdays_before(start + 1) + steps - 1 + skipped)
            found = sum(1 for day in holidays if start < day <= end)
        else:
            end = _workday_at(_workdays_before(start) + steps - skipped)
            found = sum(1 for day in holidays if end <= day < start)
        if found == skipped:
            break
        skipped = found
    date_of(end)
    return float(end)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _feb29_between(start: date, end: date) -> bool:
    for year in (start.year, end.year):
        if _leap(year) and start <= date(year, 2, 29) <= end:
            return True
    return False


def _yearfrac(args: Args) -> Value:
    first, last = math.floor(to_number(args[0])), math.floor(to_number(args[1]))
    basis = math.trunc(to_number(args[2])) if len(args) > 2 else 0
    if basis not in (0, 1, 2, 3, 4):
        raise Fail("NUM", "YEARFRAC's basis must be 0, 1, 2, 3 or 4")
    if first > last:
        first, last = last, first
    start, end = date_of(first), date_of(last)
    if first == last:
        return 0.0
    if basis == 2:
        return (last - first) / 360.0
    if basis == 3:
        return (last - first) / 365.0
    if basis == 1:
        return _actual_actual(start, end, last - first)
    return _thirty_360(start, end, european=basis == 4) / 360.0


def _actual_actual(start: date, end: date, days: int) -> float:
    within_a_year = start.year == end.year or (
        end.year == start.year + 1 and (start.month, start.day) >= (end.month, end.day)
    )
    if within_a_year:
        if start.year == end.year and _leap(start.year):
            return days / 366.0
        return days / (366.0 if _feb29_between(start, end) else 365.0)
    years = end.year - start.year + 1
    span = (date(end.year + 1, 1, 1) - date(start.year, 1, 1)).days if end.year < 9999 else 0
    if not span:
        span = (date(end.year, 12, 31) - date(start.year, 1, 1)).days + 1
    return days / (span / years)


def _last_of_february(day: date) -> bool:
    return day.month == 2 and (day + timedelta(days=1)).month == 3


def _thirty_360(start: date, end: date, european: bool) -> int:
    first, second = start.day, end.day
    if european:
        first, second = min(first, 30), min(second, 30)
    elif first == 31 and second == 31:
        first = second = 30
    elif first == 31:
        first = 30
    elif first == 30 and second == 31:
        second = 30
    elif _last_of_february(start) and _last_of_february(end):
        first = second = 30
    elif _last_of_february(start):
        first = 30
    return (end.year - start.year) * 360 + (end.month - start.month) * 30 + second - first


# Date formats of TEXT ("yyyy-mm-dd", "d mmm yyyy", "dddd", "hh:mm AM/PM"), as a spreadsheet
# writes them in English; formula-more.js has the same formatDate.
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()
_DAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|.', re.I | re.S
)
_CODES = frozenset("yyyy yy mmmm mmm mm m dddd ddd dd d hh h ss s am/pm a/p".split())
_LITERALS = re.compile(r'"[^"]*"|\\.')


def has_date_codes(pattern: str) -> bool:
    """Whether a TEXT format writes a date or time (y, m, d, h or s outside quotes)."""
    return re.search(r"[ymdhs]", _LITERALS.sub("", pattern), re.I) is not None


def format_date(serial: float, pattern: str) -> str:
    """A serial number written with a spreadsheet date format."""
    day = math.floor(serial)
    seconds = round((serial - day) * 86400)
    if seconds >= 86400:
        day, seconds = day + 1, seconds - 86400
    when = date_of(day)
    tokens = _DATE_TOKEN.findall(pattern)
    codes = [i for i, token in enumerate(tokens) if token.lower() in _CODES]
    twelve = any(tokens[i].lower() in ("am/pm", "a/p") for i in codes)
    hour, minute, second = seconds // 3600, seconds // 60 % 60, seconds % 60
    out = []
    for index, token in enumerate(tokens):
        lower = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif lower in ("m", "mm") and _is_minute(tokens, codes, index):
            out.append(f"{minute:02d}" if lower == "mm" else str(minute))
        elif lower in ("am/pm", "a/p"):
            text = "AM" if hour < 12 else "PM"
            out.append(text if lower == "am/pm" else text[0])
        elif lower in ("h", "hh"):
            shown = (hour % 12 or 12) if twelve else hour
            out.append(f"{shown:02d}" if lower == "hh" else str(shown))
        else:
            out.append(_date_part(lower, when, second) if lower in _CODES else token)
    return "".join(out)


def _is_minute(tokens: list[str], codes: list[int], index: int) -> bool:
    """An "m" right after hours or right before seconds means minutes."""
    at = codes.index(index)
    before = tokens[codes[at - 1]].lower() if at > 0 else ""
    after = tokens[codes[at + 1]].lower() if at + 1 < len(codes) else ""
    return before.startswith("h") or after.startswith("s")


def _date_part(code: str, when: date, second: int) -> str:
    parts = {
        "yyyy": f"{when.year:04d}",
        "yy": f"{when.year % 100:02d}",
        "mmmm": _MONTH_NAMES[when.month - 1],
        "mmm": _MONTH_NAMES[when.month - 1][:3],
        "mm": f"{when.month:02d}",
        "m": str(when.month),
        "dddd": _DAY_NAMES[when.weekday()],
        "ddd": _DAY_NAMES[when.weekday()][:3],
        "dd": f"{when.day:02d}",
        "d": str(when.day),
        "ss": f"{second:02d}",
        "s": str(second),
    }
    return parts[code]


def _now_serial(tables: Tables) -> float:
    injected = tables.get(NOW_TABLE)
    if isinstance(injected, float | int) and not isinstance(injected, bool):
        return float(injected)
    return serial_of(datetime.now(UTC))


def _compile_now(whole_days: bool) -> Callable[[list[Node], list[Fn], Site], Fn]:
    def compile_now(nodes: list[Node], args: list[Fn], site: Site) -> Fn:
        def run(variables: Variables, tables: Tables) -> Value:
            serial = _now_serial(tables)
            return float(math.floor(serial)) if whole_days else serial

        return run

    return compile_now


FAMILY = Family(
    arities={
        "DATE": number_fn(
            3, 3, "DATE(year, month, day): a date: DATE(2024, 1, 31) + 1 is 1 Feb 2024"
        ),
        "TODAY": number_fn(0, 0, "TODAY(): the date of the evaluation: TODAY() - birth_date"),
        "NOW": number_fn(0, 0, "NOW(): the date and time of the evaluation (UTC)"),
        "YEAR": number_fn(1, 1, "YEAR(date): its year: YEAR(DATE(2024, 7, 4)) is 2024"),
        "MONTH": number_fn(1, 1, "MONTH(date): its month, 1 to 12"),
        "DAY": number_fn(1, 1, "DAY(date): its day of the month, 1 to 31"),
        "WEEKDAY": number_fn(
            1, 2, "WEEKDAY(date, type=1): day of the week, 1 (Sunday) to 7; type 2: Monday is 1"
        ),
        "EDATE": number_fn(
            2, 2, "EDATE(date, months): months later: EDATE(DATE(2024, 1, 31), 1) is 29 Feb 2024"
        ),
        "EOMONTH": number_fn(
            2, 2, "EOMONTH(date, months): the last day of the month, months later"
        ),
        "DATEDIF": Arity(
            3,
            3,
            'DATEDIF(start, end, unit): whole "y", "m" or "d" between two dates: '
            'DATEDIF(birth_date, TODAY(), "y") is an age',
            "number",
        ),
        "DAYS": number_fn(2, 2, "DAYS(end, start): days from start to end"),
        "NETWORKDAYS": number_fn(
            2, 3, "NETWORKDAYS(start, end, holidays=none): working days (Mon-Fri) between them"
        ),
        "WORKDAY": number_fn(
            2, 3, "WORKDAY(start, days, holidays=none): the date that many working days later"
        ),
        "YEARFRAC": number_fn(
            2, 3, "YEARFRAC(start, end, basis=0): years between two dates (basis as a spreadsheet)"
        ),
    },
    eager={
        "DATE": _date,
        "YEAR": _year,
        "MONTH": _month,
        "DAY": _day_of_month,
        "WEEKDAY": _weekday,
        "EDATE": _edate,
        "EOMONTH": _eomonth,
        "DATEDIF": _datedif,
        "DAYS": _days,
        "NETWORKDAYS": _networkdays,
        "WORKDAY": _workday,
        "YEARFRAC": _yearfrac,
    },
    compilers={"TODAY": _compile_now(True), "NOW": _compile_now(False)},
    script=MORE_SCRIPT,
)

"""Dates as serial numbers: both evaluators agree, and agree with Python's calendar.

LibreOffice Calc's answers for the ordinary, boundary and error cases are in the oracle
(test_oracle.py, family "dates"); here the functions are checked against brute-force
counting over Python's ``datetime`` and the two evaluators against each other.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import keyvex.formula as formula
from keyvex.data._coerce import coerce_column
from keyvex.engine import AnswerError, run
from keyvex.formula._fn_dates import serial_of
from keyvex.tools import parse_tool

EPOCH = date(1899, 12, 30)
HOLIDAYS = [45306.0, 45341.0, 45342.0, 45352.0, 45474.0]


def serial(day: date) -> float:
    return float((day - EPOCH).days)


def value(source: str, variables: dict[str, Any] | None = None, **options: Any) -> Any:
    return formula.evaluate(source, variables or {"holidays": HOLIDAYS}, **options)


def outcome(source: str, tables: dict[str, Any]) -> tuple[str, Any]:
    try:
        return ("ok", formula.evaluate(source, {"holidays": HOLIDAYS}, tables))
    except formula.FormulaError as error:
        return ("error", error.code)


def test_serial_numbers_are_the_spreadsheet_ones() -> None:
    assert value("DATE(1900, 3, 1)") == 61.0
    assert value("DATE(2024, 1, 31) + 1") == serial(date(2024, 2, 1))
    assert value("DATE(2024, 3, 1) - DATE(2024, 2, 1)") == 29.0
    assert value("DATE(2024, 14, 1)") == serial(date(2025, 2, 1))
    assert value("DATE(2024, 3, 0)") == serial(date(2024, 2, 29))
    assert value("DATE(24, 1, 1)") == serial(date(1924, 1, 1))
    assert outcome("DATE(-1, 1, 1)", {}) == ("error", "NUM")
    assert outcome("YEAR(3000000)", {}) == ("error", "NUM")


def test_year_month_day_and_weekday_match_the_calendar() -> None:
    rng = random.Random(7)
    for _ in range(300):
        day = date(1, 1, 1) + timedelta(days=rng.randrange(0, 3_652_058))
        number = serial(day) + rng.random()
        got = value(f"YEAR({number!r}) * 10000 + MONTH({number!r}) * 100 + DAY({number!r})")
        assert got == day.year * 10000 + day.month * 100 + day.day, day
        assert value(f"WEEKDAY({number!r}, 2)") == day.isoweekday()


def _workdays(start: date, end: date) -> int:
    holidays = {EPOCH + timedelta(days=int(h)) for h in HOLIDAYS}
    sign, (low, high) = (1, (start, end)) if start <= end else (-1, (end, start))
    count = sum(
        1
        for offset in range((high - low).days + 1)
        if (d := low + timedelta(days=offset)).weekday() < 5 and d not in holidays
    )
    return sign * count


def _workday(start: date, steps: int) -> date:
    holidays = {EPOCH + timedelta(days=int(h)) for h in HOLIDAYS}
    day, step = start, 1 if steps > 0 else -1
    for _ in range(abs(steps)):
        day += timedelta(days=step)
        while day.weekday() >= 5 or day in holidays:
            day += timedelta(days=step)
    return day


def test_networkdays_and_workday_match_counting_day_by_day() -> None:
    rng = random.Random(11)
    base = date(2023, 12, 1)
    for _ in range(300):
        start = base + timedelta(days=rng.randrange(0, 400))
        end = start + timedelta(days=rng.randrange(-60, 60))
        source = f"NETWORKDAYS({serial(start)}, {serial(end)}, holidays)"
        assert value(source) == _workdays(start, end), source
        steps = rng.randrange(-40, 40)
        source = f"WORKDAY({serial(start)}, {steps}, holidays)"
        assert value(source) == serial(_workday(start, steps) if steps else start), source


def test_edate_keeps_the_day_or_takes_the_month_end() -> None:
    assert value("EDATE(DATE(2024, 1, 31), 1)") == serial(date(2024, 2, 29))
    assert value("EDATE(DATE(2024, 3, 31), -1)") == serial(date(2024, 2, 29))
    assert value("EOMONTH(DATE(2024, 2, 10), 12)") == serial(date(2025, 2, 28))
    assert value("EDATE(DATE(2024, 5, 15), 1.9)") == serial(date(2024, 6, 15))


def test_datedif_counts_whole_years_and_months_like_an_age() -> None:
    born = "DATE(1990, 6, 15)"
    assert value(f'DATEDIF({born}, DATE(2024, 6, 14), "y")') == 33.0
    assert value(f'DATEDIF({born}, DATE(2024, 6, 15), "y")') == 34.0
    assert value(f'DATEDIF({born}, DATE(2024, 6, 14), "ym")') == 11.0
    assert value(f'DATEDIF({born}, DATE(2024, 6, 14), "yd")') == 365.0
    assert outcome(f'DATEDIF(DATE(2025, 1, 1), {born}, "d")', {}) == ("error", "NUM")


def test_today_and_now_read_the_injected_time_and_are_never_folded() -> None:
    compiled = formula.compile("TODAY() + NOW() * 0 + 1")
    moment = datetime(2024, 3, 5, 15, 30, tzinfo=UTC)
    assert compiled.evaluate({}, None, moment) == serial(date(2024, 3, 5)) + 1
    assert compiled.evaluate({}, None, moment + timedelta(days=2)) == serial(date(2024, 3, 7)) + 1
    assert value("NOW()", now=moment) == serial_of(moment) == 45356.645833333336
    assert value('DATEDIF(DATE(1990, 6, 15), TODAY(), "y")', now=moment) == 33.0
    assert formula.analyze("TODAY() - DATE(2024, 1, 1)") == []
    today = serial(datetime.now(UTC).date())
    assert value("TODAY()") in (today, today + 1)  # the machine's clock without injection


def test_javascript_reads_the_same_injected_time(node_runtime: Any) -> None:
    moment = datetime(2024, 3, 5, 15, 30, tzinfo=UTC)
    sources = ["TODAY()", "NOW()", 'DATEDIF(DATE(1990, 6, 15), TODAY(), "y")', "YEAR(NOW())"]
    cases = [
        {
            "ast": formula.compile(source).to_json(),
            "variables": {},
            "tables": {"@now": serial_of(moment)},
        }
        for source in sources
    ]
    got = [result["value"] for result in node_runtime.evaluate(cases)]
    assert got == [value(source, now=moment) for source in sources]


TEMPLATES = [
    "DATE({y}, {m}, {d})",
    "YEAR({s})",
    "MONTH({s}) + DAY({s})",
    "WEEKDAY({s}, {w})",
    "EDATE({s}, {n})",
    "EOMONTH({s}, {n})",
    'DATEDIF({s}, {t}, "{u}")',
    "DAYS({t}, {s})",
    "NETWORKDAYS({s}, {t}, holidays)",
    "WORKDAY({s}, {n}, holidays)",
    "YEARFRAC({s}, {t}, {b})",
]


def grid(count: int) -> list[str]:
    rng = random.Random(20261203)
    sources = []
    for _ in range(count):
        s = rng.choice([45000.0, 45351.0, 36525.5, 61.0, -1.0, 2958465.0, 45322.0])
        s += rng.choice([0, rng.randrange(-900, 900)])
        t = s + rng.choice([0, 1, 28, 29, 365, 366, 1000, -5, rng.randrange(0, 20000)])
        values = {
            "y": rng.choice([0, 99, 1900, 2024, 2023, 9999, 10000, -1]),
            "m": rng.choice([1, 2, 12, 13, 0, -1, 25]),
            "d": rng.choice([1, 28, 29, 31, 0, -1, 400]),
            "s": s,
            "t": t,
            "w": rng.choice([1, 2, 3, 11, 17, 4]),
            "n": rng.choice([0, 1, -1, 12, -13, 250, 1.9]),
            "u": rng.choice(["y", "m", "d", "ym", "yd", "md", "x"]),
            "b": rng.choice([0, 1, 2, 3, 4, 5]),
        }
        sources.append(rng.choice(TEMPLATES).format(**values))
    return sources


def test_python_and_javascript_agree_on_2000_date_formulas(node_runtime: Any) -> None:
    sources = grid(2000)
    tables = {"@now": 46000.75}
    pythons = [outcome(source, tables) for source in sources]
    cases = [
        {
            "ast": formula.compile(source).to_json(),
            "variables": {"holidays": HOLIDAYS},
            "tables": tables,
        }
        for source in sources
    ]
    javascripts = [
        ("ok", float(r["value"])) if r["ok"] else ("error", r["code"])
        for r in node_runtime.evaluate(cases)
    ]
    mismatches = [
        (source, python, js)
        for source, python, js in zip(sources, pythons, javascripts, strict=True)
        if python != js
    ]
    assert not mismatches, mismatches[:10]
    assert {python[0] for python in pythons} == {"ok", "error"}


# --- Dates in tools: date inputs, date results, data columns ----------------------------

DATED_TOOL = {
    "id": "anniversary",
    "title": "Contract dates",
    "kind": "calculator",
    "inputs": [
        {"id": "start", "type": "date", "label": "Contract start"},
        {"id": "months", "type": "number", "label": "Months", "min": 1, "max": 120},
    ],
    "calculations": [
        {"id": "ends", "label": "Ends", "formula": "EDATE(start, months)", "format": "date"},
        {"id": "left", "label": "Days left", "formula": "ends - TODAY()"},
        {"id": "years", "label": "Years", "formula": 'DATEDIF(start, TODAY(), "y")'},
    ],
}


def test_a_date_input_reaches_formulas_as_a_serial_number_and_shows_as_a_date() -> None:
    tool = parse_tool(DATED_TOOL)
    moment = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    result = run(tool, {"start": "2024-01-31", "months": 1}, now=moment)
    assert result.values == {
        "ends": serial(date(2024, 2, 29)),
        "left": serial(date(2024, 2, 29)) - serial(date(2026, 12, 3)),
        "years": 2.0,
    }
    assert result.display["ends"] == "29 Feb 2024"
    assert result.answers["start"] == "2024-01-31"


def test_a_date_answer_must_be_written_as_an_iso_date() -> None:
    tool = parse_tool(DATED_TOOL)
    for bad in ("31/01/2024", "2024-02-30", "20240131"):
        with pytest.raises(AnswerError) as caught:
            run(tool, {"start": bad, "months": 1})
        assert caught.value.errors == {"start": "Enter a date as YYYY-MM-DD."}


def test_the_engine_reads_the_clock_when_no_time_is_given() -> None:
    result = run(parse_tool(DATED_TOOL), {"start": "2020-06-15", "months": 12})
    today = serial(datetime.now(UTC).date())
    assert result.values["left"] in (
        serial(date(2021, 6, 15)) - today,
        serial(date(2021, 6, 15)) - today - 1,
    )


def test_date_columns_of_data_sources_become_serial_numbers() -> None:
    cells = ["2024-02-29", "2024-02-29 12:00", date(2024, 1, 1), "soon", "", "2024-13-01"]
    assert coerce_column(cells, "date") == [45351.0, 45351.5, 45292.0, "soon", None, "2024-13-01"]
    assert value("YEAR(d) + MONTH(d) / 100", {"d": 45351.0}) == 2024.02


FORMATS = [
    "yyyy-mm-dd",
    "dd/mm/yyyy",
    "mmmm d, yyyy",
    "d mmm yyyy",
    "dddd",
    "ddd d mmm yy",
    "hh:mm",
    "h:mm:ss AM/PM",
    'yyyy"Q"m \\d',
    "m/d h:mm a/p",
]


def test_text_writes_dates_with_spreadsheet_formats() -> None:
    moment = "DATE(2024, 3, 5) + TIME"
    expected = {
        "yyyy-mm-dd": "2024-03-05",
        "dd/mm/yyyy": "05/03/2024",
        "mmmm d, yyyy": "March 5, 2024",
        "d mmm yyyy": "5 Mar 2024",
        "dddd": "Tuesday",
        "hh:mm": "15:30",
        "h:mm:ss AM/PM": "3:30:00 PM",
    }
    for pattern, text in expected.items():
        source = f'TEXT({moment}, "{pattern}")'.replace("TIME", "15.5/24")
        assert value(source) == text, source
    assert value('"Due " & TEXT(EDATE(DATE(2024, 1, 31), 1), "yyyy-mm-dd")') == "Due 2024-02-29"


def test_python_and_javascript_write_dates_alike(node_runtime: Any) -> None:
    rng = random.Random(5)
    sources = [
        f"TEXT({rng.uniform(-700000, 2958465):.6f}, '{pattern}')"
        for pattern in FORMATS
        for _ in range(30)
    ]
    cases = [{"ast": formula.compile(s).to_json(), "variables": {}, "tables": {}} for s in sources]
    got = [r.get("value", r.get("code")) for r in node_runtime.evaluate(cases)]
    want = [outcome(s, {})[1] for s in sources]
    assert got == want

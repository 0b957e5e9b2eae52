"""Finance functions beyond the annuity basics: IRR, XIRR, MIRR, RATE, NPER, IPMT, PPMT,
CUMIPMT, CUMPRINC, EFFECT, NOMINAL, XNPV, SLN and DDB.

They follow the spreadsheet definitions (LibreOffice Calc's, checked by the oracle test),
with two choices of our own:

* Growth is computed as ``exp(n * log1p(rate))`` and ``expm1(n * log1p(rate)) / rate``, so
  results stay exact at tiny rates (1e-12) and a rate of exactly 0 needs no special formula.
  CUMIPMT and CUMPRINC accept a rate of 0 or below (above -100%), where spreadsheets refuse.
* IRR, XIRR and RATE use Newton's method from the guess (0.1 by default), at most 100 steps,
  stopping once a step is below 1e-12 (relative to the rate when it is above 1); no
  convergence is NUM. ``js/formula-more.js`` runs exactly the same steps, so both evaluators
  agree. XIRR and XNPV take dates as serial numbers (days, like a spreadsheet) or as dates.

PPMT and CUMPRINC use the closed form of the principal parts (they grow geometrically), which
avoids the cancellation of "payment minus interest"; CUMIPMT adds up the interest period by
period, like a spreadsheet: at most 20,000 periods (LIMIT beyond; 30 years of days fit), so
one call stays under ~20 ms.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ._errors import Fail
from ._family import MORE_SCRIPT, Args, Family, number_fn, numbers
from ._values import Value, check_number, to_number

_MAX_STEPS = 100
_STEP = 1e-12
_MAX_PERIODS = 20_000


def _growth(rate: float, periods: float) -> tuple[float, float]:
    """(1 + rate) ** periods and its annuity factor ((1 + rate) ** periods - 1) / rate."""
    if not rate > -1.0:
        raise Fail("NUM", "A rate must be above -100%")
    if rate == 0.0:
        return 1.0, periods
    exponent = periods * math.log1p(rate)
    return _exp(exponent), math.expm1(exponent) / rate


def _exp(exponent: float) -> float:
    if exponent > 709.0:
        raise Fail("NUM", "The result is too large to be a number")
    return math.exp(exponent)


def _when(value: Value) -> float:
    return 0.0 if to_number(value) == 0.0 else 1.0


def _payment(rate: float, periods: float, present: float, future: float, when: float) -> float:
    if periods == 0.0:
        raise Fail("NUM", "The number of periods must not be 0")
    growth, factor = _growth(rate, periods)
    return check_number(-(present * growth + future) / ((1.0 + rate * when) * factor))


def _future(rate: float, periods: float, payment: float, present: float, when: float) -> float:
    growth, factor = _growth(rate, periods)
    return check_number(-(present * growth + payment * (1.0 + rate * when) * factor))


def _numbers(args: Args, count: int) -> list[float]:
    return [to_number(arg) for arg in args] + [0.0] * (count - len(args))


def _interest(
    rate: float, period: float, periods: float, present: float, future: float, when: float
) -> tuple[float, float]:
    """The payment and its interest part in `period` (IPMT), as a spreadsheet computes it."""
    if period < 1.0 or period > periods:
        raise Fail("NUM", "The period must be between 1 and the number of periods")
    payment = _payment(rate, periods, present, future, when)
    if period == 1.0:
        interest = 0.0 if when else -present
    elif when:
        interest = _future(rate, period - 2.0, payment, present, 1.0) - payment
    else:
        interest = _future(rate, period - 1.0, payment, present, 0.0)
    return payment, check_number(interest * rate)


def _ipmt(args: Args) -> Value:
    rate, period, periods, present, future, _ = _numbers(args, 6)
    when = _when(args[5]) if len(args) > 5 else 0.0
    return _interest(rate, period, periods, present, future, when)[1]


def _principal(
    rate: float, period: float, periods: float, present: float, future: float, when: float
) -> float:
    """PPMT without the cancellation of payment minus interest: the principal parts of the
    payments grow geometrically, -(pv + fv) * (1 + rate) ** k / factor(nper)."""
    if period < 1.0 or period > periods:
        raise Fail("NUM", "The period must be between 1 and the number of periods")
    if when and period < 2.0:
        return _payment(rate, periods, present, future, when)
    growth = _growth(rate, period - 1.0 - when)[0]
    return check_number(-(present + future) * growth / _growth(rate, periods)[1])


def _ppmt(args: Args) -> Value:
    rate, period, periods, present, future, _ = _numbers(args, 6)
    when = _when(args[5]) if len(args) > 5 else 0.0
    return _principal(rate, period, periods, present, future, when)


def _cumulative_check(args: Args) -> tuple[float, float, float, int, int, float]:
    rate, periods, present, start, end, when = (to_number(arg) for arg in args)
    if start < 1.0 or end < start or end > periods or periods <= 0.0 or present <= 0.0:
        raise Fail("NUM", "Needs 1 <= start <= end <= periods and a present value above 0")
    if when not in (0.0, 1.0):
        raise Fail("NUM", "The payment type must be 0 (end of period) or 1 (start)")
    return rate, periods, present, int(start), int(end), when


def _cumprinc(args: Args) -> Value:
    """The sum of the geometric principal parts (see _principal), in closed form."""
    rate, periods, present, first, last, when = _cumulative_check(args)
    total = 0.0
    if when and first == 1:
        total = _payment(rate, periods, present, 0.0, 1.0)
        first = 2
    if first > last:
        return total
    growth = _growth(rate, first - 1.0 - when)[0]
    part = _growth(rate, last - first + 1.0)[1] / _growth(rate, periods)[1]
    return check_number(total - present * growth * part)


def _cumipmt(args: Args) -> Value:
    """Interest period by period, as a spreadsheet adds it up (bounded by _MAX_PERIODS)."""
    rate, periods, present, first, last, when = _cumulative_check(args)
    if last - first >= _MAX_PERIODS:
        raise Fail("LIMIT", f"At most {_MAX_PERIODS:,} periods can be added up")
    payment = _payment(rate, periods, present, 0.0, when)
    total = 0.0
    if first == 1:
        total = 0.0 if when else -present
        first = 2
    for period in range(first, last + 1):
        if when:
            total += _future(rate, period - 2.0, payment, present, 1.0) - payment
        else:
            total += _future(rate, period - 1.0, payment, present, 0.0)
    return check_number(total * rate)


def _nper(args: Args) -> Value:
    rate, payment, present, future, _ = _numbers(args, 5)
    when = _when(args[4]) if len(args) > 4 else 0.0
    if rate == 0.0:
        if payment == 0.0:
            raise Fail("DIV_ZERO", "NPER with no payment and no interest is a division by zero")
        return check_number(-(present + future) / payment)
    if not rate > -1.0:
        raise Fail("NUM", "A rate must be above -100%")
    denominator = payment * (1.0 + rate * when) + rate * present
    if denominator == 0.0:
        raise Fail("NUM", "The payments never reach that value")
    ratio = -rate * (future + present) / denominator
    if not ratio > -1.0:
        raise Fail("NUM", "The payments never reach that value")
    return check_number(math.log1p(ratio) / math.log1p(rate))


Equation = Callable[[float], tuple[float, float]]


def _newton(name: str, guess: float, equation: Equation) -> float:
    """Newton's method from `guess`; the same steps as newton() in formula-more.js."""
    rate = guess
    for _ in range(_MAX_STEPS):
        value, slope = equation(rate)
        if value == 0.0:
            return rate
        if slope == 0.0 or not math.isfinite(value / slope):
            break
        step = value / slope
        rate -= step
        if not rate > -1.0:
            break
        if abs(step) <= _STEP * max(1.0, abs(rate)):
            return check_number(rate)
    raise Fail("NUM", f"{name} found no rate from that guess; try another guess")


def _annuity_equation(
    periods: float, payment: float, present: float, future: float, when: float
) -> Equation:
    """pv * g + pmt * (1 + rate * type) * factor + fv, and its slope, as functions of the rate."""

    def equation(rate: float) -> tuple[float, float]:
        growth, factor = _growth(rate, periods)
        if abs(rate) < 1e-8:
            factor_slope = periods * (periods - 1.0) / 2.0
        else:
            factor_slope = (periods * growth / (1.0 + rate) - factor) / rate
        value = present * growth + payment * (1.0 + rate * when) * factor + future
        slope = present * periods * growth / (1.0 + rate) + payment * (
            when * factor + (1.0 + rate * when) * factor_slope
        )
        return value, slope

    return equation


def _flows_equation(flows: list[float], times: list[float]) -> Equation:
    """The net present value of flows at times (in periods), and its slope, for IRR and XIRR."""

    def equation(rate: float) -> tuple[float, float]:
        if not rate > -1.0:
            raise Fail("NUM", "A rate must be above -100%")
        log_growth = math.log1p(rate)
        value = slope = 0.0
        for flow, time in zip(flows, times, strict=True):
            discount = _exp(-time * log_growth)
            value += flow * discount
            slope -= time * flow * discount / (1.0 + rate)
        return value, slope

    return equation


def _rate(args: Args) -> Value:
    periods, payment, present, future, _, guess = _numbers(args, 6)
    when = _when(args[4]) if len(args) > 4 else 0.0
    if len(args) < 6:
        guess = 0.1
    if periods <= 0.0:
        raise Fail("NUM", "RATE needs a number of periods above 0")
    return _newton("RATE", guess, _annuity_equation(periods, payment, present, future, when))


def _signed(flows: list[float], name: str) -> None:
    if not (any(flow > 0 for flow in flows) and any(flow < 0 for flow in flows)):
        raise Fail("NUM", f"{name} needs at least one positive and one negative value")


def _irr(args: Args) -> Value:
    flows = numbers(args[:1])
    guess = to_number(args[1]) if len(args) > 1 else 0.1
    _signed(flows, "IRR")
    times = [float(index) for index in range(len(flows))]
    return _newton("IRR", guess, _flows_equation(flows, times))


def _dated(args: Args, name: str) -> tuple[list[float], list[float]]:
    flows, dates = numbers(args[:1]), numbers(args[1:2])
    if len(flows) != len(dates) or not flows:
        raise Fail("ARG", f"{name} needs as many dates as values")
    days = [float(math.trunc(date)) for date in dates]  # a time of day does not count
    return flows, [(day - days[0]) / 365.0 for day in days]


def _xirr(args: Args) -> Value:
    flows, times = _dated(args, "XIRR")
    guess = to_number(args[2]) if len(args) > 2 else 0.1
    _signed(flows, "XIRR")
    return _newton("XIRR", guess, _flows_equation(flows, times))


def _xnpv(args: Args) -> Value:
    rate = to_number(args[0])
    flows, times = _dated(args[1:], "XNPV")
    return check_number(_flows_equation(flows, times)(rate)[0])


def _mirr(args: Args) -> Value:
    flows = numbers(args[:1])
    finance, reinvest = to_number(args[1]), to_number(args[2])
    if len(flows) < 2:
        raise Fail("NUM", "MIRR needs at least two values")
    invested = returned = 0.0
    invest_factor = reinvest_factor = 1.0
    for flow in flows:  # the same steps as a spreadsheet, so the last digits agree
        if flow > 0:
            returned += flow * reinvest_factor
        elif flow < 0:
            invested += flow * invest_factor
        # As in JavaScript, dividing by 0 gives infinity: it only matters if used later.
        reinvest_factor = reinvest_factor / (1.0 + reinvest) if reinvest != -1.0 else math.inf
        invest_factor = invest_factor / (1.0 + finance) if finance != -1.0 else math.inf
    if not (math.isfinite(invested) and math.isfinite(returned)):
        raise Fail("NUM", "MIRR needs rates above -100%")
    if invested == 0.0 or returned == 0.0:
        raise Fail("NUM", "MIRR needs at least one positive and one negative value")
    try:
        ratio = -returned / invested * (1.0 + reinvest) ** (len(flows) - 1)
    except OverflowError:
        raise Fail("NUM", "The result is too large to be a number") from None
    if ratio < 0:
        raise Fail("NUM", "MIRR has no real result for these rates")
    return check_number(ratio ** (1.0 / (len(flows) - 1)) - 1.0)


def _effect(args: Args) -> Value:
    nominal, periods = to_number(args[0]), math.floor(to_number(args[1]))
    if periods < 1 or nominal < 0:
        raise Fail("NUM", "EFFECT needs a rate of 0 or more and at least 1 period a year")
    exponent = periods * math.log1p(nominal / periods)
    return check_number(_exp(exponent) - 1.0 if exponent > 1.0 else math.expm1(exponent))


def _nominal(args: Args) -> Value:
    effective, periods = to_number(args[0]), math.floor(to_number(args[1]))
    if periods < 1 or effective <= 0:
        raise Fail("NUM", "NOMINAL needs a rate above 0 and at least 1 period a year")
    return check_number(periods * math.expm1(math.log1p(effective) / periods))


def _sln(args: Args) -> Value:
    cost, salvage, life = (to_number(arg) for arg in args)
    if life == 0.0:
        raise Fail("DIV_ZERO", "SLN over a life of 0 is a division by zero")
    return check_number((cost - salvage) / life)


def _ddb(args: Args) -> Value:
    cost, salvage, life, period, factor = _numbers(args, 5)
    if len(args) < 5:
        factor = 2.0
    if cost < 0 or salvage < 0 or factor <= 0 or salvage > cost or period < 1 or period > life:
        raise Fail("NUM", "DDB needs 0 <= salvage <= cost, factor > 0 and 1 <= period <= life")
    rate = factor / life
    if rate >= 1.0:
        rate, before = 1.0, (cost if period == 1.0 else 0.0)
    else:
        before = cost * (1.0 - rate) ** (period - 1.0)
    after = cost * (1.0 - rate) ** period
    return check_number(max(0.0, before - (salvage if after < salvage else after)))


FAMILY = Family(
    arities={
        "IRR": number_fn(
            1,
            2,
            "IRR(values, guess=0.1): rate of return of flows a period apart: IRR(flows) "
            "is 0.089 when flows is -100, 30, 40, 50",
        ),
        "XIRR": number_fn(
            2, 3, "XIRR(values, dates, guess=0.1): yearly rate of return of dated flows"
        ),
        "MIRR": number_fn(
            3, 3, "MIRR(values, finance_rate, reinvest_rate): modified IRR: MIRR(flows, 10%, 12%)"
        ),
        "RATE": number_fn(
            3,
            6,
            "RATE(nper, pmt, pv, fv=0, type=0, guess=0.1): rate per period: "
            "RATE(48, -200, 8000) is 0.0077",
        ),
        "NPER": number_fn(
            3,
            5,
            "NPER(rate, pmt, pv, fv=0, type=0): number of periods: NPER(1%, -100, 1000) is 10.59",
        ),
        "IPMT": number_fn(
            4,
            6,
            "IPMT(rate, per, nper, pv, fv=0, type=0): interest part of a payment: "
            "IPMT(10%/12, 1, 36, 8000) is -66.67",
        ),
        "PPMT": number_fn(
            4,
            6,
            "PPMT(rate, per, nper, pv, fv=0, type=0): principal part of a payment: "
            "PPMT(10%/12, 1, 24, 2000) is -75.62",
        ),
        "CUMIPMT": number_fn(
            6,
            6,
            "CUMIPMT(rate, nper, pv, start, end, type): interest paid from period start "
            "to end: CUMIPMT(9%/12, 360, 125000, 13, 24, 0) is -11135.23",
        ),
        "CUMPRINC": number_fn(
            6,
            6,
            "CUMPRINC(rate, nper, pv, start, end, type): principal paid from period start "
            "to end: CUMPRINC(9%/12, 360, 125000, 13, 24, 0) is -934.11",
        ),
        "EFFECT": number_fn(
            2, 2, "EFFECT(nominal_rate, npery): effective yearly rate: EFFECT(5.25%, 4) is 0.0535"
        ),
        "NOMINAL": number_fn(
            2, 2, "NOMINAL(effect_rate, npery): nominal yearly rate: NOMINAL(5.3543%, 4) is 0.0525"
        ),
        "XNPV": number_fn(
            3, 3, "XNPV(rate, values, dates): net present value of dated flows (365-day years)"
        ),
        "SLN": number_fn(
            3,
            3,
            "SLN(cost, salvage, life): straight-line depreciation: SLN(30000, 7500, 10) is 2250",
        ),
        "DDB": number_fn(
            4,
            5,
            "DDB(cost, salvage, life, period, factor=2): declining-balance depreciation: "
            "DDB(2400, 300, 10, 1) is 480",
        ),
    },
    eager={
        "IRR": _irr,
        "XIRR": _xirr,
        "MIRR": _mirr,
        "RATE": _rate,
        "NPER": _nper,
        "IPMT": _ipmt,
        "PPMT": _ppmt,
        "CUMIPMT": _cumipmt,
        "CUMPRINC": _cumprinc,
        "EFFECT": _effect,
        "NOMINAL": _nominal,
        "XNPV": _xnpv,
        "SLN": _sln,
        "DDB": _ddb,
    },
    script=MORE_SCRIPT,
)

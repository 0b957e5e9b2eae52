"""Annuity functions PMT, FV, PV and NPV, and the annuity arithmetic other finance
functions (IPMT, NPER ... in ``_fn_finance.py``) build on."""

from __future__ import annotations

import math

from ._errors import Fail
from ._family import Args, Family, divide, number_fn, numbers, power
from ._values import Value, check_number, to_number


def _finance(args: Args) -> tuple[float, float, float, float, float]:
    values = [to_number(arg) for arg in args] + [0.0] * (5 - len(args))
    rate, periods, first, second, when = values
    return rate, periods, first, second, (0.0 if when == 0.0 else 1.0)


def _exp(exponent: float) -> tuple[float, float]:
    """(e^x, e^x - 1), the second accurate for tiny x; NUM when they overflow."""
    try:
        return math.exp(exponent), math.expm1(exponent)
    except OverflowError:
        raise Fail("NUM", "The result is too large to be a number") from None


def compounding(rate: float, periods: float) -> tuple[float, float] | None:
    """periods * ln(1 + rate), and None when the rate is 0 or too small to change anything
    (then the zero-rate formulas apply) or at most -1 (then there is no logarithm)."""
    if rate <= -1.0:
        return None
    log_growth = periods * math.log1p(rate)
    return None if log_growth == 0.0 else (log_growth, rate)


def payment(rate: float, periods: float, present: float, future: float, when: float) -> float:
    """PMT: what is paid each period (negative: money paid out)."""
    if periods == 0.0:
        raise Fail("NUM", "PMT needs a number of periods other than 0")
    found = compounding(rate, periods)
    if rate == 0.0 or (found is None and rate > -1.0):
        return divide(-(present + future), periods)
    if found is None:
        growth = power(1.0 + rate, periods)
        return divide(-(rate * (present * growth + future)), (1.0 + rate * when) * (growth - 1.0))
    log_growth = found[0]
    if log_growth > 0.0:  # divided through by the growth, which may be too large to hold
        shrink, shrink_m1 = _exp(-log_growth)
        return divide(-rate * (present + future * shrink), (1.0 + rate * when) * -shrink_m1)
    growth, growth_m1 = _exp(log_growth)
    return divide(-rate * (present * growth + future), (1.0 + rate * when) * growth_m1)


def future_value(rate: float, periods: float, pay: float, present: float, when: float) -> float:
    """FV: the balance after `periods` payments."""
    found = compounding(rate, periods)
    if rate == 0.0 or (found is None and rate > -1.0):
        return check_number(-(present + pay * periods))
    if found is None:
        growth = power(1.0 + rate, periods)
        annuity = divide(pay * (1.0 + rate * when) * (growth - 1.0), rate)
        return check_number(-(present * growth + annuity))
    growth, growth_m1 = _exp(found[0])
    return check_number(-(present * growth + pay * (1.0 + rate * when) * (growth_m1 / rate)))


def present_value(rate: float, periods: float, pay: float, future: float, when: float) -> float:
    """PV: what the payments and the final balance are worth today."""
    found = compounding(rate, periods)
    if rate == 0.0 or (found is None and rate > -1.0):
        return check_number(-(future + pay * periods))
    if found is None:
        growth = power(1.0 + rate, periods)
        annuity = divide(pay * (1.0 + rate * when) * (growth - 1.0), rate)
        return divide(-(future + annuity), growth)
    shrink, shrink_m1 = _exp(-found[0])
    return check_number(-(future * shrink + pay * (1.0 + rate * when) * (-shrink_m1 / rate)))


def _pmt(args: Args) -> Value:
    return payment(*_finance(args))


def _fv(args: Args) -> Value:
    return future_value(*_finance(args))


def _pv(args: Args) -> Value:
    return present_value(*_finance(args))


def _npv(args: Args) -> Value:
    rate = to_number(args[0])
    total = 0.0
    for index, value in enumerate(numbers(args[1:]), start=1):
        total += divide(value, power(1.0 + rate, float(index)))
    return check_number(total)


FAMILY = Family(
    arities={
        "PMT": number_fn(3, 5, "PMT(rate, nper, pv, fv=0, type=0): payment per period"),
        "FV": number_fn(3, 5, "FV(rate, nper, pmt, pv=0, type=0): future value"),
        "PV": number_fn(3, 5, "PV(rate, nper, pmt, fv=0, type=0): present value"),
        "NPV": number_fn(2, None, "NPV(rate, v1, ...): net present value"),
    },
    eager={"PMT": _pmt, "FV": _fv, "PV": _pv, "NPV": _npv},
)

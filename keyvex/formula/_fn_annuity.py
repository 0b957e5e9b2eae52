"""Annuity functions PMT, FV, PV and NPV, and the annuity arithmetic other finance
functions (IPMT, NPER ... in ``_fn_finance.py``) build on."""

from __future__ import annotations

from ._errors import Fail
from ._family import Args, Arity, Family, divide, numbers, power
from ._values import Value, check_number, to_number


def _finance(args: Args) -> tuple[float, float, float, float, float]:
    values = [to_number(arg) for arg in args] + [0.0] * (5 - len(args))
    rate, periods, first, second, when = values
    return rate, periods, first, second, (0.0 if when == 0.0 else 1.0)


def _pmt(args: Args) -> Value:
    rate, periods, present, future, when = _finance(args)
    if periods == 0.0:
        raise Fail("NUM", "PMT needs a number of periods other than 0")
    if rate == 0.0:
        return divide(-(present + future), periods)
    growth = power(1.0 + rate, periods)
    return divide(-(rate * (present * growth + future)), (1.0 + rate * when) * (growth - 1.0))


def _fv(args: Args) -> Value:
    rate, periods, payment, present, when = _finance(args)
    if rate == 0.0:
        return check_number(-(present + payment * periods))
    growth = power(1.0 + rate, periods)
    annuity = divide(payment * (1.0 + rate * when) * (growth - 1.0), rate)
    return check_number(-(present * growth + annuity))


def _pv(args: Args) -> Value:
    rate, periods, payment, future, when = _finance(args)
    if rate == 0.0:
        return check_number(-(future + payment * periods))
    growth = power(1.0 + rate, periods)
    annuity = divide(payment * (1.0 + rate * when) * (growth - 1.0), rate)
    return divide(-(future + annuity), growth)


def _npv(args: Args) -> Value:
    rate = to_number(args[0])
    total = 0.0
    for index, value in enumerate(numbers(args[1:]), start=1):
        total += divide(value, power(1.0 + rate, float(index)))
    return check_number(total)


FAMILY = Family(
    arities={
        "PMT": Arity(3, 5, "PMT(rate, nper, pv, fv=0, type=0): payment per period"),
        "FV": Arity(3, 5, "FV(rate, nper, pmt, pv=0, type=0): future value"),
        "PV": Arity(3, 5, "PV(rate, nper, pmt, fv=0, type=0): present value"),
        "NPV": Arity(2, None, "NPV(rate, v1, ...): net present value"),
    },
    eager={"PMT": _pmt, "FV": _fv, "PV": _pv, "NPV": _npv},
)

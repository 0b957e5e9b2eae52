"""ISO 4217 currencies: reading a code or a currency's name that a person typed.

The list is pycountry's (Debian's iso-codes data, kept in step with the ISO 4217
maintenance agency), not a hand-kept table.
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

_SPACES = re.compile(r"\s+")


@cache
def _by_name() -> dict[str, str]:
    """Lower-case currency names ('swiss franc') -> code; a name shared by two codes is left
    out rather than guessed."""
    codes: dict[str, set[str]] = {}
    for currency in pycountry.currencies:
        codes.setdefault(currency.name.lower(), set()).add(currency.alpha_3)
    return {name: min(found) for name, found in codes.items() if len(found) == 1}


def is_currency_code(text: str) -> bool:
    """True for an ISO 4217 code, in capitals ('CHF')."""
    return len(text) == 3 and text.isupper() and pycountry.currencies.get(alpha_3=text) is not None


def currency_code(text: str) -> str | None:
    """The ISO 4217 code a person meant: a code in any case ('chf') or a currency's ISO name,
    singular or plural, in any case ('Swiss francs', 'euro'); None when it is neither."""
    said = _SPACES.sub(" ", text.strip()).lower()
    if is_currency_code(said.upper()):
        return said.upper()
    names = _by_name()
    for name in (said, said.removesuffix("s"), said.removesuffix("es")):
        if name in names:
            return names[name]
    return None


def currencies_named(word: str, limit: int = 4) -> list[str]:
    """Codes of the currencies whose ISO name has ``word`` in it, for a refusal that helps
    ('dollars' -> USD, AUD, CAD, HKD): at most ``limit``, the widely used ones first."""
    said = word.strip().lower()
    stems = {said, said.removesuffix("s"), said.removesuffix("es")} - {""}
    found = [
        code for name, code in _by_name().items() if any(stem in name.split() for stem in stems)
    ]
    found.sort(key=lambda code: (code not in _WIDELY_USED, _WIDELY_USED.get(code, 0), code))
    return found[:limit]


#: Order of preference when a word names several currencies (the most traded first).
_WIDELY_USED = {code: rank for rank, code in enumerate(
    "USD EUR JPY GBP CNY AUD CAD CHF HKD SGD SEK NOK NZD INR MXN ZAR".split()
)}  # fmt: skip

"""Reading a currency a person typed: ISO 4217 codes in any case and ISO names, nothing else."""

from __future__ import annotations

import pytest

from keyvex.tools.currencies import currencies_named, currency_code, is_currency_code


@pytest.mark.parametrize(
    ("typed", "code"),
    [("chf", "CHF"), (" Usd ", "USD"), ("Swiss francs", "CHF"), ("swiss  franc", "CHF"),
     ("euros", "EUR"), ("Pound Sterling", "GBP"), ("yen", "JPY")],
)  # fmt: skip
def test_a_code_in_any_case_or_an_iso_name_reads_as_its_code(typed: str, code: str) -> None:
    assert currency_code(typed) == code


@pytest.mark.parametrize("typed", ["dollars mate", "dollars", "xyz", "", "francs and euros"])
def test_anything_else_reads_as_no_currency(typed: str) -> None:
    assert currency_code(typed) is None


def test_only_iso_codes_in_capitals_are_codes() -> None:
    assert is_currency_code("SEK") and not is_currency_code("sek")
    assert not is_currency_code("ABC")


def test_a_word_shared_by_several_currencies_names_the_widely_used_first() -> None:
    assert currencies_named("dollars") == ["USD", "AUD", "CAD", "HKD"]
    assert currencies_named("mate") == []

"""Display formatting: grouping, half-away-from-zero rounding, currency, percent, extremes."""

from __future__ import annotations

import pytest

from keyvex.engine._format import currency, fill, number, percent, plain


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.5, 0, "1,235"),
        (-2.5, 0, "-3"),
        (0.125, 2, "0.13"),
        (-0.001, 2, "0.00"),
        (1e21, 0, "1,000,000,000,000,000,000,000"),
        (1.1e-170, 2, "0.00"),
    ],
)
def test_number(value: float, decimals: int, text: str) -> None:
    assert number(value, decimals) == text


def test_currency_symbols_and_signs() -> None:
    assert currency(115200, "USD") == "$115,200"
    assert currency(-860.655, "EUR", 2) == "-€860.66"
    assert currency(-0.001, "GBP", 2) == "£0.00"
    assert currency(5, "XYZ") == "XYZ 5"


def test_percent_plain_and_placeholders() -> None:
    assert percent(56.875, 1) == "56.9%"
    assert plain(True) == "Yes" and plain(2.50) == "2.5" and plain(["a", "b"]) == "a, b"
    assert fill("Save {{ total }} in {{years}}{{missing}}", {"total": "$5", "years": "3"}) == (
        "Save $5 in 3"
    )

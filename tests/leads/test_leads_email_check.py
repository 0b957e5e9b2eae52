"""The quick path for common email addresses answers exactly as email_validator does."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from keyvex.leads._contact import normalized_email

LOCAL_CHARS = "abcXYZ019.+-_!#$%&'*/=?^`{|}~\"() ,:;<>@[\\]é"
DOMAIN_CHARS = "abcXYZ019.-_ éß[]:"


def _verdict(check: object, address: str) -> tuple[str, str]:
    try:
        return ("ok", check(address))  # type: ignore[operator]
    except EmailNotValidError as exc:
        return ("refused", str(exc))


def _library(address: str) -> str:
    return validate_email(address, check_deliverability=False).normalized


@pytest.mark.parametrize(
    "address",
    [
        "visitor@example.com",
        "Visitor.Name+tag@Example.COM",
        "o'brien@example.co.uk",
        "a@b.c",
        "two..dots@example.com",
        ".leading@example.com",
        "trailing.@example.com",
        '"quoted local"@example.com',
        "jörg@example.com",
        "user@bücher.example",
        "user@xn--bcher-kva.example",
        "user@localhost",
        "user@example.test",
        "user@invalid",
        "user@[127.0.0.1]",
        "user@-example.com",
        "user@example..com",
        "user@example.com.",
        "user@123.123.123.123",
        "no-at-sign",
        "@example.com",
        "user@",
        "x" * 64 + "@example.com",
        "x" * 65 + "@example.com",
        "user@" + "a" * 63 + ".com",
        "user@" + "a" * 64 + ".com",
        "x" * 60 + "@" + ".".join(["d" * 60] * 4) + ".com",
        "x@" + ".".join(["d" * 62] * 4),
    ],
)
def test_known_addresses_get_the_library_answer(address: str) -> None:
    assert _verdict(normalized_email, address) == _verdict(_library, address)


@settings(max_examples=400, deadline=None)
@given(
    local=st.text(alphabet=LOCAL_CHARS, min_size=0, max_size=70),
    domain=st.text(alphabet=DOMAIN_CHARS, min_size=0, max_size=30),
    tld=st.sampled_from(["com", "org", "test", "local", "c", "co.uk", "", "123"]),
)
def test_generated_addresses_get_the_library_answer(local: str, domain: str, tld: str) -> None:
    address = f"{local}@{domain}.{tld}" if tld else f"{local}@{domain}"
    assert _verdict(normalized_email, address) == _verdict(_library, address)

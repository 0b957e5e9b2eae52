"""Every main form says each error once: beside its field, or in a banner when it belongs to
no field, never both (issue 13, section 4)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from keyvex.errors import Invalid
from keyvex.web.forms import form_errors

BANNER = re.compile(r'<p class="alert" role="alert"[^>]*>(.*?)</p>', re.S)
BESIDE = re.compile(r'<p class="field-error"[^>]*>(.*?)</p>', re.S)


def said_once(page: str) -> tuple[list[str], list[str]]:
    """The banner and field errors of a page, checked: some error, each said once, and no
    banner when the errors sit beside their fields."""
    banners = [unescape(b).strip() for b in BANNER.findall(page)]
    beside = [unescape(f).strip() for f in BESIDE.findall(page) if f.strip()]
    assert banners or beside, "the refused form shows no error at all"
    assert not (banners and beside), f"said twice: banner {banners} and beside {beside}"
    for message in banners + beside:
        assert unescape(page).count(message) == 1, f"{message!r} appears more than once"
    return banners, beside


def test_sign_up_and_sign_in_errors_sit_beside_their_fields(browser: Any) -> None:
    refused = browser.submit("/signup", "/signup", email="not-an-email", password="short")
    assert refused.status_code == 422
    _, beside = said_once(refused.text)
    assert len(beside) >= 1
    browser.sign_up("ada@example.com")
    browser.log_out()
    wrong = browser.log_in("ada@example.com", password="wrong password entirely")
    said_once(wrong.text)


def test_account_forms_say_each_error_once(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    pages = [
        ("/account", "/account/password", {"current_password": "nope", "new_password": "x"}),
        ("/account", "/account/tokens", {"name": ""}),
        ("/account/webhooks", "/account/webhooks", {"url": "ftp://example.com", "events": []}),
        ("/account/profile", "/account/profile", {"name": "x" * 500}),
        ("/account/profile", "/account/profile/email", {"email": "nope", "password": "nope"}),
        ("/account/smtp", "/account/smtp", {"host": "", "port": "lots", "security": "starttls"}),
        ("/account/delete", "/account/delete", {"password": "not my password"}),
    ]
    for form_path, action, fields in pages:
        response = browser.submit(form_path, action, **fields)
        assert response.status_code in (400, 401, 403, 409, 422), (action, response.status_code)
        banners, beside = said_once(response.text)
        assert beside or banners, action


def test_dashboard_forms_say_each_error_once(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    created = browser.submit(
        "/dashboard/new", "/dashboard/tools/from-template", template_id="roi-calculator"
    )
    tool = created.headers["location"].split("/")[3].split("?")[0]
    for path in (f"/dashboard/tools/{tool}/funnel", "/dashboard/leads"):
        response = browser.client.get(path, params={"from": "2025-02-01", "to": "yesterday"})
        assert response.status_code == 422
        _, beside = said_once(response.text)
        assert beside == ["Use a date like 2025-01-31."]
    base = f"/dashboard/tools/{tool}"
    forms = [
        (f"{base}/publish", {"slug": "Not A Slug!", "allowed_origins": ""}),
        (f"{base}/details", {"version": "1", "title": "", "description": ""}),
        (f"{base}/tests", {"version": "1", "name": "", "a_investment": "lots"}),
    ]
    for action, fields in forms:
        response = browser.submit(base, action, **fields)
        assert response.status_code == 422, (action, response.status_code)
        _, beside = said_once(response.text)
        assert beside, action


def test_data_source_wizard_says_each_error_once(browser: Any) -> None:
    browser.sign_up("ada@example.com")
    response = browser.submit(
        "/dashboard/data/new?type=rest",
        "/dashboard/data/new",
        source_type="rest",
        name="",
        **{"config.url": "not a url"},
    )
    assert response.status_code == 422
    said_once(response.text)


@pytest.mark.parametrize(
    ("fields", "shown", "expected"),
    [
        ({}, ("a",), ("Nothing was saved.", {})),
        ({"a": "Too long."}, ("a",), ("", {"a": "Too long."})),
        ({"a": "Too long.", "b_c": "Missing."}, ("a",), ("B c: Missing.", {"a": "Too long."})),
        ({"x.y": "Bad."}, None, ("", {"x.y": "Bad."})),
    ],
)
def test_form_errors_places_each_error_once(
    fields: dict[str, str], shown: Any, expected: tuple[str, dict[str, str]]
) -> None:
    placed = form_errors(Invalid("Nothing was saved.", fields=fields), shown)
    assert (placed["error"], placed["field_errors"]) == expected

"""Google Sheets source against local stand-ins of the Sheets API v4 and Google's token endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from pydantic import ValidationError

from keyvex.data import Dataset, SourceContext, SourceError
from keyvex.data.sources import connector
from keyvex.data.sources.google_sheets import GoogleSheetsConfig, GoogleSheetsConnector

from ._standins import GoogleStandIn, assert_secret_free, free_port, pem, rsa_key

BOOK = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
API_KEY = "AIzaSyStandInKey-0123456789abcdefgh"
EMAIL = "reader@keyvex-test.iam.gserviceaccount.com"
KEY = rsa_key()
ROWS: list[list[Any]] = [
    ["Plan", "Price", "Seats", "Starts"],
    ["Starter", 19, 1, "01/03/2024"],
    ["Team", 49.5, 5],
    [],
    ["Scale", 199, 25, "15/06/2024", "extra"],
]


def service_account(key: Any = KEY, **changes: Any) -> str:
    info = {
        "type": "service_account",
        "project_id": "keyvex-test",
        "private_key_id": "k1",
        "private_key": pem(key),
        "client_email": EMAIL,
        "client_id": "1234567890",
        "token_uri": "http://169.254.169.254/computeMetadata/v1/token",
        "universe_domain": "attacker.example",
    }
    info.update(changes)
    return json.dumps({k: v for k, v in info.items() if v is not None})


@pytest.fixture
def google() -> Iterator[GoogleStandIn]:
    with GoogleStandIn(API_KEY, EMAIL, KEY.public_key()) as server:
        server.add(BOOK, {"Pricing": ROWS, "Notes": [["a"], ["b"]]}, public=True,
                   shared_with=(EMAIL,))  # fmt: skip
        yield server


def context(server: GoogleStandIn, **changes: Any) -> SourceContext:
    values: dict[str, Any] = {
        "google_sheets_api_url": server.url,
        "google_token_url": server.token_url,
        "timeout": 5.0,
    }
    return SourceContext(**(values | changes))


def fetch(ctx: SourceContext, secrets: dict[str, str], limit: int | None = None,
          **config: Any) -> Dataset:  # fmt: skip
    cfg = GoogleSheetsConfig(**({"spreadsheet_id": BOOK} | config))
    return anyio.run(lambda: GoogleSheetsConnector().fetch(cfg, secrets, ctx, limit=limit))


def failure(ctx: SourceContext, secrets: dict[str, str], **config: Any) -> SourceError:
    with pytest.raises(SourceError) as caught:
        fetch(ctx, secrets, **config)
    assert_secret_free(caught.value, [API_KEY, pem(KEY), *secrets.values()])
    return caught.value


def test_connector_is_registered_as_google_sheets() -> None:
    assert isinstance(connector("google_sheets"), GoogleSheetsConnector)


def test_api_key_reads_a_range_with_header_padding_and_unformatted_numbers(
    google: GoogleStandIn,
) -> None:
    data = fetch(context(google), {"api_key": API_KEY}, range="Pricing!A1:E10")
    assert data.columns == ["Plan", "Price", "Seats", "Starts", "column_5"]
    assert data.rows == [
        ["Starter", 19, 1, "01/03/2024", None],
        ["Team", 49.5, 5, None, None],
        ["Scale", 199, 25, "15/06/2024", "extra"],
    ]
    call = google.calls[-1]
    assert call.path == f"/v4/spreadsheets/{BOOK}/values/Pricing!A1:E10"
    assert call.query["key"] == API_KEY
    assert call.query["valueRenderOption"] == "UNFORMATTED_VALUE"
    assert call.query["dateTimeRenderOption"] == "FORMATTED_STRING"


def test_empty_range_reads_the_first_sheet_whatever_its_title(google: GoogleStandIn) -> None:
    google.add(BOOK, {"Bob's data": [["x"], [1], [2]], "Other": [["y"]]}, public=True)
    data = fetch(context(google), {"api_key": API_KEY})
    assert (data.columns, data.rows) == (["x"], [[1], [2]])
    assert google.calls[-1].path.endswith("/values/'Bob''s data'")


def test_service_account_token_comes_from_our_token_url_never_the_uploaded_one(
    google: GoogleStandIn,
) -> None:
    with GoogleStandIn(API_KEY, EMAIL, KEY.public_key()) as elsewhere:
        secrets = {"service_account_json": service_account(token_uri=elsewhere.token_url)}
        data = fetch(context(google), secrets, auth="service_account", range="Notes")
    assert data.columns == ["a"] and data.rows == [["b"]]
    assert elsewhere.calls == []
    token_call, values_call = google.calls
    assert (token_call.method, token_call.path) == ("POST", "/token")
    assert values_call.bearer() in google.tokens and "key" not in values_call.query


def test_a_sheet_not_shared_with_the_service_account_names_its_email(
    google: GoogleStandIn,
) -> None:
    google.add(BOOK, {"Pricing": ROWS}, shared_with=("someone@else.example",))
    error = failure(context(google), {"service_account_json": service_account()},
                    auth="service_account")  # fmt: skip
    assert error.kind == "auth"
    assert f"not shared with {EMAIL}" in str(error)


def test_a_key_the_token_endpoint_cannot_verify_is_refused(google: GoogleStandIn) -> None:
    secrets = {"service_account_json": service_account(key=rsa_key())}
    error = failure(context(google), secrets, auth="service_account")
    assert error.kind == "auth" and "Invalid JWT Signature" in str(error)


def test_a_wrong_api_key_is_refused(google: GoogleStandIn) -> None:
    error = failure(context(google), {"api_key": "AIzaWrongKey-000000000000000000000"})
    assert (error.kind, str(error)) == ("auth", "Google refused the API key.")


def test_an_api_key_cannot_read_a_private_sheet(google: GoogleStandIn) -> None:
    google.public.clear()
    error = failure(context(google), {"api_key": API_KEY})
    assert error.kind == "auth" and "Anyone with the link" in str(error)


def test_an_unknown_spreadsheet_is_not_found(google: GoogleStandIn) -> None:
    error = failure(context(google), {"api_key": API_KEY},
                    spreadsheet_id="1ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")  # fmt: skip
    assert error.kind == "not_found" and "1ZZZZ" in str(error)


def test_a_range_on_a_missing_sheet_is_not_found(google: GoogleStandIn) -> None:
    error = failure(context(google), {"api_key": API_KEY}, range="Nope!A1:B2")
    assert error.kind == "not_found" and "Nope!A1:B2" in str(error)


def test_one_429_is_retried_and_the_fetch_succeeds(google: GoogleStandIn) -> None:
    google.rate_limit_next = 1
    data = fetch(context(google), {"api_key": API_KEY}, range="Notes")
    assert data.rows == [["b"]] and len(google.calls) == 2


def test_a_persistent_429_is_rate_limited_after_two_retries(google: GoogleStandIn) -> None:
    google.rate_limit_next = 100
    error = failure(context(google), {"api_key": API_KEY}, range="Notes")
    assert error.kind == "rate_limited" and len(google.calls) == 3


def test_nothing_listening_is_unreachable() -> None:
    root = f"http://127.0.0.1:{free_port()}"
    ctx = SourceContext(google_sheets_api_url=root, google_token_url=root + "/token")
    error = failure(ctx, {"api_key": API_KEY}, range="Notes")
    assert error.kind == "unreachable" and root in str(error)
    error = failure(ctx, {"service_account_json": service_account()}, auth="service_account")
    assert error.kind == "unreachable" and "token endpoint" in str(error)


def test_a_stalled_api_times_out(google: GoogleStandIn) -> None:
    google.delay = 1.5
    error = failure(context(google, timeout=0.4), {"api_key": API_KEY}, range="Notes")
    assert error.kind == "timeout"


def test_more_rows_than_allowed_are_too_large_and_a_preview_is_cut(
    google: GoogleStandIn,
) -> None:
    error = failure(context(google, max_rows=2), {"api_key": API_KEY}, range="Pricing")
    assert error.kind == "too_large"
    preview = fetch(context(google, max_rows=2), {"api_key": API_KEY}, limit=1, range="Pricing")
    assert (len(preview.rows), preview.row_count, preview.truncated) == (1, 3, True)


@pytest.mark.parametrize(
    ("secret", "says"),
    [
        ("{not json", "not valid JSON"),
        (service_account(type="authorized_user"), "'type' must be 'service_account'"),
        (service_account(client_email=None), "no 'client_email'"),
        (service_account(private_key=""), "no 'private_key'"),
        (service_account(private_key="-----BEGIN PRIVATE KEY-----\nAAAA\n"), "'private_key'"),
    ],
    ids=["not-json", "wrong-type", "no-email", "no-key", "bad-key"],
)
def test_a_bad_service_account_json_is_a_config_error_naming_the_field(
    google: GoogleStandIn, secret: str, says: str
) -> None:
    error = failure(context(google), {"service_account_json": secret}, auth="service_account")
    assert error.kind == "config" and says in str(error)
    assert "service_account_json" in error.fields and google.calls == []


def test_the_auth_mode_needs_its_own_secret(google: GoogleStandIn) -> None:
    error = failure(context(google), {"service_account_json": service_account()})
    assert error.kind == "config" and "api_key" in error.fields


def test_a_sheet_url_is_accepted_as_the_spreadsheet_id_and_junk_is_not() -> None:
    url = f"https://docs.google.com/spreadsheets/d/{BOOK}/edit#gid=0"
    assert GoogleSheetsConfig(spreadsheet_id=url).spreadsheet_id == BOOK
    with pytest.raises(ValidationError):
        GoogleSheetsConfig(spreadsheet_id="../../etc/passwd")
    with pytest.raises(ValidationError):
        GoogleSheetsConfig(spreadsheet_id=BOOK, range="A1\nB2")

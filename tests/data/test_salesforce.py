"""Salesforce source against a local TLS stand-in of its SOAP login, OAuth token and query APIs."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from pydantic import ValidationError

from keyvex.data import Dataset, SourceContext, SourceError
from keyvex.data.sources import connector
from keyvex.data.sources.salesforce import SalesforceConfig, SalesforceConnector

from ._standins import SalesforceStandIn, assert_secret_free, free_port, self_signed_tls

USER, PASSWORD, TOKEN = "ada@acme.example", "pa$$<word>&1", "TOKEN0123456789"
CLIENT_ID, CLIENT_SECRET = "3MVG9consumerKeyForTests", "ConsumerSecret0123456789ABCDEF"
SECRETS = {"password": PASSWORD, "security_token": TOKEN}
ALL_SECRETS = [PASSWORD, TOKEN, CLIENT_ID, CLIENT_SECRET]
ACCOUNTS = [{"Id": "001A", "Name": "Acme"}, {"Id": "001B", "Name": "Globex"}]
CONTACTS: list[dict[str, Any]] = [
    {"Id": f"003{i:03d}", "LastName": f"Last{i}", "Amount": i * 1.5,
     "Account": ACCOUNTS[i % 2] if i != 4 else None}
    for i in range(7)
]  # fmt: skip
QUERY = "SELECT Id, LastName, Amount, Account.Name FROM Contact"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, str]:
    return self_signed_tls(Path(tmp_path_factory.mktemp("tls")))


@pytest.fixture
def salesforce(tls: tuple[Any, str]) -> Iterator[SalesforceStandIn]:
    server = SalesforceStandIn(tls[0], username=USER, password=PASSWORD, token=TOKEN,
                               client_id=CLIENT_ID, client_secret=CLIENT_SECRET)  # fmt: skip
    server.objects = {"Contact": CONTACTS, "Account": ACCOUNTS}
    with server:
        yield server


def context(server: SalesforceStandIn, **changes: Any) -> SourceContext:
    values = {"salesforce_login_url": server.url, "allow_loopback": True, "timeout": 5.0}
    return SourceContext(**(values | changes))


def fetch(ctx: SourceContext, tls: tuple[Any, str], secrets: dict[str, str] = SECRETS,
          limit: int | None = None, **config: Any) -> Dataset:  # fmt: skip
    cfg = SalesforceConfig(**({"query": QUERY, "username": USER} | config))
    source = SalesforceConnector(verify=tls[1])
    return anyio.run(lambda: source.fetch(cfg, secrets, ctx, limit=limit))


def failure(ctx: SourceContext, tls: tuple[Any, str], secrets: dict[str, str] = SECRETS,
            **config: Any) -> SourceError:  # fmt: skip
    with pytest.raises(SourceError) as caught:
        fetch(ctx, tls, secrets, **config)
    assert_secret_free(caught.value, ALL_SECRETS)
    return caught.value


def test_connector_is_registered_as_salesforce() -> None:
    assert isinstance(connector("salesforce"), SalesforceConnector)


def test_password_login_queries_every_page_and_flattens_relationships(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    salesforce.batch_size = 3
    data = fetch(context(salesforce), tls)
    assert data.columns == ["Id", "LastName", "Amount", "Account.Name"]
    assert data.rows[:2] == [["003000", "Last0", 0, "Acme"], ["003001", "Last1", 1.5, "Globex"]]
    assert data.rows[4] == ["003004", "Last4", 6, None]
    assert (len(data.rows), data.row_count) == (7, 7)
    paths = [call.path.rstrip("/") for call in salesforce.calls]
    assert paths[0] == "/services/Soap/u/59.0"
    assert paths[1] == "/services/data/v59.0/query"
    assert len(paths) == 4 and all(
        p.startswith("/services/data/v59.0/query/01g") for p in paths[2:]
    )
    assert salesforce.calls[1].query["q"] == QUERY


def test_client_credentials_login_uses_the_my_domain_token_endpoint(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    secrets = {"consumer_key": CLIENT_ID, "consumer_secret": CLIENT_SECRET}
    data = fetch(context(salesforce), tls, secrets, auth="client_credentials",
                 my_domain_url=salesforce.url, query="SELECT Id, Name FROM Account")  # fmt: skip
    assert data.rows == [["001A", "Acme"], ["001B", "Globex"]]
    assert salesforce.calls[0].path == "/services/oauth2/token"


def test_a_preview_stops_after_the_first_page_with_the_exact_total(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    salesforce.batch_size = 3
    data = fetch(context(salesforce), tls, limit=2)
    assert (len(data.rows), data.row_count, data.truncated) == (2, 7, True)
    assert len(salesforce.calls) == 2


def test_a_total_over_the_row_limit_is_refused_before_more_pages(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    salesforce.batch_size = 3
    error = failure(context(salesforce, max_rows=5), tls)
    assert error.kind == "too_large" and len(salesforce.calls) == 2


def test_a_wrong_password_is_invalid_login(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    error = failure(context(salesforce), tls, {"password": "nope", "security_token": TOKEN})
    assert error.kind == "auth" and "username, password or security token" in str(error)


def test_wrong_client_credentials_are_refused(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    secrets = {"consumer_key": CLIENT_ID, "consumer_secret": "wrong-secret-000"}
    error = failure(context(salesforce), tls, secrets, auth="client_credentials",
                    my_domain_url=salesforce.url)  # fmt: skip
    assert error.kind == "auth" and "consumer key or secret" in str(error)


def test_an_expired_session_is_an_auth_error(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    salesforce.batch_size = 3
    salesforce.expire_sessions_after_first_page = True
    error = failure(context(salesforce), tls)
    assert error.kind == "auth" and "INVALID_SESSION_ID" in str(error)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("SELECT Id FROM Nope", "INVALID_TYPE"),
        ("SELECT Id, Nope FROM Account", "INVALID_FIELD"),
        ("SELECT FROM", "MALFORMED_QUERY"),
    ],
)
def test_a_query_salesforce_refuses_is_a_config_error_with_its_message(
    salesforce: SalesforceStandIn, tls: tuple[Any, str], query: str, code: str
) -> None:
    error = failure(context(salesforce), tls, query=query)
    assert error.kind == "config" and code in str(error) and "query" in error.fields


def test_a_request_limit_is_retried_and_the_fetch_succeeds(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    salesforce.rate_limit_next = 1
    assert len(fetch(context(salesforce), tls).rows) == 7
    assert [c.path.rstrip("/") for c in salesforce.calls].count("/services/data/v59.0/query") == 2


def test_a_persistent_request_limit_is_rate_limited(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    salesforce.rate_limit_next = 100
    secrets = {"consumer_key": CLIENT_ID, "consumer_secret": CLIENT_SECRET}
    error = failure(context(salesforce), tls, secrets, auth="client_credentials",
                    my_domain_url=salesforce.url)  # fmt: skip
    assert error.kind == "rate_limited" and "TotalRequests Limit exceeded" in str(error)
    assert [c.path.rstrip("/") for c in salesforce.calls].count("/services/data/v59.0/query") == 3


def test_an_instance_outside_salesforce_is_refused(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    salesforce.instance_url = "https://attacker.example"
    error = failure(context(salesforce), tls)
    assert error.kind == "refused" and "attacker.example" in str(error)
    salesforce.instance_url = None
    error = failure(context(salesforce, allow_loopback=False), tls)
    assert error.kind == "refused" and "127.0.0.1" in str(error)
    assert all(not c.path.startswith("/services/data") for c in salesforce.calls)


def test_a_my_domain_url_outside_salesforce_is_refused_before_any_request(
    salesforce: SalesforceStandIn, tls: tuple[Any, str]
) -> None:
    secrets = {"consumer_key": CLIENT_ID, "consumer_secret": CLIENT_SECRET}
    error = failure(context(salesforce), tls, secrets, auth="client_credentials",
                    my_domain_url="https://metadata.attacker.example")  # fmt: skip
    assert error.kind == "refused" and salesforce.calls == []


def test_nothing_listening_is_unreachable(tls: tuple[Any, str]) -> None:
    root = f"https://127.0.0.1:{free_port()}"
    error = failure(SourceContext(salesforce_login_url=root, allow_loopback=True), tls)
    assert error.kind == "unreachable" and root in str(error)


def test_a_stalled_login_times_out(salesforce: SalesforceStandIn, tls: tuple[Any, str]) -> None:
    salesforce.delay = 1.5
    assert failure(context(salesforce, timeout=0.4), tls).kind == "timeout"


def test_the_config_takes_one_select_and_the_fields_its_auth_needs() -> None:
    assert SalesforceConfig(query="select Id from Account;", username=USER).query.endswith(
        "Account"
    )
    assert SalesforceConfig(query="SELECT Id FROM A WHERE N = 'a;b'", username=USER)
    for bad in ("DELETE FROM Account", "SELECT Id FROM A; SELECT Id FROM B"):
        with pytest.raises(ValidationError):
            SalesforceConfig(query=bad, username=USER)
    with pytest.raises(ValidationError):
        SalesforceConfig(query=QUERY)
    with pytest.raises(ValidationError):
        SalesforceConfig(
            query=QUERY, auth="client_credentials", my_domain_url="http://x.my.salesforce.com"
        )


def test_missing_secrets_are_config_errors_naming_them(tls: tuple[Any, str]) -> None:
    ctx = SourceContext()
    assert "password" in failure(ctx, tls, {}).fields
    error = failure(ctx, tls, {"consumer_key": CLIENT_ID}, auth="client_credentials",
                    my_domain_url="https://acme.my.salesforce.com")  # fmt: skip
    assert "consumer_secret" in error.fields

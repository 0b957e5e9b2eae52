"""Airtable source against a local stand-in of the Airtable Web API (list records)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from pydantic import ValidationError

from keyvex.data import Dataset, SourceContext, SourceError
from keyvex.data.sources import connector
from keyvex.data.sources.airtable import AirtableConfig, AirtableConnector

from ._standins import AirtableStandIn, assert_secret_free, free_port

BASE = "appABCDEFGHIJ1234"
TOKEN = "patStandIn0123456789.abcdefabcdefabcdefabcdef"
LEADS: list[dict[str, Any]] = [
    {"Name": "Ada", "Score": 91, "Tags": ["vip", "dental"], "Active": True},
    {"Name": "Bob", "Owner": {"id": "usr1", "email": "bo@x.example", "name": "Bo Owner"}},
    {
        "Name": "Cy",
        "Score": 3.5,
        "Logo": [{"id": "att1", "url": "https://dl.airtable.com/x.png", "filename": "x.png"}],
        "Company": ["recAAAAAAAAAAAAAA"],
        "Ratio": {"specialValue": "NaN"},
    },
]


@pytest.fixture
def airtable() -> Iterator[AirtableStandIn]:
    with AirtableStandIn(TOKEN) as server:
        server.add(BASE, "Leads", LEADS, views={"Active": [0]})
        server.add(
            BASE, "Numbers", [{"n": i} | ({"even": True} if i % 2 == 0 else {}) for i in range(250)]
        )
        yield server


def context(server: AirtableStandIn, **changes: Any) -> SourceContext:
    return SourceContext(**({"airtable_api_url": server.url, "timeout": 5.0} | changes))


def fetch(ctx: SourceContext, limit: int | None = None, token: str = TOKEN,
          **config: Any) -> Dataset:  # fmt: skip
    cfg = AirtableConfig(**({"base_id": BASE, "table": "Leads"} | config))
    secrets = {"api_key": token}
    return anyio.run(lambda: AirtableConnector().fetch(cfg, secrets, ctx, limit=limit))


def failure(ctx: SourceContext, token: str = TOKEN, **config: Any) -> SourceError:
    with pytest.raises(SourceError) as caught:
        fetch(ctx, token=token, **config)
    assert_secret_free(caught.value, [TOKEN, token])
    return caught.value


def test_connector_is_registered_as_airtable() -> None:
    assert isinstance(connector("airtable"), AirtableConnector)


def test_fields_become_columns_in_first_seen_order_with_readable_values(
    airtable: AirtableStandIn,
) -> None:
    data = fetch(context(airtable))
    assert data.columns == ["Name", "Score", "Tags", "Active", "Owner", "Logo", "Company", "Ratio"]
    assert data.records() == [
        {"Name": "Ada", "Score": 91, "Tags": "vip, dental", "Active": True, "Owner": None,
         "Logo": None, "Company": None, "Ratio": None},
        {"Name": "Bob", "Score": None, "Tags": None, "Active": None, "Owner": "Bo Owner",
         "Logo": None, "Company": None, "Ratio": None},
        {"Name": "Cy", "Score": 3.5, "Tags": None, "Active": None, "Owner": None,
         "Logo": "x.png", "Company": "recAAAAAAAAAAAAAA", "Ratio": None},
    ]  # fmt: skip
    assert airtable.calls[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_every_page_is_fetched_through_the_offset(airtable: AirtableStandIn) -> None:
    data = fetch(context(airtable), table="Numbers")
    assert [row[0] for row in data.rows] == list(range(250))
    assert [c.query.get("offset") is None for c in airtable.calls] == [True, False, False]
    assert all(c.query["pageSize"] == "100" for c in airtable.calls)


def test_a_view_and_a_formula_are_sent_to_airtable(airtable: AirtableStandIn) -> None:
    assert fetch(context(airtable), view="Active").rows[0][0] == "Ada"
    assert airtable.calls[-1].query["view"] == "Active"
    data = fetch(context(airtable), table="Numbers", formula="{n} = 8")
    assert (data.columns, data.rows) == (["n", "even"], [[8, True]])
    assert airtable.calls[-1].query["filterByFormula"] == "{n} = 8"


def test_a_table_id_works_like_its_name(airtable: AirtableStandIn) -> None:
    table_id = airtable.bases[BASE][1].id
    assert len(fetch(context(airtable), table=table_id).rows) == 250


def test_a_preview_asks_for_one_record_more_than_it_shows(airtable: AirtableStandIn) -> None:
    data = fetch(context(airtable), limit=5, table="Numbers")
    assert (len(data.rows), data.truncated) == (5, True)
    assert [c.query["maxRecords"] for c in airtable.calls] == ["6"]


def test_more_records_than_allowed_are_too_large(airtable: AirtableStandIn) -> None:
    error = failure(context(airtable, max_rows=120), table="Numbers")
    assert error.kind == "too_large" and len(airtable.calls) == 2


def test_a_refused_token_is_an_auth_error(airtable: AirtableStandIn) -> None:
    error = failure(context(airtable), token="patWrong.000000000000000000")
    assert (error.kind, str(error)) == ("auth", "Airtable refused the personal access token.")


def test_an_unknown_base_is_not_found_with_a_hint_about_scopes(airtable: AirtableStandIn) -> None:
    error = failure(context(airtable), base_id="app" + "Z" * 14)
    assert error.kind == "not_found" and "data.records:read" in str(error)


def test_an_unknown_table_or_view_is_not_found(airtable: AirtableStandIn) -> None:
    error = failure(context(airtable), table="Nope")
    assert error.kind == "not_found" and "'Nope'" in str(error)
    error = failure(context(airtable), view="Gone")
    assert error.kind == "not_found" and "no view 'Gone'" in str(error)


def test_an_invalid_formula_is_a_config_error_on_the_formula(airtable: AirtableStandIn) -> None:
    error = failure(context(airtable), formula="AND({Name}")
    assert error.kind == "config" and "formula" in error.fields


def test_a_429_is_retried_and_the_fetch_succeeds(airtable: AirtableStandIn) -> None:
    airtable.rate_limit_next = 2
    assert len(fetch(context(airtable)).rows) == 3
    assert len(airtable.calls) == 3


def test_a_persistent_429_is_rate_limited(airtable: AirtableStandIn) -> None:
    airtable.rate_limit_next = 100
    error = failure(context(airtable))
    assert error.kind == "rate_limited" and len(airtable.calls) == 4


def test_nothing_listening_is_unreachable() -> None:
    root = f"http://127.0.0.1:{free_port()}"
    error = failure(SourceContext(airtable_api_url=root))
    assert error.kind == "unreachable" and root in str(error)


def test_a_stalled_api_times_out(airtable: AirtableStandIn) -> None:
    airtable.delay = 1.5
    assert failure(context(airtable, timeout=0.4)).kind == "timeout"


def test_the_config_validates_ids_and_formula_length() -> None:
    with pytest.raises(ValidationError):
        AirtableConfig(base_id="base1", table="Leads")
    with pytest.raises(ValidationError):
        AirtableConfig(base_id=BASE, table="Leads", formula="x" * 1001)
    assert AirtableConfig(base_id=BASE, table="Leads", view="").view is None


def test_a_missing_token_is_a_config_error(airtable: AirtableStandIn) -> None:
    error = failure(context(airtable), token="")
    assert error.kind == "config" and "api_key" in error.fields and airtable.calls == []

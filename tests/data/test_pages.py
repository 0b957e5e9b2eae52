"""The dashboard's Tool data pages through the real app: overview cards, quick connect with a
connection test, uploads, source management, analysis and mappings, creating a tool from
data, data templates; every page and action scoped to the signed-in creator, CSRF-checked
and escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from keyvex.data.pages import router as pages_router

CATALOGUE = (
    "name,category,price,use\n"
    'Alpine Jacket,Clothing,"$1,299.00",Alpine\n'
    "Trail Shoes,Footwear,$159.00,Hiking\n"
    "Day Pack,Backpacks,$89.00,Hiking\n"
    "Down Bag,Sleeping bags,$429.00,Alpine\n"
)
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
JOB = re.compile(r'data-job-url="(/dashboard/data/[0-9a-f]{16}/jobs/\w+)"')


class Creator:
    """A signed-in creator's browser on the Tool data pages."""

    def __init__(self, browser: Any, email: str) -> None:
        response = browser.sign_up(email)
        assert response.status_code == 303, response.text
        self.client = browser.client
        self.token = browser.csrf("/dashboard/data/new?type=file")

    @property
    def app(self) -> Any:
        return self.client.app.state.keyvex

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        body = {"csrf_token": self.token, **(data or {})}
        return self.client.post(path, data=body, follow_redirects=False, **kwargs)

    def upload(self, text: str, name: str = "catalogue.csv", path: str = "") -> Any:
        return self.client.post(
            path or f"/dashboard/data/uploads?filename={name}",
            content=text.encode(),
            headers={"X-CSRF-Token": self.token, "Content-Type": "application/octet-stream"},
        )

    def wait_jobs(self) -> None:
        self.client.portal.call(self.app.jobs.wait_idle, 30)

    def file_source(self, text: str = CATALOGUE, name: str = "Outdoor gear") -> str:
        """Upload, save through the wizard, follow the first sync; the source id."""
        info = self.upload(text).json()
        response = self.post(
            "/dashboard/data/new",
            {"source_type": "file", "name": name, "config.blob_key": info["blob_key"],
             "config.filename": info["filename"], "config.sheet": "", "config.table": "",
             "frequency": "manual"},
        )  # fmt: skip
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        assert re.fullmatch(r"/dashboard/data/[0-9a-f]{16}\?job=\w+", location)
        self.wait_jobs()
        return location.split("/")[3].split("?")[0]


@pytest.fixture
def alice(browser: Any) -> Creator:
    return Creator(browser, "alice@example.com")


@pytest.fixture
def bob(make_browser: Any) -> Creator:
    return Creator(make_browser(), "bob@example.com")


def test_the_overview_shows_a_status_card_per_source_and_totals(alice: Creator) -> None:
    empty = alice.get("/dashboard/data")
    assert empty.status_code == 200
    assert "No data yet" in empty.text
    assert 'aria-current="page">Tool data</a>' in empty.text
    source_id = alice.file_source()
    page = alice.get("/dashboard/data").text
    card = page[page.index(f'data-source="{source_id}"') :]
    assert "Outdoor gear" in card and "Connected" in card and "File upload" in card
    assert re.search(r"<dt>Rows</dt><dd>4</dd>", card)
    assert re.search(r"<dt>Next sync</dt><dd>Manual</dd>", card)
    assert re.search(r"<dt>Sources</dt><dd><strong>1</strong>", page)


def test_the_wizard_builds_its_fields_from_the_config_model(alice: Creator) -> None:
    chooser = alice.get("/dashboard/data/new").text
    for kind in ("file", "sql", "rest", "google_sheets", "airtable", "salesforce"):
        assert f"/dashboard/data/new?type={kind}" in chooser
    sql = alice.get("/dashboard/data/new?type=sql").text
    assert re.search(r'<textarea id="f-config-query" name="config.query"', sql)
    secret = r'name="secrets.password"\s+type="password"\s+autocomplete="off" value=""'
    assert re.search(secret, sql)
    rest = alice.get("/dashboard/data/new?type=rest").text
    assert '<option value="GET" selected>GET</option><option value="POST">POST</option>' in rest
    assert 'name="config.max_pages"\n    type="number"' in rest
    assert alice.get("/dashboard/data/new?type=ftp").status_code == 404


def test_testing_settings_shows_the_first_rows_before_saving(alice: Creator) -> None:
    info = alice.upload(CATALOGUE).json()
    assert info["sheets"] == [] and info["size"] == len(CATALOGUE.encode())
    fields = {"source_type": "file", "name": "Gear", "config.blob_key": info["blob_key"],
              "config.filename": info["filename"]}  # fmt: skip
    answer = alice.post("/dashboard/data/test", fields, headers={"Accept": "application/json"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["ok"] and body["columns"] == ["name", "category", "price", "use"]
    assert body["rows"][0] == ["Alpine Jacket", "Clothing", "$1,299.00", "Alpine"]
    page = alice.post("/dashboard/data/test", fields)
    assert page.status_code == 200
    assert "Connection works: 4 rows" in page.text and "<td>Trail Shoes</td>" in page.text
    assert alice.get("/dashboard/data").text.count("data-source=") == 0, "nothing saved"


def test_a_failed_test_names_the_problem_and_marks_the_field(alice: Creator) -> None:
    fields = {"source_type": "rest", "name": "Feed", "config.url": "http://127.0.0.1:9/items",
              "config.method": "GET"}  # fmt: skip
    answer = alice.post("/dashboard/data/test", fields, headers={"Accept": "application/json"})
    assert answer.status_code == 422
    body = answer.json()
    assert not body["ok"] and "config.url" in body["fields"]
    page = alice.post("/dashboard/data/test", fields)
    assert page.status_code == 422
    assert re.search(r'class="field has-error" data-field="config.url"', page.text)
    assert body["message"] in page.text.replace("&#39;", "'")
    missing = alice.post("/dashboard/data/test", {"source_type": "file", "name": "x"})
    assert re.search(r'class="field has-error" data-field="config.blob_key"', missing.text)


def test_bad_json_in_a_setting_is_named_on_its_field(alice: Creator) -> None:
    fields = {"source_type": "rest", "name": "Feed", "config.url": "https://api.example.com",
              "config.headers": "{not json", "frequency": "manual"}  # fmt: skip
    page = alice.post("/dashboard/data/new", fields)
    assert page.status_code == 422
    assert re.search(r'has-error" data-field="config.headers"', page.text)
    assert "is not valid JSON" in page.text
    assert 'value="Feed"' in page.text, "the form keeps what was typed"


def test_saving_starts_the_first_sync_and_the_page_follows_the_job(alice: Creator) -> None:
    info = alice.upload(CATALOGUE).json()
    response = alice.post(
        "/dashboard/data/new",
        {"source_type": "file", "name": "Gear", "config.blob_key": info["blob_key"],
         "config.filename": info["filename"], "frequency": "daily"},
    )  # fmt: skip
    page = alice.get(response.headers["location"]).text
    job_url = JOB.search(page)
    assert job_url and 'role="status"' in page
    alice.wait_jobs()
    job = alice.get(job_url.group(1))
    assert job.json()["status"] == "done"
    assert job.headers["cache-control"] == "no-store"
    source_id = job_url.group(1).split("/")[3]
    done = alice.get(f"/dashboard/data/{source_id}?done=synced").text
    assert "The sync has finished." in done and "data-job-url" not in done
    assert "<td>Alpine Jacket</td>" in done
    assert "The first 4 of 4 rows" in done
    assert re.search(r"<td>Sync</td><td>Synced 4 rows and 4 columns", done)
    assert re.search(r"<dt>Next sync</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC</dd>", done)


def test_a_workbook_upload_lists_its_sheets(alice: Creator) -> None:
    from pathlib import Path

    sample = (Path(__file__).parent / "files" / "sample.xls").read_bytes()
    response = alice.client.post(
        "/dashboard/data/uploads?filename=sample.xls",
        content=sample,
        headers={"X-CSRF-Token": alice.token},
    )
    assert response.status_code == 201, response.text
    assert response.json()["sheets"], "the worksheet names are offered"
    access = (Path(__file__).parent / "files" / "customers.mdb").read_bytes()
    tables = alice.client.post(
        "/dashboard/data/uploads?filename=customers.mdb",
        content=access,
        headers={"X-CSRF-Token": alice.token},
    )
    assert tables.status_code == 201 and tables.json()["sheets"]


def test_an_upload_needs_the_csrf_header_and_a_non_empty_body(alice: Creator) -> None:
    refused = alice.client.post("/dashboard/data/uploads?filename=a.csv", content=b"a,b\n1,2\n")
    assert refused.status_code == 403
    empty = alice.upload("")
    assert empty.status_code == 422 and empty.json()["message"] == "The file is empty."


def test_settings_keep_a_blank_secret_and_never_show_it(alice: Creator) -> None:
    response = alice.post(
        "/dashboard/data/new",
        {"source_type": "rest", "name": "Feed", "config.url": "https://api.example.com/items",
         "secrets.secret_headers": '{"Authorization": "Bearer s3cr3t-value"}',
         "frequency": "manual"},
    )  # fmt: skip
    assert response.status_code == 303, response.text
    alice.wait_jobs()
    source_id = response.headers["location"].split("/")[3].split("?")[0]
    page = alice.get(f"/dashboard/data/{source_id}").text
    assert "s3cr3t" not in page
    assert "Stored (encrypted). Leave blank to keep it." in page
    saved = alice.post(
        f"/dashboard/data/{source_id}/settings",
        {"name": "Product feed", "config.url": "https://api.example.com/v2/items",
         "config.method": "GET", "secrets.secret_headers": "", "frequency": "hourly"},
    )  # fmt: skip
    assert saved.status_code == 303
    from keyvex.data import service

    user = alice.client.portal.call(_user, alice.app, "alice@example.com")
    item = alice.client.portal.call(alice.app.store.get, *service.source_key(user.id, source_id))
    stored = service.secrets_of(alice.app, item)
    assert stored == {"secret_headers": '{"Authorization": "Bearer s3cr3t-value"}'}
    assert item["config"]["url"] == "https://api.example.com/v2/items"
    assert item["frequency"] == "hourly" and item["name"] == "Product feed"
    assert "s3cr3t" not in alice.get(f"/dashboard/data/{source_id}").text


async def _user(app: Any, email: str) -> Any:
    from keyvex.accounts import find_user

    found = await find_user(app, email)
    assert found is not None
    return found[0]


def test_pause_and_resume_change_the_schedule(alice: Creator) -> None:
    source_id = alice.file_source()
    alice.post(f"/dashboard/data/{source_id}/settings", {"name": "Outdoor gear",
               "frequency": "daily"})  # fmt: skip
    paused = alice.post(f"/dashboard/data/{source_id}/pause")
    assert paused.headers["location"].endswith("?done=paused")
    page = alice.get(f"/dashboard/data/{source_id}").text
    assert "<dt>Next sync</dt><dd>Paused</dd>" in page
    assert 'action="/dashboard/data/' + source_id + '/resume"' in page
    alice.post(f"/dashboard/data/{source_id}/resume")
    page = alice.get(f"/dashboard/data/{source_id}").text
    assert re.search(r"<dt>Next sync</dt><dd>\d{4}-", page)


def test_replacing_the_file_and_resyncing_shows_the_new_rows(alice: Creator) -> None:
    source_id = alice.file_source()
    edited = CATALOGUE.replace("Trail Shoes,Footwear,$159.00", "Trail Runners,Footwear,$149.00")
    answer = alice.upload(edited, path=f"/dashboard/data/{source_id}/file?filename=v2.csv")
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["job_id"]
    alice.wait_jobs()
    assert alice.get(f"/dashboard/data/{source_id}/jobs/{job_id}").json()["status"] == "done"
    page = alice.get(f"/dashboard/data/{source_id}").text
    assert "<td>Trail Runners</td>" in page and "Trail Shoes" not in page
    assert "<dt>File</dt><dd>v2.csv</dd>" in page
    again = alice.post(f"/dashboard/data/{source_id}/sync")
    assert "?job=" in again.headers["location"]
    alice.wait_jobs()
    assert "data unchanged" in alice.get(f"/dashboard/data/{source_id}").text


def test_testing_a_saved_source_reports_the_response_time(alice: Creator) -> None:
    source_id = alice.file_source()
    page = alice.post(f"/dashboard/data/{source_id}/test")
    assert page.status_code == 200
    assert re.search(r"The connection test passed. \(\d+ ms\)", page.text)
    assert "Connection test passed in" in page.text


def _bound_tool(alice: Creator, source_id: str) -> str:
    """A published recommendation quiz reading the source (as co-creation builds it)."""
    from keyvex.data import service
    from keyvex.data.binding import load_dataset
    from keyvex.data.toolgen import build_recommendation_quiz
    from keyvex.tools import publishing
    from keyvex.tools.service import create_tool

    async def go() -> str:
        user = await _user(alice.app, "alice@example.com")
        source = await service.get_source(alice.app, user, source_id)
        assert source.snapshot is not None
        dataset = await load_dataset(alice.app, source.snapshot)
        analysis = await service.get_analysis(alice.app, user, source_id)
        definition = build_recommendation_quiz(
            source_id=source_id, source_name=source.name, dataset=dataset, analysis=analysis,
            title_column="name", filter_columns=["use"], limit_column="price",
            show_columns=["price"],
        )  # fmt: skip
        tool = await create_tool(alice.app, user, definition)
        await publishing.publish(alice.app, user, tool.id)
        return tool.id

    result: str = alice.client.portal.call(go)
    return result


def test_deleting_is_refused_with_the_reason_while_tools_are_bound(alice: Creator) -> None:
    source_id = alice.file_source()
    tool_id = _bound_tool(alice, source_id)
    confirm = alice.get(f"/dashboard/data/{source_id}/delete").text
    assert "cannot be deleted while tools read it" in confirm
    assert f'href="/dashboard/tools/{tool_id}"' in confirm
    refused = alice.post(f"/dashboard/data/{source_id}/delete")
    assert refused.status_code == 409
    assert "The source is used by 1 tool(s)" in refused.text
    assert f'href="/dashboard/tools/{tool_id}"' in alice.get(f"/dashboard/data/{source_id}").text
    other = alice.file_source(name="Spare")
    deleted = alice.post(f"/dashboard/data/{other}/delete")
    assert deleted.headers["location"] == "/dashboard/data?done=deleted"
    assert alice.get(f"/dashboard/data/{other}").status_code == 404


def test_the_analysis_page_shows_quality_columns_and_suggestions(alice: Creator) -> None:
    source_id = alice.file_source(CATALOGUE + "Day Pack,Backpacks,$89.00,Hiking\n")
    page = alice.get(f"/dashboard/data/{source_id}/analysis")
    assert page.status_code == 200
    text = page.text
    assert re.search(r'id="data-quality-score">\d+</strong>/100 · 5 rows · 4 columns', text)
    assert "Completeness" in text and "Type consistency" in text and "1 duplicate)" in text
    row = text[text.index('<th scope="row">price</th>') :]
    assert row.index("currency") < row.index("</tr>")
    assert "<code>$1,299.00</code>" in text
    kinds = r"<strong>(Calculator|Quiz|Assessment)</strong> <span class=\"badge\">\d+% confident"
    assert re.search(kinds, text)
    assert 'value="A recommendation quiz for my Outdoor gear"' in text


def test_accepted_mappings_are_saved_and_shown_as_accepted(alice: Creator) -> None:
    source_id = alice.file_source()
    page = alice.get(f"/dashboard/data/{source_id}/analysis").text
    assert 'name="m-0-column" value="name"' in page
    saved = alice.post(
        f"/dashboard/data/{source_id}/mappings",
        {"m-0-column": "name", "m-0-kind": "lookup_key", "m-0-target": "product",
         "m-1-column": "category", "m-1-kind": "ignore", "m-1-target": "",
         "m-2-column": "price", "m-2-kind": "lookup_value", "m-2-target": "budget",
         "m-3-column": "use", "m-3-kind": "filter", "m-3-target": "use"},
    )  # fmt: skip
    assert saved.headers["location"].endswith("/analysis?done=mappings")
    page = alice.get(f"/dashboard/data/{source_id}/analysis").text
    assert page.count('badge-published">Accepted') == 4
    assert 'name="m-2-target" type="text" value="budget"' in page
    bad = alice.post(
        f"/dashboard/data/{source_id}/mappings",
        {"m-0-column": "colour", "m-0-kind": "input", "m-0-target": "x"},
    )
    assert bad.status_code == 422 and "Some mappings are not valid." in bad.text


def test_creating_a_tool_from_data_opens_a_cocreation_session(alice: Creator) -> None:
    source_id = alice.file_source()
    response = alice.post(
        f"/dashboard/data/{source_id}/create-tool",
        {"brief": "A recommendation quiz for my Outdoor gear"},
    )
    assert response.status_code == 303, response.text
    session_id = response.headers["location"].removeprefix("/create/")
    from keyvex.cocreate.service import get_session

    async def session() -> Any:
        user = await _user(alice.app, "alice@example.com")
        return await get_session(alice.app, user, session_id)

    started = alice.client.portal.call(session)
    assert started.source_id == source_id
    assert started.brief == "A recommendation quiz for my Outdoor gear"
    alice.wait_jobs()
    view = alice.get(f"/create/sessions/{session_id}").json()
    assert view["questions"][0]["question"]["input_type"] == "data_field"
    blank = alice.post(f"/dashboard/data/{source_id}/create-tool", {"brief": "  "})
    assert blank.status_code == 422 and 'aria-invalid="true" aria-describedby="e-brief"' in (
        blank.text
    )


def test_data_templates_can_be_downloaded_and_used(alice: Creator) -> None:
    listing = alice.get("/dashboard/data/templates").text
    for name in ("Real-estate listings", "CRM contacts", "Product catalogue", "Price list",
                 "Rate table"):  # fmt: skip
        assert name in listing
    assert "the “Equipment financing payment calculator” tool template" in listing
    example = alice.get("/dashboard/data/templates/rate-table/example")
    assert example.headers["content-disposition"] == 'attachment; filename="rate-table.csv"'
    assert example.text.startswith("product,term_years,rate")
    used = alice.post("/dashboard/data/templates/product-catalogue/use")
    assert used.status_code == 303 and "?job=" in used.headers["location"]
    alice.wait_jobs()
    page = alice.get(used.headers["location"].split("?")[0]).text
    assert "Product catalogue" in page and "<td>Glacier Shell Jacket</td>" in page
    assert alice.get("/dashboard/data/templates/nope/example").status_code == 404


def test_values_from_the_data_and_names_are_escaped(alice: Creator) -> None:
    hostile = 'name,price\n"<script>alert(1)</script>",$1.00\nPlain,$2.00\n'
    source_id = alice.file_source(hostile, name="<b>Gear</b>")
    for path in ("/dashboard/data", f"/dashboard/data/{source_id}",
                 f"/dashboard/data/{source_id}/analysis"):  # fmt: skip
        text = alice.get(path).text
        assert "<script>alert" not in text and "<b>Gear</b>" not in text
        assert "&lt;b&gt;Gear&lt;/b&gt;" in text


def _source_routes() -> list[tuple[str, str]]:
    routes = []
    for route in pages_router.routes:
        assert isinstance(route, APIRoute)
        if "{source_id}" in route.path:
            routes += [(method, route.path) for method in route.methods]
    return routes


def test_another_creators_source_is_not_found_on_every_page_and_action(
    alice: Creator, bob: Creator
) -> None:
    source_id = alice.file_source()
    job_url = alice.post(f"/dashboard/data/{source_id}/sync").headers["location"]
    job_id = job_url.split("job=")[1]
    alice.wait_jobs()
    routes = _source_routes()
    assert len(routes) >= 12
    for method, path in routes:
        url = path.format(source_id=source_id, job_id=job_id)
        if method == "GET":
            response = bob.get(url)
        elif url.endswith("/file"):
            response = bob.upload("a,b\n1,2\n", path=url + "?filename=x.csv")
        else:
            response = bob.post(url, {"name": "x", "brief": "mine now", "frequency": "daily"})
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
    assert "Outdoor gear" not in bob.get("/dashboard/data").text
    page = alice.get(f"/dashboard/data/{source_id}").text
    assert "Outdoor gear" in page and "<td>Alpine Jacket</td>" in page


def test_every_action_needs_the_csrf_token(alice: Creator) -> None:
    source_id = alice.file_source()
    posts = [path for method, path in _source_routes() if method == "POST"]
    posts += ["/dashboard/data/new", "/dashboard/data/test", "/dashboard/data/uploads",
              "/dashboard/data/templates/price-list/use"]  # fmt: skip
    for path in posts:
        url = path.format(source_id=source_id)
        response = alice.client.post(url, data={"name": "x"}, follow_redirects=False)
        assert response.status_code == 403, f"POST {url} -> {response.status_code}"
    assert "Outdoor gear" in alice.get(f"/dashboard/data/{source_id}").text


def test_the_pages_need_a_signed_in_creator(client: Any) -> None:
    response = client.get("/dashboard/data", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")

"""The Tool data forms read as written for people: every label, hint and choice of every
source type's wizard and settings form, in the creator's words (no "Blob key", no field names).
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from keyvex.data._page_helpers import config_fields, source_types

from .test_pages import CATALOGUE, Creator

KINDS = ("file", "google_sheets", "airtable", "sql", "salesforce", "rest")
LABEL = re.compile(r'<label for="f-(?:config|secrets)-[^"]+">(.*?)(?: <span|</label>)', re.S)
OPTION = re.compile(r"<option value=\"[^\"]*\"[^>]*>([^<]*)</option>")
HINT = re.compile(r'<p class="hint" id="h-f-[^"]+">([^<]*)</p>')
#: Words only a developer reads on a form.
JARGON = re.compile(r"\b(blob|json_|api_key|base_id|snake|config\.)|_", re.I)
LOWER_ACRONYM = re.compile(r"\b(api|url|id|json|soql|sql|csv)\b")


@pytest.fixture
def alice(browser: Any) -> Creator:
    return Creator(browser, "alice@example.com")


def labels_of(page: str) -> list[str]:
    return [unescape(" ".join(label.split())) for label in LABEL.findall(page)]


def assert_reads_well(text: str, where: str) -> None:
    assert text and text[0].isupper(), f"{where}: {text!r} does not start with a capital"
    assert not JARGON.search(text), f"{where}: {text!r} reads like a field name"
    assert not LOWER_ACRONYM.search(text), f"{where}: {text!r} has a lower-case acronym"


@pytest.mark.parametrize("kind", KINDS)
def test_every_wizard_label_and_choice_is_written_for_people(alice: Creator, kind: str) -> None:
    page = alice.get(f"/dashboard/data/new?type={kind}").text
    labels = labels_of(page)
    assert len(labels) == len([s for s in config_fields_of(kind) if s.widget != "hidden"])
    for label in labels:
        assert_reads_well(label, f"{kind} label")
    for option in OPTION.findall(page):
        if option not in ("GET", "POST"):
            assert_reads_well(unescape(option), f"{kind} choice")
    assert "Blob key" not in page and "blob" not in " ".join(labels + HINT.findall(page)).lower()


def config_fields_of(kind: str) -> list[Any]:
    return config_fields(next(k for k in source_types() if k.source_type == kind))


def test_every_field_and_secret_of_every_source_type_has_a_title_and_a_hint() -> None:
    """Titles and descriptions live on the config models (and ``secret_help``), so the API's
    ``config_schema`` says what the form says; a field without one would fall back to its
    name in words, which is what this refuses."""
    for kind in source_types():
        model_fields = kind.config_model.model_fields
        for name, info in model_fields.items():
            assert info.title, f"{kind.source_type}.{name} has no title"
        assert set(kind.secret_help) == set(kind.secret_fields), kind.source_type
        for spec in config_fields(kind):
            if spec.widget in ("text", "textarea", "json", "upload") and spec.name != "query":
                assert spec.hint, f"{kind.source_type}.{spec.name} has no hint"


def test_the_file_upload_is_labelled_file_and_names_the_formats_it_takes(alice: Creator) -> None:
    page = alice.get("/dashboard/data/new?type=file").text
    assert '<label for="f-config-blob_key">File</label>' in page
    upload = re.search(r'<input id="f-config-blob_key" type="file"[^>]*>', page)
    assert upload, page
    accept = re.search(r'accept="([^"]+)"', upload.group(0))
    assert accept and ".csv" in accept.group(1) and ".xlsx" in accept.group(1)
    assert ".sqlite" not in accept.group(1), "a file source cannot read an SQLite database"
    assert 'aria-describedby="h-f-config-blob_key"' in upload.group(0)
    hint = re.search(r'<p class="hint" id="h-f-config-blob_key">([^<]+)</p>', page)
    assert hint and "CSV" in hint.group(1) and "Excel" in hint.group(1)
    assert labels_of(page) == ["File", "Worksheet", "Access table"]


def test_the_sql_upload_asks_for_an_sqlite_file_only(alice: Creator) -> None:
    page = alice.get("/dashboard/data/new?type=sql").text
    assert '<label for="f-config-blob_key">SQLite database file' in page
    upload = re.search(r'<input id="f-config-blob_key" type="file"[^>]*>', page)
    assert upload and 'accept=".sqlite,.sqlite3,.db"' in upload.group(0)
    assert "Excel" not in page
    assert labels_of(page) == ["Database URL", "Query", "SQLite database file", "Password"]


def choices(page: str, field: str) -> list[str]:
    select = re.search(rf'<select id="f-config-{field}".*?</select>', page, re.S)
    assert select, f"no select for {field}"
    return [unescape(o) for o in OPTION.findall(select.group(0))]


def test_sign_in_choices_and_secrets_use_the_services_own_words(alice: Creator) -> None:
    sheets = alice.get("/dashboard/data/new?type=google_sheets").text
    assert choices(sheets, "auth") == ["An API key", "A service account (JSON key file)"]
    assert "API key" in labels_of(sheets) and "Service account key (JSON)" in labels_of(sheets)
    airtable = alice.get("/dashboard/data/new?type=airtable").text
    assert labels_of(airtable)[0] == "Base ID"
    assert "Personal access token" in labels_of(airtable)
    salesforce = alice.get("/dashboard/data/new?type=salesforce").text
    assert choices(salesforce, "auth") == [
        "Username and password",
        "A connected app (client credentials)",
    ]
    assert "My Domain URL" in labels_of(salesforce)


def test_the_api_schema_carries_the_same_titles_as_the_form(alice: Creator) -> None:
    token = alice.client.post(
        "/account/tokens", data={"csrf_token": alice.token, "name": "copy"}
    ).text
    match = re.search(r'<code id="new-token">(kvx_[A-Za-z0-9_-]+)</code>', token)
    assert match, token[:300]
    auth = {"Authorization": f"Bearer {match.group(1)}"}
    types = alice.client.get("/api/v1/data-source-types", headers=auth).json()
    file_type = next(t for t in types["types"] if t["type"] == "file")
    assert file_type["config_schema"]["properties"]["blob_key"]["title"] == "File"


def test_a_saved_file_source_settings_form_reads_well(alice: Creator) -> None:
    source_id = alice.file_source(CATALOGUE)
    page = alice.get(f"/dashboard/data/{source_id}").text
    settings = page[page.index('id="h-settings"') :]
    for label in labels_of(settings):
        assert_reads_well(label, "settings label")
    assert "Blob key" not in page


def test_saving_the_file_wizard_without_a_file_says_so_in_words(alice: Creator) -> None:
    page = alice.post(
        "/dashboard/data/new",
        {"source_type": "file", "name": "Gear", "config.blob_key": "", "config.filename": "",
         "frequency": "manual"},
    )  # fmt: skip
    assert page.status_code == 422
    error = re.search(r'<p class="field-error" id="e-f-config-blob_key">([^<]+)</p>', page.text)
    assert error, page.text[:2000]
    assert error.group(1) == "File is required."


def test_a_problem_of_the_settings_as_a_whole_is_named_not_just_announced(
    alice: Creator,
) -> None:
    page = alice.post(
        "/dashboard/data/new",
        {"source_type": "salesforce", "name": "CRM", "config.query": "SELECT Name FROM Account",
         "config.auth": "client_credentials", "frequency": "manual"},
    )  # fmt: skip
    assert page.status_code == 422
    assert (
        "The source settings are not valid. The My Domain URL is required to sign in with a "
        "connected app." in unescape(page.text)
    )


def test_the_mappings_form_names_its_columns_for_people(alice: Creator) -> None:
    source_id = alice.file_source(CATALOGUE)
    page = alice.get(f"/dashboard/data/{source_id}/analysis").text
    mappings = page[page.index('id="h-mappings"') :]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', mappings)
    assert headers[:4] == ["Column", "Role", "Name in the tool", "Why"]
    assert "Target" not in mappings
    assert re.search(r'<label class="visually-hidden" for="m-0-target">Name in the tool for ', page)


def field_box(page: str, key: str) -> str:
    box = re.search(rf'<div class="field[^"]*" data-field="{re.escape(key)}"[^>]*>', page)
    assert box, key
    return box.group(0)


def test_worksheet_and_access_table_show_only_for_files_that_have_them(alice: Creator) -> None:
    """A CSV has neither: the wizard shows "Worksheet" once a workbook is chosen and
    "Access table" once an Access file is (data.js does it on upload; a re-shown form keeps
    the field of the file it has)."""
    page = alice.get("/dashboard/data/new?type=file").text
    sheet, table = field_box(page, "config.sheet"), field_box(page, "config.table")
    assert " hidden" in sheet and " hidden" in table
    assert 'data-shown-for=".xlsx,.xlsm,.xls,.ods"' in sheet
    assert 'data-shown-for=".mdb,.accdb"' in table
    again = alice.post(
        "/dashboard/data/new",
        {"source_type": "file", "name": "", "config.blob_key": "uploads/x/1/book.xlsx",
         "config.filename": "book.xlsx", "frequency": "manual"},
    )  # fmt: skip
    assert again.status_code == 422
    assert " hidden" not in field_box(again.text, "config.sheet")
    assert " hidden" in field_box(again.text, "config.table")
    airtable = alice.get("/dashboard/data/new?type=airtable").text
    assert " hidden" not in field_box(airtable, "config.table"), "Airtable's table is its own"

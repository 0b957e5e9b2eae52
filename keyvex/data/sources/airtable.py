"""Airtable source: the records of one table (optionally of a view, filtered) via pyairtable.

``pyairtable.Api(token, endpoint_url=ctx.airtable_api_url, timeout=...)`` lists records
page by page (Airtable's ``offset``, 100 records a page). Its session ignores proxy
variables, and its urllib3 retry strategy retries a 429 three times with short pauses
(0, 0.2, 0.4 s; Airtable's ``Retry-After`` is not waited for, so a fetch stays within its
time limit); a service still refusing after that is reported as rate limited.

Cells: columns are the union of the field names in first-seen order (Airtable omits empty
fields from a record, so a column seen late is blank in earlier rows). Lists become one text,
items joined with ", " (multiple selects, lookups, linked records, which arrive as record
ids); objects become their readable value: an attachment its filename, a collaborator their
name (or email), a button its label, a barcode its text, an AI field its value; Airtable's
error values (``{"error": "#ERROR!"}``, ``{"specialValue": "NaN"}``) become blank.
The record id is not a column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, ClassVar

import requests
from pyairtable import Api, retry_strategy
from pydantic import Field, field_validator

from keyvex.data._types import (
    Cell,
    Connector,
    Dataset,
    SecretField,
    SourceConfig,
    SourceContext,
    SourceError,
    clean_cell,
)
from keyvex.data.sources import _cloud, register

SERVICE = "Airtable"
MAX_FORMULA = 1000
_BASE = re.compile(r"^app[A-Za-z0-9]{14}$")
_READABLE = ("filename", "name", "email", "label", "text", "value")


class AirtableConfig(SourceConfig):
    """Which base and table to read, optionally through a view and a filter formula."""

    base_id: str = Field(
        title="Base ID",
        description="From the base's address: the part that starts with app, e.g. "
        "appXXXXXXXXXXXXXX.",
    )
    table: str = Field(
        min_length=1,
        max_length=255,
        title="Table",
        description="The table's name, or its ID (starts with tbl).",
    )
    view: str | None = Field(
        default=None,
        max_length=255,
        title="View",
        description="Read only the records this view shows; empty: the whole table.",
    )
    formula: str | None = Field(
        default=None,
        max_length=MAX_FORMULA,
        title="Filter formula",
        description="An Airtable formula records must match, e.g. {Status}='Active'.",
    )

    @field_validator("base_id")
    @classmethod
    def _base_id(cls, value: str) -> str:
        if not _BASE.match(value):
            raise ValueError("is not an Airtable base id ('app' and 14 letters or digits)")
        return value

    @field_validator("view", "formula")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None


class AirtableConnector(Connector):
    source_type: ClassVar[str] = "airtable"
    label: ClassVar[str] = "Airtable"
    config_model: ClassVar[type[SourceConfig]] = AirtableConfig
    secret_fields: ClassVar[tuple[str, ...]] = ("api_key",)
    secret_help: ClassVar[Mapping[str, SecretField]] = {
        "api_key": SecretField(
            "Personal access token",
            "Create one at airtable.com/create/tokens with the data.records:read scope and "
            "access to this base. Stored encrypted.",
        )
    }

    async def fetch(
        self,
        config: Any,
        secrets: Mapping[str, str],
        ctx: SourceContext,
        *,
        limit: int | None = None,
    ) -> Dataset:
        cfg = config if isinstance(config, AirtableConfig) else AirtableConfig(**config)
        token = _cloud.require(secrets, "api_key", "The Airtable personal access token")
        records = await _cloud.run_blocking(lambda: _records(cfg, token, ctx, limit), ctx, SERVICE)
        columns, rows = _cloud.table_of(records)
        dataset = Dataset(columns, [[_cell(v) for v in row] for row in rows])
        if limit is not None and len(dataset.rows) > limit:
            dataset.rows = dataset.rows[:limit]
            dataset.truncated = True
            dataset.row_count = len(dataset.rows)  # Airtable does not tell the total
        return dataset


def _api(token: str, ctx: SourceContext) -> Api:
    seconds = max(1, math.ceil(ctx.timeout))
    retry = retry_strategy(
        total=3, connect=0, read=0, backoff_factor=0.2, respect_retry_after_header=False
    )
    api = Api(token, timeout=(seconds, seconds), retry_strategy=retry,
              endpoint_url=ctx.airtable_api_url)  # fmt: skip
    api.session.trust_env = False  # no proxy variables, no .netrc
    return api


def _records(
    cfg: AirtableConfig, token: str, ctx: SourceContext, limit: int | None
) -> list[dict[str, Any]]:
    """Every record's fields (``limit + 1`` at most for a preview, to tell it was cut)."""
    options: dict[str, Any] = {"page_size": 100}
    if cfg.view:
        options["view"] = cfg.view
    if cfg.formula:
        options["formula"] = cfg.formula
    if limit is not None:
        options["max_records"] = limit + 1
    api = _api(token, ctx)
    table = api.table(cfg.base_id, cfg.table)
    fields: list[dict[str, Any]] = []
    try:
        for page in table.iterate(**options):
            fields.extend(dict(record.get("fields") or {}) for record in page)
            if limit is None and len(fields) > ctx.max_rows:
                raise _cloud.too_many_rows(SERVICE, len(fields), ctx)
    except requests.HTTPError as exc:
        raise _http_error(exc.response, cfg, token) from None
    except requests.exceptions.RetryError:
        raise _rate_limited() from None
    except requests.Timeout:
        raise _cloud.timed_out(SERVICE, ctx) from None
    except requests.RequestException:
        raise _cloud.unreachable(SERVICE, ctx.airtable_api_url) from None
    finally:
        api.session.close()
    return fields


def _rate_limited() -> SourceError:
    return SourceError("rate_limited", "Airtable rate limit reached; try again in a minute.")


def _http_error(response: requests.Response | None, cfg: AirtableConfig, token: str) -> SourceError:
    status = response.status_code if response is not None else 0
    kind, message = _airtable_error(response)
    said = _cloud.scrub(message, [token])
    where = f"table {cfg.table!r} of base {cfg.base_id}"
    if status == 401 or kind == "AUTHENTICATION_REQUIRED":
        return SourceError("auth", "Airtable refused the personal access token.")
    if status == 403 or kind == "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND":
        return SourceError(
            "not_found",
            f"Airtable found no {where} that this token may read: check the ids and that the "
            "token has the data.records:read scope and access to the base.",
        )
    if status == 404 or kind in ("NOT_FOUND", "TABLE_NOT_FOUND", "MODEL_ID_NOT_FOUND"):
        return SourceError("not_found", f"Airtable has no {where}.")
    if kind == "INVALID_FILTER_BY_FORMULA":
        return SourceError("config", f"Airtable cannot use the filter formula ({said}).",
                           fields={"formula": "Not a valid Airtable formula."})  # fmt: skip
    if kind == "VIEW_NAME_NOT_FOUND":
        return SourceError("not_found", f"The {where} has no view {cfg.view!r}.")
    if status == 429:
        return _rate_limited()
    if status == 422:
        return SourceError("config", f"Airtable refused the request ({said or kind}).")
    return SourceError("unreachable", f"Airtable answered with an error (HTTP {status}).")


def _airtable_error(response: requests.Response | None) -> tuple[str, str]:
    """Airtable's error type and message, from ``{"error": {"type", "message"}}`` or
    ``{"error": "TYPE"}``."""
    try:
        error = response.json().get("error") if response is not None else None
    except (ValueError, AttributeError):
        return "", ""
    if isinstance(error, dict):
        return str(error.get("type") or ""), str(error.get("message") or "")
    return (str(error), "") if error else ("", "")


def _cell(value: Any) -> Cell:
    """One Airtable value as a cell (see the module docstring for lists and objects)."""
    if isinstance(value, list):
        parts = [_cell(item) for item in value]
        return ", ".join(str(p) for p in parts if p is not None and p != "")
    if isinstance(value, dict):
        if "error" in value or "specialValue" in value:
            return None
        for key in _READABLE:
            if isinstance(value.get(key), str | int | float) and value[key] != "":
                return clean_cell(value[key])
        return _cloud.text_of(value)
    return clean_cell(value)


register(AirtableConnector())

"""Google Sheets source: one range of a spreadsheet, first row as header, via the Sheets API v4.

It uses google-api-python-client with its bundled (static) discovery document, so building
the client makes no request; ``client_options.api_endpoint`` points it at
``ctx.google_sheets_api_url`` (plain ``http://`` works too, which the tests' stand-in uses).
The client is given its own ``httplib2.Http`` with ``proxy_info=None`` (proxy variables are
ignored) and the time limit; service accounts go through google-auth's
``service_account.Credentials`` wrapped by ``google_auth_httplib2.AuthorizedHttp``.

SECURITY: a service-account JSON is user input and carries its own ``token_uri`` (and
``universe_domain``). Both are overridden: the signed JWT always goes to
``ctx.google_token_url`` and never to a URL from the upload (SSRF).

Decisions: rows whose cells are all empty are dropped; ragged rows are padded with blanks;
an empty ``range`` means the first sheet (its title is read from the spreadsheet's metadata,
since a first sheet is not always called "Sheet1"). A 429 is retried twice after short pauses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, cast

import google_auth_httplib2
import httplib2
from google.auth import exceptions as auth_errors
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from pydantic import Field, field_validator

from keyvex.data._types import (
    Cell,
    Connector,
    Dataset,
    SecretField,
    SourceConfig,
    SourceContext,
    SourceError,
    choice_labels,
    clean_cell,
    unique_columns,
)
from keyvex.data.sources import _cloud, register

SERVICE = "Google Sheets"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets.readonly"]
_ID = re.compile(r"^[A-Za-z0-9_-]{20,128}$")
_URL_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")


class GoogleSheetsConfig(SourceConfig):
    """Which spreadsheet and range to read, and how to authenticate."""

    spreadsheet_id: str = Field(
        title="Spreadsheet",
        description="The sheet's address (copy it from the browser) or the ID in it.",
    )
    range: str | None = Field(
        default=None,
        max_length=200,
        title="Range",
        description="Which cells, in A1 notation, e.g. Sheet1!A1:D200; empty: the whole "
        "first sheet.",
    )
    auth: Literal["api_key", "service_account"] = Field(
        "api_key",
        title="Sign in with",
        description="An API key reads sheets shared with anyone who has the link; a service "
        "account reads sheets shared with its email address.",
        json_schema_extra=choice_labels(
            api_key="An API key", service_account="A service account (JSON key file)"
        ),
    )

    @field_validator("spreadsheet_id", mode="before")
    @classmethod
    def _spreadsheet_id(cls, value: Any) -> Any:
        if isinstance(value, str):
            found = _URL_ID.search(value)
            value = found.group(1) if found else value.strip()
            if not _ID.match(value):
                raise ValueError("is not a spreadsheet id (20+ letters, digits, - or _)")
        return value

    @field_validator("range")
    @classmethod
    def _range(cls, value: str | None) -> str | None:
        if value is not None and any(ord(c) < 32 for c in value):
            raise ValueError("must be one line of A1 notation, e.g. Sheet1!A1:D200")
        return value or None


class GoogleSheetsConnector(Connector):
    source_type: ClassVar[str] = "google_sheets"
    label: ClassVar[str] = "Google Sheets"
    config_model: ClassVar[type[SourceConfig]] = GoogleSheetsConfig
    secret_fields: ClassVar[tuple[str, ...]] = ("api_key", "service_account_json")
    optional_secrets: ClassVar[tuple[str, ...]] = ("api_key", "service_account_json")
    secret_help: ClassVar[Mapping[str, SecretField]] = {
        "api_key": SecretField(
            "API key",
            "A Google Cloud API key with the Google Sheets API enabled (for 'An API key'). "
            "Stored encrypted.",
        ),
        "service_account_json": SecretField(
            "Service account key (JSON)",
            "The whole key file of the service account (for 'A service account'). Stored "
            "encrypted.",
        ),
    }

    async def fetch(
        self,
        config: Any,
        secrets: Mapping[str, str],
        ctx: SourceContext,
        *,
        limit: int | None = None,
    ) -> Dataset:
        cfg = config if isinstance(config, GoogleSheetsConfig) else GoogleSheetsConfig(**config)
        reader = _Reader(cfg, secrets, ctx)
        values = await _cloud.run_blocking(reader.values, ctx, SERVICE)
        return _dataset(values, cfg, ctx, limit)


class _Reader:
    """One fetch: builds the client, reads the values, turns SDK failures into SourceErrors."""

    def __init__(self, cfg: GoogleSheetsConfig, secrets: Mapping[str, str], ctx: SourceContext):
        self.cfg, self.ctx = cfg, ctx
        self.secrets = [v for v in secrets.values() if v]
        self.client_email: str | None = None
        self.api_key: str | None = None
        self.credentials: service_account.Credentials | None = None
        if cfg.auth == "api_key":
            self.api_key = _cloud.require(secrets, "api_key", "The Google API key")
        else:
            self.credentials = _credentials(secrets, ctx)
            self.client_email = self.credentials.service_account_email

    def values(self) -> list[list[Any]]:
        http = httplib2.Http(timeout=self.ctx.timeout, proxy_info=None)
        try:
            return self._values(http)
        finally:
            http.close()  # httplib2 keeps connections open otherwise

    def _values(self, http: Any) -> list[list[Any]]:
        if self.credentials is not None:
            self._refresh(http)
            http = google_auth_httplib2.AuthorizedHttp(self.credentials, http=http)
        sheets = build(
            "sheets",
            "v4",
            http=http,
            developerKey=self.api_key,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": self.ctx.google_sheets_api_url},
        ).spreadsheets()
        sheet_range = self.cfg.range or self._first_sheet(sheets)
        request = sheets.values().get(
            spreadsheetId=self.cfg.spreadsheet_id,
            range=sheet_range,
            valueRenderOption="UNFORMATTED_VALUE",
            dateTimeRenderOption="FORMATTED_STRING",
            majorDimension="ROWS",
        )
        body = self._execute(request.execute, sheet_range)
        return list(body.get("values") or [])

    def _first_sheet(self, sheets: Any) -> str:
        request = sheets.get(
            spreadsheetId=self.cfg.spreadsheet_id, fields="sheets.properties.title"
        )
        body = self._execute(request.execute, None)
        titles = [s.get("properties", {}).get("title") for s in body.get("sheets") or []]
        if not titles or not titles[0]:
            raise SourceError("not_found", "The spreadsheet has no sheet to read.")
        return "'" + str(titles[0]).replace("'", "''") + "'"

    def _refresh(self, http: httplib2.Http) -> None:
        assert self.credentials is not None
        try:
            request = google_auth_httplib2.Request(http)
            self.credentials.refresh(request)  # type: ignore[no-untyped-call]
        except auth_errors.RefreshError as exc:
            said = _cloud.scrub(str(exc.args[0]) if exc.args else "", self.secrets)
            raise SourceError(
                "auth", f"Google refused the service account {self.client_email} ({said})."
            ) from None
        except TimeoutError:
            raise _cloud.timed_out("The Google token endpoint", self.ctx) from None
        except (OSError, httplib2.HttpLib2Error, auth_errors.TransportError):
            raise _cloud.unreachable(
                "the Google token endpoint", self.ctx.google_token_url
            ) from None

    def _execute(self, call: Callable[..., Any], sheet_range: str | None) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return dict(call(num_retries=0))
            except HttpError as exc:
                if exc.resp.status == 429 and _cloud.pause(attempt):
                    attempt += 1
                    continue
                raise self._http_error(exc, sheet_range) from None
            except TimeoutError:
                raise _cloud.timed_out(SERVICE, self.ctx) from None
            except auth_errors.RefreshError:
                raise SourceError(
                    "auth", f"Google refused the service account {self.client_email}."
                ) from None
            except (OSError, httplib2.HttpLib2Error, auth_errors.TransportError):
                raise _cloud.unreachable(SERVICE, self.ctx.google_sheets_api_url) from None

    def _http_error(self, exc: HttpError, sheet_range: str | None) -> SourceError:
        status = int(exc.resp.status)
        message, reason = _google_error(exc.content)
        said = _cloud.scrub(message, self.secrets)
        sheet_id = self.cfg.spreadsheet_id
        if status == 400 and (reason == "API_KEY_INVALID" or "API key" in message):
            return SourceError("auth", "Google refused the API key.")
        if status == 400:
            return SourceError(
                "not_found", f"The range {sheet_range!r} is not in the spreadsheet ({said})."
            )
        if status in (401, 403):
            return SourceError("auth", self._refused(reason, said))
        if status == 404:
            return SourceError("not_found", f"No spreadsheet with the id {sheet_id} exists.")
        if status == 429:
            return SourceError(
                "rate_limited", "Google Sheets rate limit reached; try again in a minute."
            )
        return SourceError("unreachable", f"Google Sheets answered with an error (HTTP {status}).")

    def _refused(self, reason: str, said: str) -> str:
        if reason in ("SERVICE_DISABLED", "accessNotConfigured"):
            return "The Google Sheets API is not enabled for this Google Cloud project."
        if self.client_email:
            return (
                f"The sheet is not shared with {self.client_email}: share it with that "
                f"address as a Viewer ({said})."
            )
        return (
            "Google refused the API key for this sheet: an API key can only read sheets "
            f"shared with 'Anyone with the link' ({said})."
        )


def _credentials(secrets: Mapping[str, str], ctx: SourceContext) -> service_account.Credentials:
    raw = _cloud.require(secrets, "service_account_json", "The service account JSON key")
    field = {"service_account_json": "Not a valid service account key file."}
    try:
        info = json.loads(raw)
    except ValueError:
        raise SourceError(
            "config", "The service account key is not valid JSON.", fields=field
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise SourceError(
            "config", "The key file's 'type' must be 'service_account'.", fields=field
        )
    for name in ("client_email", "private_key"):
        if not isinstance(info.get(name), str) or not info[name].strip():
            raise SourceError("config", f"The service account key has no '{name}'.", fields=field)
    # The upload's own token_uri and universe_domain are never used (SSRF): ours only.
    info = {**info, "token_uri": ctx.google_token_url}
    info.pop("universe_domain", None)
    try:
        return cast(
            service_account.Credentials,
            service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                info, scopes=SCOPES
            ),
        )
    except Exception:  # a malformed PEM key raises ValueError or a cryptography error
        raise SourceError(
            "config", "The service account key's 'private_key' is not a valid key.", fields=field
        ) from None


def _google_error(content: bytes | str) -> tuple[str, str]:
    """Google's error message and its first ErrorInfo reason from an error body."""
    try:
        error = json.loads(content).get("error") or {}
    except (ValueError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return str(error), ""
    reasons = [d.get("reason") for d in error.get("details") or [] if isinstance(d, dict)]
    legacy = [e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)]
    reason = next((r for r in reasons + legacy if r), "")
    return str(error.get("message") or ""), str(reason)


def _dataset(
    values: list[list[Any]], cfg: GoogleSheetsConfig, ctx: SourceContext, limit: int | None
) -> Dataset:
    if not values:
        where = f"range {cfg.range!r}" if cfg.range else "first sheet"
        raise SourceError(
            "format",
            f"The {where} of the spreadsheet is empty: its first row must name the columns.",
        )
    width = max(len(row) for row in values)
    columns = unique_columns(list(values[0]) + [None] * (width - len(values[0])))
    rows: list[list[Cell]] = []
    for raw in values[1:]:
        row = [clean_cell(v) for v in raw] + [None] * (width - len(raw))
        if any(cell is not None and cell != "" for cell in row):
            rows.append(row)
    if limit is None and len(rows) > ctx.max_rows:
        raise _cloud.too_many_rows(SERVICE, len(rows), ctx)
    count = len(rows)
    if limit is not None and count > limit:
        return Dataset(columns, rows[:limit], row_count=count, truncated=True)
    return Dataset(columns, rows, row_count=count)


register(GoogleSheetsConnector())

"""The contract every data source connector and the analysis share: datasets, errors, context.

A connector turns a validated, non-secret configuration plus its decrypted secrets into a
:class:`Dataset` (column names and rows of plain JSON scalars). Connectors never touch the
item store, never log secrets and never raise anything but :class:`SourceError` for a failure
a creator can act on; the service layer (``keyvex.data.service``) stores sources, encrypts
secrets, snapshots data and records health.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from keyvex.errors import KeyvexError

if TYPE_CHECKING:
    from keyvex.settings import Settings
    from keyvex.store import BlobStore

#: A cell as every connector delivers it: dates and times become ISO-8601 strings,
#: integers stay ``int``, non-finite floats become ``None``.
Cell = str | int | float | bool | None

FailureKind = Literal[
    "config",  # the configuration itself is wrong (bad URL, missing field)
    "unreachable",  # DNS, connection refused, TLS failure
    "timeout",  # the source did not answer within the time limit
    "auth",  # credentials refused (401/403, wrong password)
    "not_found",  # sheet, table, base, object or file does not exist
    "format",  # the data is not what the source type expects (bad CSV, not JSON...)
    "too_large",  # more rows, columns or bytes than the limits allow
    "refused",  # forbidden by policy (SSRF guard, a statement other than SELECT)
    "rate_limited",  # the service asked us to slow down
]

_TITLES: dict[str, str] = {
    "config": "Data source settings are not valid",
    "unreachable": "Data source unreachable",
    "timeout": "Data source timed out",
    "auth": "Data source refused the credentials",
    "not_found": "Data not found",
    "format": "Data in an unexpected format",
    "too_large": "Data too large",
    "refused": "Request refused",
    "rate_limited": "Data source rate limit",
}
_STATUS: dict[str, int] = {"unreachable": 502, "timeout": 504, "rate_limited": 429}


class SourceError(KeyvexError):
    """A failure of a data source, as one sentence a creator can act on.

    ``kind`` names the failure mode (see :data:`FailureKind`); the HTTP status follows it
    (422 for most, 502 unreachable, 504 timeout, 429 rate limited).
    """

    def __init__(
        self, kind: FailureKind, message: str, *, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, fields=fields)
        self.kind: FailureKind = kind
        self.title = _TITLES[kind]
        self.status = _STATUS.get(kind, 422)

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        body = super().to_problem(instance)
        body["kind"] = self.kind
        return body


@dataclass(slots=True)
class Dataset:
    """Rows of a source: ``columns`` names them, each row has one cell per column.

    ``row_count`` is the exact number of data rows in the source, which can exceed
    ``len(rows)`` when a caller asked for a preview (``limit``); ``truncated`` says so.
    """

    columns: list[str]
    rows: list[list[Cell]]
    row_count: int = -1
    truncated: bool = False
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.row_count < 0:
            self.row_count = len(self.rows)

    def records(self) -> list[dict[str, Cell]]:
        """Rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=False)) for row in self.rows]

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "rows": self.rows,
            "row_count": self.row_count,
            "truncated": self.truncated,
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Dataset:
        return cls(
            columns=list(data["columns"]),
            rows=[list(r) for r in data["rows"]],
            row_count=int(data.get("row_count", len(data["rows"]))),
            truncated=bool(data.get("truncated", False)),
            warnings=list(data.get("warnings", [])),
        )


def clean_cell(value: Any) -> Cell:
    """Normalise a driver value to a :data:`Cell` (dates -> ISO text, NaN -> None, ...)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):  # date, datetime, time
        return str(isoformat())
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    try:  # Decimal and other numeric types
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number.is_integer() and abs(number) < 2**53 and "." not in str(value):
        return int(number)
    return number if math.isfinite(number) else None


def unique_columns(names: Sequence[Any]) -> list[str]:
    """Header cells as usable, unique column names: blanks become column_N, repeats get _2."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for index, raw in enumerate(names, start=1):
        name = " ".join(str(raw if raw is not None else "").split())[:120] or f"column_{index}"
        count = seen.get(name.lower(), 0) + 1
        seen[name.lower()] = count
        result.append(name if count == 1 else f"{name}_{count}")
    return result


@dataclass(frozen=True, slots=True)
class SecretField:
    """How a secret is asked for on a form: its label and the hint under it."""

    label: str
    hint: str = ""


def upload_field(accept: Sequence[str]) -> dict[str, Any]:
    """``json_schema_extra`` of a field filled by uploading a file with these suffixes."""
    return {"widget": "upload", "accept": list(accept)}


def shown_for(suffixes: Sequence[str]) -> dict[str, Any]:
    """``json_schema_extra`` of a field that only applies to files with these suffixes (a
    worksheet to an Excel file): the form shows it once such a file is chosen."""
    return {"shown_for": list(suffixes)}


def choice_labels(**labels: str) -> dict[str, Any]:
    """``json_schema_extra`` naming a Literal field's choices for people (value=label)."""
    return {"choice_labels": labels}


@dataclass(frozen=True, slots=True)
class SourceContext:
    """What a connector may use: limits, timeouts, service roots and the blob store."""

    max_rows: int = 100_000
    max_bytes: int = 50_000_000
    timeout: float = 30.0
    reader_memory: int = 256_000_000  # of the child process that parses a workbook
    allow_loopback: bool = False
    google_sheets_api_url: str = "https://sheets.googleapis.com"
    google_token_url: str = "https://oauth2.googleapis.com/token"
    airtable_api_url: str = "https://api.airtable.com"
    salesforce_login_url: str = "https://login.salesforce.com"
    blobs: BlobStore | None = None  # file sources read their upload from it

    @classmethod
    def from_settings(cls, settings: Settings, blobs: BlobStore | None = None) -> SourceContext:
        return cls(
            max_rows=settings.data_max_rows,
            max_bytes=settings.data_max_upload_bytes,
            timeout=settings.data_timeout_seconds,
            reader_memory=settings.data_reader_memory_bytes,
            allow_loopback=settings.outbound_allow_loopback,
            google_sheets_api_url=settings.google_sheets_api_url,
            google_token_url=settings.google_token_url,
            airtable_api_url=settings.airtable_api_url,
            salesforce_login_url=settings.salesforce_login_url,
            blobs=blobs,
        )


class SourceConfig(BaseModel):
    """Base of every connector's non-secret settings (stored as plain data).

    Each field's ``title`` is its label on the settings form and in the API's
    ``config_schema``, its ``description`` the hint under it: written for a creator, never
    the field's name. :func:`upload_field` and :func:`choice_labels` add what a form needs
    beyond that (an upload widget and what it accepts; readable names of fixed choices).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Connector(ABC):
    """One kind of data source. Subclasses set the class attributes and ``fetch``.

    ``secret_fields`` name the secrets the connector needs (passwords, API keys, tokens,
    secret headers): the service stores them encrypted and passes them decrypted in
    ``secrets``; they are never part of ``config``, never logged and never returned.
    """

    source_type: ClassVar[str]
    label: ClassVar[str]
    config_model: ClassVar[type[SourceConfig]]
    secret_fields: ClassVar[tuple[str, ...]] = ()
    #: Secret fields the source can work without (e.g. a REST API with no auth).
    optional_secrets: ClassVar[tuple[str, ...]] = ()
    #: Label and hint of each secret on the settings form (every secret has one).
    secret_help: ClassVar[Mapping[str, SecretField]] = {}

    @abstractmethod
    async def fetch(
        self,
        config: Any,
        secrets: Mapping[str, str],
        ctx: SourceContext,
        *,
        limit: int | None = None,
    ) -> Dataset:
        """All rows (at most ``ctx.max_rows``, else SourceError too_large), or ``limit`` rows
        as a preview with the exact ``row_count`` when the source can tell it cheaply."""

    async def test(self, config: Any, secrets: Mapping[str, str], ctx: SourceContext) -> Dataset:
        """A connection test: a small preview; raises SourceError like ``fetch``."""
        return await self.fetch(config, secrets, ctx, limit=5)

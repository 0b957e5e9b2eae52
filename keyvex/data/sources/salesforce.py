"""Salesforce source: the records of one SOQL query via simple-salesforce's REST client.

Login, two ways:
- ``password``: simple-salesforce's SOAP ``login()`` (username, password + security token),
  posted to ``{ctx.salesforce_login_url}/services/Soap/u/59.0`` through ``SalesforceLogin``'s
  ``scratch_url`` (its ``domain`` argument can only build ``https://{domain}.salesforce.com``).
- ``client_credentials``: the OAuth 2.0 client credentials flow, posted by us (the same
  request simple-salesforce makes, which it too can only send to ``*.salesforce.com``) to
  ``{my_domain_url}/services/oauth2/token`` with the consumer key and secret as HTTP Basic.
Either way the client is then ``Salesforce(session_id=..., instance=...)``.

The instance returned by login is server-supplied: it must be a ``*.salesforce.com`` or
``*.force.com`` host (loopback only when ``ctx.allow_loopback``), and so must
``my_domain_url``, which is user input. simple-salesforce always speaks https to the
instance, so a server-supplied ``http://`` cannot downgrade it; the OAuth ``instance_url``
must be https anyway. ``nextRecordsUrl`` must be a path under ``/services/data/``.

Rows: ``attributes`` dropped, relationship fields flattened (``Account.Name``), a subquery's
records as JSON text; ``totalSize`` over ``ctx.max_rows`` is refused before fetching more pages.
Sessions ignore proxy variables; a ``REQUEST_LIMIT_EXCEEDED`` (or a 429) is retried twice
after short pauses. The connector takes ``verify`` (a CA file) so tests can use a
self-signed certificate; the registered one verifies against the system's CAs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

import requests
from pydantic import Field, field_validator, model_validator
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceAuthenticationFailed, SalesforceError
from simple_salesforce.login import SalesforceLogin

from keyvex.data._types import (
    Connector,
    Dataset,
    SecretField,
    SourceConfig,
    SourceContext,
    SourceError,
    choice_labels,
    clean_cell,
)
from keyvex.data.sources import _cloud, register

SERVICE = "Salesforce"
API_VERSION = "59.0"
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'")
_TRUSTED = (".salesforce.com", ".force.com")


class SalesforceConfig(SourceConfig):
    """The SOQL query to run and how to log in."""

    query: str = Field(
        min_length=8,
        max_length=20_000,
        title="SOQL query",
        description="One SELECT statement, e.g. SELECT Name, Industry FROM Account.",
    )
    auth: Literal["password", "client_credentials"] = Field(
        "password",
        title="Sign in with",
        json_schema_extra=choice_labels(
            password="Username and password",
            client_credentials="A connected app (client credentials)",
        ),
    )
    username: str | None = Field(
        default=None,
        max_length=255,
        title="Username",
        description="For 'Username and password'.",
    )
    my_domain_url: str | None = Field(
        default=None,
        max_length=255,
        title="My Domain URL",
        description="For a connected app, e.g. https://yourcompany.my.salesforce.com.",
    )

    @field_validator("query")
    @classmethod
    def _one_select(cls, value: str) -> str:
        value = value.rstrip("; \n\t")
        if not re.match(r"(?is)^select\s", value):
            raise ValueError("must be a SOQL query that starts with SELECT")
        if ";" in _QUOTED.sub("", value):
            raise ValueError("must be a single SOQL statement (no ';')")
        return value

    @field_validator("my_domain_url")
    @classmethod
    def _https_root(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value.rstrip("/"))
        if parts.scheme != "https" or not parts.hostname or parts.path or parts.query:
            raise ValueError("must be your My Domain URL, e.g. https://acme.my.salesforce.com")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _auth_fields(self) -> SalesforceConfig:
        if self.auth == "password" and not self.username:
            raise ValueError("the username is required to sign in with a password")
        if self.auth == "client_credentials" and not self.my_domain_url:
            raise ValueError("the My Domain URL is required to sign in with a connected app")
        return self


class SalesforceConnector(Connector):
    source_type: ClassVar[str] = "salesforce"
    label: ClassVar[str] = "Salesforce"
    config_model: ClassVar[type[SourceConfig]] = SalesforceConfig
    secret_fields: ClassVar[tuple[str, ...]] = (
        "password",
        "security_token",
        "consumer_key",
        "consumer_secret",
    )
    optional_secrets: ClassVar[tuple[str, ...]] = secret_fields
    secret_help: ClassVar[Mapping[str, SecretField]] = {
        "password": SecretField("Password", "For 'Username and password'. Stored encrypted."),
        "security_token": SecretField(
            "Security token",
            "Emailed by Salesforce (Settings, Reset My Security Token); not needed from a "
            "trusted network. Stored encrypted.",
        ),
        "consumer_key": SecretField(
            "Consumer key", "Of the connected app (for 'A connected app'). Stored encrypted."
        ),
        "consumer_secret": SecretField(
            "Consumer secret", "Of the connected app (for 'A connected app'). Stored encrypted."
        ),
    }

    def __init__(self, verify: bool | str = True) -> None:
        self.verify = verify

    async def fetch(
        self,
        config: Any,
        secrets: Mapping[str, str],
        ctx: SourceContext,
        *,
        limit: int | None = None,
    ) -> Dataset:
        cfg = config if isinstance(config, SalesforceConfig) else SalesforceConfig(**config)
        run = _Run(cfg, secrets, ctx, self.verify)
        return await _cloud.run_blocking(lambda: run.dataset(limit), ctx, SERVICE)


class _Run:
    """One fetch: log in, query page by page, turn SDK failures into SourceErrors."""

    def __init__(
        self, cfg: SalesforceConfig, secrets: Mapping[str, str], ctx: SourceContext,
        verify: bool | str,
    ) -> None:  # fmt: skip
        self.cfg, self.ctx = cfg, ctx
        self.secrets = dict(secrets)
        if cfg.auth == "password":
            _cloud.require(secrets, "password", "The Salesforce password")
        else:
            _cloud.require(secrets, "consumer_key", "The connected app's consumer key")
            _cloud.require(secrets, "consumer_secret", "The connected app's consumer secret")
            self._trusted(urlsplit(cfg.my_domain_url or "").hostname or "", "My Domain URL")
        self.session = _cloud.TimeoutSession(ctx.timeout)
        self.session.verify = verify

    def dataset(self, limit: int | None) -> Dataset:
        try:
            return self._dataset(limit)
        finally:
            self.session.close()

    def _dataset(self, limit: int | None) -> Dataset:
        client = self._login()
        page = self._call(lambda: client.query(self.cfg.query))
        total = int(page.get("totalSize") or 0)
        if limit is None and total > self.ctx.max_rows:
            raise _cloud.too_many_rows(SERVICE, total, self.ctx)
        records = list(page.get("records") or [])
        while not page.get("done", True) and (limit is None or len(records) < limit):
            next_url = str(page.get("nextRecordsUrl") or "")
            if not next_url.startswith("/services/data/"):
                raise SourceError("format", "Salesforce sent an unexpected nextRecordsUrl.")
            page = self._call(partial(client.query_more, next_url, identifier_is_url=True))
            records.extend(page.get("records") or [])
        columns, rows = _cloud.table_of(_without_null_parents([_flat(r) for r in records]))
        cells = [[clean_cell(v) for v in row] for row in rows]
        if limit is not None and (len(cells) > limit or total > len(cells)):
            return Dataset(columns, cells[:limit], row_count=total, truncated=True)
        return Dataset(columns, cells, row_count=max(total, len(cells)))

    # --- login ---------------------------------------------------------------------------

    def _login(self) -> Salesforce:
        try:
            if self.cfg.auth == "password":
                session_id, instance = SalesforceLogin(
                    username=self.cfg.username,
                    password=self.secrets["password"],
                    security_token=self.secrets.get("security_token") or "",
                    sf_version=API_VERSION,
                    session=self.session,
                    scratch_url=self.ctx.salesforce_login_url.rstrip("/"),
                )
            else:
                session_id, instance = self._client_credentials()
        except SalesforceAuthenticationFailed as exc:
            raise self._login_refused(exc) from None
        except requests.Timeout:
            raise _cloud.timed_out("The Salesforce login", self.ctx) from None
        except requests.RequestException:
            raise _cloud.unreachable("the Salesforce login", self._login_root()) from None
        self._trusted(urlsplit("https://" + instance).hostname or "", "instance")
        return Salesforce(session_id=session_id, instance=instance, session=self.session,
                          version=API_VERSION)  # fmt: skip

    def _login_root(self) -> str:
        return self.cfg.my_domain_url or self.ctx.salesforce_login_url

    def _client_credentials(self) -> tuple[str, str]:
        response = self.session.post(
            f"{self.cfg.my_domain_url}/services/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(self.secrets["consumer_key"], self.secrets["consumer_secret"]),
            allow_redirects=False,
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or response.status_code >= 500:
            raise SalesforceAuthenticationFailed(response.status_code, "")
        if response.status_code != 200:
            raise SalesforceAuthenticationFailed(body.get("error"), body.get("error_description"))
        token, instance_url = body.get("access_token"), str(body.get("instance_url") or "")
        if not token or not instance_url.startswith("https://"):
            raise SourceError("refused", "Salesforce's login answer has no https instance URL.")
        parts = urlsplit(instance_url)
        return str(token), f"{parts.hostname}{f':{parts.port}' if parts.port else ''}"

    def _trusted(self, host: str, what: str) -> None:
        host = host.lower()
        if host.endswith(_TRUSTED) or (self.ctx.allow_loopback and _cloud.is_loopback(host)):
            return
        raise SourceError(
            "refused",
            f"The Salesforce {what} {host or '(none)'} is not a salesforce.com or force.com host.",
        )

    def _login_refused(self, exc: SalesforceAuthenticationFailed) -> SourceError:
        code = exc.code
        if isinstance(code, int):
            return SourceError(
                "unreachable", f"The Salesforce login endpoint answered with HTTP {code}."
            )
        if code in ("INVALID_LOGIN", "invalid_grant"):
            return SourceError(
                "auth", "Salesforce refused the username, password or security token."
            )
        if code in ("invalid_client", "invalid_client_id", "unauthorized_client"):
            return SourceError("auth", "Salesforce refused the consumer key or secret.")
        said = _cloud.scrub(exc.auth_message, self.secrets.values())
        return SourceError("auth", f"Salesforce refused the login ({code or 'no code'}: {said}).")

    # --- queries -------------------------------------------------------------------------

    def _call(self, call: Callable[[], Any]) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                return dict(call())
            except SalesforceError as exc:
                code, message = _sf_error(exc.content)
                limited = code == "REQUEST_LIMIT_EXCEEDED" or exc.status == 429
                if limited and _cloud.pause(attempt):
                    attempt += 1
                    continue
                raise self._refused(exc.status, code, message) from None
            except requests.Timeout:
                raise _cloud.timed_out(SERVICE, self.ctx) from None
            except requests.RequestException:
                raise _cloud.unreachable(SERVICE, "the instance") from None

    def _refused(self, status: int, code: str, message: str) -> SourceError:
        said = _cloud.scrub(message, self.secrets.values())
        if code == "REQUEST_LIMIT_EXCEEDED" or status == 429:
            return SourceError("rate_limited", f"Salesforce API limit reached ({said}).")
        if code == "INVALID_SESSION_ID" or status == 401:
            return SourceError("auth", "Salesforce refused the session (INVALID_SESSION_ID).")
        if status == 400:
            return SourceError("config", f"Salesforce refused the query ({code}: {said}).",
                               fields={"query": said or code})  # fmt: skip
        if status == 403:
            return SourceError("auth", f"Salesforce refused access ({code}: {said}).")
        if status == 404:
            return SourceError("not_found", f"Salesforce found no such resource ({said}).")
        return SourceError("unreachable", f"Salesforce answered with an error (HTTP {status}).")


def _sf_error(content: Any) -> tuple[str, str]:
    """errorCode and message of Salesforce's ``[{"message", "errorCode"}]`` error body."""
    if isinstance(content, bytes | str):
        try:
            content = json.loads(content)
        except ValueError:
            return "", ""
    first = content[0] if isinstance(content, list) and content else content
    if not isinstance(first, dict):
        return "", ""
    return str(first.get("errorCode") or ""), str(first.get("message") or "")


def _flat(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A record without ``attributes``, relationships as ``Parent.Field`` columns."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key == "attributes":
            continue
        name = prefix + key
        if isinstance(value, Mapping) and "records" in value and "totalSize" in value:
            children = [_flat(child) for child in value.get("records") or []]
            out[name] = json.dumps(children, ensure_ascii=False, default=str)
        elif isinstance(value, Mapping):
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


def _without_null_parents(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop ``Account: null`` keys where other records have ``Account.Name`` columns."""
    keys = {key for record in records for key in record}
    parents = {key for key in keys if any(other.startswith(key + ".") for other in keys)}
    if not parents:
        return records
    return [{k: v for k, v in record.items() if k not in parents} for record in records]


register(SalesforceConnector())

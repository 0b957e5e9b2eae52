"""Local stand-ins for Google Sheets, Airtable and Salesforce in their documented wire formats.

Each is a ``ThreadingHTTPServer`` on 127.0.0.1 (a free port) in a daemon thread, used as a
context manager. They keep the requests they received (``calls``), can answer the next N
requests with the service's rate-limit response (``rate_limit_next``) and can stall
(``delay``). Salesforce's runs over TLS with a self-signed certificate (simple-salesforce
always talks https to the instance).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import re
import secrets
import socket
import ssl
import threading
import time
import traceback
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


@dataclass
class Request:
    method: str
    path: str  # percent-decoded
    query: dict[str, str]
    headers: Message
    body: bytes

    def bearer(self) -> str | None:
        value = self.headers.get("Authorization") or ""
        return value[7:] if value.startswith("Bearer ") else None

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


@dataclass
class Reply:
    status: int
    body: Any = None
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


class StandIn:
    """The server, its thread and what every stand-in shares; subclasses implement ``handle``."""

    scheme = "http"

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.calls: list[Request] = []
        self.rate_limit_next = 0
        self.delay = 0.0
        handler = type("Handler", (_Handler,), {"standin": self})
        self.server = _Server(("127.0.0.1", 0), handler)
        if tls is not None:
            self.scheme = "https"
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def dispatch(self, request: Request) -> Reply:
        self.calls.append(request)
        if self.delay:
            time.sleep(self.delay)
        if self.rate_limit_next > 0 and self.limits(request):
            self.rate_limit_next -= 1
            return self.rate_limited()
        return self.handle(request)

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    def limits(self, request: Request) -> bool:
        """Whether ``rate_limit_next`` applies to this request."""
        return True

    def rate_limited(self) -> Reply:
        raise NotImplementedError


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout tests) is expected, not news


class _Handler(BaseHTTPRequestHandler):
    standin: StandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=unquote(parts.path),
            query=dict(parse_qsl(parts.query)),
            headers=self.headers,
            body=self.rfile.read(length) if length else b"",
        )
        reply = self.standin.dispatch(request)
        body = reply.encoded()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _serve


# --- Google Sheets API v4 and the OAuth token endpoint ------------------------------------

GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token"
_CELLS = re.compile(r"^([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?$")


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _google_error(code: int, status: str, message: str, reason: str | None = None) -> Reply:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if reason:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason}]
    return Reply(code, {"error": error})


class GoogleStandIn(StandIn):
    """``GET /v4/spreadsheets/{id}[/values/{range}]`` with ``key=`` or Bearer auth, and
    ``POST /token`` verifying the RS256 JWT assertion of the one known service account."""

    def __init__(self, api_key: str, client_email: str, public_key: rsa.RSAPublicKey) -> None:
        super().__init__()
        self.api_key, self.client_email, self.public_key = api_key, client_email, public_key
        self.books: dict[str, dict[str, list[list[Any]]]] = {}
        self.public: set[str] = set()
        self.shared: dict[str, set[str]] = {}
        self.tokens: dict[str, str] = {}

    @property
    def token_url(self) -> str:
        return self.url + "/token"

    def add(self, book_id: str, sheets: dict[str, list[list[Any]]], *, public: bool = False,
            shared_with: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.books[book_id] = sheets
        if public:
            self.public.add(book_id)
        self.shared[book_id] = set(shared_with)

    def rate_limited(self) -> Reply:
        return _google_error(
            429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'."
        )

    def handle(self, request: Request) -> Reply:
        if request.method == "POST" and request.path == "/token":
            return self._token(request)
        found = re.fullmatch(r"/v4/spreadsheets/([^/]+)(?:/values/(.+))?", request.path)
        if request.method != "GET" or not found:
            return _google_error(404, "NOT_FOUND", "Method not found.")
        book_id, cells = found.groups()
        refused = self._refused(request, book_id)
        if refused:
            return refused
        if book_id not in self.books:
            return _google_error(404, "NOT_FOUND", "Requested entity was not found.")
        sheets = self.books[book_id]
        if cells is None:
            return Reply(200, {"sheets": [{"properties": {"title": t}} for t in sheets]})
        return self._values(sheets, cells)

    def _refused(self, request: Request, book_id: str) -> Reply | None:
        token = request.bearer()
        if token is not None:
            email = self.tokens.get(token)
            if email is None:
                return _google_error(
                    401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
                )
            if email not in self.shared.get(book_id, {email}):
                return _google_error(
                    403, "PERMISSION_DENIED", "The caller does not have permission"
                )
            return None
        key = request.query.get("key")
        if key is None:
            return _google_error(
                403, "PERMISSION_DENIED", "The request is missing a valid API key."
            )
        if key != self.api_key:
            return _google_error(
                400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                "API_KEY_INVALID",
            )  # fmt: skip
        if book_id in self.books and book_id not in self.public:
            return _google_error(403, "PERMISSION_DENIED", "The caller does not have permission")
        return None

    def _values(self, sheets: dict[str, list[list[Any]]], a1: str) -> Reply:
        title, _, cells = a1.rpartition("!") if "!" in a1 else ("", "", a1)
        if title.startswith("'") and title.endswith("'"):
            title = title[1:-1].replace("''", "'")
        if not title and cells.strip("'").replace("''", "'") in sheets:
            title, cells = cells.strip("'").replace("''", "'"), ""
        title = title or next(iter(sheets))
        match = _CELLS.match(cells)
        if title not in sheets or not match:
            return _google_error(400, "INVALID_ARGUMENT", f"Unable to parse range: {a1}")
        c1, r1, c2, r2 = match.groups(default="")
        rows = sheets[title][int(r1 or 1) - 1 : int(r2) if r2 else None]
        first, last = _column(c1 or "A") - 1, _column(c2) if c2 else None
        values = [_trim(row[first:last]) for row in rows]
        while values and not values[-1]:
            values.pop()
        body: dict[str, Any] = {
            "range": f"'{title}'!{cells or 'A1:Z1000'}",
            "majorDimension": "ROWS",
        }
        if values:
            body["values"] = values
        return Reply(200, body)

    def _token(self, request: Request) -> Reply:
        form = request.form()
        claims = self._verified(form.get("assertion", ""))
        if (
            form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer"
            or claims is None
        ):
            return Reply(
                400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            )
        # Google's documented audience, whatever URL the assertion was posted to
        if claims.get("iss") != self.client_email or claims.get("aud") != GOOGLE_AUDIENCE:
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT."})
        if "spreadsheets" not in str(claims.get("scope")) or claims.get("exp", 0) < time.time():
            return Reply(400, {"error": "invalid_scope", "error_description": "Bad scope or exp."})
        token = "ya29." + secrets.token_urlsafe(16)
        self.tokens[token] = self.client_email
        return Reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def _verified(self, assertion: str) -> dict[str, Any] | None:
        try:
            header, payload, signature = assertion.split(".")
            self.public_key.verify(
                _unb64(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(),
                hashes.SHA256(),
            )  # fmt: skip
            if json.loads(_unb64(header)).get("alg") != "RS256":
                return None
            return dict(json.loads(_unb64(payload)))
        except Exception:
            return None


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _trim(row: list[Any]) -> list[Any]:
    row = list(row)
    while row and row[-1] in (None, ""):
        row.pop()
    return ["" if v is None else v for v in row]


# --- Airtable Web API v0 -----------------------------------------------------------------

_FILTER = re.compile(r"""^\{([^}]+)\}\s*=\s*(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?))$""")


@dataclass
class Table:
    id: str
    name: str
    records: list[dict[str, Any]]
    views: dict[str, list[str]]  # view name -> record ids, in the view's order


def _airtable_error(status: int, kind: str, message: str | None = None) -> Reply:
    return Reply(status, {"error": {"type": kind, "message": message or kind}})


class AirtableStandIn(StandIn):
    """``GET /v0/{baseId}/{tableIdOrName}`` with pageSize, offset, maxRecords, view and a
    ``{Field}='value'`` subset of filterByFormula; Bearer auth; 100 records a page at most."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.bases: dict[str, list[Table]] = {}
        self._offsets: dict[str, int] = {}

    def add(self, base_id: str, name: str, rows: list[dict[str, Any]],
            views: dict[str, list[int]] | None = None) -> Table:  # fmt: skip
        tables = self.bases.setdefault(base_id, [])
        records: list[dict[str, Any]] = [
            {"id": f"rec{len(tables)}{i:013d}", "createdTime": "2024-05-01T09:00:00.000Z",
             "fields": fields}
            for i, fields in enumerate(rows)
        ]  # fmt: skip
        by_view: dict[str, list[str]] = {"Grid view": [r["id"] for r in records]}
        by_view |= {v: [records[i]["id"] for i in idx] for v, idx in (views or {}).items()}
        table = Table(f"tbl{len(tables):014d}", name, records, by_view)
        tables.append(table)
        return table

    def rate_limited(self) -> Reply:
        message = "Rate limit exceeded. Please try again later"
        return Reply(429, {"errors": [{"error": "RATE_LIMIT_REACHED", "message": message}]})

    def handle(self, request: Request) -> Reply:
        if request.bearer() != self.token:
            return _airtable_error(401, "AUTHENTICATION_REQUIRED", "Authentication required")
        found = re.fullmatch(r"/v0/([^/]+)/([^/]+)", request.path)
        if request.method != "GET" or not found:
            return _airtable_error(404, "NOT_FOUND", "Could not find what you are looking for")
        base_id, table_ref = found.groups()
        if base_id not in self.bases:
            message = "Invalid permissions, or the requested model was not found."
            return _airtable_error(403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND", message)
        table = next((t for t in self.bases[base_id] if table_ref in (t.id, t.name)), None)
        if table is None:
            return _airtable_error(
                404, "TABLE_NOT_FOUND", f"Could not find table {table_ref} in application {base_id}"
            )
        return self._page(table, request.query)

    def _page(self, table: Table, query: dict[str, str]) -> Reply:
        view = query.get("view", "Grid view")
        if view not in table.views:
            return _airtable_error(422, "VIEW_NAME_NOT_FOUND", f"Could not find view {view}")
        by_id = {r["id"]: r for r in table.records}
        records = [by_id[i] for i in table.views[view]]
        if "filterByFormula" in query:
            kept = self._filtered(records, query["filterByFormula"])
            if kept is None:
                message = "The formula for filtering records is invalid"
                return _airtable_error(422, "INVALID_FILTER_BY_FORMULA", message)
            records = kept
        records = records[: int(query.get("maxRecords") or len(records))]
        start = self._offsets.pop(query["offset"], -1) if "offset" in query else 0
        if start < 0:
            return _airtable_error(422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE")
        size = min(int(query.get("pageSize") or 100), 100)
        body: dict[str, Any] = {"records": records[start : start + size]}
        if start + size < len(records):
            offset = f"itr{secrets.token_hex(8)}/{records[start + size]['id']}"
            self._offsets[offset] = start + size
            body["offset"] = offset
        return Reply(200, body)

    def _filtered(self, records: list[dict[str, Any]], formula: str) -> list[Any] | None:
        match = _FILTER.match(formula.strip())
        if not match:
            return None
        name, single, double, number = match.groups()
        wanted: Any = (
            float(number) if number is not None else single if single is not None else double
        )
        return [r for r in records if r["fields"].get(name) == wanted]


# --- Salesforce: SOAP login, OAuth client credentials, REST query ----------------------------

_SOQL = re.compile(r"^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+(.*))?$", re.I | re.S)
_SOAP_OK = """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope
 xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result>
<metadataServerUrl>{root}/services/Soap/m/59.0/00D000000000001</metadataServerUrl>
<passwordExpired>false</passwordExpired><sandbox>false</sandbox>
<serverUrl>{root}/services/Soap/u/59.0/00D000000000001</serverUrl>
<sessionId>{session}</sessionId><userId>005000000000001AAA</userId>
</result></loginResponse></soapenv:Body></soapenv:Envelope>"""
_SOAP_FAULT = """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope
 xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:sf="urn:fault.partner.soap.sforce.com"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>
<faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password,
 security token; or user locked out.</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault">
<sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username,
 password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail>
</soapenv:Fault></soapenv:Body></soapenv:Envelope>"""


def _sf_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, [{"message": message, "errorCode": code}])


class SalesforceStandIn(StandIn):
    """Login (``/services/Soap/u/59.0``, ``/services/oauth2/token``) and
    ``/services/data/v59.0/query`` with ``nextRecordsUrl`` pages of ``batch_size`` records."""

    def __init__(self, tls: ssl.SSLContext, *, username: str, password: str, token: str,
                 client_id: str, client_secret: str) -> None:  # fmt: skip
        super().__init__(tls)
        self.username, self.password = username, password + token
        self.client = (client_id, client_secret)
        self.objects: dict[str, list[dict[str, Any]]] = {}
        self.sessions: set[str] = set()
        self.batch_size = 2000
        self.instance_url: str | None = None  # what login answers; None: this server
        self.expire_sessions_after_first_page = False
        self._cursors: dict[str, list[dict[str, Any]]] = {}

    def rate_limited(self) -> Reply:
        return _sf_error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")

    def limits(self, request: Request) -> bool:
        return request.path.startswith("/services/data/")  # API limits count REST calls

    def handle(self, request: Request) -> Reply:
        if request.method == "POST" and request.path.startswith("/services/Soap/u/"):
            return self._soap_login(request)
        if request.method == "POST" and request.path == "/services/oauth2/token":
            return self._token(request)
        if request.bearer() not in self.sessions:
            return _sf_error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        path = request.path.rstrip("/")  # simple-salesforce asks for .../query/
        if path == "/services/data/v59.0/query":
            return self._query(request.query.get("q", ""))
        more = re.fullmatch(r"/services/data/v59\.0/query/(\w+-\d+)", path)
        if more and more.group(1) in self._cursors:
            return self._batch(more.group(1))
        return _sf_error(404, "NOT_FOUND", "The requested resource does not exist")

    def _new_session(self) -> str:
        session = "00D000000000001!AQ" + secrets.token_urlsafe(24)
        self.sessions.add(session)
        return session

    def _soap_login(self, request: Request) -> Reply:
        ns = {"n": "urn:partner.soap.sforce.com"}
        root = ET.fromstring(request.body)
        username = root.findtext(".//n:username", namespaces=ns)
        password = root.findtext(".//n:password", namespaces=ns)
        if (username, password) != (self.username, self.password):
            return Reply(500, _SOAP_FAULT, "text/xml; charset=utf-8")
        body = _SOAP_OK.format(root=self.instance_url or self.url, session=self._new_session())
        return Reply(200, body, "text/xml; charset=utf-8")

    def _token(self, request: Request) -> Reply:
        auth = (request.headers.get("Authorization") or "").removeprefix("Basic ")
        try:
            given = tuple(base64.b64decode(auth).decode().split(":", 1))
        except ValueError:
            given = ()
        if request.form().get("grant_type") != "client_credentials" or given != self.client:
            return Reply(
                400, {"error": "invalid_client", "error_description": "invalid client credentials"}
            )
        return Reply(200, {
            "access_token": self._new_session(), "instance_url": self.instance_url or self.url,
            "id": f"{self.url}/id/00D000000000001/005000000000001", "token_type": "Bearer",
            "issued_at": str(int(time.time() * 1000)), "signature": "c2lnbmF0dXJl",
        })  # fmt: skip

    def _query(self, soql: str) -> Reply:
        match = _SOQL.match(soql)
        if not match or ";" in soql:
            return _sf_error(400, "MALFORMED_QUERY", "unexpected token: ';'")
        fields, name = [f.strip() for f in match.group(1).split(",")], match.group(2)
        if name not in self.objects:
            return _sf_error(400, "INVALID_TYPE", f"sObject type '{name}' is not supported.")
        records = [_select(name, record, fields) for record in self.objects[name]]
        if any(r is None for r in records):
            bad = next(f for f in fields if not all(_has(r, f) for r in self.objects[name]))
            return _sf_error(400, "INVALID_FIELD", f"No such column '{bad}' on entity '{name}'.")
        if self.expire_sessions_after_first_page:
            self.sessions.clear()
        cursor = "01g" + secrets.token_hex(6)
        self._cursors[f"{cursor}-0"] = [r for r in records if r is not None]
        return self._batch(f"{cursor}-0")

    def _batch(self, locator: str) -> Reply:
        records = self._cursors[locator]
        cursor, start = locator.rsplit("-", 1)
        end = int(start) + self.batch_size
        body: dict[str, Any] = {"totalSize": len(records), "done": end >= len(records),
                                "records": records[int(start) : end]}  # fmt: skip
        if end < len(records):
            self._cursors[f"{cursor}-{end}"] = records
            body["nextRecordsUrl"] = f"/services/data/v59.0/query/{cursor}-{end}"
        return Reply(200, body)


def _has(record: dict[str, Any], path: str) -> bool:
    head, _, rest = path.partition(".")
    if head not in record:
        return False
    return not rest or record[head] is None or _has(record[head], rest)


def _select(name: str, record: dict[str, Any], fields: list[str]) -> dict[str, Any] | None:
    """The record as the REST API returns it: the selected fields, relationships as nested
    objects, each object with its ``attributes``; None when a field does not exist."""
    if not all(_has(record, f) for f in fields):
        return None
    out: dict[str, Any] = {"attributes": _attributes(name, record)}
    for path in fields:
        _put(out, record, path.split("."))
    return out


def _put(out: dict[str, Any], record: dict[str, Any], parts: list[str]) -> None:
    value = record[parts[0]]
    if len(parts) == 1 or value is None:
        out[parts[0]] = value
        return
    child = out.setdefault(parts[0], {"attributes": _attributes(parts[0], value)})
    _put(child, value, parts[1:])


def _attributes(name: str, record: dict[str, Any]) -> dict[str, str]:
    return {"type": name, "url": f"/services/data/v59.0/sobjects/{name}/{record.get('Id', '')}"}


# --- helpers the cloud tests share ---------------------------------------------------------


def free_port() -> int:
    """A loopback port with nothing listening on it (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def self_signed_tls(directory: Path) -> tuple[ssl.SSLContext, str]:
    """A server TLS context for 127.0.0.1 and the path of its certificate (the client's CA)."""
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "standin.crt", directory / "standin.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_text(pem(key))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context, str(cert_path)


def assert_secret_free(error: BaseException, secrets: list[str]) -> None:
    """Neither the message, nor the repr, nor the printed traceback holds a secret."""
    printed = "".join(traceback.format_exception(error))
    for secret in filter(None, secrets):
        for text in (str(error), repr(error), printed, json.dumps(getattr(error, "fields", {}))):
            assert secret not in text, f"a secret leaked into {text[:200]!r}"

"""``GET /metrics``: the Prometheus exposition, for a bearer token or a loopback peer."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic import SecretStr

from keyvex.errors import NotFound, Unauthorized
from keyvex.ops.metrics import exposition
from keyvex.web.deps import AppDep

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request, app: AppDep) -> Response:
    check_access(request, app.settings.metrics_token)
    return Response(await exposition(app), media_type=CONTENT_TYPE_LATEST)


def check_access(request: Request, token: SecretStr | None) -> None:
    """With ``KEYVEX_METRICS_TOKEN`` set, its bearer token is required from anyone; unset,
    only a loopback peer (a Prometheus or agent on the same host) is answered, and everyone
    else is told there is nothing here. The peer is the one uvicorn saw, after the trusted
    proxies of ``KEYVEX_FORWARDED_ALLOW_IPS``, so a request relayed by a local proxy for a
    remote client counts as remote."""
    if token is not None:
        sent = request.headers.get("authorization", "")
        expected = f"Bearer {token.get_secret_value()}"
        if not hmac.compare_digest(sent.encode(), expected.encode()):
            raise Unauthorized("/metrics needs the bearer token of KEYVEX_METRICS_TOKEN.")
        return
    host = request.client.host if request.client else ""
    if not _loopback(host):
        raise NotFound("There is no page at this address.")


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

"""CSRF protection: a random cookie per browser and an HMAC of it in every form."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from keyvex.errors import Forbidden
from keyvex.web.middleware import CSRF_COOKIE, new_csrf_cookie

FIELD = "csrf_token"
HEADER = "x-csrf-token"


def csrf_token(request: Request, secret: str) -> str:
    """The token a form rendered for this browser must send back."""
    state = request.scope.setdefault("state", {})
    state["csrf_used"] = True
    cookie = state.get("csrf_cookie")
    if not cookie:  # made when first needed: most responses render no form
        cookie = state["csrf_cookie"] = new_csrf_cookie()
    return hmac.new(secret.encode(), f"csrf:{cookie}".encode(), hashlib.sha256).hexdigest()


async def verify_csrf(request: Request, secret: str) -> None:
    """Raise Forbidden (403) unless the token sent matches this browser's cookie.

    Forms send it as the ``csrf_token`` field; scripts sending JSON use the
    ``X-CSRF-Token`` header (a cross-site page can set neither).
    """
    sent: object = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get(FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    expected = csrf_token(request, secret)
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise Forbidden(
            "This form could not be verified: it expired or was not sent from this site. "
            "Reload the page and try again."
        )

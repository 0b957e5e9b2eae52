"""CSRF protection: a random cookie per browser and an HMAC of it in every form."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from keyvex.errors import Forbidden
from keyvex.web.middleware import CSRF_COOKIE

FIELD = "csrf_token"


def csrf_token(request: Request, secret: str) -> str:
    """The token a form rendered for this browser must send back."""
    state = request.scope.setdefault("state", {})
    state["csrf_used"] = True
    cookie = state.get("csrf_cookie", "")
    return hmac.new(secret.encode(), f"csrf:{cookie}".encode(), hashlib.sha256).hexdigest()


async def verify_csrf(request: Request, secret: str) -> None:
    """Raise Forbidden (403) unless the form's token matches this browser's cookie."""
    form = await request.form()
    sent = form.get(FIELD)
    cookie = request.cookies.get(CSRF_COOKIE)
    expected = csrf_token(request, secret)
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise Forbidden(
            "This form could not be verified: it expired or was not sent from this site. "
            "Reload the page and try again."
        )

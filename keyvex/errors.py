"""The exception hierarchy every Keyvex domain raises and the web layer renders."""

from __future__ import annotations

from typing import Any


class KeyvexError(Exception):
    """Base of every error meant to reach a person as a sentence.

    ``status`` is the HTTP status the web layer uses; ``title`` a short generic
    heading; the message (``str(exc)``) is the sentence shown. ``fields`` maps a
    field name to its own sentence for form errors.
    """

    status = 500
    title = "Something went wrong"

    def __init__(self, message: str = "", *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message or self.title)
        self.message = message or self.title
        self.fields: dict[str, str] = dict(fields or {})

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        """RFC 9457 problem details for this error."""
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.message,
        }
        if instance:
            body["instance"] = instance
        if self.fields:
            body["errors"] = [{"field": k, "message": v} for k, v in self.fields.items()]
        return body


class Invalid(KeyvexError):
    status = 422
    title = "Invalid input"


class Unauthorized(KeyvexError):
    status = 401
    title = "Sign-in required"


class Forbidden(KeyvexError):
    status = 403
    title = "Forbidden"


class NotFound(KeyvexError):
    status = 404
    title = "Not found"


class Conflict(KeyvexError):
    status = 409
    title = "Conflict"


class Gone(KeyvexError):
    status = 410
    title = "Gone"


class PayloadTooLarge(Invalid):
    status = 413
    title = "Payload too large"


class RateLimited(KeyvexError):
    status = 429
    title = "Too many requests"

    def __init__(self, message: str = "", *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(KeyvexError):
    status = 503
    title = "Service unavailable"


class ConfigError(KeyvexError):
    """Settings that cannot be used; raised at start-up, shown as one line."""

    title = "Configuration error"

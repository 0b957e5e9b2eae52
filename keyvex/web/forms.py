"""Reading HTML form fields as plain strings, and placing a refused form's errors once."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from fastapi import Request

from keyvex.errors import KeyvexError


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    form = await request.form()
    values: dict[str, str] = {}
    for name in names:
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    return values


def safe_next(target: str | None, default: str = "/dashboard") -> str:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


def form_errors(
    exc: KeyvexError,
    shown: Collection[str] | None = None,
    *,
    fields: Mapping[str, str] | None = None,
    banner: str = "error",
    placed: str = "field_errors",
) -> dict[str, Any]:
    """A refused form's errors for its page, each shown once: next to its field, or in the
    banner when it belongs to no field the page shows.

    ``shown`` names the fields the page renders errors beside (None: the page places every
    field error itself, beside a field or in its own list); ``fields`` overrides the
    exception's field errors (a page that maps them onto its inputs first). Returns the
    template context: ``{banner: text or "", placed: {field: message}}``. The exception's
    summary ("Some fields need attention.") is shown only when no field error is.
    """
    errors = dict(exc.fields if fields is None else fields)
    beside = {k: v for k, v in errors.items() if shown is None or k in shown}
    loose = [f"{_words(k)}: {v}" for k, v in errors.items() if k not in beside]
    if loose:
        text = " ".join(loose)
    else:
        text = "" if beside else exc.message
    return {banner: text, placed: beside}


def _words(name: str) -> str:
    text = name.rsplit(".", 1)[-1].replace("_", " ").strip()
    return text[:1].upper() + text[1:]

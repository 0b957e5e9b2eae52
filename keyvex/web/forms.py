"""Reading HTML form fields as plain strings (missing fields become empty strings)."""

from __future__ import annotations

from fastapi import Request


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

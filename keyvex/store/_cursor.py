"""Opaque pagination cursors: the last key a page returned, bound to its partition."""

from __future__ import annotations

import base64
import binascii
import json

from keyvex.errors import Invalid


def encode_cursor(index: str | None, pk: str, position: list[str]) -> str:
    raw = json.dumps([index or "", pk, position], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, index: str | None, pk: str, width: int) -> list[str]:
    """Return the position stored in ``cursor``; refuse one made for another query."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        idx, cpk, position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise Invalid("The pagination cursor is not valid.") from exc
    valid = (
        idx == (index or "")
        and cpk == pk
        and isinstance(position, list)
        and len(position) == width
        and all(isinstance(p, str) for p in position)
    )
    if not valid:
        raise Invalid("The pagination cursor belongs to a different query.")
    return [str(p) for p in position]

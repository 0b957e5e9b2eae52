"""Timestamps as stored: ISO 8601 UTC with microseconds, so they sort as strings."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")

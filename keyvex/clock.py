"""The one clock: epoch seconds and stored timestamps (ISO 8601 UTC with microseconds, so
they sort as strings). Code asks this module, or a clock injected where tests move time
(the job runner, the item store), never ``time.time()`` or ``datetime.now()`` directly.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> float:
    """Seconds since the epoch."""
    return time.time()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")

"""The invalidation bus: typed messages between the parts of an app and across processes.

``app.bus.publish(Invalidate.of(PUBLISHED, slug))`` drops a cache entry in this process at
once and, with ``KEYVEX_REDIS_URL``, in every other process sharing the Redis; call sites do
not branch on the mode. See ``keyvex.bus.remote`` for delivery and reconnection.
"""

from keyvex.bus.connect import check_redis, check_redis_settings, follow, open_bus, redacted
from keyvex.bus.local import Bus
from keyvex.bus.messages import Appended, Invalidate, Message, Reset

__all__ = [
    "Appended",
    "Bus",
    "Invalidate",
    "Message",
    "Reset",
    "check_redis",
    "check_redis_settings",
    "follow",
    "open_bus",
    "redacted",
]

"""Visitor analytics: events as daily per-tool counters, bot filtering, funnel statistics."""

from keyvex.analytics._bots import is_bot
from keyvex.analytics._stats import MAX_RANGE_DAYS, tool_stats
from keyvex.analytics._visits import VIEW_WINDOW_SECONDS
from keyvex.analytics.service import (
    EVENTS,
    MAX_STEP,
    count,
    count_op,
    counter_name,
    over_event_limit,
    record_converted_visit,
    record_event,
    stat_key,
    view_already_counted,
)

__all__ = [
    "EVENTS",
    "MAX_RANGE_DAYS",
    "MAX_STEP",
    "VIEW_WINDOW_SECONDS",
    "count",
    "count_op",
    "counter_name",
    "is_bot",
    "over_event_limit",
    "record_converted_visit",
    "record_event",
    "stat_key",
    "tool_stats",
    "view_already_counted",
]

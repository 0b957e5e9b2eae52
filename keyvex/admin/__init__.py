"""The operators' area: AI usage figures, users, system health and the audit log.

Service functions other domains may call (alerts read the usage figures):
``usage_summary(app, start, end)`` returns a :class:`UsageSummary` of :class:`Figures`.
The pages and API routes live in ``keyvex.admin.pages`` and ``keyvex.admin.routes``; this
package is also a Jinja template package, so importing it stays free of the web layer.
"""

from keyvex.admin.figures import Figures, latency_percentile
from keyvex.admin.usage import Row, Spender, ToolCost, UsageSummary, usage_summary

__all__ = [
    "Figures",
    "Row",
    "Spender",
    "ToolCost",
    "UsageSummary",
    "latency_percentile",
    "usage_summary",
]

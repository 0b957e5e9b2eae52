"""How well a co-created tool fits the brief it was built from, for pages outside /create.

The fit is judged when /create builds or changes the tool and kept on the session
(``Session.fit``, ``keyvex.knowledge.Fit.as_json``), next to the version it was judged for; the
tool page finds it through the creator's sessions that made the tool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from keyvex.accounts import User
from keyvex.app import App
from keyvex.store import SK

LEVELS = {"high": "High", "medium": "Medium", "low": "Low"}


@dataclass(frozen=True)
class BriefFit:
    """The fit of the tool's last AI-built version to its brief."""

    level: str
    brief: str
    session_id: str
    version: int | None
    covered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def level_text(self) -> str:
        return LEVELS.get(self.level, self.level.capitalize())


def _fit_of(item: dict[str, Any]) -> BriefFit | None:
    fit = item.get("fit")
    if not isinstance(fit, dict) or not fit.get("level"):
        return None
    return BriefFit(
        level=str(fit["level"]),
        brief=str(item.get("brief", "")),
        session_id=str(item.get("session_id", "")),
        version=item.get("tool_version"),
        covered=[str(t) for t in fit.get("covered") or []],
        missing=[str(t) for t in fit.get("missing") or []],
    )


async def tool_fit(app: App, user: User, tool_id: str) -> BriefFit | None:
    """The fit to the brief of the user's newest session that built ``tool_id``; None for a
    tool not made at /create from a brief (templates, imports, data-source tools)."""
    newest: dict[str, Any] | None = None
    async for item in app.store.query_all(f"USER#{user.id}", SK.begins_with("SESSION#")):
        if item.get("tool_id") != tool_id:
            continue
        if newest is None or str(item.get("updated_at", "")) > str(newest.get("updated_at", "")):
            newest = item
    return _fit_of(newest) if newest else None

"""Small edits from the tool page (title and description, theme colours): each is parsed,
verified and saved as a new version, or refused with every problem named."""

from __future__ import annotations

from typing import Any

from anyio import to_thread

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.errors import Invalid
from keyvex.tools import ToolValidationError, parse_tool, verify
from keyvex.tools.service import StoredTool, get_tool, update_tool

THEME_COLOURS = (
    ("primary", "Buttons and highlights"),
    ("button_text", "Text on buttons"),
    ("background", "Page background"),
    ("surface", "Cards and fields"),
    ("text", "Text"),
    ("muted_text", "Secondary text"),
    ("accent", "Accent"),
)


async def _save(
    app: App, user: User, tool_id: str, version: str, change: dict[str, Any], note: str
) -> StoredTool:
    tool = await get_tool(app, user, tool_id)
    data = tool.definition.model_dump(mode="json")
    for key, value in change.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    try:
        definition = parse_tool(data)
    except ToolValidationError as exc:
        raise Invalid(exc.message, fields=exc.fields) from None
    report = await to_thread.run_sync(verify, definition)
    if report.errors:
        raise Invalid(
            f"Not saved: verification found {len(report.errors)} error(s).",
            fields={issue.path or issue.code: issue.message for issue in report.errors},
        )
    expected = int(version) if version.isdigit() else None
    return await update_tool(app, user, tool_id, definition, expected_version=expected, note=note)


async def save_details(
    app: App, user: User, tool_id: str, version: str, title: str, description: str
) -> StoredTool:
    """A new version with another title and description."""
    change = {"title": title.strip(), "description": description.strip()}
    return await _save(app, user, tool_id, version, change, "Changed title and description")


async def save_theme(
    app: App, user: User, tool_id: str, version: str, colours: dict[str, str]
) -> StoredTool:
    """A new version with other theme colours (contrast is checked by verification)."""
    wanted = {name: colours[name].strip() for name, _ in THEME_COLOURS if colours.get(name)}
    return await _save(app, user, tool_id, version, {"theme": wanted}, "Changed theme colours")

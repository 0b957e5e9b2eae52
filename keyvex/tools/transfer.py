"""Moving tools between accounts and sites: a JSON export (definition, tests, theme; no leads)
and an import that validates and verifies before anything is stored."""

from __future__ import annotations

import json
from typing import Any

from anyio import to_thread

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.errors import Invalid
from keyvex.tools._parse import parse_tool
from keyvex.tools._verify import verify
from keyvex.tools.service import StoredTool, create_tool, get_tool

FORMAT = "keyvex-tool"
FORMAT_VERSION = 1


async def export_tool(app: App, user: User, tool_id: str) -> dict[str, Any]:
    tool = await get_tool(app, user, tool_id)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now_iso(),
        "definition": tool.definition.model_dump(mode="json"),
    }


def _definition_of(data: Any) -> Any:
    """Accept an export document, or a bare definition."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise Invalid(f"The file is not valid JSON: {exc}.") from None
    if isinstance(data, dict) and data.get("format") == FORMAT:
        if data.get("format_version") != FORMAT_VERSION:
            raise Invalid(f"Export format version {data.get('format_version')!r} is not supported.")
        return data.get("definition")
    return data


async def import_tool(app: App, user: User, data: Any) -> StoredTool:
    """Create a tool from an export; every schema and verification problem is named."""
    definition = parse_tool(_definition_of(data))
    report = await to_thread.run_sync(verify, definition)
    if report.errors:
        raise Invalid(
            f"The imported tool has {len(report.errors)} problem(s); nothing was imported.",
            fields={issue.path or issue.code: issue.message for issue in report.errors},
        )
    return await create_tool(app, user, definition, note="Imported")

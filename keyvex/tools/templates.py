"""The built-in template library: complete, verified tool definitions stored as JSON."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from keyvex.errors import NotFound
from keyvex.tools._parse import ToolValidationError, parse_tool
from keyvex.tools.definition import ToolDefinition


class TemplateNotFound(NotFound):
    title = "Template not found"


def list_templates() -> list[ToolDefinition]:
    """Every template, sorted by id (copies: callers may change them freely)."""
    return [tool.model_copy(deep=True) for tool in _load_all().values()]


def template_ids() -> list[str]:
    return list(_load_all())


def get_template(template_id: str) -> ToolDefinition:
    """One template by id (a copy); raises TemplateNotFound."""
    tool = _load_all().get(template_id)
    if tool is None:
        raise TemplateNotFound(f"There is no template called '{template_id}'.")
    return tool.model_copy(deep=True)


@cache
def _load_all() -> dict[str, ToolDefinition]:
    folder = resources.files("keyvex.tools").joinpath("templates")
    tools: dict[str, ToolDefinition] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            tool = parse_tool(json.loads(entry.read_text(encoding="utf-8")))
        except ToolValidationError as exc:
            raise RuntimeError(f"Template {entry.name} is invalid: {exc.message}") from None
        if tool.id in tools:
            raise RuntimeError(f"Template id '{tool.id}' is used twice ({entry.name}).")
        tools[tool.id] = tool
    return dict(sorted(tools.items()))

"""The visual tool editor's service: the page's choices, and saving a posted draft.

A draft is the whole ToolDefinition as the editor's script serialises it. Saving parses and
verifies it like every other edit and stores a new version guarded by the version the page
was loaded from. Errors come back as ``{path, message}`` with paths written the way the
editor names its fields (``inputs.2.options.0.label``). Removing an input, constant,
calculation or category that formulas, texts or blocks still use is refused, naming them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread

from keyvex import formula
from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.dashboard._builder_cases import rerecord
from keyvex.dashboard._builder_prune import named, prune
from keyvex.dashboard._save_report import editor_path, save_report
from keyvex.errors import Conflict, Invalid
from keyvex.tools import (
    FONT_STACKS,
    ToolDefinition,
    ToolValidationError,
    block_refs,
    formulas_of,  # the same walk verification uses
    parse_tool,
    texts,
    verify,
)
from keyvex.tools.formula_check import function_help
from keyvex.tools.service import StoredTool, create_tool, get_tool, update_tool

CHANGED_MEANWHILE = (
    "Not saved: this tool was changed meanwhile (in another tab or by a restore). "
    "Reload the page to edit the current version, then make your change again."
)
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
MAX_DRAFT_BYTES = 900_000


class DraftRefused(Invalid):
    """A draft that cannot be saved: ``errors`` are ``{path, message}`` in editor paths;
    ``removed`` lists removed names still in use (with what a constant could replace)."""

    def __init__(
        self,
        message: str,
        errors: list[dict[str, str]],
        removed: list[dict[str, Any]] | None = None,
        results_changed: bool = False,
        summary: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, fields={e["path"]: e["message"] for e in errors})
        self.errors = errors
        self.removed = removed or []
        self.results_changed = results_changed
        #: For a verification refusal: root problems, failing test cases, follow-on failures.
        self.summary = summary or {}


@dataclass
class Saved:
    """A saved draft: the stored tool and how many warnings verification left."""

    tool: StoredTool
    warnings: int

    @property
    def message(self) -> str:
        text = (
            f"Saved as version {self.tool.version}. Publish it from the tool page to put it live."
        )
        if self.warnings:
            plural = "s" if self.warnings != 1 else ""
            text += f" Checks left {self.warnings} warning{plural} (listed on the tool page)."
        return text


@dataclass
class Removal:
    """A name the draft removes although something still uses it."""

    name: str
    kind: str
    default: float | str | bool = 0
    label: str = ""
    used_by: list[str] = field(default_factory=list)


INPUT_TYPES = (
    ("number", "Number"), ("currency", "Money amount"), ("percent", "Percentage"),
    ("slider", "Slider"), ("select", "Drop-down list"), ("radio", "Single choice"),
    ("multiselect", "Multiple choice"), ("yes_no", "Yes / no"), ("text", "Short text"),
    ("email", "Email address"), ("date", "Date"),
)  # fmt: skip
BLOCK_TYPES = (
    ("headline", "Headline"), ("metric", "Figure"), ("text", "Text"), ("chart", "Chart"),
    ("outcome", "Outcome"), ("recommendations", "Recommendations"),
    ("cta", "Call to action"), ("table_recommendations", "Recommendations from a table"),
)  # fmt: skip
LEAD_MODES = (
    ("off", "Off: never ask"),
    ("before_results", "Before the results"),
    ("after_results", "After the results (optional)"),
    ("teaser", "Teaser: show the headline, unlock the rest"),
)


def editor_choices() -> dict[str, Any]:
    """The lists the editor's drop-downs offer."""
    return {
        "input_types": INPUT_TYPES,
        "block_types": BLOCK_TYPES,
        "lead_modes": LEAD_MODES,
        "lead_field_types": ("email", "text", "tel", "name", "company"),
        "formats": ("number", "currency", "percent", "date"),
        "charts": ("bar", "gauge", "donut", "radar"),
        "kinds": ("calculator", "quiz", "assessment"),
        "fonts": tuple(FONT_STACKS),
        "functions": function_help(),
    }


def _uses(tool: ToolDefinition) -> list[tuple[str, set[str]]]:
    """(editor path, names read) of every formula, placeholder text and block reference."""
    found: list[tuple[str, set[str]]] = []
    for path, source, _known in formulas_of(tool):
        if path.startswith("tables"):
            continue  # binding filters read table columns, not tool names
        try:
            found.append((editor_path(path), set(formula.compile(source).names)))
        except formula.FormulaError:
            found.append((editor_path(path), set(re.findall(r"[A-Za-z_]\w*", source))))
    found += [(editor_path(p), set(PLACEHOLDER.findall(t))) for p, t in texts(tool)]
    found += [(editor_path(p), {name}) for p, name in block_refs(tool)]
    return found


def _describe(tool: ToolDefinition, path: str) -> str:
    """A person's name for the part at an editor path ("calculation 'Net gain'")."""
    parts = path.split(".")
    index = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1
    if parts[0] == "calculations" and index >= 0:
        calc = tool.calculations[index]
        return f"calculation '{calc.label or calc.id}'"
    if parts[0] == "outcomes" and index >= 0:
        return f"outcome '{tool.outcomes[index].title}'"
    if parts[0] == "inputs" and index >= 0:
        return f"the 'show when' rule of '{tool.inputs[index].label or tool.inputs[index].id}'"
    if parts[0] == "results" and index >= 0:
        return f"result block {index + 1} ({tool.results[index].type})"
    if parts[0] == "scoring":
        return "a category's advice"
    return path


def removals_in_use(old: dict[str, Any], tool: ToolDefinition) -> list[Removal]:
    """Names the old definition had, the draft lacks, and the draft still uses."""
    before, after = named(old), named(tool.model_dump(mode="json"))
    removed = {name: entry for name, entry in before.items() if name not in after}
    found: dict[str, Removal] = {}
    for path, names in _uses(tool):
        for name in sorted(names & set(removed)):
            kind, item = removed[name]
            entry = found.setdefault(name, _removal(name, kind, item))
            where = _describe(tool, path)
            if where not in entry.used_by:
                entry.used_by.append(where)
    return list(found.values())


def _removal(name: str, kind: str, item: dict[str, Any]) -> Removal:
    default = item.get("default", item.get("value"))
    if not isinstance(default, int | float | str | bool) or default == "":
        default = 0
    label = str(item.get("label") or item.get("title") or name)
    return Removal(name, kind, default, label)


def _refuse_removals(tool: ToolDefinition, removals: list[Removal]) -> None:
    errors: list[dict[str, str]] = []
    sentences = []
    for removal in removals:
        kind = "question" if removal.kind == "input" else removal.kind
        sentences.append(
            f"'{removal.name}' ({kind} '{removal.label}') is still used by "
            f"{', '.join(removal.used_by)}."
        )
    for path, names in _uses(tool):
        hit = sorted(names & {r.name for r in removals})
        if hit:
            quoted = ", ".join(f"'{n}'" for n in hit)
            errors.append({"path": path, "message": f"Uses {quoted}, which this change removes."})
    message = (
        "Not saved: " + " ".join(sentences) + " Change those first, or replace what you removed "
        "with a constant."
    )
    removed = [
        {"name": r.name, "kind": r.kind, "label": r.label, "default": r.default,
         "used_by": r.used_by}
        for r in removals
    ]  # fmt: skip
    raise DraftRefused(message, errors, removed)


def _parse(draft: dict[str, Any]) -> ToolDefinition:
    try:
        return parse_tool(draft)
    except ToolValidationError as exc:
        errors = [{"path": editor_path(e["path"]), "message": e["message"]} for e in exc.errors]
        count = len(errors)
        raise DraftRefused(
            f"Not saved: {count} problem{'s' if count != 1 else ''} to fix.", errors
        ) from None


async def _verified(tool: ToolDefinition) -> int:
    """The number of warnings, or DraftRefused worded for the creator (``_save_report``)."""
    report = await to_thread.run_sync(verify, tool)
    if not report.errors:
        return len(report.warnings)
    refusal = await to_thread.run_sync(save_report, tool, report.errors)
    raise DraftRefused(
        refusal.detail,
        refusal.errors,
        results_changed=refusal.results_changed,
        summary=refusal.problem(),
    )


async def save_draft(
    app: App,
    user: User,
    tool_id: str,
    version: object,
    draft: object,
    update_tests: bool = False,
) -> Saved:
    """Parse, check removals, verify and save the draft as a new version (``update_tests``:
    the creator confirmed that test cases should expect the edited tool's results)."""
    stored = await get_tool(app, user, tool_id)
    if not isinstance(draft, dict):
        raise DraftRefused("Not saved: the editor sent no tool.", [])
    if not isinstance(version, int) or isinstance(version, bool):
        raise DraftRefused("Not saved: the editor did not say which version it edited.", [])
    if version != stored.version:
        raise Conflict(f"{CHANGED_MEANWHILE} (now version {stored.version})")
    old = stored.definition.model_dump(mode="json")
    draft = {**draft, "id": old["id"], "schema_version": old["schema_version"]}
    prune(old, draft)
    tool = _parse(draft)
    removals = removals_in_use(old, tool)
    if removals:
        _refuse_removals(tool, removals)
    note = "Edited in the editor"
    if update_tests:
        tool = await to_thread.run_sync(rerecord, tool)
        note += "; test cases updated to its results"
    warnings = await _verified(tool)
    try:
        stored = await update_tool(app, user, tool_id, tool, expected_version=version, note=note)
    except Conflict:
        raise Conflict(CHANGED_MEANWHILE) from None
    return Saved(stored, warnings)


BLANK_TOOL: dict[str, Any] = {
    "id": "new-tool",
    "title": "New tool",
    "description": "",
    "kind": "calculator",
    "inputs": [
        {"id": "amount", "type": "number", "label": "Amount", "default": 100, "min": 0,
         "max": 1_000_000}
    ],
    "results": [{"type": "headline", "text": "You entered {{amount}}."}],
}  # fmt: skip


async def create_blank(app: App, user: User) -> StoredTool:
    """A new draft tool with one question and a headline, to build on in the editor."""
    return await create_tool(app, user, parse_tool(BLANK_TOOL), note="Started from scratch")

"""Parsing tool definitions with path-named, readable errors, and the JSON Schema export."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from keyvex.errors import Invalid
from keyvex.tools._common import (
    COLOR_PATTERN,
    CURRENCY_PATTERN,
    ID_PATTERN,
    SLUG_PATTERN,
    StructureError,
)
from keyvex.tools.definition import ToolDefinition

BLOCK_TAGS = frozenset({"headline", "metric", "text", "chart", "outcome", "recommendations", "cta"})
UNION_MEMBERS = frozenset({"float", "str", "bool", "int", "none", "list"})
PATTERN_SENTENCES = {
    ID_PATTERN: "must start with a letter or underscore and use only letters, digits and _.",
    SLUG_PATTERN: "must be lowercase letters, digits and single hyphens, like 'roi-calculator'.",
    COLOR_PATTERN: "must be a colour written #rrggbb, like #1d4ed8.",
    CURRENCY_PATTERN: "must be a three-letter currency code, like USD.",
}
SIMPLE_SENTENCES = {
    "missing": "is required.",
    "extra_forbidden": "is not a known field.",
    "float_parsing": "must be a number.",
    "float_type": "must be a number.",
    "finite_number": "must be a finite number.",
    "int_parsing": "must be a whole number.",
    "int_type": "must be a whole number.",
    "int_from_float": "must be a whole number.",
    "bool_parsing": "must be true or false.",
    "bool_type": "must be true or false.",
    "string_type": "must be text.",
    "list_type": "must be a list.",
    "dict_type": "must be an object.",
    "model_type": "must be an object.",
    "model_attributes_type": "must be an object.",
    "union_tag_not_found": "needs a 'type'.",
}


class ToolValidationError(Invalid):
    """A definition that does not validate; ``errors`` lists {"path", "message"} dicts."""

    title = "Invalid tool definition"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        first = errors[0] if errors else {"path": "", "message": "is invalid."}
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(
            f"{_join(first['path'], first['message'])}{more}",
            fields={e["path"] or "definition": e["message"] for e in errors},
        )


def parse_tool(data: dict[str, Any] | str | bytes) -> ToolDefinition:
    """Validate a definition given as a dict or JSON text; raise ToolValidationError."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ToolValidationError(
                [{"path": "", "message": f"is not valid JSON: {exc}."}]
            ) from None
    if not isinstance(data, dict):
        raise ToolValidationError([{"path": "", "message": "must be a JSON object."}])
    try:
        return ToolDefinition.model_validate(data)
    except ValidationError as exc:
        raise ToolValidationError(readable_errors(exc)) from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ToolDefinition."""
    schema = ToolDefinition.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://keyvex.dev/schema/tool-definition-v1.json"
    return schema


def readable_errors(exc: ValidationError) -> list[dict[str, str]]:
    """One {"path", "message"} per problem, union variants folded into one sentence."""
    out: dict[str, str] = {}
    for error in exc.errors():
        base = loc_to_path(error["loc"])
        for path, message in _expand(base, error):
            if path in out and out[path] != message:
                if "wrong kind of value" not in out[path]:
                    out[path] = "has the wrong kind of value for this field."
            else:
                out[path] = message
    return [{"path": path, "message": message} for path, message in out.items()]


def loc_to_path(loc: tuple[int | str, ...]) -> str:
    """('inputs', 2, 'options', 0, 'points') -> 'inputs[2].options[0].points'."""
    path = ""
    parts = list(loc)
    for index, part in enumerate(parts):
        if isinstance(part, int):
            path += f"[{part}]"
            continue
        previous = parts[index - 2] if index >= 2 else None
        if previous == "results" and isinstance(parts[index - 1], int) and part in BLOCK_TAGS:
            continue
        if part in UNION_MEMBERS or "[" in part:
            continue
        path += f".{part}" if path else part
    return path


def _expand(base: str, error: ErrorDetails) -> list[tuple[str, str]]:
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, StructureError):
        return [(_join_path(base, path), _sentence(message)) for path, message in cause.issues]
    return [(base, _message(error))]


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in SIMPLE_SENTENCES:
        return SIMPLE_SENTENCES[kind]
    if kind == "string_pattern_mismatch":
        return PATTERN_SENTENCES.get(str(ctx.get("pattern")), "has an invalid format.")
    if kind in {"string_too_short", "too_short"}:
        least = ctx.get("min_length", 1)
        if kind == "string_too_short":
            return "must not be empty." if least == 1 else f"must be at least {least} characters."
        return f"needs at least {least} item{'s' if least != 1 else ''}."
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters."
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected')}."
    if kind == "union_tag_invalid":
        return f"'{ctx.get('tag')}' is not a known type; use one of: {ctx.get('expected_tags')}."
    bounds = {"greater_than": "greater than", "greater_than_equal": "at least"}
    bounds |= {"less_than": "less than", "less_than_equal": "at most"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        return f"must be {bounds[kind]} {limit}."
    if kind == "value_error":
        return _sentence(str(ctx.get("error", error["msg"])))
    return _sentence(error["msg"])


def _sentence(text: str) -> str:
    text = text.removeprefix("Value error, ").strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _join_path(base: str, path: str) -> str:
    if not base:
        return path
    return f"{base}{path}" if path.startswith("[") else f"{base}.{path}"


def _join(path: str, message: str) -> str:
    return f"{path}: {message}" if path else f"The definition {message}"

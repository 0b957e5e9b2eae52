"""Offline edit: removing a question; one that formulas read needs a value to keep instead."""

from __future__ import annotations

import re
from typing import Any

from keyvex import formula
from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import (
    Change,
    Data,
    changed,
    plural,
    quote_list,
    rebased,
    rebaseline,
    refuse,
)
from keyvex.ai.planner._edit_order import renumber_steps
from keyvex.ai.planner._request import (
    Request,
    find_input,
    label_of,
    parse_number,
)
from keyvex.tools import Input, ToolDefinition

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
REMOVE_VERBS = ("remove", "delete", "drop", "hide", "cut", "lose", "get", "take", "kill")
REPLACEMENT = re.compile(
    r"\s*(?:,\s*)?(?:\band\s+|\bbut\s+|\bthen\s+)?(?:just\s+|simply\s+|instead\s+)?"
    r"\b(?:use|using|replace(?:d)?\s+(?:it\s+)?"
    r"(?:with|by)|keep(?:ing)?\s+(?:it\s+|its value\s+|the value\s+)?(?:at|as)|"
    r"set(?:ting)?\s+(?:it\s+|its value\s+)?(?:to|at)|fix(?:ed|ing)?\s+(?:it\s+)?(?:at|to)|"
    r"assume|assuming|treat(?:ing)?\s+it\s+as|make\s+it\s+(?:a\s+)?(?:constant\s+)?(?:of\s+)?|"
    r"(?:with|as)\s+(?:a\s+)?(?:fixed|constant)\s+(?:value\s+)?(?:of\s+)?|with\s+(?:a\s+)?"
    r"value\s+of|(?:it\s+)?(?:always\s+)?(?:equals?|=)|default(?:ing)?\s+to)\s+(?P<value>.+?)"
    r"(?:\s+(?:instead|in its place|everywhere|for (?:it|that|everyone|all|every\w*)))*\s*$",
    re.IGNORECASE,
)


def remove_input_edit(tool: ToolDefinition, request: Request) -> Change | None:
    words = request.unquoted.split()
    if request.verb not in REMOVE_VERBS or (request.verb in ("get", "take") and not _rid(words)):
        return None
    phrase = re.sub(
        r"^(?:remove|delete|drop|hide|cut|lose|kill|get rid of|take (?:out|away|off))\s+",
        "",
        request.raw,
        flags=re.IGNORECASE,
    )
    replacement = REPLACEMENT.search(phrase)
    value_text = replacement.group("value").strip() if replacement else None
    if replacement:
        phrase = phrase[: replacement.start()]
    several = _several(phrase, tool)
    if several and value_text is None:
        return _remove_several(tool, several)
    item = find_input(phrase, tool)
    assert item is not None
    return remove(tool, item, value_text, phrase.strip())


def _several(phrase: str, tool: ToolDefinition) -> list[Input]:
    """'the extra revenue question and the cost savings one', 'questions 2 and 3'."""
    parts = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", phrase.strip()) if p]
    if len(parts) < 2:
        return []
    parts = [f"question {p}" if p.strip().isdigit() else p for p in parts]
    try:
        found = [find_input(p, tool) for p in parts]
    except NeedsModel:
        return []
    items = [i for i in found if i is not None]
    return items if len({i.id for i in items}) == len(parts) else []


def _remove_several(tool: ToolDefinition, items: list[Input]) -> Change:
    current, done = tool, []
    for item in items:
        change = remove(current, current.input(item.id), None, f"'{item.label}'")
        current = change.tool
        done.append(change.done)
    return Change(current, " ".join(done))


def _rid(words: list[str]) -> bool:
    return words[1:3] == ["rid", "of"] or words[1:2] in (["out"], ["away"], ["off"])


def remove(tool: ToolDefinition, item: Input, value_text: str | None, said: str = "") -> Change:
    """Remove a question; one that formulas read needs a value to keep in its place."""
    if len(tool.inputs) == 1:
        raise refuse(
            "A tool needs at least one question, so the last one cannot be removed.", "replace it"
        )
    uses = uses_of(tool, item.id)
    name = label_of(item, tool)
    if uses and value_text is None:
        example = _example_value(item)
        raise NeedsModel(
            f"I did not remove {name}: {quote_list(uses)} "
            f"{'uses' if len(uses) == 1 else 'use'} it, and without it "
            f"{'that formula has' if len(uses) == 1 else 'those formulas have'} no value. "
            f"Say what to use instead (e.g. 'remove {said or item.id} and use {example} "
            "instead'), or open the editor (Edit tool) to change those formulas first."
        )
    if uses:
        assert value_text is not None
        value, shown = constant_value(item, value_text)
        result, count = rebaseline(input_to_constant(tool, item.id, value))
        listed = quote_list(uses)
        cases = f" Updated {plural(count, 'test case')} for the fixed value." if count else ""
        return Change(
            result,
            f"Removed {name}; {listed} now read{'s' if len(uses) == 1 else ''} "
            f"the constant {item.id} = {shown} instead.{cases}",
        )
    result = drop_input(tool, item.id)
    note = " Nothing used it, so no constant was needed." if value_text else ""
    result, count = rebased(result)
    cases = f" Updated {plural(count, 'test case')} for the new scores." if count else ""
    return Change(result, f"Removed {name}.{note}{cases}")


def _example_value(item: Input) -> str:
    value = item.default
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:g}" + ("%" if item.type == "percent" else "")
    return "a value"


def uses_of(tool: ToolDefinition, input_id: str) -> list[str]:
    """Names of the formulas and texts that read an input."""
    found: list[str] = []
    sources = [(f"{c.label or c.id} ({c.id})", c.formula) for c in tool.calculations]
    sources += [(f"the condition of outcome '{o.title}'", o.condition or "") for o in tool.outcomes]
    sources += [(f"when {i.id} is shown", i.visible_if or "") for i in tool.inputs]
    for name, source in sources:
        if source and input_id in _names(source):
            found.append(name)
    for where, text in _texts(tool):
        if input_id in PLACEHOLDER.findall(text):
            found.append(where)
    for index, block in enumerate(tool.results):
        refs = [getattr(block, "value", None), *getattr(block, "series", [])]
        refs += [f.value for f in getattr(block, "filters", [])]
        if input_id in refs or any(input_id in _names(r) for r in refs[2:] if r):
            found.append(f"result block {index + 1} ({block.type})")
    return list(dict.fromkeys(found))


def _texts(tool: ToolDefinition) -> list[tuple[str, str]]:
    """(where, text) of every text a visitor sees that may hold {{placeholders}}."""
    found = []
    for index, block in enumerate(tool.results):
        for key in ("text", "subtext", "description"):
            text = getattr(block, key, None)
            if isinstance(text, str):
                found.append((f"the {block.type} text (result block {index + 1})", text))
    for outcome in tool.outcomes:
        for text in (outcome.description, *outcome.recommendations):
            found.append((f"the text of outcome '{outcome.title}'", text))
    for category in tool.scoring.categories if tool.scoring else []:
        found.append((f"the advice of category '{category.title}'", category.recommendation))
    return found


def _names(source: str) -> frozenset[str]:
    try:
        return formula.compile(source).names
    except formula.FormulaError:
        return frozenset()


def constant_value(item: Input, text: str) -> tuple[float | str | bool, str]:
    """The creator's value for a removed question, as formulas see it, and as said."""
    said = text.strip().strip("'\"“”‘’").rstrip(".")
    lowered = said.lower()
    if item.type == "multiselect":
        raise refuse(
            f"'{item.label}' is a multiple choice; a constant cannot hold a list.",
            "change the formulas that read it",
        )
    if item.type == "yes_no":
        if lowered in ("yes", "true", "y", "on"):
            return True, "yes"
        if lowered in ("no", "false", "n", "off"):
            return False, "no"
    if item.options:
        for option in item.options:
            if lowered in (option.value.lower(), option.label.lower()):
                return option.value, f"'{option.label}'"
        labels = quote_list([o.label for o in item.options])
        raise NeedsModel(f"'{said}' is not one of the answers of '{item.label}' ({labels}).")
    number = re.search(r"[-−]?\d[\d,]*(?:\.\d+)?\s*[kK]?%?", said)
    if number is None:
        if item.type in ("text", "date"):
            return said, f"'{said}'"
        raise NeedsModel(f"'{said}' is not a number, and '{item.label}' needs one.")
    value = parse_number(number.group())
    if item.type == "percent":
        return value / 100, f"{value:g}%"
    return value, f"{value:g}"


def remove_input(
    tool: ToolDefinition, input_id: str, value: float | str | bool | None = None
) -> ToolDefinition:
    """The tool without a question. One that formulas or texts read needs ``value`` (it
    becomes a constant of the same id); without one NeedsModel names what reads it."""
    item = tool.input(input_id)
    if isinstance(value, bool):
        said: str | None = "yes" if value else "no"
    else:
        said = None if value is None else str(value)
    return remove(tool, item, said).tool


def drop_input(tool: ToolDefinition, input_id: str) -> ToolDefinition:
    """The tool without the input (its steps and test-case answers too); no constant."""

    def update(data: Data) -> None:
        data["inputs"] = [i for i in data["inputs"] if i["id"] != input_id]
        _drop_from_steps_and_cases(data, input_id, None)

    return changed(tool, update)


def input_to_constant(
    tool: ToolDefinition, input_id: str, value: float | str | bool | None = None
) -> ToolDefinition:
    """Replace an input by a constant (the given value, else its default) formulas read."""
    item = tool.input(input_id)
    keep_cases = value is None
    if value is None:
        answer: Any = item.default
        if answer is None:
            answer = (
                item.min if item.min is not None else (item.options[0].value if item.options else 0)
            )
        if isinstance(answer, list):
            raise NeedsModel(f"'{item.label}' is a multiple choice; removing it needs an AI model.")
        value = (
            answer / 100 if item.type == "percent" and isinstance(answer, int | float) else answer
        )
        kept: Any = value * 100 if item.type == "percent" and isinstance(value, float) else value
    else:
        kept = None  # the creator chose the value: cases are brought up to date by rebaseline

    def update(data: Data) -> None:
        data["inputs"] = [i for i in data["inputs"] if i["id"] != input_id]
        data["constants"].append({"id": input_id, "value": value, "label": item.label})
        _drop_from_steps_and_cases(
            data, input_id, kept if keep_cases else None, keep_all=not keep_cases
        )

    return changed(tool, update)


def _drop_from_steps_and_cases(
    data: Data, input_id: str, kept: Any, *, keep_all: bool = False
) -> None:
    for step in data["steps"]:
        step["inputs"] = [i for i in step["inputs"] if i != input_id]
    data["steps"] = [s for s in data["steps"] if s["inputs"]]
    renumber_steps(data)
    cases = []
    for case in data["test_cases"]:
        answer = case["answers"].pop(input_id, None)
        if not keep_all and kept is not None and answer is not None and answer != kept:
            continue  # its expected values assumed another answer
        cases.append(case)
    data["test_cases"] = cases

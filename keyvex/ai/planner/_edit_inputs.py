"""Offline edits of questions: add, remove (or replace by a constant), rename, fields."""

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
    rebaseline,
    refuse,
)
from keyvex.ai.planner._edit_order import insert_input, placement, renumber_steps
from keyvex.ai.planner._new_input import (
    as_label,
    default_options,
    infer_type,
    knowledge_needs_options,
    number_fields,
    option_list,
    options_segment,
    subject_of,
)
from keyvex.ai.planner._request import (
    Request,
    content_words,
    display_order,
    find_input,
    label_of,
    new_id,
    parse_number,
    quoted_texts,
)
from keyvex.tools import Input, ToolDefinition
from keyvex.tools._names import PLACEHOLDER_PATTERN, texts

ADD_VERBS = ("add", "insert", "include", "create", "append", "new", "ask")
REMOVE_VERBS = ("remove", "delete", "drop", "hide", "cut", "lose", "get", "take", "kill")
NOT_QUESTIONS = (
    "option",
    "options",
    "answer option",
    "choice",
    "choices",
    "chart",
    "graph",
    "call to action",
    "cta",
    "button",
    "link",
    "recommendation",
    "recommendations",
    "advice",
    "tip",
    "tips",
    "headline",
    "tier",
    "outcome",
    "category",
    "email",
    "lead capture",
    "constant",
    "formula",
    "calculation",
    "logo",
    "image",
    "step",
    "page",
    "section",
    "test case",
)
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
RENAME = re.compile(
    r"^(?:rename|relabel|reword|rephrase|retitle|call|change|set|update|edit|make)\b\s*"
    r"(?P<target>.*?)\s*(?:\b(?:to|as|into|so it reads|to read|to say|with)\b:?|:)\s*"
    r"(?P<new>['\"“‘].+|[^'\"“‘]+)$",
    re.IGNORECASE,
)
SHOULD_SAY = re.compile(
    r"^(?P<target>.+?)\s+(?:should|must|could|needs to|has to)\s+(?:say|read|be called|be "
    r"labell?ed|be worded|ask|be)\s*:?\s*(?P<new>['\"“‘].+)$",
    re.IGNORECASE,
)
FIELD_WORDS = {
    "help": ("help", "help text", "hint", "explanation", "tooltip", "description"),
    "placeholder": ("placeholder",),
    "unit": ("unit", "units"),
    "label": ("label", "wording", "text", "title", "name", "question text"),
}


def add_input_edit(tool: ToolDefinition, request: Request) -> Change | None:
    if request.verb not in ADD_VERBS or _names_other_thing(request):
        return None
    rest, items = options_segment(request.raw)
    subject = subject_of(rest)
    if not subject or not content_words(subject):
        raise refuse(
            "Say what the new question asks, e.g. 'add a question about number of locations'.",
            "add a question by hand",
        )
    kind = infer_type(request, subject, items)
    new = _new_input(tool, request, subject, kind, items)
    existing = next((i for i in tool.inputs if i.label.lower() == new["label"].lower()), None)
    if existing is not None:
        return Change(tool, "", f"There is already {label_of(existing, tool)}.")
    taken = {i.id for i in tool.inputs} | {c.id for c in tool.constants}
    taken |= {c.id for c in tool.calculations} | set(tool.categories)
    new["id"] = new_id(subject if not quoted_texts(subject) else new["label"], taken)
    index = placement(request, tool, _default_place(tool, new))
    answers = case_answers(tool, new)

    def update(data: Data) -> None:
        insert_input(data, new, index)
        for case, answer in zip(data["test_cases"], answers, strict=True):
            case["answers"][new["id"]] = answer

    result, count = _rebased_count(changed(tool, update))
    item = result.input(new["id"])
    cases = f" Answered it in the tool's test cases ({plural(count, 'expected score')} updated)."
    return Change(result, _added(result, item) + (cases if count else ""))


def case_answers(tool: ToolDefinition, new: Data) -> list[Any]:
    """An answer to a new question for each test case, in the spirit of the case's other
    answers (all right stays all right, a low score picks a low-scoring answer)."""
    from keyvex.engine import AnswerError, run

    item = Input.model_validate(new)
    answers: list[Any] = []
    for case in tool.test_cases:
        try:
            result = run(tool, case.answers)
        except AnswerError:
            result = None
        answers.append(_answer_like(tool, item, case.expected_outcome, result))
    return answers


def _answer_like(tool: ToolDefinition, item: Input, outcome: str | None, result: Any) -> Any:
    if item.type == "yes_no" and not item.options:
        return "no"
    if not item.options:
        if item.default is not None:
            return item.default
        return {"text": "example", "date": "2024-01-01"}.get(item.type, item.min or 0)
    quiz = tool.scoring.quiz_type if tool.scoring else None
    scored = [o for o in item.options if not o.is_na] or item.options
    if quiz == "knowledge":
        right = result is None or all(result.correct.values())
        pick = next((o for o in scored if o.correct == right), scored[0])
    elif quiz == "outcome":
        goal = outcome or (result.outcome.id if result is not None and result.outcome else None)
        pick = next((o for o in scored if goal in o.outcome_points), scored[0])
    elif tool.kind == "assessment":
        share = (result.scores.percent or 50) / 100 if result and result.scores else 0.5
        top = max(o.points for o in scored) or 1
        pick = min(scored, key=lambda o: abs(o.points / top - share))
    else:
        pick = scored[0]
    return [pick.value] if item.type == "multiselect" else pick.value


def _names_other_thing(request: Request) -> bool:
    head = " ".join(request.unquoted.split()[1:6])
    head = re.sub(r"^(?:(?:a|an|the|one|another|new|more|extra|some)\s+)+", "", head)
    if request.verb == "ask":
        return False
    if any(head.startswith(word) for word in NOT_QUESTIONS):
        return True
    return not re.search(
        r"\b(?:question|questions|input|field|item|ask|asking|about|yes/no|yes or no|number|"
        r"slider|dropdown|select|multiple choice)\b",
        request.unquoted,
    )


def _new_input(
    tool: ToolDefinition, request: Request, subject: str, kind: str, items: list[str]
) -> Data:
    quiz = tool.scoring.quiz_type if tool.scoring else None
    scored = tool.kind != "calculator"
    new: Data = {"label": as_label(subject)}
    if quiz == "knowledge":
        knowledge_needs_options(items, kind)
    if items:
        new["type"] = kind if not scored or kind == "multiselect" else "radio"
        new["options"] = option_list(items, tool, kind, request)
    elif kind == "yes_no" and quiz == "outcome":
        titles = [o.title for o in tool.outcomes]
        raise NeedsModel(
            "In an outcome quiz every answer counts toward an outcome; give the answers and "
            f"what each counts toward, e.g. \"... with options 'Yes' for {titles[0]}, 'No' for "
            f'{titles[1]}".'
        )
    elif kind == "yes_no":
        new["type"] = "yes_no"
        if scored:
            new["options"] = default_options(tool, "yes_no")
            if quiz == "knowledge":
                from keyvex.ai.planner._new_input import _mark_correct

                _mark_correct(new["options"], request)
    elif scored and kind in ("", "select"):
        new["type"] = "radio"
        new["options"] = default_options(tool, "")
        if quiz is None and not re.match(r"^(how|what|which|do|does|are|is)\b", subject, re.I):
            new["label"] = as_label(f"How would you rate your {subject.strip()}?")
    elif kind in ("text", "date"):
        new["type"] = kind
    else:
        new["type"] = kind if kind in ("number", "currency", "percent", "slider") else "number"
        new |= number_fields(request, subject, new["type"], tool)
    if tool.kind == "assessment" and new.get("options"):
        new["category"] = _category(tool, request, subject)
    return new


def _category(tool: ToolDefinition, request: Request, subject: str) -> str:
    assert tool.scoring is not None
    named = re.search(
        r"\b(?:in|to|under|for)\s+(?:the\s+)?['\"“‘]?(?P<name>[\w &-]+?)['\"”’]?\s+"
        r"(?:category|section|area|part|pillar)\b|\b(?:category|section|area)\s+['\"“‘]?"
        r"(?P<after>[\w &-]+)",
        request.raw,
        re.IGNORECASE,
    )
    if named:
        words = set(content_words(named.group("name") or named.group("after") or ""))
        for category in tool.scoring.categories:
            if words & set(content_words(f"{category.title} {category.id}")):
                return category.id
    words = set(content_words(subject))
    best, best_score = None, 0
    for category in tool.scoring.categories:
        about = f"{category.title} {category.id} {category.description}"
        about += " ".join(i.label for i in tool.inputs if i.category == category.id)
        score = len(words & set(content_words(about)))
        if score > best_score:
            best, best_score = category.id, score
    if best is not None:
        return best
    counts = {c.id: sum(i.category == c.id for i in tool.inputs) for c in tool.scoring.categories}
    return min(reversed(list(counts)), key=lambda c: counts[c])


def _default_place(tool: ToolDefinition, new: Data) -> int:
    order = display_order(tool)
    if new.get("category"):
        same = [k for k, i in enumerate(order) if i.category == new["category"]]
        if same:
            return same[-1] + 1
    return len(order)


def _added(tool: ToolDefinition, item: Input) -> str:
    what = {
        "yes_no": "yes/no question",
        "radio": "question",
        "select": "choice question",
        "multiselect": "multiple-choice question",
    }.get(item.type, f"{item.type} input")
    parts = [f"Added the {what} '{item.label}' as {label_of(item, tool).split(' (')[0]}"]
    details = [f"id {item.id}"]
    if item.min is not None and item.max is not None:
        unit = f" {item.unit}" if item.unit else ""
        money = f" {item.currency}" if item.currency else ""
        details.append(
            f"{_num(item.min)} to {_num(item.max)}{unit}{money}, default {_num(item.default)}"
        )
    if item.options:
        details.append("options " + _options_text(tool, item))
    if item.category:
        title = next(c.title for c in tool.scoring.categories if c.id == item.category)  # type: ignore[union-attr]
        details.append(f"scored in '{title}'")
    text = f"{parts[0]} ({'; '.join(details)})."
    if tool.kind == "calculator":
        text += " No formula uses it yet: open the editor (Edit tool) to use it in a calculation."
    elif not item.options:
        text += " It is not scored (only questions with answer options are)."
    return text


def _num(value: Any) -> str:
    if isinstance(value, int | float) and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def _options_text(tool: ToolDefinition, item: Input) -> str:
    quiz = tool.scoring.quiz_type if tool.scoring else None
    shown = []
    for option in item.options:
        if quiz == "knowledge":
            shown.append(option.label + (" (correct)" if option.correct else ""))
        elif quiz == "outcome":
            goes = ", ".join(o.title for o in tool.outcomes if o.id in option.outcome_points)
            shown.append(f"{option.label} -> {goes}")
        elif tool.kind == "assessment":
            shown.append(f"{option.label} {option.points:g} pts")
        else:
            shown.append(option.label)
    return ", ".join(shown)


# ---- remove ----------------------------------------------------------------------------------


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
    item = find_input(phrase, tool)
    assert item is not None
    return remove(tool, item, value_text, phrase.strip())


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
    result = remove_input(tool, item.id)
    note = " Nothing used it, so no constant was needed." if value_text else ""
    rebased, count = _rebased_count(result)
    cases = f" Updated {plural(count, 'test case')} for the new scores." if count else ""
    return Change(rebased, f"Removed {name}.{note}{cases}")


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
    placeholder = re.compile(PLACEHOLDER_PATTERN)
    for path, text in texts(tool):
        if input_id in placeholder.findall(text):
            found.append(f"the text at {path}")
    for index, block in enumerate(tool.results):
        refs = [getattr(block, "value", None), *getattr(block, "series", [])]
        refs += [f.value for f in getattr(block, "filters", [])]
        if input_id in refs or any(input_id in _names(r) for r in refs[2:] if r):
            found.append(f"result block {index + 1} ({block.type})")
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


def remove_input(tool: ToolDefinition, input_id: str) -> ToolDefinition:
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


def _rebased_count(tool: ToolDefinition) -> tuple[ToolDefinition, int]:
    from keyvex.ai.planner._change import rebaseline

    if tool.kind == "calculator":
        return tool, 0
    return rebaseline(tool)


# ---- rename and other fields of one question -------------------------------------------------


def rename_input_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """'rename the staff question to "Team size"', 'change the help of question 2 to ...'."""
    found = RENAME.match(request.raw) or SHOULD_SAY.match(request.raw)
    called = re.match(r"^(?:call|name|title)\s+(?P<target>.+?)\s+(?P<new>['\"“‘].+)$", request.raw)
    if called is not None:
        found = called
    if found is None:
        return None
    target, new = found.group("target"), found.group("new").strip()
    quoted = quoted_texts(request.raw)
    if len(quoted) >= 2:
        new = quoted[-1]
    elif quoted and quoted_texts(new):
        new = quoted_texts(new)[0]
    new = new.strip().strip("'\"“”‘’").rstrip(".") if not quoted_texts(found.group("new")) else new
    field, target_said = _field(target), target
    target = re.sub(
        r"\b(?:the\s+)?(?:help text|help|hint|explanation|tooltip|description|placeholder|"
        r"units?|label|wording|question text|text|title|name)\s+(?:of|for|on)\b|'s\s+\w+$",
        " ",
        target,
        flags=re.IGNORECASE,
    )
    item = (
        find_input(target, tool, required=False)
        if content_words(target) or re.search(r"\d", target)
        else None
    )
    if item is None or not new:
        return None
    plain_verb = request.verb in ("set", "make", "update", "edit", "change")
    if field == "label" and plain_verb and not quoted and not _names_field(target_said):
        return None  # 'set X to 10' is a value and 'change X to a yes/no' a type, not a label
    return _set_field(tool, item, field, new[:200])


def _names_field(target: str) -> bool:
    return any(
        f" {name} " in f" {target.lower()} " for names in FIELD_WORDS.values() for name in names
    )


def _field(target: str) -> str:
    words = f" {target.lower()} "
    for field, names in FIELD_WORDS.items():
        if any(f" {name} " in words for name in names):
            return field
    return "label"


def _set_field(tool: ToolDefinition, item: Input, field: str, value: str) -> Change:
    name = label_of(item, tool)

    def update(data: Data) -> None:
        entry = next(i for i in data["inputs"] if i["id"] == item.id)
        entry[field] = value

    what = {"label": "label", "help": "help text", "placeholder": "placeholder", "unit": "unit"}
    result = changed(tool, update)
    return Change(
        result,
        f"Changed the {what[field]} of {name} to '{value}' (its id stays {item.id}).",
        f"The {what[field]} of {name} is already '{value}'.",
    )


def field_value_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """Default, minimum, maximum or required of one question."""
    kinds = {
        "default": r"default(?: value| answer)?|pre-?filled value|starting value",
        "min": r"minimum|min|lowest(?: value)?|smallest(?: value)?",
        "max": r"maximum|max|highest(?: value)?|largest(?: value)?|upper limit|limit",
    }
    for field, words in kinds.items():
        found = re.search(rf"\b(?:{words})\b", request.raw, re.IGNORECASE)
        if found and not request.has("points", "point", "score"):
            return _numeric_field(tool, request, field, found)
    required = re.search(
        r"\b(?:make|set)\s+(?P<t>.+?)\s+(?P<how>required|optional|mandatory)\b",
        request.raw,
        re.IGNORECASE,
    )
    if required:
        item = find_input(required.group("t"), tool, required=False)
        if item is None:
            return None
        must = required.group("how").lower() != "optional"
        result = changed(tool, lambda d: _set(d, item.id, "required", must))
        how = "required" if must else "optional"
        return Change(
            result,
            f"{label_of(item, tool)} is now {how}.",
            f"{label_of(item, tool)} is already {how}.",
        )
    return None


def _numeric_field(tool: ToolDefinition, request: Request, field: str, found: Any) -> Change | None:
    rest = request.raw[: found.start()] + " " + request.raw[found.end() :]
    target = re.sub(r"\b(?:set|change|make|update|the|of|for|to|at|on|is|be)\b", " ", rest)
    target = re.sub(r"[-−]?\d[\d,]*(?:\.\d+)?\s*[kK]?%?", " ", target)
    placed = re.search(r"\b(?:question|input|field|q)\s*\d+", rest, re.IGNORECASE)
    item = find_input(placed.group() if placed else target, tool, required=False)
    numbers = re.findall(r"(?<![\w])[-−]?\d[\d,]*(?:\.\d+)?\s*[kK]?%?", rest)
    numbers = [n for n in numbers if not placed or n.strip() not in placed.group()]
    if item is None or not numbers:
        return None
    if item.type not in ("number", "currency", "percent", "slider"):
        return None
    value = parse_number(numbers[-1])
    old = item.default

    def update(data: Data) -> None:
        _set(data, item.id, field, value)
        if field == "default" and old is not None:  # cases that relied on it keep their answer
            for case in data["test_cases"]:
                case["answers"].setdefault(item.id, old)

    result = changed(tool, update)
    name = {"min": "minimum", "max": "maximum", "default": "default"}[field]
    return Change(
        result,
        f"The {name} of {label_of(item, tool)} is now {_num(value)}.",
        f"The {name} of {label_of(item, tool)} is already {_num(value)}.",
    )


def _set(data: Data, input_id: str, field: str, value: Any) -> None:
    next(i for i in data["inputs"] if i["id"] == input_id)[field] = value

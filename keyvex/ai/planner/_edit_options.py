"""Offline edits of answer options: points, new options, removal, wording, the right answer."""

from __future__ import annotations

import re

from keyvex import formula
from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import (
    Change,
    Data,
    changed,
    options_of,
    quote_list,
    rebaseline,
    refuse,
)
from keyvex.ai.planner._request import (
    POSITION,
    Request,
    content_words,
    display_order,
    find_input,
    label_of,
    new_id,
    numbers,
    quoted_texts,
)
from keyvex.tools import Input, Option, ToolDefinition

OPTION_WORDS = ("option", "options", "answer", "answers", "choice", "choices")
POINT_WORDS = ("point", "points", "pts", "worth", "score", "scores", "scored", "weight")
CORRECT_WORDS = ("correct", "right answer", "correct answer", "right one")
NEW_QUESTION = re.compile(
    r"^ (?:add|insert|include|append) (?:(?:a|an|another|new|the|one|more|extra) )*"
    r"(?:(?!option|answer|choice|to\b)[\w/-]+ ){0,3}?(?:question|input|field)s?\b"
)
NOT_APPLICABLE = re.compile(
    r"n/?a|not applicable|does not apply|doesn'?t apply|(?:i )?don'?t know|not sure|unsure|"
    r"no idea|prefer not to say|skip"
)
QUESTION_REF = re.compile(
    r"\b(?:to|in|on|for|of|from|under)\s+(?P<q>(?:the\s+)?(?:(?:question|q)\s*\d+|\d+(?:st|nd|rd|th)"
    r"\s+question|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\s+"
    r"question|[\w' -]+?\s+question))\b",
    re.IGNORECASE,
)


def options_edit(tool: ToolDefinition, request: Request) -> Change | None:
    about_options = request.has(*OPTION_WORDS)
    about_points = request.has(*POINT_WORDS)
    about_correct = request.has(*CORRECT_WORDS)
    if not (about_options or about_points or about_correct):
        return None
    if request.verb in ("add", "insert", "include", "append", "ask", "new", "create"):
        if request.verb in ("ask", "new", "create") or NEW_QUESTION.match(request.unquoted):
            return None  # a new question (with its options)
        if about_options:
            return _add_option(tool, request)
    if request.verb in ("remove", "delete", "drop", "hide", "cut") and about_options:
        return _remove_option(tool, request)
    if about_correct and tool.scoring is not None and tool.scoring.quiz_type == "knowledge":
        return _correct(tool, request)
    if about_points and numbers(request.raw):
        return _points(tool, request)
    if request.verb in ("rename", "change", "reword", "relabel") and about_options:
        return _rename_option(tool, request)
    return None


def _question(tool: ToolDefinition, request: Request) -> Input | None:
    """The question the request names ('question 4', 'on the phishing question'), if any."""
    placed = POSITION.search(request.raw)
    if placed:
        return find_input(placed.group(), tool)
    ref = QUESTION_REF.search(request.raw)
    if ref:
        return find_input(ref.group("q"), tool, required=False)
    return None


def _find_option(tool: ToolDefinition, request: Request, said: str) -> tuple[Input, Option]:
    """The option the creator names, within the named question or across the tool."""
    question = _question(tool, request)
    pool = [question] if question is not None else display_order(tool)
    exact = [
        (i, o)
        for i in pool
        for o in options_of(i)
        if said.lower() in (o.label.lower(), o.value.lower())
    ]
    found = exact or [
        (i, o) for i in pool for o in options_of(i)
        if content_words(said) and set(content_words(said)) <= set(content_words(o.label))
    ]  # fmt: skip
    if not found:
        where = f" in {label_of(question, tool)}" if question else ""
        raise NeedsModel(f"I found no answer option '{said}'{where}.")
    if len({i.id for i, _ in found}) > 1:
        numbers_ = [str([x.id for x in display_order(tool)].index(i.id) + 1) for i, _ in found]
        raise NeedsModel(
            f"'{said}' is an answer of questions {', '.join(numbers_)}; say which, e.g. "
            f"'... for {said} in question {numbers_[0]} ...'."
        )
    return found[0]


def _option_phrase(request: Request) -> str:
    if request.quoted:
        return request.quoted[0]
    found = re.search(
        r"\b(?:option|answer|choice|for|of|make|give|mark|set)\s+(?:the\s+)?(?:option\s+|answer\s+)?"
        r"(?P<name>[\w/ -]+?)\s+(?:to|worth|=|as|a|the|is|in|on|for|\d)",
        request.raw,
        re.IGNORECASE,
    )
    if found is None:
        raise NeedsModel("Say which answer option you mean, in quotes: e.g. 'Weekly'.")
    return found.group("name").strip()


def _choice_question(tool: ToolDefinition, item: Input) -> None:
    if not item.options and item.type != "yes_no":
        raise NeedsModel(
            f"{label_of(item, tool)} is a {item.type} input; it has no answer options."
        )


def _update_input(
    tool: ToolDefinition, item: Input, options: list[Data], **more: object
) -> ToolDefinition:
    def update(data: Data) -> None:
        entry = next(i for i in data["inputs"] if i["id"] == item.id)
        entry["options"] = options
        entry.update(more)

    result = changed(tool, update)
    return rebaseline(result)[0] if tool.kind != "calculator" else result


def _points(tool: ToolDefinition, request: Request) -> Change:
    quiz = tool.scoring.quiz_type if tool.scoring else None
    if tool.kind == "calculator":
        raise refuse("Calculators have no points.", "change the formulas")
    if quiz == "knowledge":
        raise NeedsModel(
            "This quiz marks answers right or wrong rather than by points; say which answer is "
            "correct instead, e.g. \"make 'B' the correct answer to question 2\"."
        )
    said = _option_phrase(request)
    item, option = _find_option(tool, request, said)
    value = numbers(request.raw)[-1]
    options = [o.model_dump(mode="json") for o in options_of(item)]
    entry = next(o for o in options if o["value"] == option.value)
    if quiz == "outcome":
        if not entry["outcome_points"]:
            raise NeedsModel(f"'{option.label}' counts toward no outcome; say which one it should.")
        entry["outcome_points"] = dict.fromkeys(entry["outcome_points"], value)
    else:
        entry["points"] = value
    name = f"'{option.label}' in {label_of(item, tool)}"
    return Change(
        _update_input(tool, item, options), f"{name} is now worth {_points_text(value)}.",
        f"{name} is already worth {_points_text(value)}.",
    )  # fmt: skip


def _points_text(value: float) -> str:
    return f"{value:g} point" if value == 1 else f"{value:g} points"


def _add_option(tool: ToolDefinition, request: Request) -> Change:
    label = request.quoted[0] if request.quoted else _unquoted_new_option(request)
    item = _question(tool, request)
    if item is None:
        choices = [i for i in tool.inputs if i.options or i.type == "yes_no"]
        if len(choices) != 1:
            raise NeedsModel(f"Say which question gets the option '{label}', e.g. 'to question 4'.")
        item = choices[0]
    _choice_question(tool, item)
    if any(o.label.lower() == label.lower() for o in options_of(item)):
        return Change(tool, "", f"{label_of(item, tool)} already has the option '{label}'.")
    options = [o.model_dump(mode="json") for o in options_of(item)]
    new: Data = {"label": label}
    is_na = NOT_APPLICABLE.fullmatch(label.lower().strip(" .!")) is not None
    if item.type == "yes_no":
        if not is_na:
            raise NeedsModel(
                f"{label_of(item, tool)} is a yes/no question; it can only add 'Not applicable'."
            )
        new |= {"value": "na", "is_na": True}
    else:
        new["value"] = new_id(label, {o["value"] for o in options}, "option")
        new["is_na"] = is_na
    new |= _scoring_of_new(tool, request, options, is_na)
    options.append(new)
    result = _update_input(tool, item, options)
    return Change(
        result, f"Added the option '{label}' to {label_of(item, tool)}{_worth(tool, new)}."
    )


def _unquoted_new_option(request: Request) -> str:
    found = re.search(
        r"\b(?:add|insert|include|append)\s+(?:an?\s+|another\s+|the\s+)?(?:new\s+)?"
        r"(?:option|answer|choice)\s+(?:called\s+|named\s+)?(?P<name>.+?)"
        r"(?:\s+(?:worth|with|for|to|in|on|as|that)\b|\s*\(|$)",
        request.raw,
        re.IGNORECASE,
    )
    if found is None:
        raise NeedsModel("Say the new option's text in quotes, e.g. add an option 'Never' worth 0.")
    return found.group("name").strip()[:1].upper() + found.group("name").strip()[1:]


def _scoring_of_new(
    tool: ToolDefinition, request: Request, options: list[Data], is_na: bool
) -> Data:
    quiz = tool.scoring.quiz_type if tool.scoring else None
    values = numbers(re.sub(r"\b(?:question|q)\s*\d+", " ", request.raw, flags=re.I))
    if quiz == "knowledge":
        return {"correct": request.has("correct", "right", "the answer")}
    if quiz == "outcome":
        words = set(content_words(request.unquoted))
        target = next(
            (o for o in tool.outcomes if words & set(content_words(o.title + " " + o.id))), None
        )
        if target is None:
            titles = quote_list([o.title for o in tool.outcomes])
            raise NeedsModel(f"Say which outcome the new option counts toward ({titles}).")
        usual = [v for o in options for v in o.get("outcome_points", {}).values() if v]
        return {"outcome_points": {target.id: values[-1] if values else (usual[0] if usual else 1)}}
    if tool.kind == "assessment" and not is_na:
        return {"points": values[-1] if values else 0}
    return {}


def _worth(tool: ToolDefinition, new: Data) -> str:
    if new.get("is_na"):
        return " (not applicable: left out of the score)"
    if "points" in new and tool.kind == "assessment":
        return f", worth {_points_text(new['points'])}"
    if new.get("correct"):
        return " as a correct answer"
    if new.get("outcome_points"):
        goes = ", ".join(o.title for o in tool.outcomes if o.id in new["outcome_points"])
        return f", counting toward {goes}"
    return ""


def _remove_option(tool: ToolDefinition, request: Request) -> Change:
    said = _option_phrase(request)
    item, option = _find_option(tool, request, said)
    _choice_question(tool, item)
    left = [o for o in options_of(item) if o.value != option.value]
    if item.type in ("select", "radio", "multiselect") and len(left) < 2:
        raise NeedsModel(
            f"{label_of(item, tool)} needs at least two options, so '{option.label}' stays."
        )
    if item.type == "yes_no" and option.value != "na":
        raise NeedsModel(
            f"{label_of(item, tool)} is a yes/no question; only 'Not applicable' can go."
        )
    if tool.scoring and tool.scoring.quiz_type == "knowledge" and not any(o.correct for o in left):
        raise NeedsModel(f"'{option.label}' is the only right answer of {label_of(item, tool)}.")
    readers = [c.id for c in tool.calculations if _compares(c.formula, option.value)]
    if readers:
        raise refuse(
            f"The formulas {quote_list(readers)} test for the answer '{option.label}'.",
            "change those formulas first",
        )
    default = item.default
    if default == option.value or (isinstance(default, list) and option.value in default):
        default = [v for v in default if v != option.value] if isinstance(default, list) else None

    def update(data: Data) -> None:
        entry = next(i for i in data["inputs"] if i["id"] == item.id)
        entry["options"] = [o.model_dump(mode="json") for o in left]
        entry["default"] = default
        data["test_cases"] = [
            c for c in data["test_cases"] if not _answers(c, item.id, option.value)
        ]

    result = changed(tool, update)
    result = rebaseline(result)[0] if tool.kind != "calculator" else result
    return Change(result, f"Removed the option '{option.label}' from {label_of(item, tool)}.")


def _compares(source: str, value: str) -> bool:
    try:
        tokens = formula.compile(source)
    except formula.FormulaError:
        return False
    del tokens
    return bool(re.search(rf"""["']{re.escape(value)}["']""", source))


def _answers(case: Data, input_id: str, value: str) -> bool:
    answer = case["answers"].get(input_id)
    return answer == value or (isinstance(answer, list) and value in answer)


def _rename_option(tool: ToolDefinition, request: Request) -> Change | None:
    quoted = quoted_texts(request.raw)
    if len(quoted) < 2:
        return None
    item, option = _find_option(tool, request, quoted[0])
    new = quoted[-1][:200]
    options = [o.model_dump(mode="json") for o in options_of(item)]
    next(o for o in options if o["value"] == option.value)["label"] = new
    name = f"{label_of(item, tool)}"
    return Change(
        _update_input(tool, item, options),
        f"Renamed the option '{option.label}' of {name} to '{new}'.",
        f"That option of {name} already reads '{new}'.",
    )  # fmt: skip


def _correct(tool: ToolDefinition, request: Request) -> Change:
    said = _option_phrase(request)
    item, option = _find_option(tool, request, said)
    options = [o.model_dump(mode="json") for o in options_of(item)]
    only = item.type != "multiselect" and not request.has("also", "too", "as well")
    for entry in options:
        if entry["value"] == option.value:
            entry["correct"] = True
        elif only:
            entry["correct"] = False
    name = label_of(item, tool)
    return Change(
        _update_input(tool, item, options), f"'{option.label}' is now the right answer to {name}.",
        f"'{option.label}' is already the right answer to {name}.",
    )  # fmt: skip

"""Offline edit: a new question from plain words, placed and scored to fit the tool."""

from __future__ import annotations

import re
from typing import Any

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import (
    Change,
    Data,
    changed,
    number_text,
    plural,
    rebased,
    refuse,
)
from keyvex.ai.planner._edit_order import insert_input, placement
from keyvex.ai.planner._new_input import (
    as_label,
    infer_type,
    number_fields,
    options_segment,
    subject_of,
)
from keyvex.ai.planner._new_options import (
    default_options,
    knowledge_needs_options,
    mark_correct,
    option_list,
    usual_scale,
)
from keyvex.ai.planner._request import (
    Request,
    content_words,
    display_order,
    label_of,
    new_id,
    quoted_texts,
)
from keyvex.tools import Input, ToolDefinition

QUESTION_WORD = re.compile(
    r"^(?:how|what|which|when|where|who|why|whether|if|do|does|did|is|are|was|were|have|has|"
    r"can|could|will|would|should|number|amount)\b",
    re.IGNORECASE,
)
ADD_VERBS = ("add", "insert", "include", "create", "append", "new", "ask")
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


def add_input_edit(tool: ToolDefinition, request: Request) -> Change | None:
    if request.verb not in ADD_VERBS or _names_other_thing(request):
        return None
    rest, items = options_segment(request.raw)
    topics = _topics(rest) if not items else []
    if len(topics) > 1:
        return _add_several(tool, request, topics)
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

    result, count = rebased(changed(tool, update))
    item = result.input(new["id"])
    cases = f" Answered it in the tool's test cases ({plural(count, 'expected score')} updated)."
    return Change(result, _added(result, item) + (cases if count else ""))


def _topics(raw: str) -> list[str]:
    """'add two questions: team size and number of locations' -> each topic."""
    plural = re.match(
        r"^(?:add|insert|include|create)\s+(?:\w+\s+)?(?:new\s+)?(?:questions|inputs|fields)"
        r"\s*(?:about|for|on|:)\s*(?P<rest>.+)$",
        raw,
        re.IGNORECASE,
    )
    if plural is None:
        return []
    return [t for t in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", plural.group("rest")) if t]


def _add_several(tool: ToolDefinition, request: Request, topics: list[str]) -> Change:
    current, done = tool, []
    for topic in topics:
        change = add_input_edit(current, Request(f"add a question about {topic}"))
        assert change is not None
        if change.tool is not current:
            current = change.tool
            done.append(change.done)
    return Change(current, " ".join(done), "Those questions are already there.")


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
    if any(re.match(rf"{re.escape(word)}\b", head) for word in NOT_QUESTIONS):
        return True
    return not re.search(
        r"\b(?:question|questions|input|field|item|statement|ask|asking|about|yes/no|yes or no|"
        r"number|slider|dropdown|select|multiple choice)\b",
        request.unquoted,
    )


def _new_input(
    tool: ToolDefinition, request: Request, subject: str, kind: str, items: list[str]
) -> Data:
    quiz = tool.scoring.quiz_type if tool.scoring else None
    scored = tool.kind != "calculator"
    new: Data = {"label": as_label(subject), "required": not request.has("optional")}
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
                mark_correct(new["options"], request)
    elif quiz is None and scored and (kind == "scale" or _statement(subject)):
        new["type"] = "radio"
        new["options"] = usual_scale(tool, request)
    elif scored and kind in ("", "select", "scale"):
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


def _statement(subject: str) -> bool:
    """'We review our AI use every quarter': a statement to agree or disagree with."""
    words = subject.split()
    return (
        len(words) >= 4 and not subject.rstrip().endswith("?") and not QUESTION_WORD.match(subject)
    )


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
        low, high, default = (number_text(v) for v in (item.min, item.max, item.default))
        details.append(f"{low} to {high}{unit}{money}, default {default}")
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
            shown.append(f"{option.label} {option.points:g} pt{'' if option.points == 1 else 's'}")
        else:
            shown.append(option.label)
    return ", ".join(shown)

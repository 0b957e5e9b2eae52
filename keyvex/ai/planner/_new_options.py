"""Answer options of a new question, with the points, right answers or outcome points it needs."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import options_of, quote_list, refuse
from keyvex.ai.planner._new_input import SCALE
from keyvex.ai.planner._request import (
    Request,
    content_words,
    find_input,
    new_id,
)
from keyvex.tools import ToolDefinition

Data = dict[str, Any]

CORRECT = re.compile(
    r"(?:correct|right)(?:\s+answer)?\s*(?:is|=|:|being)?\s*(?P<after>['\"“‘]?[\w][^,;.]*)"
    r"|(?P<before>['\"“‘]?[\w][^,;.]*?)\s+(?:is|being)\s+(?:the\s+)?(?:correct|right)",
    re.IGNORECASE,
)
RATING = ("Poor", "Fair", "Good", "Very good", "Excellent")


def scale_top(tool: ToolDefinition) -> float:
    """The points of the best answer most questions of this tool give (4 on a 0-4 scale)."""
    tops = [max(o.points for o in options_of(i)) for i in tool.inputs if i.category]
    return Counter(tops).most_common(1)[0][0] if tops else 4.0


def option_list(items: list[str], tool: ToolDefinition, kind: str, request: Request) -> list[Data]:
    """Options with values, labels and the points this tool's scoring needs."""
    options: list[Data] = []
    taken: set[str] = set()
    for item in items:
        label, points = _label_and_points(item)
        value = new_id(label, taken, "option")
        taken.add(value)
        options.append({"value": value, "label": label[:1].upper() + label[1:], "_points": points})
    scoring = tool.scoring.quiz_type if tool.scoring else None
    if tool.kind == "assessment":
        _assessment_points(options, tool)
    elif scoring == "knowledge":
        mark_correct(options, request)
    elif scoring == "outcome":
        _outcome_points(options, tool)
    for option in options:
        option.pop("_points", None)
    return options


def _label_and_points(item: str) -> tuple[str, float | None]:
    found = re.match(
        r"^(?P<label>.+?)\s*(?:\((?:worth\s+)?(?P<a>-?\d+(?:\.\d+)?)(?:\s*(?:points?|pts?))?\)"
        r"|(?:worth|=|:|for|scores?|gets?)\s+(?P<b>-?\d+(?:\.\d+)?)(?:\s*(?:points?|pts?))?"
        r"|\s(?P<c>-?\d+(?:\.\d+)?)\s*(?:points?|pts?))\s*$",
        item.strip(),
        re.IGNORECASE,
    )
    if found is None:
        return item.strip(), None
    value = found.group("a") or found.group("b") or found.group("c")
    return found.group("label").strip(), float(value)


def _assessment_points(options: list[Data], tool: ToolDefinition) -> None:
    known: dict[str, float] = {}
    for item in tool.inputs:
        for existing in options_of(item):
            known.setdefault(existing.label.lower(), existing.points)
    top = scale_top(tool)
    count = len(options)
    for index, option in enumerate(options):
        if option["_points"] is not None:
            option["points"] = option["_points"]
        elif option["label"].lower() in known:
            option["points"] = known[option["label"].lower()]
        else:
            exact = top * index / max(count - 1, 1)
            option["points"] = round(exact) if top >= count - 1 else round(exact, 2)


def mark_correct(options: list[Data], request: Request) -> None:
    said = CORRECT.search(request.raw)
    named = ""
    if said:
        named = (said.group("after") or said.group("before") or "").strip(" '\"“”‘’")
    words = set(content_words(named))
    for option in options:
        label = option["label"]
        inline = re.search(r"\s*\((?:correct|right)\)\s*$|\s+(?:is )?(?:correct|right)$", label)
        if inline:
            option["label"] = label[: inline.start()].strip()
            option["value"] = new_id(option["label"], set(), "option")
            option["correct"] = True
        elif words and set(content_words(label)) == words:
            option["correct"] = True
    if not any(o.get("correct") for o in options):
        labels = quote_list([o["label"] for o in options])
        raise NeedsModel(
            f"A knowledge-quiz question needs its right answer: say which of {labels} is "
            f"correct, e.g. \"... correct answer '{options[0]['label']}'\"."
        )


def _outcome_points(options: list[Data], tool: ToolDefinition) -> None:
    values = [v for i in tool.inputs for o in i.options for v in o.outcome_points.values() if v]
    points = Counter(values).most_common(1)[0][0] if values else 1.0
    outcomes = tool.outcomes
    for index, option in enumerate(options):
        label = option["label"]
        said = re.search(
            r"\s*(?:->|→|=>|\bfor\b|\bcounts? (?:for|toward|towards)\b|:)\s*(.+)$", label
        )
        target = None
        if said:
            words = set(content_words(said.group(1)))
            target = next(
                (o for o in outcomes if words & set(content_words(o.title + " " + o.id))), None
            )
            if target is not None:
                option["label"] = label[: said.start()].strip()
        if target is None:
            words = set(content_words(label))
            target = next((o for o in outcomes if words == set(content_words(o.title))), None)
        target = target or outcomes[index % len(outcomes)]
        option["outcome_points"] = {target.id: points}


def default_options(tool: ToolDefinition, kind: str) -> list[Data]:
    """Options for a scored question the creator gave no answers for."""
    if tool.scoring and tool.scoring.quiz_type == "outcome":
        values = [v for i in tool.inputs for o in i.options for v in o.outcome_points.values() if v]
        points = Counter(values).most_common(1)[0][0] if values else 1.0
        taken: set[str] = set()
        options = []
        for outcome in tool.outcomes:
            value = new_id(outcome.title, taken, "option")
            taken.add(value)
            options.append(
                {"value": value, "label": outcome.title, "outcome_points": {outcome.id: points}}
            )
        return options
    top = scale_top(tool)
    if kind == "yes_no":
        return [{"value": "yes", "label": "Yes", "points": top}, {"value": "no", "label": "No"}]
    return [
        {"value": new_id(label, set(), "option"), "label": label, "points": top * k / 4}
        for k, label in enumerate(RATING)
    ]


def knowledge_needs_options(options: list[str], kind: str) -> None:
    if not options and kind != "yes_no":
        raise refuse(
            'A knowledge-quiz question needs answer options and the right one, e.g. "add a '
            "question 'What does SEO stand for?' with options 'Search engine optimisation', "
            "'Site email order' and 'Sales engine output', correct answer 'Search engine "
            "optimisation'\".",
            "write the question and its answers by hand",
        )


def usual_scale(tool: ToolDefinition, request: Request) -> list[Data]:
    """The answer scale most of the tool's scored questions use (or the named question's)."""
    like = SCALE.search(request.raw)
    named = like.group("like") if like else None
    if named:
        item = find_input(named, tool)
        if item is not None and item.options:
            return [o.model_dump(mode="json") for o in item.options]
    scales = [tuple((o.value, o.label, o.points) for o in i.options) for i in tool.inputs]
    scales = [s for s in scales if len(s) >= 3]
    if not scales:
        return default_options(tool, "")
    usual = Counter(scales).most_common(1)[0][0]
    return [{"value": v, "label": label, "points": p} for v, label, p in usual]

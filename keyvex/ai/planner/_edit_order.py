"""Question order: moving a question, placing a new one, and keeping steps in step."""

from __future__ import annotations

import re

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import Change, Data, changed
from keyvex.ai.planner._request import Request, display_order, find_input, label_of, new_id
from keyvex.tools import ToolDefinition

MOVE_VERBS = ("move", "put", "place", "swap", "switch", "reorder", "shift", "bring")
NOT_NOUN = r"(?!\s+(?:question|input|field|one|name|item)s?\b)"
TOP = rf"(?:to|at)\s+(?:the\s+)?(?:very\s+)?(?:top|start|beginning|front)|\bfirst\b{NOT_NOUN}"
BOTTOM = rf"(?:to|at)\s+(?:the\s+)?(?:very\s+)?(?:bottom|end|back)|\blast\b{NOT_NOUN}"
ENDS = re.compile(
    r"\s+(?:to\s+)?(?:be\s+|become\s+)?the\s+(?:very\s+)?(?P<end>first|last)"
    r"(?:\s+(?:question|one|input|field))?\s*$",
    re.I,
)
SPOT = re.compile(
    r"\s+(?:to|into|as|at)\s+(?:the\s+)?(?:position|number|question|place|spot|q)\s*"
    r"(?:number\s*|no\.?\s*|#\s*)?(?P<n>\d+)\b|\s+(?:to|as)\s+(?:the\s+)?(?P<nth>\d+)"
    r"(?:st|nd|rd|th)\b",
    re.I,
)
RELATIVE = re.compile(
    r"\s+(?:(?:so (?:that )?it (?:comes?|is)|to come|to be|to go|and have it)\s+)?"
    r"(?:right\s+|just\s+|directly\s+|immediately\s+)?"
    r"(?P<how>after|before|below|above|under|following|ahead of|behind|beneath)\s+(?P<b>.+)$",
    re.I,
)
AFTER_WORDS = ("after", "below", "under", "following", "behind", "beneath")
STEPS = re.compile(r"\s+(?P<dir>up|down|earlier|later)\b(?:\s+(?:by\s+)?(?P<n>\d+|one))?", re.I)
COUNTED_STEP = re.compile(r"^Question \d+ of \d+$")


def order_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """'move question 5 to the top', 'put the budget question after the team size one'."""
    makes = request.verb == "make" and re.search(
        r"\b(?:first|last|top|bottom)\b|\b(?:question|q)\s*\d+\b", request.unquoted
    )
    if request.verb not in MOVE_VERBS and not makes and not request.has("should come", "comes"):
        return None
    raw = re.sub(r"^(?:move|put|place|shift|bring|make)\s+", "", request.raw, flags=re.I)
    swap = re.match(r"^(?:swap|switch)\s+(?P<a>.+?)\s+(?:and|with)\s+(?P<b>.+)$", raw, re.I)
    order = [i.id for i in display_order(tool)]
    if swap:
        second = swap.group("b")
        second = f"question {second}" if second.strip().isdigit() else second
        a, b = find_input(swap.group("a"), tool), find_input(second, tool)
        assert a is not None and b is not None
        i, j = order.index(a.id), order.index(b.id)
        order[i], order[j] = order[j], order[i]
        return _moved(tool, order, a.id, f"Swapped {label_of(a, tool)} and {label_of(b, tool)}.")
    target, index, where = _destination(raw, tool, order)
    if target is None:
        return None
    moving = find_input(target, tool)
    assert moving is not None
    order.remove(moving.id)
    if isinstance(index, str):
        anchor = order.index(index)
        index = anchor + 1 if where == "after" else anchor
    order.insert(max(0, min(index, len(order))), moving.id)
    name, spot = label_of(moving, tool), order.index(moving.id) + 1
    already = f"{name[0].upper()}{name[1:]} is already in place {spot}."
    return _moved(tool, order, moving.id, f"Moved {name} to place {spot}.", already)


Destination = tuple[str, int | str, str]


def _destination(
    raw: str, tool: ToolDefinition, order: list[str]
) -> tuple[str | None, int | str, str]:
    """(the phrase naming the question to move, where to: an index or an anchor id, how)."""
    for find in (_to_an_end, _to_a_place, _next_to, _by_steps):
        found = find(raw, tool, order)
        if found is not None:
            return found
    return None, 0, ""


def _to_an_end(raw: str, tool: ToolDefinition, order: list[str]) -> Destination | None:
    """'... the first question', 'to the top', 'to the end', '... last'."""
    ends = ENDS.search(raw)
    if ends and ends.start() > 0:
        return raw[: ends.start()], 0 if ends.group("end").lower() == "first" else len(order), ""
    for pattern, index in ((TOP, 0), (BOTTOM, len(order))):
        found = re.search(rf"\s*\b(?:{pattern})\b.*$", raw, re.I)
        if found and found.start() > 0:
            return raw[: found.start()], index, "index"
    return None


def _to_a_place(raw: str, tool: ToolDefinition, order: list[str]) -> Destination | None:
    """'to position 2', 'as question 3', 'to the 4th'."""
    spot = SPOT.search(raw)
    if spot is None:
        return None
    return raw[: spot.start()], int(spot.group("n") or spot.group("nth")) - 1, "index"


def _next_to(raw: str, tool: ToolDefinition, order: list[str]) -> Destination | None:
    """'after the gross margin question', 'right before question 2'."""
    relative = RELATIVE.search(raw)
    if relative is None:
        return None
    anchor = find_input(relative.group("b"), tool)
    assert anchor is not None
    how = relative.group("how").lower()
    where = "after" if how in AFTER_WORDS else "before"
    return raw[: relative.start()], anchor.id, where


def _by_steps(raw: str, tool: ToolDefinition, order: list[str]) -> Destination | None:
    """'up', 'down 2', 'one later'."""
    step = STEPS.search(raw)
    if step is None:
        return None
    phrase = raw[: step.start()]
    moving = find_input(phrase, tool)
    assert moving is not None
    count = int(step.group("n")) if (step.group("n") or "").isdigit() else 1
    sign = -1 if step.group("dir").lower() in ("up", "earlier") else 1
    return phrase, order.index(moving.id) + sign * count, "index"


def _moved(
    tool: ToolDefinition, order: list[str], moved: str, done: str, already: str = ""
) -> Change:
    if order == [i.id for i in display_order(tool)]:
        return Change(tool, "", already or "The questions are already in that order.")
    return Change(changed(tool, lambda data: set_order(data, order, moved)), done)


def set_order(data: Data, order: list[str], moved: str) -> None:
    """Put inputs (and steps) in ``order``; the moved input joins its new neighbour's step."""
    rank = {name: k for k, name in enumerate(order)}
    data["inputs"].sort(key=lambda item: rank.get(item["id"], len(rank)))
    steps = data["steps"]
    if not steps:
        return
    if all(len(s["inputs"]) == 1 for s in steps):
        steps.sort(key=lambda s: rank.get(s["inputs"][0], len(rank)))
    else:
        position = order.index(moved)
        neighbour = order[position - 1] if position > 0 else order[position + 1]
        for step in steps:
            if moved in step["inputs"]:
                step["inputs"].remove(moved)
        home = next(s for s in steps if neighbour in s["inputs"])
        home["inputs"].append(moved)
        for step in steps:
            step["inputs"].sort(key=lambda name: rank.get(name, len(rank)))
        data["steps"] = [s for s in steps if s["inputs"]]
    renumber_steps(data)


def insert_input(data: Data, new: Data, index: int) -> None:
    """Add a new input at a display position, in a step of its own or its neighbour's."""
    by_id = {item["id"]: item for item in data["inputs"]}
    if data["steps"]:
        order = [name for step in data["steps"] for name in step["inputs"]]
    else:
        order = [item["id"] for item in data["inputs"]]
    index = max(0, min(index, len(order)))
    order.insert(index, new["id"])
    by_id[new["id"]] = new
    data["inputs"] = [by_id[name] for name in order]
    steps = data["steps"]
    if not steps:
        return
    if all(len(s["inputs"]) == 1 for s in steps):
        taken = {s["id"] for s in steps}
        step = {"id": new_id("step " + new["id"], taken, "step"), "title": new["label"][:200]}
        step |= {"description": "", "inputs": [new["id"]]}
        steps.append(step)
        rank = {name: k for k, name in enumerate(order)}
        steps.sort(key=lambda s: rank[s["inputs"][0]])
    else:
        neighbour = order[index - 1] if index > 0 else order[1]
        home = next(s for s in steps if neighbour in s["inputs"])
        home["inputs"].insert(home["inputs"].index(neighbour) + (index > 0), new["id"])
    renumber_steps(data)


def renumber_steps(data: Data) -> None:
    """Step titles like 'Question 2 of 6' follow the new order and count."""
    steps = data["steps"]
    if steps and all(COUNTED_STEP.match(s["title"]) or len(s["inputs"]) == 1 for s in steps):
        if any(COUNTED_STEP.match(s["title"]) for s in steps):
            for k, step in enumerate(steps):
                step["title"] = f"Question {k + 1} of {len(steps)}"


def placement(request: Request, tool: ToolDefinition, default: int) -> int:
    """Where a new question goes: 'at the top', 'after question 3', 'before the budget one'."""
    order = [i.id for i in display_order(tool)]
    raw = request.raw
    if re.search(rf"\b(?:{TOP})\b", raw, re.I) and not re.search(r"first name", raw, re.I):
        return 0
    if re.search(rf"\b(?:{BOTTOM})\b", raw, re.I) and not re.search(r"last name", raw, re.I):
        return len(order)
    spot = re.search(
        r"\bas (?:the )?(?:question|q)\s*(\d+)\b|\bas the (\d+)(?:st|nd|rd|th)\b", raw, re.I
    )
    if spot:
        return int(spot.group(1) or spot.group(2)) - 1
    relative = re.search(r"\b(after|before|below|above|following)\s+(.+)$", raw, re.I)
    if relative:
        try:
            anchor = find_input(relative.group(2), tool)
        except NeedsModel:
            anchor = None
        if anchor is not None:
            at = order.index(anchor.id)
            return at + 1 if relative.group(1).lower() in ("after", "below", "following") else at
    return default

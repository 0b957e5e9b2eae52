"""Tidying a posted draft after removals: what only pointed at a removed question, value or
outcome goes with it (steps, test cases' answers and expectations, options' outcome points),
so a removal is refused only where something still reads the removed name."""

from __future__ import annotations

from typing import Any


def named(data: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every named thing of a definition's JSON: name -> (kind, item)."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    scoring = data.get("scoring") or {}
    groups = (
        ("input", data.get("inputs")),
        ("constant", data.get("constants")),
        ("calculation", data.get("calculations")),
        ("category", scoring.get("categories") if isinstance(scoring, dict) else None),
    )
    for kind, items in groups:
        for item in _dicts(items):
            if isinstance(item.get("id"), str):
                found.setdefault(item["id"], (kind, item))
    return found


def prune(old: dict[str, Any], draft: dict[str, Any]) -> None:
    """Remove from ``draft`` what only pointed at names and outcomes ``old`` had."""
    before, after = named(old), named(draft)
    gone_inputs = {n for n, (k, _) in before.items() if k == "input"}
    gone_inputs -= {n for n, (k, _) in after.items() if k == "input"}
    gone_outcomes = _outcome_ids(old) - _outcome_ids(draft)
    _prune_steps(draft, gone_inputs)
    _prune_cases(draft, gone_inputs, set(before) - set(after), gone_outcomes)
    for item in _dicts(draft.get("inputs")):
        for option in _dicts(item.get("options")):
            points = option.get("outcome_points")
            if isinstance(points, dict):
                option["outcome_points"] = {
                    k: v for k, v in points.items() if k not in gone_outcomes
                }


def _dicts(items: object) -> list[dict[str, Any]]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _outcome_ids(data: dict[str, Any]) -> set[str]:
    return {o["id"] for o in _dicts(data.get("outcomes")) if isinstance(o.get("id"), str)}


def _prune_steps(draft: dict[str, Any], gone: set[str]) -> None:
    steps = draft.get("steps")
    if not isinstance(steps, list):
        return
    for step in _dicts(steps):
        if isinstance(step.get("inputs"), list):
            step["inputs"] = [i for i in step["inputs"] if i not in gone]
    draft["steps"] = [s for s in steps if not isinstance(s, dict) or s.get("inputs")]


def _prune_cases(
    draft: dict[str, Any], gone_inputs: set[str], gone: set[str], gone_outcomes: set[str]
) -> None:
    for case in _dicts(draft.get("test_cases")):
        for key, drop in (("answers", gone_inputs), ("expected", gone)):
            if isinstance(case.get(key), dict):
                case[key] = {k: v for k, v in case[key].items() if k not in drop}
        if case.get("expected_outcome") in gone_outcomes:
            case["expected_outcome"] = None

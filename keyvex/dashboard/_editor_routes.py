"""Tool-page editors on their own pages: lead-capture settings and test cases.

Both save through the same path as the title and theme editors (parse, verify, save a new
version guarded by the version the form was loaded with), so a refused change names every
problem by its path and a stale form gets a clear "changed meanwhile" answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from keyvex.dashboard.editing import _save
from keyvex.engine import AnswerError, Result, ToolError, run
from keyvex.errors import Conflict, Invalid, KeyvexError
from keyvex.tools import Input, LeadCapture, ToolDefinition, ToolTestCase
from keyvex.tools.inputs import CHOICE_TYPES, NUMERIC_TYPES
from keyvex.tools.service import StoredTool, get_tool
from keyvex.web.deps import AppDep, CsrfChecked, CurrentUser
from keyvex.web.forms import form_errors
from keyvex.web.templating import render

router = APIRouter(include_in_schema=False)

LEAD_MODES = (
    ("off", "Off: never ask"),
    ("before_results", "Before the results"),
    ("after_results", "After the results (optional)"),
    ("teaser", "Teaser: show the headline, unlock the rest"),
)
FIELD_TYPES = ("email", "text", "tel", "name", "company")
LEAD_TEXTS = ("title", "text", "incentive", "consent_text", "button_label")
#: The lead-capture errors shown beside their fields; any other goes in the banner.
MAX_FIELDS = 20
LEAD_PATHS = (
    "lead_capture.mode",
    "lead_capture.fields",
    *(f"lead_capture.{name}" for name in LEAD_TEXTS),
    *(f"lead_capture.fields[{i}].{key}" for i in range(MAX_FIELDS + 1) for key in ("id", "label")),
)
NOTICES = {
    "lead_saved": "Lead-capture settings saved as a new version. Publish it to put it live.",
    "test_added": "Test case added as a new version.",
}
CHANGED_MEANWHILE = (
    "Not saved: this tool was changed meanwhile (in another tab or by a restore). "
    "Reload the page to edit the current version, then make your change again."
)


def _refused(exc: KeyvexError) -> tuple[int, str, dict[str, str]]:
    """Status, message and field errors for a refused save (404 and 5xx propagate)."""
    if exc.status >= 500 or exc.status == 404:
        raise exc
    if isinstance(exc, Conflict):
        return 409, f"{CHANGED_MEANWHILE} ({exc.message})", {}
    return exc.status, exc.message, dict(exc.fields)


# Lead capture ------------------------------------------------------------------------------


def _lead_form(capture: LeadCapture) -> dict[str, Any]:
    """The form's values for the saved settings (the same shape a posted form gives)."""
    values = capture.model_dump(mode="json")
    values["fields"] = [*values["fields"], {"id": "", "label": "", "type": "text"}]
    return values


def _posted_lead(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """(settings for the definition, values to show again on the form) from a posted form."""
    settings: dict[str, Any] = {name: _text(form, name) for name in LEAD_TEXTS}
    settings["mode"] = _text(form, "mode")
    settings["consent_required"] = form.get("consent_required") == "yes"
    settings["email_result"] = form.get("email_result") == "yes"
    settings["email_result_confirm"] = form.get("email_result_confirm") == "yes"
    shown: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    count = min(_int(_text(form, "field_count")), MAX_FIELDS)
    for index in range(count + 1):  # the existing rows and one blank row to add a field
        row = {
            "id": _text(form, f"field_{index}_id"),
            "label": _text(form, f"field_{index}_label"),
            "type": _text(form, f"field_{index}_type") or "text",
            "required": form.get(f"field_{index}_required") == "yes",
        }
        removed = form.get(f"field_{index}_remove") == "yes"
        if index == count and not row["id"] and not row["label"]:
            continue  # the blank row left empty
        shown.append({**row, "remove": removed})
        if not removed:
            fields.append(row)
    settings["fields"] = fields
    values = {**settings, "fields": [*shown, {"id": "", "label": "", "type": "text"}]}
    return settings, values


def _lead_page(
    request: Request,
    tool: StoredTool,
    values: dict[str, Any],
    version: int | str,
    status: int = 200,
    **extra: Any,
) -> Response:
    context = {
        "tool": tool,
        "values": values,
        "version": version,
        "modes": LEAD_MODES,
        "field_types": FIELD_TYPES,
        "errors": {},
        **extra,
    }
    return render(request, "dashboard/lead_capture.html", context, status_code=status)


@router.get("/dashboard/tools/{tool_id}/lead-capture")
async def lead_capture_page(
    request: Request, tool_id: str, app: AppDep, user: CurrentUser, done: str = ""
) -> Response:
    tool = await get_tool(app, user, tool_id)
    values = _lead_form(tool.definition.lead_capture)
    return _lead_page(request, tool, values, tool.version, notice=NOTICES.get(done, ""))


@router.post("/dashboard/tools/{tool_id}/lead-capture", dependencies=[CsrfChecked])
async def save_lead_capture(
    request: Request, tool_id: str, app: AppDep, user: CurrentUser
) -> Response:
    tool = await get_tool(app, user, tool_id)
    form = await request.form()
    version = _text(form, "version")
    settings, values = _posted_lead(form)
    try:
        await _save(app, user, tool_id, version, {"lead_capture": settings}, "Changed lead capture")
    except KeyvexError as exc:
        status, message, errors = _refused(exc)
        placed = form_errors(Invalid(message, fields=errors), LEAD_PATHS, placed="errors")
        return _lead_page(request, tool, values, version, status, **placed)
    return RedirectResponse(
        f"/dashboard/tools/{tool_id}/lead-capture?done=lead_saved", status_code=303
    )


# Test cases --------------------------------------------------------------------------------


@dataclass
class CaseRun:
    """One test case run against the current definition."""

    case: ToolTestCase
    rows: list[tuple[str, Any, Any, bool]] = field(default_factory=list)
    outcome: tuple[str, str | None, bool] | None = None
    problem: str = ""

    @property
    def passed(self) -> bool:
        return (
            not self.problem
            and all(ok for *_, ok in self.rows)
            and (self.outcome is None or self.outcome[2])
        )


def _matches(expected: Any, actual: Any, tolerance: float) -> bool:
    """Numbers within the tolerance (never NaN), anything else equal."""
    number = (int, float)
    if isinstance(expected, number) and not isinstance(expected, bool):
        if not isinstance(actual, number) or isinstance(actual, bool):
            return False
        return math.isfinite(actual) and abs(actual - expected) <= tolerance
    return bool(expected == actual)


def run_case(tool: ToolDefinition, case: ToolTestCase) -> CaseRun:
    """Run one case: per expected name (name, expected, actual, ok) and the outcome."""
    done = CaseRun(case)
    try:
        result = run(tool, case.answers)
    except AnswerError as exc:
        done.problem = "Answers rejected: " + "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
        return done
    except ToolError as exc:
        done.problem = f"The tool could not run: {exc}"
        return done
    for name, expected in case.expected.items():
        actual = result.value(name)
        done.rows.append((name, expected, actual, _matches(expected, actual, case.tolerance)))
    if case.expected_outcome is not None:
        got = result.outcome.id if result.outcome else None
        done.outcome = (case.expected_outcome, got, got == case.expected_outcome)
    return done


def run_all(tool: ToolDefinition) -> list[CaseRun]:
    """Every test case of the definition, run."""
    return [run_case(tool, case) for case in tool.test_cases]


def _plain(value: Any) -> Any:
    return round(value, 6) if isinstance(value, float) else value


def expectations(result: Result) -> dict[str, float | str | bool]:
    """What a new case expects: every calculation, category score and score the run gave
    (blank, failed or list values are left out)."""
    found: dict[str, Any] = dict(result.values) | dict(result.category_scores)
    if result.scores is not None:
        found |= {
            "score": result.scores.total,
            "max_score": result.scores.max,
            "score_percent": result.scores.percent,
        }
    usable: dict[str, float | str | bool] = {}
    for name, value in found.items():
        if isinstance(value, float | int | str | bool) and name not in result.errors:
            if isinstance(value, float) and not math.isfinite(value):
                continue
            usable[name] = _plain(value)
    return usable


def _default_answer(item: Input) -> Any:
    if item.type == "multiselect":
        return item.default if isinstance(item.default, list) else []
    if item.default is None:
        return ""
    if isinstance(item.default, float) and item.default.is_integer():
        return f"{item.default:g}"
    if isinstance(item.default, bool) and item.type == "yes_no":
        return "yes" if item.default else "no"
    return str(item.default)


def _posted_answers(tool: ToolDefinition, form: FormData) -> dict[str, Any]:
    """The answers of the filled-in preview, as the public runtime would send them (a field
    left blank is no answer; a field not sent takes the input's default)."""
    answers: dict[str, Any] = {}
    for item in tool.inputs:
        name = f"a_{item.id}"
        if name not in form and item.type != "multiselect":
            continue  # not sent at all: the engine uses the default
        if item.type == "multiselect":
            answers[item.id] = [v for v in form.getlist(name) if isinstance(v, str)]
            continue
        text = _text(form, name).strip()
        if not text:
            answers[item.id] = None
        elif item.type in NUMERIC_TYPES:
            try:
                answers[item.id] = float(text.replace(",", ""))
            except ValueError:
                answers[item.id] = text  # the engine names it
        else:
            answers[item.id] = text
    return answers


def _tests_page(request: Request, tool: StoredTool, status: int = 200, **extra: Any) -> Response:
    context: dict[str, Any] = {
        "tool": tool,
        "runs": extra.pop("runs"),
        "answers": {item.id: _default_answer(item) for item in tool.definition.inputs},
        "case_form": {"name": "", "notes": ""},
        "version": tool.version,
        "errors": {},
        "choice_types": CHOICE_TYPES,
        "numeric_types": NUMERIC_TYPES,
        **extra,
    }
    context["passed"] = sum(1 for r in context["runs"] if r.passed)
    return render(request, "dashboard/test_cases.html", context, status_code=status)


@router.get("/dashboard/tools/{tool_id}/tests")
async def tests_page(
    request: Request, tool_id: str, app: AppDep, user: CurrentUser, done: str = ""
) -> Response:
    tool = await get_tool(app, user, tool_id)
    runs = await to_thread.run_sync(run_all, tool.definition)
    return _tests_page(request, tool, runs=runs, notice=NOTICES.get(done, ""))


@router.post("/dashboard/tools/{tool_id}/tests", dependencies=[CsrfChecked])
async def add_test_case(request: Request, tool_id: str, app: AppDep, user: CurrentUser) -> Response:
    tool = await get_tool(app, user, tool_id)
    definition = tool.definition
    form = await request.form()
    version = _text(form, "version")
    case_form = {"name": _text(form, "name").strip(), "notes": _text(form, "notes").strip()}
    answers = _posted_answers(definition, form)
    shown = {k: (v if v is not None else "") for k, v in answers.items()}
    again = {"answers": shown, "case_form": case_form, "version": version}
    runs = await to_thread.run_sync(run_all, definition)
    beside = {"name", *(f"a_{item.id}" for item in definition.inputs)}  # fields with errors
    if not case_form["name"]:
        refused = Invalid("Not saved: the test case needs a name.",
                          fields={"name": "Give the test case a name."})  # fmt: skip
        return _tests_page(request, tool, 422, runs=runs, **again,
                           **form_errors(refused, beside, placed="errors"))  # fmt: skip
    try:
        result = await to_thread.run_sync(run, definition, answers)
    except AnswerError as exc:
        errors = {f"a_{k}": v for k, v in exc.errors.items()}
        refused = Invalid(f"Not saved: {exc.message}", fields=errors)
        return _tests_page(request, tool, 422, runs=runs, **again,
                           **form_errors(refused, beside, placed="errors"))  # fmt: skip
    except ToolError as exc:
        return _tests_page(request, tool, 422, runs=runs, **again,
                           error=f"Not saved: the tool cannot run: {exc.message}")  # fmt: skip
    case = {
        "name": case_form["name"],
        "answers": {k: v for k, v in result.answers.items() if v is not None},
        "expected": expectations(result),
        "expected_outcome": result.outcome.id if result.outcome else None,
        "notes": case_form["notes"] or "Recorded from the engine's result in the dashboard.",
    }
    cases = [c.model_dump(mode="json") for c in definition.test_cases]
    change = {"test_cases": [*cases, case]}
    try:
        await _save(app, user, tool_id, version, change, f"Added test case '{case['name']}'")
    except KeyvexError as exc:
        status, message, errors = _refused(exc)
        placed = form_errors(Invalid(message, fields=errors), beside, placed="errors")
        return _tests_page(request, tool, status, runs=runs, **again, **placed)
    return RedirectResponse(f"/dashboard/tools/{tool_id}/tests?done=test_added", status_code=303)


# Form helpers ------------------------------------------------------------------------------


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0

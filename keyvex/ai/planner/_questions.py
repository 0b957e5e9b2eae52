"""The offline planner's questions: the template's own follow-ups plus inputs and result style."""

from __future__ import annotations

from keyvex.ai.models import Question, QuestionOption
from keyvex.tools import FollowupQuestion, ToolDefinition

MAX_QUESTIONS = 6
#: Follow-ups that say who the tool is for; their answer adapts the title and copy.
AUDIENCE_IDS = (
    "audience", "practice_type", "asset", "business_type", "topic", "offer", "service",
    "task", "model", "horizon",
)  # fmt: skip
LEAD_TIMING = {
    "Before they see results": "before_results",
    "After they see results": "after_results",
    "Show the headline figure, unlock the rest with email": "teaser",
    "Don't ask for an email": "off",
}
RESULT_STYLES = {
    "Figures and a chart": "chart",
    "Figures only, no chart": "figures",
    "A short summary": "summary",
}
COLOR_PAIRS = [
    ("ocean", "Ocean blue on white", "#1d4ed8", "#ffffff"),
    ("forest", "Forest green on mint", "#15803d", "#f0fdf4"),
    ("plum", "Plum on lavender", "#7e22ce", "#faf5ff"),
    ("ember", "Ember orange on cream", "#c2410c", "#fff7ed"),
    ("charcoal", "Charcoal on light grey", "#1f2937", "#f9fafb"),
]
YES_NO_MAYBE = [("yes", "Yes"), ("no", "No"), ("maybe", "Maybe")]


def plan_questions(template: ToolDefinition) -> list[Question]:
    """At most six questions whose answers the planner really applies to the template."""
    followups = {f.id: f for f in template.followup_questions}
    audience = next((followups[i] for i in AUDIENCE_IDS if i in followups), None)
    picked: list[Question] = []
    if audience is not None:
        picked.append(_from_followup(audience, template))
    if template.kind == "calculator":
        picked.append(inputs_question(template))
        if "currency" in followups:
            picked.append(_from_followup(followups["currency"], template))
    elif "tier_names" in followups and _ranged_outcomes(template) == 3:
        picked.append(_from_followup(followups["tier_names"], template))
    picked.append(colour_question(template))
    picked.append(_from_followup(_lead_followup(followups), template))
    picked.append(result_style_question(template))
    if "next_step" in followups and _cta(template) is not None:
        picked.append(_from_followup(followups["next_step"], template))
    return picked[:MAX_QUESTIONS]


def _lead_followup(followups: dict[str, FollowupQuestion]) -> FollowupQuestion:
    return followups.get("lead_timing") or FollowupQuestion(
        id="lead_timing",
        prompt="When should visitors leave their email?",
        input_type="select",
        options=list(LEAD_TIMING),
    )


def _ranged_outcomes(template: ToolDefinition) -> int:
    return sum(1 for o in template.outcomes if o.ranged)


def _cta(template: ToolDefinition) -> dict[str, str] | None:
    for block in template.results:
        if block.type == "cta":
            return {"label": block.label, "url": block.url}
    return None


def _from_followup(followup: FollowupQuestion, template: ToolDefinition) -> Question:
    kind = followup.input_type
    options = [QuestionOption(value=o, label=o) for o in followup.options]
    question = Question(id=followup.id, prompt=followup.prompt, input_type=kind, options=options)
    if kind == "select":
        question.allow_custom = followup.id in AUDIENCE_IDS
        question.default = _select_default(followup, template)
    elif kind == "multiselect":
        question.max_selections = len(options)
        question.default = list(followup.options[:3])
    elif kind == "text":
        question.options = []
        question.suggestions = list(followup.options)
        question.allow_custom = True
        question.placeholder = followup.options[0] if followup.options else ""
        question.default = followup.options[0] if followup.options else ""
    elif kind == "yes_no_maybe":
        question.options = [QuestionOption(value=v, label=label) for v, label in YES_NO_MAYBE]
        question.default = "yes"
    elif kind == "multipart":
        question.parts, question.default = _parts(followup, template)
    elif kind == "color_pair":
        return colour_question(template)
    return question


def _select_default(followup: FollowupQuestion, template: ToolDefinition) -> str:
    if followup.id == "currency":
        return template.currency
    if followup.id == "lead_timing":
        mode = template.lead_capture.mode
        return next(label for label, value in LEAD_TIMING.items() if value == mode)
    return followup.options[0] if followup.options else ""


def _parts(
    followup: FollowupQuestion, template: ToolDefinition
) -> tuple[list[Question], dict[str, str]]:
    defaults: dict[str, str] = {}
    if followup.id == "tier_names":
        ranged = sorted((o for o in template.outcomes if o.ranged), key=lambda o: o.min_score or 0)
        defaults = {p.id: o.title for p, o in zip(followup.parts, ranged, strict=False)}
    elif followup.id == "next_step":
        defaults = _cta(template) or {}
    parts = [
        Question(
            id=p.id,
            prompt=p.prompt,
            input_type="select" if p.input_type == "select" else "text",
            options=[QuestionOption(value=o, label=o) for o in p.options],
            placeholder=defaults.get(p.id, ""),
            default=defaults.get(p.id, ""),
        )
        for p in followup.parts
    ]
    return parts, defaults


def inputs_question(template: ToolDefinition) -> Question:
    return Question(
        id="inputs",
        prompt="Which figures should visitors fill in? The others use sensible fixed values.",
        input_type="multiselect",
        options=[QuestionOption(value=i.id, label=i.label) for i in template.inputs],
        max_selections=len(template.inputs),
        default=[i.id for i in template.inputs],
    )


def colour_question(template: ToolDefinition) -> Question:
    current = (template.theme.primary, template.theme.background)
    options = [
        QuestionOption(value="template", label="Keep the template's colours", colors=[*current])
    ]
    options += [
        QuestionOption(value=v, label=label, colors=[p, b]) for v, label, p, b in COLOR_PAIRS
    ]
    return Question(
        id="brand_colors",
        prompt="Which two brand colours should the tool use (buttons and background)?",
        input_type="color_pair",
        options=options,
        allow_custom=True,
        default=list(current),
    )


def result_style_question(template: ToolDefinition) -> Question:
    return Question(
        id="result_style",
        prompt="How should the result be presented?",
        input_type="select",
        options=[QuestionOption(value=v, label=label) for label, v in RESULT_STYLES.items()],
        default="chart",
    )

"""The offline planner's questions: only what the brief did not say, with sensible defaults."""

from __future__ import annotations

from keyvex.ai.models import Question, QuestionOption
from keyvex.knowledge import Understanding, knowledge_base
from keyvex.knowledge.plan import Plan
from keyvex.tools import ToolDefinition
from keyvex.tools.results import placeholder_host

MAX_QUESTIONS = 6
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
CURRENCY_CHOICES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "SEK", "INR")
#: Lengths offered when the brief states no count: (label, questions).
LENGTHS = {
    "assessment": (("Short: 6 statements", 6), ("Standard: 12 statements", 12),
                   ("Thorough: 20 statements", 20)),
    "quiz": (("Short: 5 questions", 5), ("Standard: 7 questions", 7),
             ("Long: 10 questions", 10)),
}  # fmt: skip


def plan_questions(plan: Plan, u: Understanding, draft: ToolDefinition) -> list[Question]:
    """At most six questions, each about something the brief did not already say.

    ``draft`` is the tool composed from the brief alone: its inputs, colours and call to
    action are the defaults the creator sees."""
    picked: list[Question] = []
    if not u.audience:
        picked.append(audience_question(plan))
    if draft.kind == "calculator":
        picked.append(inputs_question(draft))
        if not u.currency:
            picked.append(currency_question(draft))
    elif u.questions is None:
        picked.append(length_question(draft))
    picked.append(next_step_question(draft, u))
    picked.append(colour_question(draft))
    picked.append(lead_question(draft))
    if draft.kind == "calculator":
        picked.append(result_style_question(draft))
    return picked[:MAX_QUESTIONS]


def audience_question(plan: Plan) -> Question:
    default = plan.entry.audience if plan.entry is not None else "small business owners"
    suggestions = [default] + [
        i.audience for i in knowledge_base().vocabulary.industries if i.audience != default
    ][:7]
    return Question(
        id="audience", prompt="Who is the tool for? It shapes the title and the wording.",
        input_type="text", suggestions=suggestions, allow_custom=True, placeholder=default,
        default=default,
    )  # fmt: skip


def inputs_question(draft: ToolDefinition) -> Question:
    return Question(
        id="inputs",
        prompt="Which figures should visitors fill in? The others use sensible fixed values.",
        input_type="multiselect",
        options=[QuestionOption(value=i.id, label=i.label) for i in draft.inputs],
        max_selections=len(draft.inputs),
        default=[i.id for i in draft.inputs],
    )


def currency_question(draft: ToolDefinition) -> Question:
    return Question(
        id="currency", prompt="Which currency should the figures use?", input_type="select",
        options=[QuestionOption(value=c, label=c) for c in CURRENCY_CHOICES],
        allow_custom=True, default=draft.currency,
    )  # fmt: skip


def length_question(draft: ToolDefinition) -> Question:
    choices = LENGTHS["assessment" if draft.kind == "assessment" else "quiz"]
    options = [QuestionOption(value=str(n), label=label) for label, n in choices]
    return Question(
        id="length", prompt="How long should it be?", input_type="select", options=options,
        default=str(choices[1][1]),
    )  # fmt: skip


def next_step_question(draft: ToolDefinition, u: Understanding) -> Question:
    cta = next((b for b in draft.results if b.type == "cta"), None)
    label = getattr(cta, "label", "Book a call")
    url = getattr(cta, "url", "")
    if placeholder_host(url) is not None:  # never offered as if it were the creator's link
        url = ""
    parts = [
        Question(id="label", prompt="Button text", input_type="text", placeholder=label,
                 default=label),
        Question(id="url", prompt="Booking page, email or phone link", input_type="text",
                 placeholder="https://your-site.com/book, mailto:you@… or tel:+…",
                 default=url),
    ]  # fmt: skip
    said = f" (you mentioned {u.offer})" if u.offer else ""
    return Question(
        id="next_step", prompt=f"What should a visitor do after the result{said}?",
        input_type="multipart", parts=parts, default={"label": label, "url": url},
    )  # fmt: skip


def lead_question(draft: ToolDefinition) -> Question:
    mode = draft.lead_capture.mode
    default = next((label for label, value in LEAD_TIMING.items() if value == mode), "")
    return Question(
        id="lead_timing", prompt="When should visitors leave their email?", input_type="select",
        options=[QuestionOption(value=label, label=label) for label in LEAD_TIMING],
        default=default,
    )  # fmt: skip


def colour_question(template: ToolDefinition) -> Question:
    current = (template.theme.primary, template.theme.background)
    options = [QuestionOption(value="template", label="Keep these colours", colors=[*current])]
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

"""Turning knowledge-base entries into ToolDefinitions, adapted to a brief's words.

Composition is pure and deterministic: the same entry, slots and counts give the same tool.
What the brief says (audience, business, offer, counts, currency) arrives as a
:class:`Fit` request; everything else comes from the reviewed entry. Each composer also
writes test cases whose expected values follow from the structure (best answers score
100 %, worst 0 %; every archetype reachable), so ``verify()`` checks the composed tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from keyvex.knowledge._load import knowledge_base
from keyvex.knowledge._named import Named
from keyvex.knowledge._outcomes import Narrowed, narrow
from keyvex.knowledge.models import (
    SLOT,
    UNIVERSAL_SLOTS,
    Archetype,
    AssessmentBank,
    CalculatorModel,
    FactBank,
    OutcomeSet,
    Tier,
    Variant,
)
from keyvex.tools import ToolDefinition, parse_tool

CTA_URL = "https://example.com/book-a-call"
SCALES: dict[str, list[tuple[str, str, float]]] = {
    "agreement": [
        ("strongly_disagree", "Strongly disagree", 0),
        ("disagree", "Disagree", 1),
        ("neutral", "Neither agree nor disagree", 2),
        ("agree", "Agree", 3),
        ("strongly_agree", "Strongly agree", 4),
    ],
    "frequency": [
        ("never", "Never", 0),
        ("rarely", "Rarely", 1),
        ("sometimes", "Sometimes", 2),
        ("often", "Often", 3),
        ("always", "Always", 4),
    ],
    "yes_no": [("no", "No", 0), ("partly", "Partly", 2), ("yes", "Yes", 4)],
}
TIER_BANDS = ((0, 40), (40, 70), (70, 100))
DEFAULT_QUESTIONS = {"assessment": 12, "outcome_quiz": 7, "knowledge_quiz": 8}
#: Areas a scorecard scores unless the brief asks for fewer: a bank's reviewed description
#: names all of its areas, so all of them are built (up to this many).
MAX_AREAS = 8


@dataclass
class Slots:
    """The brief's words that fill an entry's ``{slots}``; empty means the entry's default."""

    audience: str = ""
    business: str = ""
    offer: str = ""
    cta_label: str = ""
    currency: str = ""
    questions: int | None = None
    categories: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: The outcomes the brief names ("are you a visionary, a coach or a diplomat?").
    named: Named = field(default_factory=Named)


def fill(value: Any, slots: dict[str, str]) -> Any:
    """Replace ``{slot}`` in every string of ``value`` (``{{placeholders}}`` stay)."""
    if isinstance(value, str):
        if not SLOT.search(value):
            return value
        filled = tidy(SLOT.sub(lambda m: slots.get(m.group(1), m.group(0)), value))
        return filled[:1].upper() + filled[1:] if value.startswith("{") else filled
    if isinstance(value, list):
        return [fill(v, slots) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, slots) for k, v in value.items()}
    return value


def fill_inline(value: str, slots: dict[str, str]) -> str:
    """``value`` with its slots filled, for use inside a sentence (no capital added)."""
    return tidy(SLOT.sub(lambda m: slots.get(m.group(1), m.group(0)), value))


def tidy(text: str) -> str:
    """Copy hygiene after slot filling: no doubled words ("your your") or spaces."""
    text = re.sub(r"\b(\w+) \1\b", r"\1", text, flags=re.IGNORECASE)
    return re.sub(r" {2,}", " ", text).strip()


def _slot_values(entry: Any, slots: Slots, extra: dict[str, str] | None = None) -> dict[str, str]:
    values = {
        "audience": slots.audience or entry.audience,
        "business": slots.business or entry.business,
        "offer": slots.offer or entry.offer,
    }
    values.update(slots.extra)
    values.update(extra or {})
    # An entry's own offer may name the subject ("a review of your {subject} plans").
    values["offer"] = fill(values["offer"], values)
    # A model's slot may name the visitor's business ("your {business}"), so that a variant
    # for businesses says whose money it saves while the model's default stays "you".
    for name in extra or {}:
        if name not in UNIVERSAL_SLOTS and SLOT.search(values[name]):
            values[name] = fill_inline(values[name], values)
    return values


def slug_of(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return (slug or "tool")[:60].strip("-")


def _lead_capture(title: str, text: str) -> dict[str, Any]:
    return {
        "mode": "after_results",
        "title": title,
        "text": text,
        "fields": [
            {"id": "name", "label": "First name", "type": "name", "required": False},
            {"id": "email", "label": "Email", "type": "email", "required": True},
        ],
        "consent_text": "I agree to be contacted about my results. I can unsubscribe at any time.",
        "consent_required": True,
        "button_label": "Show my results",
    }


def _cta(entry: Any, values: dict[str, str], slots: Slots) -> dict[str, Any]:
    label = slots.cta_label or fill(entry.cta_label, values)
    return {
        "type": "cta",
        "label": label[:200],
        "url": CTA_URL,
        "text": tidy(f"Talk to us about {values['offer']}."),
    }


def _tiers(tiers: list[Tier], values: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": tier.id,
            "title": fill(tier.title, values),
            "min_score": low,
            "max_score": high,
            "description": fill(tier.description, values),
            "recommendations": [fill(tier.recommendation, values)],
        }
        for tier, (low, high) in zip(tiers, TIER_BANDS, strict=True)
    ]


def _spread(counts: int, buckets: list[int]) -> list[int]:
    """Share ``counts`` items over buckets of the given sizes, round-robin, capped by size."""
    taken = [0] * len(buckets)
    left = min(counts, sum(buckets))
    while left:
        for i, size in enumerate(buckets):
            if left and taken[i] < size:
                taken[i] += 1
                left -= 1
    return taken


#: Words after which an audience phrase stops naming who the visitors are and starts saying
#: which of them ("people *in* their 50s", "parents *of* toddlers", "couples *planning* a
#: wedding"): the head noun phrase is what comes before the first of them.
QUALIFIERS = frozenset(
    """in of who whose that which with without for from at on near over under aged about
    approaching planning looking thinking considering buying starting living across around
    between""".split()
)


def for_individuals(audience: str) -> bool:
    """Whether ``audience`` names people who take the tool for themselves, not for an
    organisation: every part of its head noun phrase ("first-time home buyers",
    "parents and carers") ends in one of the vocabulary's ``people`` nouns. "People
    managers", "patient services teams" and "couples and event planners" end in something
    else and keep an organisation's wording. An empty audience is not known to be people:
    the bank's own wording stays.

    The audience (the brief's, or the creator's answer to the audience question) is the one
    place a plan says who the visitors are, and it arrives here as ``slots.audience``, so
    the decision needs nothing else; an industry flag would miss the audiences that name no
    industry ("people in their 50s", "job seekers")."""
    words = " ".join(audience.lower().replace(",", " , ").split()).split()
    head: list[str] = []
    for word in words:
        if word in QUALIFIERS:
            break
        head.append(word)
    joined = " ".join(head).replace(" , ", " and ").replace(" or ", " and ")
    parts = [p.strip(" ,") for p in joined.split(" and ") if p.strip(" ,")]
    people = knowledge_base().vocabulary.people
    return bool(parts) and all(
        any(f" {part}".endswith(f" {noun}") for noun in people) for part in parts
    )


def _for_the_visitor(bank: AssessmentBank, slots: Slots) -> AssessmentBank:
    """``bank`` with its personal wording when it has one and the visitor is a person."""
    if bank.personal is None or not for_individuals(slots.audience):
        return bank
    personal = bank.personal
    return bank.model_copy(
        update={
            "title": personal.title,
            "description": personal.description,
            "audience": personal.audience,
            "offer": personal.offer,
            "categories": personal.categories,
            "tiers": personal.tiers,
            "personal": None,
        }
    )


def assessment_tool(bank: AssessmentBank, slots: Slots) -> ToolDefinition:
    """A scorecard: ``slots.categories`` areas (default 4) and about ``slots.questions``
    statements (default 12) spread over them, each rated on the bank's scale. A bank with
    personal wording speaks to a person when the audience names individuals
    (:func:`for_individuals`)."""
    bank = _for_the_visitor(bank, slots)
    n_categories = max(2, min(slots.categories or MAX_AREAS, len(bank.categories)))
    categories = bank.categories[:n_categories]
    values = _slot_values(bank, slots)
    wanted = slots.questions or max(DEFAULT_QUESTIONS["assessment"], 2 * n_categories)
    wanted = max(n_categories, wanted)
    per = _spread(wanted, [len(c.statements) for c in categories])
    scale = SCALES[bank.scale]
    options = [{"value": v, "label": label, "points": p} for v, label, p in scale]
    inputs, steps, best, worst = [], [], {}, {}
    for category, count in zip(categories, per, strict=True):
        chosen = category.statements[:count]
        for statement in chosen:
            inputs.append({
                "id": statement.id, "type": "radio", "label": fill(statement.text, values),
                "category": category.id, "options": options, "reverse_scored": statement.reverse,
            })  # fmt: skip
            best[statement.id] = scale[0][0] if statement.reverse else scale[-1][0]
            worst[statement.id] = scale[-1][0] if statement.reverse else scale[0][0]
        steps.append({"id": f"step_{category.id}", "title": fill(category.title, values),
                      "inputs": [s.id for s in chosen]})  # fmt: skip
    subject = fill_inline(bank.subject, values)
    data = {
        "id": slug_of(fill(bank.title, values)),
        "title": fill(bank.title, values),
        "description": _description(bank, values, categories),
        "kind": "assessment",
        "tags": ["assessment", "scorecard", subject.lower()],
        "keywords": bank.terms[:8],
        "scoring": {
            "recommendation_threshold": 60,
            "categories": [
                {
                    "id": c.id,
                    "title": fill(c.title, values),
                    "recommendation": fill(c.advice, values),
                }
                for c in categories
            ],
        },  # fmt: skip
        "inputs": inputs,
        "steps": steps,
        "outcomes": _tiers(bank.tiers, values),
        "results": [
            {
                "type": "headline",
                "text": f"Your {subject} score: {{{{score_percent}}}}",
                "subtext": "Here is how you compare in each area.",
            },
            {
                "type": "chart",
                "chart": "radar" if len(categories) >= 3 else "bar",
                "title": "Your profile by area",
                "source": "categories",
            },
            {"type": "outcome"},
            {"type": "recommendations", "title": "Where to start"},
            _cta(bank, values, slots),
        ],  # fmt: skip
        "lead_capture": _lead_capture(
            "Want to talk through your results?",
            "Leave your email and we will get in touch about your scores and where to start.",
        ),  # fmt: skip
        "test_cases": [
            {
                "name": "every answer at its best",
                "answers": best,
                "expected": {"score_percent": 100},
                "expected_outcome": bank.tiers[2].id,
                "notes": "The best answer everywhere (reversed items: disagree) scores 100%.",
            },
            {
                "name": "every answer at its worst",
                "answers": worst,
                "expected": {"score_percent": 0},
                "expected_outcome": bank.tiers[0].id,
                "notes": "The worst answer of every statement scores 0%.",
            },
        ],  # fmt: skip
    }
    return parse_tool(data)


def _description(bank: AssessmentBank, values: dict[str, str], built: list[Any]) -> str:
    """The bank's description, naming only the areas the tool scores: ``{areas}`` lists them;
    a reviewed description that lists all of the bank's areas ("...: strategy, data, skills,
    governance and tools") keeps its opening and lists the built ones when fewer are built."""
    titles = [fill_inline(c.title, values) for c in built]
    areas = _listed([t if t[:2].isupper() else t[:1].lower() + t[1:] for t in titles])
    text = bank.description
    if "{areas}" not in text and len(built) < len(bank.categories):
        head = text.split(":", 1)[0] if ":" in text else text.rstrip(". ")
        head = re.sub(r"\b(?:two|three|four|five|six|seven|eight)\b", _count_word(len(built)), head)
        text = f"{head}: {{areas}}."
    return str(fill(text, {**values, "areas": areas}))


def _listed(items: list[str]) -> str:
    """Items as a list in a sentence: "a and b"; "a, b, and c" (areas often hold an "and"
    of their own: "people and skills")."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}.get(n, str(n))


def outcome_tool(quiz: OutcomeSet, slots: Slots) -> ToolDefinition:
    """'Which X fits you?': ``slots.questions`` questions (default 7), options -> archetypes;
    narrowed to the outcomes the brief names, when it names them (``slots.named``)."""
    values = _slot_values(quiz, slots)
    narrowed = _narrowed(quiz, slots, values)
    archetypes = narrowed.archetypes if narrowed else quiz.archetypes
    pool = narrowed.questions if narrowed else quiz.questions
    count = max(3, min(slots.questions or DEFAULT_QUESTIONS["outcome_quiz"], len(pool)))
    questions = _reaching(pool, count, archetypes)
    inputs = []
    for q in questions:
        options = [
            {"value": chr(ord("a") + i), "label": fill(o.label, values),
             "outcome_points": dict(o.points)}
            for i, o in enumerate(q.options)
        ]  # fmt: skip
        inputs.append(
            {"id": q.id, "type": "radio", "label": fill(q.text, values), "options": options}
        )
    subject = fill(quiz.subject, values)
    description = narrowed.description if narrowed else None
    data = {
        "id": slug_of(fill(quiz.title, values)),
        "title": (narrowed.title if narrowed else None) or fill(quiz.title, values),
        "description": description or fill(quiz.description, values),
        "kind": "quiz",
        "tags": ["quiz", "outcome", subject.lower()],
        "keywords": quiz.terms[:8],
        "scoring": {"quiz_type": "outcome"},
        "inputs": inputs,
        # No steps: the public page numbers the questions itself (one per screen).
        "outcomes": [
            {
                "id": a.id,
                "title": fill(a.title, values),
                "description": fill(a.description, values),
                "recommendations": fill(a.recommendations, values),
            }
            for a in archetypes
        ],  # fmt: skip
        "results": [
            {"type": "outcome"},
            {"type": "recommendations", "title": "What to do next"},
            _cta(quiz, values, slots),
        ],
        "lead_capture": _lead_capture(
            "Want to talk it through?",
            "Leave your email and we will get in touch about what your result means for you.",
        ),  # fmt: skip
        "test_cases": _outcome_cases(archetypes, questions),
    }
    return parse_tool(data)


def _narrowed(quiz: OutcomeSet, slots: Slots, values: dict[str, str]) -> Narrowed | None:
    if not slots.named:
        return None
    titles = {a.id: fill(a.title, values) for a in quiz.archetypes}
    return narrow(quiz, slots.named, titles)


def _reaching(pool: list[Any], count: int, archetypes: list[Archetype]) -> list[Any]:
    """The first ``count`` questions, and the first further one for any outcome they
    would leave unreachable."""
    chosen = list(pool[:count])
    for archetype in archetypes:
        if any(archetype.id in o.points for q in chosen for o in q.options):
            continue
        extra = next((q for q in pool if q not in chosen and _reaches(q, archetype.id)), None)
        if extra is not None:
            chosen.append(extra)
    return chosen


def _reaches(question: Any, archetype: str) -> bool:
    return any(o.points.get(archetype, 0) > 0 for o in question.options)


def _favouring(options: list[Any], archetype: str) -> Any:
    """Sort key: how much an option favours ``archetype`` over the others (first on ties)."""

    def key(i: int) -> tuple[float, int]:
        points = options[i].points
        rivals = max((v for k, v in points.items() if k != archetype), default=0)
        return (points.get(archetype, 0) - rivals, -i)

    return key


def _outcome_cases(archetypes: list[Archetype], questions: list[Any]) -> list[dict[str, Any]]:
    """For each archetype that some answer sequence makes the clear winner, that sequence."""
    cases = []
    for archetype in archetypes:
        answers: dict[str, str] = {}
        totals = dict.fromkeys((a.id for a in archetypes), 0.0)
        for q in questions:
            best = max(range(len(q.options)), key=_favouring(q.options, archetype.id))
            answers[q.id] = chr(ord("a") + best)
            for k, v in q.options[best].points.items():
                totals[k] += v
        top = max(totals.values())
        winners = [k for k, v in totals.items() if v == top]
        if winners == [archetype.id]:
            cases.append({"name": f"leans {archetype.id}", "answers": answers,
                          "expected_outcome": archetype.id,
                          "notes": f"Every answer favours {archetype.title}."})  # fmt: skip
    return cases


def fact_tool(bank: FactBank, slots: Slots) -> ToolDefinition:
    """A knowledge quiz: ``slots.questions`` facts (default 8) with one right answer each."""
    values = _slot_values(bank, slots)
    count = max(3, min(slots.questions or DEFAULT_QUESTIONS["knowledge_quiz"], len(bank.facts)))
    facts = bank.facts[:count]
    inputs, right, wrong = [], {}, {}
    for fact in facts:
        options = [
            {"value": chr(ord("a") + i), "label": fill(o, values), "correct": o == fact.answer}
            for i, o in enumerate(fact.options)
        ]
        inputs.append({"id": fact.id, "type": "radio", "label": fill(fact.question, values),
                       "help": "", "options": options})  # fmt: skip
        right[fact.id] = next(o["value"] for o in options if o["correct"])
        wrong[fact.id] = next(o["value"] for o in options if not o["correct"])
    topic = fill(bank.topic, values)
    outcomes = _tiers(bank.tiers, values)
    explanations = [fill(f.explanation, values) for f in facts]
    data = {
        "id": slug_of(fill(bank.title, values)),
        "title": fill(bank.title, values),
        "description": fill(bank.description, values),
        "kind": "quiz",
        "tags": ["quiz", "knowledge", topic.lower()],
        "keywords": bank.terms[:8],
        "scoring": {"quiz_type": "knowledge"},
        "inputs": inputs,
        # No steps: the public page numbers the questions itself (one per screen).
        "outcomes": outcomes,
        "results": [
            {
                "type": "headline",
                "text": "You scored {{score}} out of {{max_score}}",
                "subtext": "That is {{score_percent}}.",
            },
            {
                "type": "chart",
                "chart": "gauge",
                "title": "Your score",
                "series": ["percent_correct"],
                "max": 100,
            },
            {"type": "outcome"},
            {"type": "text", "text": "The answers, explained: " + " ".join(explanations)},
            _cta(bank, values, slots),
        ],  # fmt: skip
        "calculations": [
            {
                "id": "percent_correct",
                "label": "Score",
                "formula": "score_percent",
                "format": "number",
                "decimals": 0,
                "unit": "%",
            }
        ],  # fmt: skip
        "lead_capture": _lead_capture(
            "Want to go further?",
            "Leave your email and we will get in touch about what to learn next.",
        ),
        "test_cases": [
            {
                "name": "all right",
                "answers": right,
                "expected": {"score": count, "max_score": count, "score_percent": 100},
                "expected_outcome": bank.tiers[2].id,
                "notes": f"{count} of {count} right.",
            },
            {
                "name": "all wrong",
                "answers": wrong,
                "expected": {"score": 0, "score_percent": 0},
                "expected_outcome": bank.tiers[0].id,
                "notes": "No right answers.",
            },
        ],  # fmt: skip
    }
    return parse_tool(data)


def calculator_tool(
    model: CalculatorModel, variant: Variant | None, slots: Slots
) -> ToolDefinition:
    """The model's tool with its slots filled (variant, then the brief's words) and the
    variant's input and constant overrides applied."""
    model_slots = {**model.slots, **(variant.slots if variant else {}), **slots.extra}
    values = _slot_values(model, slots, model_slots)
    data = fill(model.tool, values)
    data["title"] = fill(model.title, values)
    data["description"] = fill(model.description, values)
    data["kind"] = "calculator"
    data.setdefault("id", slug_of(data["title"]))
    data.setdefault("keywords", model.terms[:8])
    if variant is not None:
        for item in data["inputs"]:
            item.update(variant.inputs.get(item["id"], {}))
        for constant in data.get("constants", []):
            if constant["id"] in variant.constants:
                constant["value"] = variant.constants[constant["id"]]
    if slots.currency:
        _currency(data, slots.currency)
    for block in data.get("results", []):
        if block.get("type") == "cta":
            block.update({k: v for k, v in _cta(model, values, slots).items() if k != "type"})
    data.setdefault(
        "lead_capture",
        _lead_capture(
            "Want to talk through these figures?",
            "Leave your email and we will get in touch about what they mean for you.",
        ),
    )
    return parse_tool(data)


def _currency(data: dict[str, Any], code: str) -> None:
    data["currency"] = code
    for item in (*data["inputs"], *data.get("calculations", [])):
        if item.get("currency"):
            item["currency"] = code

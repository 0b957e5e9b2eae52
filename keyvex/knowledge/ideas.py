"""Tool ideas from a creator's expertise, audience and offer ("Magic Spark"), offline.

Entries whose terms the creator's words match are proposed first, one per kind where
possible (a mix of calculator, scorecard and quiz serves more visitors than three of one
kind); then the calculator variants written for the industry the creator's audience or
expertise names ("independent dental practices": missed recalls, no-shows, treatment
drop-outs). When fewer than three match, general ideas in the creator's own words fill up,
marked ``general`` so nobody mistakes them for reviewed content. Every idea carries the
brief that starts a co-creation session, written so that the planner finds the same entry.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from keyvex.knowledge._english import with_article
from keyvex.knowledge._load import knowledge_base
from keyvex.knowledge.brief import KIND_NAMES, Kind, has_term, normalise, understand
from keyvex.knowledge.compose import Slots
from keyvex.knowledge.models import CalculatorModel, FactBank, Variant
from keyvex.knowledge.plan import ENTRY_KIND, Plan, choose, compose

MAX_IDEAS = 5
KIND_ORDER: tuple[Kind, ...] = ("assessment", "calculator", "outcome_quiz", "knowledge_quiz")
BRIEF_NOUN = {
    "calculator": "calculator",
    "assessment": "scorecard",
    "outcome_quiz": "quiz",
    "knowledge_quiz": "quiz",
}
VALUE = {
    "calculator": "Shows {audience} what {subject} means for them, in their own numbers.",
    "assessment": "Gives {audience} a score on {subject}, area by area, with where to start.",
    "outcome_quiz": "Tells {audience} which {subject} suits them, and why.",
    "knowledge_quiz": "Tests what {audience} know about {subject}, with the answers explained.",
}
WHY = {
    "calculator": "A personal figure is worth an email, and large figures point you to the "
    "prospects who feel the problem most.",
    "assessment": "Every weak area is a reason to talk to you about {offer}: each result "
    "is a warm conversation starter.",
    "outcome_quiz": "Each result leads to a next step you offer, so visitors qualify themselves.",
    "knowledge_quiz": "Quizzes get shared, and low scores show who needs your help with {offer}.",
}


@dataclass(frozen=True)
class Idea:
    """One tool idea: what it is, what the visitor gets, why it brings leads, how to start."""

    kind: Kind
    title: str
    value: str
    why: str
    brief: str
    source: str
    general: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def clean(text: str, limit: int = 200) -> str:
    return re.sub(r"\s+", " ", text or "").strip()[:limit]


def generate(expertise: str, audience: str, offer: str = "") -> list[Idea]:
    """3-5 ideas for this creator (never fewer than three: general ones fill up)."""
    expertise, audience, offer = clean(expertise), clean(audience), clean(offer)
    text = normalise(f"{expertise} {offer}")
    ideas: list[Idea] = []
    for plan in _matching(text, audience, expertise):
        if len(ideas) >= MAX_IDEAS:
            break
        idea = _idea(plan, audience, offer, text)
        if choose(understand(idea.brief)).source_id == idea.source:  # the brief leads back
            ideas.append(idea)
    for kind in KIND_ORDER[:3]:
        if len(ideas) >= 3:
            break
        if not any(i.kind == kind for i in ideas):
            ideas.append(_general(kind, expertise, audience, offer))
    return ideas


def _matching(text: str, audience: str, expertise: str) -> list[Plan]:
    """The best matching entry (and variant) of each kind, then the runners-up, then the
    variants written for the creator's industry."""
    found: list[tuple[float, int, Plan]] = []
    u = understand(audience)
    industry = u.industry or understand(expertise).industry
    serves = industry.id if industry else ""
    for order, entry in enumerate(knowledge_base().entries()):
        hits = [t for t in entry.terms if has_term(text, t)]
        variant = None
        if isinstance(entry, CalculatorModel):
            matched = [(v, [t for t in v.terms if has_term(text, t)]) for v in entry.variants]
            best: tuple[Variant | None, list[str]] = max(
                matched, key=lambda m: len(m[1]), default=(None, [])
            )
            if best[1]:
                variant, hits = best[0], hits + best[1]
            elif hits:  # the family named: the creator's industry picks the variant
                variant = next((v for v in entry.variants if serves in v.industries), None)
        if hits:
            score = sum(1 + len(t.split()) for t in hits)
            found.append((score, order, Plan(u, ENTRY_KIND[type(entry)], entry, variant, hits)))
    taken = {p.entry.id for _, _, p in found if p.entry is not None}
    for order, (model, variant) in enumerate(_for_industry(serves)):
        if model.id not in taken:  # below any entry the creator's own words name
            plan = Plan(u, "calculator", model, variant, [model.terms[0]])
            found.append((1.0, len(knowledge_base().entries()) + order, plan))
    found.sort(key=lambda f: (-f[0], f[1]))
    firsts: list[Plan] = []
    for kind in KIND_ORDER:
        first = next((p for _, _, p in found if p.kind == kind), None)
        if first is not None:
            firsts.append(first)
    rest = [p for _, _, p in found if p not in firsts]
    return firsts + rest


def _for_industry(industry: str) -> list[tuple[CalculatorModel, Variant]]:
    """Calculator variants that name ``industry`` as one they serve."""
    return [
        (model, variant)
        for model in knowledge_base().calculators
        for variant in model.variants
        if industry and industry in variant.industries
    ]


def _subject(plan: Plan) -> str:
    entry = plan.entry
    if isinstance(entry, CalculatorModel):
        if plan.variant is not None and plan.variant.slots:
            return next(iter(plan.variant.slots.values()))
        return entry.family
    if isinstance(entry, FactBank):
        return entry.topic
    return str(getattr(entry, "subject", "")) or "your subject"


def _as_written(term: str, text: str) -> str:
    """A matched term as the creator wrote it (a prefix term becomes the whole word)."""
    if not term.endswith("*"):
        return term
    found = re.search(r"(?<= )" + re.escape(term[:-1]) + r"\S*", text)
    return found.group(0) if found else term[:-1]


def _idea(plan: Plan, audience: str, offer: str, text: str) -> Idea:
    assert plan.entry is not None
    entry = plan.entry
    who = audience or entry.audience
    selling = offer or entry.offer
    industry = understand(who).industry
    business = industry.business if industry else ""
    tool = compose(plan, Slots(audience=who, business=business, offer=selling))
    subject = _subject(plan)
    said = [_as_written(t, text) for t in plan.matched[:2] if has_term(text, t)]
    about = " and ".join(dict.fromkeys(said))
    about = f" about {about}" if about else ""  # an industry's idea: its title says what
    brief = f"{tool.title} A {BRIEF_NOUN[plan.kind]}{about} for {who}."
    if offer:
        brief += f" I sell {offer}."
    return Idea(
        kind=plan.kind,
        title=tool.title,
        value=_value(plan, tool.description, who, subject),
        why=WHY[plan.kind].format(offer=selling),
        brief=clean(brief, 2000),
        source=plan.source_id,
    )


def _value(plan: Plan, description: str, who: str, subject: str) -> str:
    """What the visitor gets. A calculator's reviewed description says it to the visitor
    in its own words ("See what recalls that never turn into a visit cost you ..."); the
    kind's sentence would read "what patients means for them" with a variant's slot."""
    if plan.kind == "calculator" and description:
        return f"{description.rstrip()} Made for {who}."
    return VALUE[plan.kind].format(audience=who, subject=subject)


def _general(kind: Kind, expertise: str, audience: str, offer: str) -> Idea:
    """An idea with the general structure of ``kind``, in the creator's own words."""
    subject = expertise or "your field"
    who = audience or "your clients"
    titles = {
        "assessment": f"How ready are you for {with_article(subject)}?",
        "calculator": f"What is {subject} worth to you?",
        "outcome_quiz": f"Which approach to {subject} fits you?",
        "knowledge_quiz": f"How much do you know about {subject}?",
    }
    briefs = {
        "assessment": f"A readiness scorecard on {subject} for {who}.",
        "calculator": f"An ROI calculator showing {who} what {subject} is worth to them.",
        "outcome_quiz": f"A quiz for {who}: which approach to {subject} fits them?",
        "knowledge_quiz": f"A knowledge quiz about {subject} for {who}.",
    }
    brief = briefs[kind]
    if offer:
        brief += f" I sell {offer}."
    return Idea(
        kind=kind,
        title=titles[kind][:160],
        value=VALUE[kind].format(
            audience=who, subject=f"approach to {subject}" if kind == "outcome_quiz" else subject
        ),
        why=WHY[kind].format(offer=offer or "what you offer"),
        brief=clean(brief, 2000),
        source=f"generic-{kind}",
        general=True,
    )


def kind_label(kind: Kind) -> str:
    return KIND_NAMES[kind]

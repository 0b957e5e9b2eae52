"""Choosing what to build from the knowledge base, composing it, and saying how well it fits.

:func:`choose` scores every entry (and calculator variant) of a compatible kind by the brief
words its terms match; multi-word terms count more, being more specific. With no match the
plan is *generic*: the closest structure of the asked-for kind, labelled with the brief's own
subject words, and its fit says so (``low``). :func:`fit_of` compares the composed tool with
what the brief asked for (kind, subject, audience, offer, counts, currency, constraints),
so a report can never claim a fit that is not there: a reviewed entry's tool is judged by
the brief's own subject words (``_coverage``), not by the term that chose it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from keyvex.knowledge._coverage import check_subject, missing_line
from keyvex.knowledge._english import plural, with_article
from keyvex.knowledge._load import knowledge_base
from keyvex.knowledge._outcomes import match_names, named_fit, several
from keyvex.knowledge.brief import KIND_NAMES, Kind, Understanding, has_term, normalise
from keyvex.knowledge.compose import (
    Slots,
    assessment_tool,
    calculator_tool,
    fact_tool,
    outcome_tool,
)
from keyvex.knowledge.models import (
    AssessmentBank,
    CalculatorModel,
    FactBank,
    OutcomeSet,
    Variant,
)
from keyvex.tools import ToolDefinition

Entry = CalculatorModel | AssessmentBank | OutcomeSet | FactBank
Level = Literal["high", "medium", "low"]
LEVELS: tuple[Level, ...] = ("high", "medium", "low")
ENTRY_KIND: dict[type[Any], Kind] = {
    CalculatorModel: "calculator",
    AssessmentBank: "assessment",
    OutcomeSet: "outcome_quiz",
    FactBank: "knowledge_quiz",
}
#: With no subject match, a calculator starts from the model whose family the brief's verbs
#: point to (first cue found wins); the model's generic slots then carry the brief's words.
CALCULATOR_CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("quote", "price", "prices", "pricing", "cost to build", "estimate"), "quote"),
    (("save", "saves", "saving", "savings", "switch", "switching"), "savings"),
    (("lose", "loses", "losing", "lost", "waste", "wasted", "costing", "cost of", "missed",
      "miss", "late", "delays", "errors", "mistakes"), "problem"),
    (("roi", "return", "payback", "pay back", "invest", "investment"), "roi"),
)  # fmt: skip


#: Nouns for people: a variant named only by them names who a model serves, not its subject.
WHO_WORDS = frozenset(
    """rep staff people salespeople nurse carer caregiver worker employee engineer developer
    programmer manager executive owner agent leader member team person hire starter
    freelancer contractor consultant""".split()
)
#: Words of a model's family that say what kind of figure it gives, not what about.
FAMILY_NOISE = frozenset("cost costs of a an the and vs savings saving price estimator".split())
#: Brief words that make a "which ... fits you" quiz a choice of how to get work done.
SERVICE_CUES = (
    "approach", "outsourc*", "diy", "do it yourself", "in-house", "in house", "done for you",
    "hire", "hiring", "agency or", "freelancer or", "handle it", "yourself or",
)  # fmt: skip
#: Subjects that are work someone does, not a thing someone picks.
SERVICE_WORDS = frozenset(
    """seo ppc design strategy support management accounting payroll coaching training
    advertising ads branding copywriting consulting it hr legal tax taxes recruitment
    maintenance bookkeeping marketing admin compliance development photography""".split()
)


@dataclass
class Plan:
    """What will be built: the entry (None when generic), its variant, and why."""

    understanding: Understanding
    kind: Kind
    entry: Entry | None
    variant: Variant | None = None
    matched: list[str] = field(default_factory=list)
    #: False when a model wrote the tool: only composed tools carry reviewed text.
    composed: bool = True

    @property
    def generic(self) -> bool:
        return not self.matched

    @property
    def source_id(self) -> str:
        """``entry`` or ``entry/variant``: where the tool came from."""
        if self.entry is None or self.generic:
            return f"generic-{self.kind}"
        return f"{self.entry.id}/{self.variant.id}" if self.variant else self.entry.id


@dataclass
class Fit:
    """How well a tool covers its brief: a level and the parts covered and missing."""

    level: Level
    covered: list[str]
    missing: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "covered": self.covered, "missing": self.missing}


def _weight(term: str) -> float:
    return 1.0 + len(term.rstrip("*").split())


def _points(terms: list[str], core: str, audience: str = "") -> float:
    """Matched terms' weight; a term found only in the creator's offer counts half, and
    one found only in the audience a quarter ("for marketing agencies" names who the tool is
    for, not that it is about marketing)."""
    rest = core.replace(audience, " ", 1) if audience else core
    return sum(
        _weight(t) * (1 if has_term(rest, t) else 0.25 if has_term(core, t) else 0.5) for t in terms
    )


def _matches(text: str, terms: list[str]) -> list[str]:
    return [t for t in terms if has_term(text, t)]


def _kinds_allowed(u: Understanding) -> set[Kind]:
    if u.kind is not None:
        return {u.kind}
    if u.quiz_said:
        return {"outcome_quiz", "knowledge_quiz"}
    return set(KIND_NAMES)


def subject_text(u: Understanding) -> str:
    """The brief's words that can name its subject: what the creator sells (the offer)
    describes the creator, not the tool, so it does not count ("We offer managed IT
    support" must not turn a downtime calculator into an IT-outsourcing one)."""
    text = _about_the_tool(u)
    return text.replace(normalise(u.offer), " ", 1) if u.offer else text


def _about_the_tool(u: Understanding) -> str:
    """The brief without the creator's own business ("for my business coaching
    newsletter"): it says who makes the tool, never what the tool is about."""
    text = normalise(u.text)
    return text.replace(normalise(u.creator), " ", 1) if u.creator else text


def candidates(u: Understanding) -> list[Plan]:
    """Every entry (and variant) that matches the brief, best first. Terms found only in
    the creator's offer count half: the offer usually describes the creator, sometimes the
    tool ("I sell website design packages ... a quote estimator")."""
    text, core = _about_the_tool(u), subject_text(u)
    who = normalise(u.who) if u.who else ""
    allowed = _kinds_allowed(u)
    scored: list[tuple[float, int, Plan]] = []
    for order, entry in enumerate(knowledge_base().entries()):
        kind = ENTRY_KIND[type(entry)]
        if kind not in allowed:
            continue
        base = _matches(text, entry.terms) + _named_hits(u, entry)
        options: list[tuple[Variant | None, list[str]]] = [(None, base)]
        if isinstance(entry, CalculatorModel):
            options += [(v, base + _matches(text, v.terms)) for v in entry.variants]
        for variant, hits in options:
            own = hits[len(base) :]  # the variant's own words
            if variant is None:
                if base and _said_only_in_audience(u, base) and not _named_hits(u, entry):
                    continue  # "a quiz for wine lovers" about cheese is no wine quiz
                score = _points(base, core, who)
            elif own:  # a variant alone (no family term) is a weak signal: "nurses" is no
                if not base and _only_audience(u, own):  # turnover brief, and "for business
                    continue  # owners" is no retirement one: the words name who, not what
                family = entry.family if isinstance(entry, CalculatorModel) else ""
                if not base and _names_only_people(own, family, core):
                    continue  # "how much time do your sales reps waste": no turnover brief
                score = _points(own, core, who) + (_points(base, core, who) + 0.5 if base else 0)
                score = score if base else score / 2
            elif base and (own := _industry_hit(u, text, variant)):
                score = _points(base, core, who) + 0.25  # below a variant its own words name
            if not base + own or (variant is not None and not own):
                continue
            scored.append((score, order, Plan(u, kind, entry, variant, base + own)))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [plan for _, _, plan in scored]


def _named_hits(u: Understanding, entry: Entry) -> list[str]:
    """The outcomes the brief names that are archetypes of ``entry`` (an outcome set), when
    two or more are: "are you a visionary, a coach or a commander" names leadership styles."""
    if not u.named or not isinstance(entry, OutcomeSet):
        return []
    found = match_names([(a.id, a.title, a.description) for a in entry.archetypes], u.named.names)
    hits = [n.lower() for n, j in zip(u.named.names, found, strict=True) if j is not None]
    return hits if len(hits) >= 2 else []


def _said_only_in_audience(u: Understanding, terms: list[str]) -> bool:
    """Whether every one of ``terms`` is in the brief's audience and nowhere else in it
    (the offer included): "which cheese suits you - a quiz for wine lovers"."""
    audience = normalise(u.who) if u.who else ""
    rest = _about_the_tool(u).replace(audience, " ", 1)
    return bool(audience) and all(has_term(audience, t) and not has_term(rest, t) for t in terms)


def _names_only_people(terms: list[str], family_name: str, text: str) -> bool:
    """Whether a variant's matched ``terms`` all name people ("sales rep*", "nurse*") while
    the brief says no word of the model's family ("turnover"): who, without what."""
    if not all(_last_word(t) in WHO_WORDS for t in terms):
        return False
    family = [w for w in normalise(family_name).split() if w not in FAMILY_NOISE | WHO_WORDS]
    return not any(has_term(text, w) or has_term(text, w + "s") for w in family)


def _last_word(term: str) -> str:
    word = term.rstrip("*").split()[-1]
    return word[:-1] if word.endswith("s") and word[:-1] in WHO_WORDS else word


def _only_audience(u: Understanding, terms: list[str]) -> bool:
    """Whether every one of ``terms`` is found only in the brief's audience."""
    audience = normalise(u.who)
    rest = subject_text(u).replace(audience, " ", 1) if u.who else subject_text(u)
    return bool(audience) and not any(has_term(rest, t) for t in terms)


def _industry_hit(u: Understanding, text: str, variant: Variant) -> list[str]:
    """The brief's word for its industry, when ``variant`` serves that industry."""
    if u.industry is None or u.industry.id not in variant.industries:
        return []
    return [t for t in u.industry.terms if has_term(text, t)][:1]


def choose(u: Understanding) -> Plan:
    """The best-matching entry, or a generic plan of the kind the brief asks for."""
    found = candidates(u)
    if found:
        return found[0]
    kind: Kind = u.kind or ("outcome_quiz" if u.quiz_said else "calculator")
    return Plan(u, kind, _generic_entry(kind, u))


def find_plan(source_id: str | None, u: Understanding) -> Plan:
    """The plan a ``source_id`` (``entry`` or ``entry/variant``) names for this brief; the
    best choice for the brief when the id is unknown or missing."""
    for plan in candidates(u):
        if plan.source_id == source_id:
            return plan
    if source_id and not source_id.startswith("generic-"):
        entry_id, _, variant_id = source_id.partition("/")
        try:
            entry = knowledge_base().get(entry_id)
        except KeyError:
            return choose(u)
        variant = None
        if isinstance(entry, CalculatorModel):
            variant = next((v for v in entry.variants if v.id == variant_id), None)
        return Plan(u, ENTRY_KIND[type(entry)], entry, variant, [entry.terms[0]])
    return choose(u)


@cache
def _generic(name: str) -> Any:
    path = resources.files("keyvex.knowledge").joinpath("data", "generic", f"{name}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if name in {"outcome", "pick"}:
        return OutcomeSet.model_validate(data)
    return AssessmentBank.model_validate(data)


def _generic_entry(kind: Kind, u: Understanding) -> Entry:
    if kind == "calculator":
        return _calculator_by_cue(u)
    if kind == "outcome_quiz":
        return _generic("outcome" if _about_a_service(u) else "pick")  # type: ignore[no-any-return]
    return _generic("assessment")  # type: ignore[no-any-return]  # knowledge quiz too: see fit


def _about_a_service(u: Understanding) -> bool:
    """Whether a "which ... fits you" brief is about how to get work done (do it yourself,
    with help, or hand it over), not about which thing to choose ("which houseplant")."""
    text = normalise(u.text)
    if any(has_term(text, c) for c in SERVICE_CUES):
        return True
    last = u.subject_words[-1] if u.subject_words else ""
    return last in SERVICE_WORDS or (last.endswith("ing") and len(last) > 5)


def _calculator_by_cue(u: Understanding) -> CalculatorModel:
    text = normalise(u.text)
    models = knowledge_base().calculators
    for cues, family in CALCULATOR_CUES:
        if any(has_term(text, c) for c in cues):
            model = next((m for m in models if family in m.family.lower()), None)
            if model is not None:
                return model
    return next((m for m in models if "roi" in m.family.lower()), models[0])


def subject_of(plan: Plan) -> str:
    """The subject in words: the entry's, or the brief's own words when generic."""
    words = plan.understanding.subject
    if plan.generic or plan.entry is None:
        industry = plan.understanding.industry
        return words or (industry.label.lower() if industry else "your subject")
    entry = plan.entry
    if isinstance(entry, CalculatorModel):
        if plan.variant is not None:
            return next(iter(plan.variant.slots.values()), plan.variant.id.replace("-", " "))
        return entry.family
    if isinstance(entry, FactBank):
        return entry.topic
    assert isinstance(entry, AssessmentBank | OutcomeSet)
    return entry.subject


def topic_of(plan: Plan) -> str:
    """What a fit line or an explanation says the tool is about: a calculator's family
    ("customer churn cost"), not the slot word its variant puts in the tool ("members");
    otherwise :func:`subject_of`."""
    if not plan.generic and isinstance(plan.entry, CalculatorModel):
        return plan.entry.family
    return subject_of(plan)


def compose(plan: Plan, slots: Slots) -> ToolDefinition:
    """The plan's tool, with the brief's (and answers') words in it."""
    entry, u = plan.entry, plan.understanding
    if plan.generic:
        subject = subject_of(plan)
        forms = {"subject": subject, "a_subject": with_article(subject, u.subject_article),
                 "subjects": plural(subject)}  # fmt: skip
        slots.extra = {**forms, **slots.extra}
    if isinstance(entry, CalculatorModel):
        tool = calculator_tool(entry, plan.variant, slots)
        if plan.generic and u.subject:  # say whose words it is about
            title = f"{_capital(u.subject)}: {_lower_first(tool.title)}"[:160]
            tool = tool.model_copy(update={"title": title})
        return tool
    if isinstance(entry, OutcomeSet):
        return outcome_tool(entry, replace(slots, named=slots.named or u.named))
    if isinstance(entry, FactBank):
        return fact_tool(entry, slots)
    assert isinstance(entry, AssessmentBank)
    return assessment_tool(entry, slots)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """A sentence continued after a colon: "What ..." -> "what ...", names stay ("GDPR")."""
    first = text.split(" ", 1)[0]
    return text if any(c.isupper() for c in first[1:]) else text[:1].lower() + text[1:]


def tool_text(tool: ToolDefinition) -> str:
    parts = [tool.title, tool.description]
    parts += [i.label for i in tool.inputs] + [c.label for c in tool.calculations]
    parts += [o.title + " " + o.description for o in tool.outcomes]
    if tool.scoring:
        parts += [c.title for c in tool.scoring.categories]
    for block in tool.results:
        parts += [str(v) for v in block.model_dump().values() if isinstance(v, str)]
    return normalise(" ".join(parts))


def fit_of(plan: Plan, tool: ToolDefinition) -> Fit:
    """Which parts of the brief the tool covers and which it does not, and a level."""
    u, text = plan.understanding, tool_text(tool)
    covered: list[str] = []
    missing: list[str] = []
    built = _built_kind(tool)
    if u.kind is not None and u.kind != built:
        missing.append(f"{_a(KIND_NAMES[u.kind])}: this is {_a(KIND_NAMES[built])}")
    else:
        covered.append(_a(KIND_NAMES[built]))
    subject = subject_of(plan)
    named_level, named_built = _named_fit(plan, tool, covered, missing)
    if plan.generic and named_built:
        pass  # the named outcomes' lines say what has no reviewed content
    elif plan.generic and plan.entry is not None and plan.entry.id == "generic-pick":
        things = plural(subject)
        missing.append(
            f"recommendations of particular {things}: the knowledge base has nothing reviewed "
            f"on {things}, so the results describe general profiles (easy-going, all-round, "
            "enthusiast) rather than named ones; add yours in the editor, connect a data "
            "source or configure an AI model"
        )
    elif plan.generic:
        what = "questions with right answers" if u.kind == "knowledge_quiz" else "content"
        missing.append(
            f"{what} about {subject}: the knowledge base has nothing reviewed on it, so the "
            "tool uses general wording; edit it in the editor or configure an AI model"
        )
    elif isinstance(plan.entry, CalculatorModel) and plan.variant is None:
        covered.append(f"the {plan.entry.family} structure")
        who = u.audience or (u.industry.audience if u.industry else "")
        missing.append(
            f"figures for {who or 'a particular trade or audience'}: the inputs use general "
            "labels and typical defaults; check them in the editor"
        )
    else:
        covered.append(topic_of(plan))
    cap = None if plan.generic else _subject_fit(plan, tool, covered, missing)
    _audience_fit(u, text, covered, missing)
    if u.offer:
        covered.append(f"your offer ({u.offer}) in the call to action")
    _count_fit("questions", u.questions, len(tool.inputs), covered, missing)
    areas = len(tool.scoring.categories) if tool.scoring else 0
    if u.categories is not None:
        _count_fit("areas", u.categories, areas, covered, missing)
    if u.currency and (built == "calculator" or not u.currency_from_place):
        (covered if tool.currency == u.currency else missing).append(f"figures in {u.currency}")
    missing += [f"'{c}': needs your own data (connect a data source)" for c in u.constraints]
    level: Level = "low" if plan.generic or (u.kind and u.kind != built) else (
        "high" if not missing else "medium"
    )  # fmt: skip
    for limit in (named_level, cap):
        if limit is not None and LEVELS.index(limit) > LEVELS.index(level):
            level = limit
    return Fit(level, covered, missing)


def _subject_fit(
    plan: Plan, tool: ToolDefinition, covered: list[str], missing: list[str]
) -> Level | None:
    """The fit lines about the brief's own subject words (see ``_coverage``) and the highest
    level they allow: a reviewed entry fits only when the tool names what the brief is
    about, so one matching word ("nutrition" in "dog nutrition") is never a high fit."""
    u = plan.understanding
    ignore = [u.who, u.creator, u.offer, u.location]
    text, main = _coverage_text(tool), _main_text(tool)
    if plan.composed and plan.entry is not None:  # reviewed words for the entry's subject
        terms = plan.entry.terms + (plan.variant.terms if plan.variant else [])
        main += normalise(" ".join(t.rstrip("*") for t in terms))
    check = check_subject(u.subject.split(), text + main, main, ignore)
    if check is None or check.whole:
        return None
    kind = "quiz" if tool.kind == "quiz" else KIND_NAMES[_built_kind(tool)]
    about = topic_of(plan)
    missing.append(missing_line(check, kind, about))  # the model's family, not a slot value
    return "medium" if check.heads_covered or _strongly_chosen(plan) else "low"


def _strongly_chosen(plan: Plan) -> bool:
    """Whether more than one general word chose the entry: several of its terms, or a
    variant's own words ("Xero" for the bookkeeping variant). Such a tool whose text names no
    head of the brief's subject is more likely read wrong than about something else, so it is
    ``medium`` with its missing line; one general word ("cloud" for "moving bookkeeping to the
    cloud", "VAT" for "VAT rules") and no head named is ``low``: a tool on another subject."""
    own = plan.variant.terms if plan.variant is not None else []
    return len(plan.matched) > 1 or any(t in own for t in plan.matched)


def _main_text(tool: ToolDefinition) -> str:
    """What says what the tool is about: its title, description, questions (with their
    help), areas and outcomes; not the text of its results or answers."""
    parts = [tool.title, tool.description] + [o.title for o in tool.outcomes]
    parts += [i.label + " " + (i.help or "") for i in tool.inputs]
    parts += [c.title for c in tool.scoring.categories] if tool.scoring else []
    return normalise(" ".join(parts))


def _coverage_text(tool: ToolDefinition) -> str:
    """Everything a visitor reads in the tool, answer options and help included."""
    extra = [o.label for i in tool.inputs for o in i.options] + [i.help or "" for i in tool.inputs]
    extra += [s.title for s in tool.steps]
    return tool_text(tool) + normalise(" ".join(extra))


def _named_fit(
    plan: Plan, tool: ToolDefinition, covered: list[str], missing: list[str]
) -> tuple[Level | None, bool]:
    """The fit lines about the outcomes the brief names, the highest level they allow (None
    when the brief names none or the tool is no outcome quiz) and whether the tool has all
    of them."""
    u = plan.understanding
    if not u.named or _built_kind(tool) != "outcome_quiz":
        return None, False
    names = u.named.names
    in_tool = match_names([(o.id, o.title, o.description) for o in tool.outcomes], names)
    entry = plan.entry
    reviewed: list[int | None] = [None] * len(names)
    ties: dict[str, list[str]] = {}
    if not plan.composed:  # a model wrote every outcome: present is all it can be
        reviewed = in_tool
    elif not plan.generic and isinstance(entry, OutcomeSet):
        triples = [(a.id, a.title, a.description) for a in entry.archetypes]
        reviewed, ties = match_names(triples, names), several(triples, names)
    subject = "" if plan.generic else subject_of(plan)
    level = named_fit(names, in_tool, reviewed, subject, covered, missing, ties)
    return level, None not in in_tool


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _built_kind(tool: ToolDefinition) -> Kind:
    if tool.kind == "quiz":
        quiz_type = tool.scoring.quiz_type if tool.scoring else None
        return "outcome_quiz" if quiz_type == "outcome" else "knowledge_quiz"
    return "calculator" if tool.kind == "calculator" else "assessment"


def _audience_fit(u: Understanding, text: str, covered: list[str], missing: list[str]) -> None:
    if not u.audience:
        return
    words = [w for w in normalise(u.audience).split() if len(w) > 3]
    business = u.industry.business if u.industry else ""
    if any(has_term(text, w) or has_term(text, w.rstrip("s")) for w in words) or (
        business and has_term(text, business)
    ):
        covered.append(f"written for {u.audience}")
    else:
        missing.append(f"the audience ({u.audience}) is not named in the tool")


def _count_fit(
    what: str, asked: int | None, built: int, covered: list[str], missing: list[str]
) -> None:
    if asked is None:
        return
    if asked == built:
        covered.append(f"{asked} {what}")
    else:
        missing.append(f"{asked} {what}: built {built}, as many as the content allows")

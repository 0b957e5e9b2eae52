"""Understanding a creator's brief: kind, subject, audience, offer, counts, currency.

Plain rules over the brief's words, so that what was understood can be shown to the creator
and every question asks only what the brief did not say. Nothing here knows a particular
brief: the words come from the knowledge base (industries, entry terms) and from the small
tables below, which describe English phrasing, not subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from keyvex.knowledge._english import noun_of_verb
from keyvex.knowledge._load import knowledge_base
from keyvex.knowledge._named import Named, named_outcomes
from keyvex.knowledge._phrases import (
    CLAUSE_BREAK,
    LINKS,
    first_content_words,
    is_acronym,
    is_name,
    is_number,
    trim_phrase,
    weight,
    words_and_breaks,
)
from keyvex.knowledge._places import currency_of, lower_case_place, place_names
from keyvex.knowledge.models import Industry

Kind = Literal["calculator", "assessment", "outcome_quiz", "knowledge_quiz"]
KIND_NAMES: dict[Kind, str] = {
    "calculator": "calculator",
    "assessment": "assessment",
    "outcome_quiz": "outcome quiz",
    "knowledge_quiz": "knowledge quiz",
}
#: Phrases that state a kind; earlier kinds win a tie. "quiz" alone is resolved below.
KIND_PHRASES: dict[Kind, tuple[str, ...]] = {
    "assessment": (
        "assessment", "scorecard", "score card", "readiness", "maturity", "audit",
        "health check", "healthcheck", "check-up", "checkup", "self-assessment", "diagnostic",
        "benchmark", "how ready", "checklist", "gap analysis", "check",
    ),
    "calculator": (
        "calculator", "calculate", "estimator", "estimate", "estimates", "how much",
        "roi", "payback", "savings", "save", "cost of", "costs", "costing", "quote",
        "price", "pricing calculator", "afford", "affordability", "break-even", "break even",
        "forecast", "projection", "worth",
    ),
    "knowledge_quiz": (
        "trivia", "test your knowledge", "knowledge quiz", "how well do you know",
        "how much do you know", "test their knowledge", "knowledge test", "true or false",
    ),
    "outcome_quiz": (
        "which", "what kind of", "what type of", "personality", "find your", "fits",
        "fit for", "suits", "right for", "style quiz", "match", "recommend", "recommends",
    ),
}  # fmt: skip
QUIZ_WORDS = ("quiz", "quizzes", "test", "trivia")
#: What a quiz asks about when it has right answers: a "deadlines quiz" is a knowledge quiz,
#: even when the topic's name holds a kind's word ("Self Assessment", the UK tax return).
KNOWLEDGE_TOPICS = ("deadline", "deadlines", "rules", "regulations", "facts", "myths", "trivia")
#: "what's your dog's training style?", "what is your leadership type": a quiz with profiles.
STYLE_QUESTION = re.compile(
    r" what(?:'s| is| s) your(?: [^\W\d_][\w'-]*){0,3} (?:style|type|personality|persona|"
    r"archetype|profile) "
)
#: The same question in the brief as written: its words before "style" name the subject.
STYLE_SUBJECT = re.compile(
    r"(?i)\bwhat(?:'s|’s| is) your (?P<what>(?:[^\W\d_][\w'’-]*\s){1,3}?)(?:style|type|"
    r"personality|persona|archetype|profile)\b"
)
#: What the creator calls the tool, never its subject ("a lead" is: "what a lead is worth").
LEAD_MAGNET = re.compile(r"(?i)\blead[- ]magnets?\b")
#: "what kind of entrepreneur are you?": the kind asked about is the subject.
KIND_OF_SUBJECT = re.compile(
    r"(?i)\bwhat (?:kind|type|sort) of (?P<what>(?:[^\W\d_][\w'’-]*\s){1,3}?)"
    r"(?:are|is|should|do|would|suits|fits)\b"
)
#: A "quiz" that measures how ready or mature the visitor is asks for a scorecard.
READINESS_PHRASES = (
    "how ready",
    "how prepared",
    "how mature",
    "readiness",
    "preparedness",
    "maturity",
)
#: "is your kitchen ready for ...", "are you prepared for ...": a readiness question too,
#: though weaker than the phrases above (an outcome quiz may ask "which ... are you ready for").
READY_QUESTION = re.compile(
    r" (?:is|are) (?:you|your|my|our|their|the|this)(?: [^\W\d_][\w'&-]*){0,3} (?:ready|prepared) "
)
CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP",
    "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "$": "USD", "usd": "USD",
    "dollars": "USD", "us dollars": "USD", "cad": "CAD", "canadian dollars": "CAD",
    "aud": "AUD", "australian dollars": "AUD", "chf": "CHF", "swiss francs": "CHF",
    "sek": "SEK", "kronor": "SEK", "nok": "NOK", "dkk": "DKK", "kr": "SEK", "¥": "JPY",
    "yen": "JPY", "jpy": "JPY", "₹": "INR", "inr": "INR", "rupees": "INR", "zar": "ZAR",
    "rand": "ZAR", "nzd": "NZD", "pln": "PLN", "złoty": "PLN", "zloty": "PLN", "r$": "BRL",
    "brl": "BRL", "mxn": "MXN", "sgd": "SGD",
}  # fmt: skip
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
COUNT = r"(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
QUESTION_COUNT = re.compile(
    COUNT + r"[\s-]*(?:short |quick |simple )?(?:questions?|items?|statements?)\b"
)
AREA_COUNT = re.compile(
    COUNT + r"[\s-]*(?:key |main |core )?(?:categories|category|areas?|pillars?|dimensions?|"
    r"sections?|themes?)\b"
)
OFFER = re.compile(
    r"(?i)\b(?:i|we) (?:sell|offer|provide|run|do|deliver)\s+(?P<a>[^.,;!?]{3,80})"
    r"|\b(?:my|our) (?P<b>[a-z][a-z -]{2,60}?) (?P<noun>service|services|programme|program|"
    r"package|packages|coaching|consulting|consultancy|agency|firm|studio|course|product)\b"
    r"|\bpromote (?:my|our) (?P<c>[^.,;!?]{3,60})"
    r"|\bbook (?:a|an) (?P<d>[^.,;!?]{3,60})"
)
#: Offer nouns that name the activity sold, so they stay in the offer ("my quality consulting
#: practice" sells quality consulting); the others name the creator's firm ("our travel agency").
OFFER_ACTIVITIES = frozenset(
    "service services programme program package packages coaching consulting course product".split()
)
#: The creator's own business, which describes who makes the tool, not its subject or its
#: visitors: "for my quality consulting practice", "a quiz for our wine bar's newsletter".
#: A noun followed by the people it serves ("my newsletter readers") names the audience.
CREATOR = re.compile(
    r"\b(?:for|at|from|through|via|on|in|with|by)\s+(?:my|our)\s+(?P<what>(?:[a-z][\w&'-]*\s)"
    r"{0,4}(?:practice|business|firm|agency|consultancy|company|studio|shop|store|newsletter|"
    r"blog|website|site|clinic|podcast|channel|brand|salon|gym|taproom|bar|restaurant|cafe|"
    r"café|club|community|page|consulting|coaching)(?:'s)?)\b"
    r"(?!\s+(?:[a-z]+\s+)?(?:readers|subscribers|followers|listeners|viewers|members|clients|"
    r"customers|students|audience|patients|guests|visitors))"
)
#: "I am an executive coach", "we're a bookkeeping firm": the creator's trade, not the visitor's.
CREATOR_SELF = re.compile(
    r"\b(?:i am|i'm|im|we are|we're)\s+(?:a|an)\s+(?P<what>[a-z][\w&'-]*(?:\s[a-z][\w&'-]*){0,4}?)"
    r"(?=\s*(?:[.,;:!?)]|$|\s(?:and|who|that|for|with|in|to|helping|working)\b))"
)
#: "Accountant here.", "Personal trainer here - quiz: ...": the creator saying who they are.
CREATOR_HERE = re.compile(
    r"^\s*(?P<what>[a-z][\w&'-]*(?:\s[a-z][\w&'-]*){0,3}?)\s+here\b(?=\s*(?:[.,;:!?]|-|$))"
)
#: "Marketing agency: calculator showing ...": a label naming a trade or firm (singular) and
#: then the tool asked for; a plural label names the visitors ("ecommerce brands: ...").
CREATOR_LABEL = re.compile(
    r"^\s*(?P<what>(?:[a-z][\w&'-]*\s){0,3}(?:agency|firm|practice|consultancy|studio|"
    r"consultant|coach|trainer|planner|adviser|advisor|accountant|bookkeeper|designer|"
    r"developer|lawyer|attorney|realtor|broker|therapist|nutritionist|dietitian|"
    r"photographer|installer|agent|clinic|company))\s*(?:[:–—]|\s-)\s*(?:an?\s+)?"
    r"(?:calculator|quiz|scorecard|assessment|estimator|test)\b"
)
#: "... an assessment for people in their 50s, by a financial planner": who makes it.
CREATOR_BY = re.compile(
    r"\bby\s+(?:a|an|your)\s+(?P<what>[a-z][\w&'-]*(?:\s[a-z][\w&'-]*){0,3}?)\s*(?:[.!?)]|$)"
)
#: "in Texas", "across the UK", "near Lake Como": a place is context, never the subject.
LOCATION = re.compile(
    r"\b(?:in|across|throughout|around|near|within)\s+(?:the\s+)?"
    r"(?P<place>(?:[A-Z][a-z][\w'’-]*|[A-Z]{2,3})(?:\s+(?:[A-Z][a-z][\w'’-]*|[A-Z]{2,3}))*)\b"
)
#: Words that link a noun phrase to what follows; never a word inside an audience's noun phrase.
AUDIENCE_BREAKS = r"(?!(?:for|to|in|of|on|at|by|with|from|about|and|or|who|that|than)\s)"
AUDIENCE = re.compile(
    r"\b(?:for|showing|shows|show|helps|help|helping|tells|tell|targeting|aimed at|"
    r"to|lets|let)\s+(?:(?:my|our)\s+)?(?P<who>(?:"
    + AUDIENCE_BREAKS
    + r"[a-z][a-z&'-]*\s){0,3}?(?:owners|"
    r"founders|managers|"
    r"leaders|teams|practices|firms|agencies|companies|businesses|clinics|studios|"
    r"freelancers|consultants|coaches|homeowners|buyers|retailers|restaurants|shops|"
    r"stores|brands|startups|schools|nonprofits|charities|landlords|contractors|"
    r"designers|developers|marketers|professionals|executives|employees|people|couples|"
    r"listeners|sellers|renters|tenants|retirees|travellers|travelers|"
    r"readers|subscribers|followers|viewers|"
    r"parents|investors|families|customers|clients|patients|members|users|dentists|"
    r"lawyers|accountants|agents|hotels|gyms|salons|farmers|manufacturers|operators|boards|"
    r"trustees))\b"
)
#: An article or possessive at the start of a "for ..." tail names a thing, not people
#: ("for your home", "for a hygiene inspection").
NOT_AUDIENCE = re.compile(r"^(?:a|an|your|his|her|its|their|this|that|these|those|it|them|you)\b")
#: "only what's in stock", "just vegan", "exclusively in-stock items".
ONLY_BEFORE = re.compile(
    r"\b(?:only|just|exclusively)\s+(?:show\s+|include\s+|use\s+|recommend\s+|list\s+)?"
    r"(?P<what>[a-z][a-z'-]*(?:\s[a-z][a-z'-]*){0,5}?)"
    r"(?=\s*(?:[.,;:!?)]|$|\band\b|\bor\b|\bunder\b|\bbelow\b|\bfor\b|\bwith\b))"
)
#: "vegan only", "in stock only", "in-stock items only".
ONLY_AFTER = re.compile(
    r"(?P<what>(?:[a-z][a-z'-]*\s){0,3}[a-z][a-z'-]*)\s+(?:items\s+|products\s+|options\s+)?"
    r"only\b(?!\s+(?:show|include|use|recommend|list)\b)"
)
ONLY_NOISE = frozenset(
    """what's what is whatever whatever's that's which items item products product things
    thing options option ones stuff that are is currently""".split()
)
ONLY_PREPOSITIONS = frozenset({"in", "on"})
#: Words that lead an "only" phrase about someone or something else than the items shown.
ONLY_NOT_ITEMS = frozenset({"for", "to", "if", "when", "once", "after", "before", "by", "takes"})
#: Verbs that can stand before "X only" ("recommends vegan snacks only").
ONLY_VERBS = frozenset(
    """recommend recommends show shows list lists suggest suggests sell sells include
    includes offer offers find finds match matches""".split()
)
#: "nothing over EUR 200" limits to at most 200; "none under" to at least.
NEGATED = {
    "over": "at most",
    "above": "at most",
    "more than": "at most",
    "under": "at least",
    "below": "at least",
    "less than": "at least",
}
COMPARISON = re.compile(
    r"\b(?P<op>under|below|less than|cheaper than|at most|up to|no more than|max|maximum|"
    r"over|above|more than|at least|min|minimum)\s+"
    r"(?P<amount>[$€£¥₹]\s?\d+(?:,\d{3})*(?:\.\d+)?(?:[km]\b)?|\d+(?:,\d{3})*(?:\.\d+)?(?:[km]\b|\s?%)?)"
    r"(?:\s?(?P<unit>usd|eur|gbp|dollars|euros|pounds|[a-z][a-z-]+))?"
)
MONEY_WORDS = frozenset({"usd", "eur", "gbp", "dollars", "euros", "pounds"})
#: Nouns after a comparison that do not limit the items a tool shows.
NOT_LIMITS = frozenset(
    """year years month months week weeks day days hour hours minute minutes second seconds
    question questions item items statement statements step steps page pages word words
    character characters category categories area areas employees staff people users
    patients clients customers students members visitors leads orders sales calls""".split()
)
#: "20 patients a day", "50 orders per month": a rate of the visitor's business, not a limit.
PER_PERIOD = re.compile(r"^\s+(?:a|an|per|each|every)\s+(?:day|week|month|year|hour)\b")
FILLER = frozenset(
    """a an the and or for of to in on at by with from into about how much many what which
    who whom that this these those my our your their his her its i we you they them it is are
    am be been was were do does did can could would should will shall may might must show shows
    showing help helps helping tell tells let lets me us simple quick short small fun free new
    create make build want need give gives get gets see sees using use based like just also
    calculator calculators estimator quiz quizzes assessment scorecard tool magnet magnets
    interactive online website visitors visitor clients client customers customer prospects
    prospects people them they their own some more most very really much time money figure
    out find finds sell sells offer offers only company companies business businesses
    newsletter site page blog landing funnel lets know whether if when where why every each
    per please instant easy handy guy guys against as
    i'd you'd we'd they'd he'd she'd it'd i'll you'll we'll they'll it'll i'm you're we're
    they're i've you've we've they've it's that's there's
    """.split()
)
#: Filler nouns that name a subject with the noun after them: "time management", "money
#: mindset", "customer service", "client onboarding" (but "save time on ...", "customers").
COMPOUND_HEADS = frozenset({"time", "money", "customer", "client", "business", "website"})
#: A question's scaffolding, never its subject: "how long until solar panels pay ...",
#: "how soon before ...", "what does a kitchen remodel cost".
QUESTION_SCAFFOLD = re.compile(
    r"(?i)\bhow (?:long|soon|quickly|many (?:years|months|weeks|days|hours))"
    r"(?: (?:until|till|before|(?:does|will|would) it take(?: to| for)?))?\b"
    r"|\bwhat (?:does|do|will|would|might)(?= )"
    r"|\bhow (?:strong|healthy|good|solid|robust|mature|effective|resilient|secure|safe|sound)"
    r" (?:is|are) (?:your|you|my|our|their|the)\b"
    r"|\bhow (?:well|much) do (?:you|they|your [a-z]+) (?:really )?know(?: about)?\b"
    r"|\bhow (?:ready|prepared) (?:are|is) (?:you|we|they)(?: for)?\b"
    r"|\btest (?:your|their) knowledge (?:of|about|on)\b"
    r"|\bshould (?:i|we) [a-z]+\b"
    r"|\bhow much (?:time|money) (?:do|does|did|could|would|will|can) (?:you|your|they|we|our)"
    r"(?: [a-z]+){0,2}? (?:waste|wastes|spend|spends|lose|loses)(?: on| in| with)?\b"
)
#: "are you ready to retire?", "is your startup ready to raise ...": the verb after "ready
#: to" names the subject, as the thing it does ("retirement", "raising").
READY_TO = re.compile(
    r"(?i)\b(?:is|are|am) (?:you|your|my|our|their|the|this|we|i|they)(?: [^\W\d_][\w'&-]*){0,3}"
    r" (?:ready|prepared) to\b"
)
#: "as a freelance designer", "as an employer": the role someone speaks in, not a subject.
AS_A_ROLE = re.compile(
    r"(?i)\bas an? (?:[^\W\d_][\w'-]* ){0,3}?[^\W\d_][\w'-]*(?=\s*(?:[?.,!;:]|$))"
)
#: "mortgage-ready", "investor-ready": ready for what the word before names.
READY_HYPHEN = re.compile(r"(?i)\b([^\W\d_]{3,})-(?:ready|proof)\b")
#: The nouns a tool names itself with; the words before them are the creator's name for it
#: ("downtime cost calculator", "craft beer trivia").
TOOL_NOUNS = frozenset(
    """calculator calculators estimator quiz quizzes test trivia scorecard assessment
    self-assessment audit checklist check check-up checkup diagnostic benchmark""".split()
)
#: Words in that name that say what kind of tool it is ("cost", "savings", "readiness").
TOOL_WORDS = frozenset(
    """savings saving cost costs quote price pricing readiness maturity health knowledge
    style personality roi payback affordability true or false trivia audit assessment
    self-assessment check recommendation""".split()
)
#: "their eye test": a test the visitor takes, not the tool.
POSSESSIVES = frozenset("my our your their his her its".split())

#: "solar installers' customers", "a roaster's clients": people named by whose they are.
POSSESSIVE_AUDIENCE = re.compile(
    r"^(?:[\w&-]+\s+)+(?P<owner>[\w&-]+?)(?:'s|(?<=s)')\s+(?P<people>.+)$"
)


@dataclass
class Understanding:
    """What a brief says, each part None/empty when the brief does not say it."""

    text: str
    kind: Kind | None = None
    quiz_said: bool = False
    industry: Industry | None = None
    audience: str = ""
    offer: str = ""
    currency: str | None = None
    #: The currency is the one the brief's place pays in ("clients in the UK"), not said.
    currency_from_place: bool = False
    questions: int | None = None
    categories: int | None = None
    constraints: list[str] = field(default_factory=list)
    subject_words: list[str] = field(default_factory=list)
    subject: str = ""
    subject_article: str = ""
    creator: str = ""
    location: str = ""
    named: Named = field(default_factory=Named)

    @property
    def who(self) -> str:
        """The audience's words that name the visitors: in "solar installers' customers"
        the visitors are customers of installers; "solar" says what they buy, so it may name
        the subject and is not kept out of it as an audience word would be."""
        owned = POSSESSIVE_AUDIENCE.match(self.audience)
        return f"{owned.group('owner')} {owned.group('people')}" if owned else self.audience

    def summary(self) -> list[str]:
        """What was understood, one short line each, for the creator to check."""
        lines = []
        if self.kind:
            lines.append(f"Kind: {KIND_NAMES[self.kind]}")
        if self.subject:
            lines.append(f"Subject: {self.subject}")
        if self.audience:
            lines.append(f"Audience: {self.audience}")
        if self.location:
            lines.append(f"Location: {self.location}")
        if self.offer:
            lines.append(f"Your offer: {self.offer}")
        if self.creator:
            lines.append(f"Your business: {self.creator}")
        if self.named:
            lines.append(f"Outcomes: {', '.join(self.named.names)}")
        if self.questions:
            lines.append(f"Questions: {self.questions}")
        if self.categories:
            lines.append(f"Areas: {self.categories}")
        if self.currency:
            place = f" (from {self.location})" if self.currency_from_place else ""
            lines.append(f"Currency: {self.currency}{place}")
        lines.extend(f"Constraint: {c}" for c in self.constraints)
        return lines


def normalise(text: str) -> str:
    """Lower case, words separated by single spaces, padded so phrases match whole words."""
    words = re.findall(r"(?:[^\W_]|[€£$¥₹])(?:[^\W_]|[€£$¥₹&'\-])*", text.lower())
    return " " + " ".join(w.strip("'-") for w in words) + " "


def has_term(text: str, term: str) -> bool:
    """Whole-word match on a normalised text; ``outsourc*`` matches any word starting so."""
    if term.endswith("*"):
        return re.search(r"(?<= )" + re.escape(term[:-1]), text) is not None
    return f" {term} " in text


def understand(brief: str) -> Understanding:
    """Read a brief (any casing, typos in filler words are harmless)."""
    text = normalise(brief)
    found = Understanding(text=brief.strip())
    found.quiz_said = any(has_term(text, w) for w in QUIZ_WORDS)
    # "investor-ready", "what-kind-of-traveller": a hyphenated phrase says its words too
    found.kind = _kind(text + text.replace("-", " "), found.quiz_said)
    if found.kind in (None, "outcome_quiz"):
        found.named = named_outcomes(brief)
    creator = _creator(brief.lower())
    found.creator = creator.group("what").removesuffix("'s") if creator else ""
    reading = _without_creator(brief, creator)  # about the visitors, not the creator
    found.industry = _industry(_without_names(normalise(reading), found.named))
    found.audience = _audience(reading, found.industry)
    places = list(dict.fromkeys(_place_name(m) for m in _locations(brief)))
    found.location = ", ".join(places)
    found.offer = _offer(brief)
    found.currency = _currency(brief)
    if found.currency is None:
        found.currency = currency_of(places)
        found.currency_from_place = found.currency is not None
    found.questions = _count(QUESTION_COUNT, text)
    found.categories = _count(AREA_COUNT, text)
    found.constraints = _constraints(brief)
    phrase = _subject(reading, found)
    found.subject_words = [w.lower() for w in phrase]
    found.subject = " ".join(phrase)
    found.subject_article = _article_said(reading, found.subject)
    return found


def _creator(brief: str) -> re.Match[str] | None:
    """Where the (lower-case) brief names the creator's own business or trade."""
    for pattern in (CREATOR, CREATOR_SELF, CREATOR_HERE, CREATOR_LABEL, CREATOR_BY):
        found = pattern.search(brief)
        if found:
            return found
    return None


def _without_names(text: str, named: Named) -> str:
    """A normalised text without the outcomes the brief names: "a builder or a creator"
    names kinds of entrepreneur, not the construction trade."""
    for name in named.names:
        text = text.replace(normalise(name), " ")
    return text


def _article_said(brief: str, subject: str) -> str:
    """The article the brief puts before its subject ("ready for a data breach"), unless it
    belongs to the tool named next ("a GDPR scorecard", "an AI readiness quiz")."""
    if not subject:
        return ""
    said = re.search(
        r"\b(a|an|the)\s+" + re.escape(subject.lower()) + r"\b(?P<next>\s+[\w-]+)?",
        " ".join(brief.lower().split()),
    )
    if not said:
        return ""
    following = (said.group("next") or "").strip()
    tool_words = {w for phrases in KIND_PHRASES.values() for p in phrases for w in p.split()}
    return "" if following in tool_words | set(QUIZ_WORDS) else said.group(1)


def _without_creator(brief: str, creator: re.Match[str] | None) -> str:
    """The brief with the creator's own business cut out (same length, so offsets hold)."""
    if creator is None:
        return brief
    start, end = creator.span()
    return brief[:start] + "," + " " * (end - start - 1) + brief[end:]


def _locations(brief: str) -> list[re.Match[str]]:
    """Places the brief names ("in Texas", "for plumbers in texas"): a capitalised name, or
    a known place in any casing; a currency code ("prices in EUR") is no place. In the order
    the brief names them, a known place first where both rules find one."""
    known = list(lower_case_place().finditer(brief))
    found = known + [
        m
        for m in LOCATION.finditer(brief)
        if m.group("place").lower() not in CURRENCIES
        and not _unknown_acronym(m.group("place"))
        and not any(k.start() < m.end() and m.start() < k.end() for k in known)
    ]
    return sorted(found, key=lambda m: m.start())


def _unknown_acronym(place: str) -> bool:
    """ "in OTA commissions", "investing in AI": capitals alone name a place only when known
    ("in the UK", "across the EU")."""
    return place.isupper() and place.lower() not in place_names()


def _place_name(match: re.Match[str]) -> str:
    """The place as it is spelt ("texas" -> "Texas"); a capitalised name as written."""
    said = match.group("place")
    if said != said.lower():
        return said
    return place_names().get(" ".join(said.split()), said)


def _kind(text: str, quiz_said: bool) -> Kind | None:
    hits: dict[Kind, int] = {
        kind: sum(1 for p in phrases if has_term(text, p)) for kind, phrases in KIND_PHRASES.items()
    }
    if has_term(text, "calculator") or has_term(text, "estimator"):
        return "calculator"
    if quiz_said and any(has_term(text, w) for w in KNOWLEDGE_TOPICS):
        return "knowledge_quiz"  # "Self Assessment deadlines quiz" asks about facts
    if any(has_term(text, w) for w in ("scorecard", "assessment", "audit", "self-assessment")):
        return "assessment"
    if quiz_said:  # a quiz of no stated flavour: the matching entry decides (None here)
        if hits["knowledge_quiz"]:
            return "knowledge_quiz"
        if STYLE_QUESTION.search(text):
            return "outcome_quiz"
        if any(has_term(text, p) for p in READINESS_PHRASES):
            return "assessment"
        if hits["outcome_quiz"]:
            return "outcome_quiz"
        return "assessment" if READY_QUESTION.search(text) else None
    best = max(hits.values())
    if best == 0:
        return None
    return next(k for k, v in hits.items() if v == best)


def _industry(text: str) -> Industry | None:
    for industry in knowledge_base().vocabulary.industries:
        said = text
        for phrase in industry.not_in:
            said = said.replace(f" {phrase} ", " , ")
        if any(has_term(said, t) for t in industry.terms):
            return industry
    return None


#: "for HVAC contractors to show homeowners ...": the people shown are the visitors; the
#: ones named first use the tool on them.
FOR_OTHERS = re.compile(
    r"\s+(?:to|that|which|who)\s+(?P<verb>show|shows|help|helps|give|gives|tell|tells|let|lets"
    r"|teach|teaches|convince)\s"
)

QUESTION_WORDS = frozenset("how what why whether if when where which who".split())


def _audience(brief: str, industry: Industry | None) -> str:
    text = " ".join(brief.lower().split())
    match = AUDIENCE.search(text)
    others = FOR_OTHERS.match(text, match.end()) if match else None
    shown = AUDIENCE.match(text, others.start("verb")) if others else None
    if shown and shown.group("who").split()[0] not in QUESTION_WORDS:
        match = shown
    if match:
        who = match.group("who").strip()
        who = re.sub(r"^(?:the|their|our|my|your|a|an)\s+", "", who)
        if who not in {"people", "customers", "clients", "users", "members"}:
            return who
    if industry:
        return industry.audience
    tail = re.search(r"\bfor ((?:[a-z][a-z'-]*\s?){1,4})[.!?]*$", brief.lower().strip())
    if not tail or NOT_AUDIENCE.match(tail.group(1)):
        return ""
    return re.sub(r"^(?:my|our|the|a|an)\s+", "", tail.group(1).strip())


def _offer(brief: str) -> str:
    """What the creator sells, in their own casing where it says something ("managed IT
    services", "Salesforce consulting"); other words lower case, as in a sentence."""
    matches = list(OFFER.finditer(brief))
    if not matches:
        return ""
    match = next((m for m in matches if m.group("a")), matches[0])  # "we sell ..." says most
    text = next(g for g in match.groups() if g)
    noun = (match.group("noun") or "").lower()
    if match.group("b") and noun in OFFER_ACTIVITIES:
        text = f"{text} {match.group('noun')}"
    text = re.split(r"\b(?:to|for|and so|so that|which|who)\b", text, flags=re.IGNORECASE)[0]
    text = text.strip(" -")
    names = _names(brief)
    text = re.sub(r"[^\W\d_][\w'-]*", lambda w: w[0] if w[0] in names else w[0].lower(), text)
    return text if len(text) >= 3 else ""


def _currency(brief: str) -> str | None:
    lowered = brief.lower()
    if "r$" in lowered:
        return "BRL"
    for symbol in ("€", "£", "¥", "₹"):
        if symbol in brief:
            return CURRENCIES[symbol]
    text = normalise(brief)
    for word, code in CURRENCIES.items():
        if word[0].isalpha() and has_term(text, word):
            return code
    return "USD" if "$" in brief else None


def _count(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    if not match:
        return None
    raw = match.group(1)
    value = NUMBER_WORDS.get(raw) or int(raw)
    return value if 2 <= value <= 40 else None


def _constraints(brief: str) -> list[str]:
    """Limits the brief sets on what the tool may show, in a normal form a data source can
    be matched against: ``only <what>`` ("only what's in stock", "in-stock items only",
    "vegan only" -> "only in stock", "only vegan") and ``<comparison> <amount>[ <noun>]``
    ("under $50", "at least 3 bedrooms"). A comparison needs money or a noun to say what it
    limits; durations and the tool's own counts ("over 5 years", "up to 10 questions") are
    not limits on items. In the order the brief says them, at most five."""
    text = " ".join(brief.lower().replace("’", "'").split())
    found: list[tuple[int, str]] = []
    for match in ONLY_BEFORE.finditer(text):
        words = match.group("what").split()
        if words[0] in ONLY_NOT_ITEMS or text[: match.start()].endswith("not "):
            continue
        what = _only_words(words)
        if what:
            found.append((match.start(), f"only {what}"))
    for match in ONLY_AFTER.finditer(text):
        if match.group("what").split()[-1] == "not":  # "not only ... but"
            continue
        what = _only_words(match.group("what").split()[-3:], trailing=True)
        if what:
            found.append((match.start("what"), f"only {what}"))
    for match in COMPARISON.finditer(text):
        unit = (match.group("unit") or "").strip()
        money = any(c in match.group("amount") for c in "$€£¥₹") or unit in MONEY_WORDS
        if unit.split(" ")[0] in NOT_LIMITS or not (money or unit or "%" in match.group("amount")):
            continue
        if PER_PERIOD.match(text[match.end() :]):
            continue
        op = match.group("op")
        if re.search(r"\b(?:nothing|none|not|no)\s+$", text[: match.start()]):
            op = NEGATED.get(op, op)
        said = f"{op} {match.group('amount').strip()}{' ' + unit if unit else ''}"
        found.append((match.start(), said))
    seen: dict[str, None] = {}
    for _, said in sorted(found):
        seen.setdefault(said, None)
    return list(seen)[:5]


def _only_words(words: list[str], *, trailing: bool = False) -> str:
    """The thing an "only" phrase keeps, without the words around it ("what's", "items",
    a leading verb or article); "in stock" and "on sale" keep their preposition."""
    words = [w.strip("'\"()") for w in words]
    words = [w for w in words if w and w not in ONLY_NOISE]
    while words and (words[0] in ONLY_VERBS or words[0] in {"the", "a", "an"}):
        words = words[1:]
    if trailing:  # "... recommend vegan only": the words right before "only"
        while words and words[0] in FILLER and words[0] not in ONLY_PREPOSITIONS:
            words = words[1:]
        while words and words[0] in ONLY_VERBS:
            words = words[1:]
    phrase = " ".join(words).replace("-", " ").strip()
    return "" if phrase in {"", "a", "one", "the"} else phrase


def _subject(brief: str, found: Understanding) -> list[str]:
    """The brief's subject in the creator's own words. First the words the creator names
    the tool with ("Downtime cost calculator", "craft beer trivia": see ``_named_before_tool``),
    else what the brief's question asks about ("how strong is your governance?", "are you
    ready to retire?"), else its longest run of content words, read as a phrase. A few
    linking words may join content words inside a run ("patients who drop out of treatment
    plans"), never start or end one; punctuation ends a run; an adverb that ends a clause
    ("... plans early") is not part of the subject, nor is a verb at either end, a place
    ("in Texas"), a count ("25-year", "50s") or a run of verbs alone. A number joins the
    acronym before it ("ISO 9001", "SOC 2"); acronyms and mixed-case names keep their case."""
    skip = set(FILLER)
    for name in found.named.names:  # "beach bum, culture vulture or adventurer" are outcomes
        skip.update(name.lower().split())
    industry = {w for t in found.industry.terms for w in t.split()} if found.industry else set()
    skip.update(w.strip("'’") for w in found.who.split())
    kind_words = {w for phrases in KIND_PHRASES.values() for p in phrases for w in p.split()}
    names = _names(brief)
    text = LEAD_MAGNET.sub(",", _without_places(brief))  # "a lead" is a subject of its own
    text = AS_A_ROLE.sub(",", text)  # "what should I charge as a freelance designer": who
    named = _named_before_tool(text, skip, names)  # "pension gap calculator"
    if named:
        return named
    skip |= industry | set(found.offer.lower().split()) | kind_words | set(QUIZ_WORDS)
    for pattern in (STYLE_SUBJECT, KIND_OF_SUBJECT):
        style = pattern.search(text)  # "what's your travel personality?" is about travel
        about = _phrase(style.group("what"), skip, names) if style else []
        if about:
            return about
    ready = READY_TO.search(text)
    if ready:  # "are you ready to retire?": the subject is retirement
        clause = re.split(CLAUSE_BREAK, text[ready.end() :], maxsplit=1)[0].split(None, 1)
        if clause and clause[0].isalpha():  # the verb says what the visitor is ready for
            return _as_noun(clause[0], found.who)
    hyphen = READY_HYPHEN.search(text)
    if hyphen and hyphen.group(1).lower() not in skip:  # "mortgage-ready": a mortgage
        return [hyphen.group(1).lower()]
    asked = QUESTION_SCAFFOLD.search(text)
    if asked:  # the question the brief asks names its subject ("how long until solar ...")
        asked_about = _phrase(text[asked.end() :], skip, names)
        if asked_about:
            return asked_about
    return _phrase(text, skip, names)


def _named_before_tool(text: str, skip: set[str], names: set[str]) -> list[str]:
    """The words right before the tool's own noun ("Downtime cost calculator", "Retirement
    savings gap calculator", "Craft beer trivia"): the creator's name for the tool says its
    subject. Words that say what kind of tool it is ("cost", "savings", "readiness") are
    passed over at the end and kept inside ("retirement savings gap")."""
    words = words_and_breaks(text)
    for at, word in enumerate(words):
        if word.lower() not in TOOL_NOUNS:
            continue
        end = at
        while end > 0 and words[end - 1].lower() in TOOL_WORDS:
            end -= 1
        start = end
        while start > 0 and (  # walk back over the words that name the tool's subject
            _subject_word(words, start - 1, skip)
            or (words[start - 1].lower() in TOOL_WORDS and start > 1
                and _subject_word(words, start - 2, skip))
        ):  # fmt: skip
            start -= 1
        if start > 0 and words[start - 1].lower() in POSSESSIVES:
            continue  # "patients don't book their eye test": a test, but no tool
        run = [w if w in names else w.lower() for w in words[start:end]]
        phrase = trim_phrase(first_content_words(run, 5))
        if phrase:
            return [w.removesuffix("'s").removesuffix("’s") for w in phrase]
    return []


def _subject_word(words: list[str], at: int, skip: set[str]) -> bool:
    """Whether ``words[at]`` can be part of a subject phrase (a compound's filler head too:
    "customer onboarding")."""
    low = words[at].lower()
    if not low or _is_count(words[at]) or low in NUMBER_WORDS or low in CURRENCIES:
        return False
    if low in COMPOUND_HEADS:
        return _content(words[at + 1 : at + 2], skip)
    return low not in skip and low not in LINKS


def _is_count(word: str) -> bool:
    """A number or a count ("25-year", "50s", "10-question"), not a name with a digit
    ("3PL", "B2B")."""
    word = word.lstrip("$€£¥₹")
    return is_number(word) or (word[:1].isdigit() and not any(c.isupper() for c in word))


def _as_noun(verb: str, who: str) -> list[str]:
    """What "ready to <verb> ..." is ready for, as a noun: "retire" -> "retirement",
    "raise a Series A" -> "raising" (what is raised is left to the entry's words); the
    audience may say what the verb is done to ("first-time home buyers", "ready to buy"
    -> "home buying")."""
    verb = verb.lower()
    noun = noun_of_verb(verb)
    doer = re.search(r"([a-z][\w-]*)\s+" + re.escape(verb.rstrip("e")) + r"e?rs?\b", who)
    if doer and doer.group(1) not in FILLER:
        return [doer.group(1), noun]
    return [noun]


def _phrase(text: str, skip: set[str], names: set[str]) -> list[str]:
    """The longest run of content words in ``text``, trimmed (see ``_subject``)."""
    runs: list[list[str]] = [[]]
    words = words_and_breaks(QUESTION_SCAFFOLD.sub(",", text))
    for at, word in enumerate(words):
        low = word.lower()
        if not word:  # punctuation
            runs.append([])
        elif low in LINKS and runs[-1]:
            runs[-1].append(low)
        elif is_number(word) and runs[-1] and is_acronym(runs[-1][-1]):
            runs[-1].append(word)  # "ISO 9001", "SOC 2", "WCAG 2.2"
        elif low in COMPOUND_HEADS and _content(words[at + 1 : at + 2], skip):
            runs[-1].append(low)  # "time management", "customer service"
        elif low in {"vs", "versus"}:  # "fuel vs charging": two things, neither the subject
            runs.append([])
        elif low in skip or _is_count(word) or low in NUMBER_WORDS or low in CURRENCIES:
            if runs[-1]:
                runs.append([])
        else:
            word = word if word in names else low
            runs[-1].append(word.removesuffix("'s").removesuffix("’s"))
    cleaned = [trim_phrase(run) for run in runs]
    best = max(cleaned, key=weight)
    return trim_phrase(first_content_words(best, 5))


def _content(words: list[str], skip: set[str]) -> bool:
    """Whether ``words`` holds one word that can be part of a subject."""
    return len(words) == 1 and bool(words[0]) and words[0].lower() not in skip | LINKS


def _names(brief: str) -> set[str]:
    """Words the brief writes as names, so they keep their case: acronyms and capitals inside
    a word ("GDPR", "SaaS"), and capitalised words inside a sentence ("a Michelin
    inspection"); a brief in capitals or title case throughout says nothing."""
    words = re.findall(r"[^\W\d_][\w'-]*", brief)
    capitals = [w for w in words if w[:1].isupper()]
    if brief.upper() == brief or len(capitals) > len(words) / 2:
        return set()
    inside = re.findall(r"(?<![.!?:]\s)(?<!^)(?<=\s)([A-Z][\w'-]*)", brief)
    return {w for w in words if is_name(w)} | set(inside)


def _without_places(brief: str) -> str:
    """The brief with the places it names replaced by a clause break."""
    for match in reversed(_locations(brief)):
        brief = brief[: match.start()] + "," + brief[match.end() :]
    return brief

"""An outcome quiz narrowed to the outcomes the brief names ("are you a visionary, a coach,
a commander or a diplomat?").

A name matches a reviewed archetype by its words: the archetype's id and title, compared by
stem ("coach" ~ "The coach", "commander" ~ "commanding", "freelancers" ~ "A freelancer");
words every archetype shares ("investor") tell them apart from nothing. A name no title
matches may match the one archetype whose description uses its last word ("full-time
employees" ~ "An in-house hire": "An employee builds ..."). Matched archetypes keep their
reviewed text and scoring; the questions keep only options that still point somewhere.
A name the set lacks becomes an outcome in general words built from the name alone, reached
by a "None of these" answer in every question; when the set has fewer than two of the
names (the reviewed questions would then tell nothing apart), the quiz asks which of each
two named outcomes suits the visitor more. Nothing here is
invented expertise: the fit report says which names have no reviewed content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from keyvex.knowledge._english import a_or_an
from keyvex.knowledge._named import Named
from keyvex.knowledge.models import Archetype, OutcomeOption, OutcomeQuestion, OutcomeSet

STOP = frozenset("a an the and or of for with your you to in on at by".split())
COUNT_WORDS = re.compile(r"(?i)\b(?:two|three|four|five|six|seven|eight|nine|ten)\b")
POINTS = 2.0
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
MAX_PAIRS = 10


@dataclass
class Narrowed:
    """The quiz for the named outcomes: its archetypes (in the brief's order), questions,
    which names are reviewed archetypes and which have only general wording."""

    archetypes: list[Archetype]
    questions: list[OutcomeQuestion]
    reviewed: list[tuple[str, Archetype]]
    unreviewed: list[str]
    description: str | None
    title: str | None = None


def stem(word: str) -> str:
    """A crude English stem, the same on both sides of a comparison."""
    w = word.lower().strip("'’.").removesuffix("'s").removesuffix("’s")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    for suffix in ("ing", "er", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def stems(text: str) -> set[str]:
    return {stem(w) for w in re.findall(r"[^\W\d_]+", text) if w.lower() not in STOP}


def _same(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 5 and long.startswith(short))


def match_names(outcomes: list[tuple[str, str, str]], names: list[str]) -> list[int | None]:
    """For each name, the index of the outcome (id, title, description) it names, or None;
    each outcome at most once, the best-matching pairs first."""
    table = _scores(outcomes, names)
    scored = [(-score, i, j) for i, row in enumerate(table) for j, score in enumerate(row) if score]
    found: list[int | None] = [None] * len(names)
    for _, i, j in sorted(scored):
        if found[i] is None and j not in found:
            found[i] = j
    for i, name in enumerate(names):  # a name's last word in one description only
        words = re.findall(r"[^\W\d_]+", name)
        if found[i] is not None or not words or len(stem(words[-1])) < 4:
            continue
        last = stem(words[-1])
        hits = [j for j, o in enumerate(outcomes) if j not in found and last in stems(o[2])]
        if len(hits) == 1:
            found[i] = hits[0]
    return found


def _scores(outcomes: list[tuple[str, str, str]], names: list[str]) -> list[list[int]]:
    """How many of each name's words each outcome's id and title share."""
    keys = [stems(id_.replace("_", " ") + " " + title) for id_, title, _ in outcomes]
    shared = set.intersection(*keys) if len(keys) > 1 else set()
    keys = [k - shared for k in keys]
    return [
        [sum(any(_same(s, k) for k in key) for s in stems(name) - shared) for key in keys]
        for name in names
    ]


def several(outcomes: list[tuple[str, str, str]], names: list[str]) -> dict[str, list[str]]:
    """Names that match several outcomes equally well ("red": light reds and bold reds),
    none of them a closer match of another name, with those outcomes' titles."""
    chosen = match_names(outcomes, names)
    found = {}
    for i, (name, row) in enumerate(zip(names, _scores(outcomes, names), strict=True)):
        others = {j for k, j in enumerate(chosen) if k != i}  # taken by a closer name
        best = max((score for j, score in enumerate(row) if j not in others), default=0)
        tied = [
            outcomes[j][1]
            for j, score in enumerate(row)
            if best and score == best and j not in others
        ]
        if len(tied) > 1:
            found[name] = tied
    return found


def _triples(archetypes: list[Archetype], titles: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(a.id, titles.get(a.id, a.title), a.description) for a in archetypes]


def narrow(quiz: OutcomeSet, named: Named, titles: dict[str, str]) -> Narrowed | None:
    """The quiz for ``named``'s outcomes; None when it needs no change (the names are the
    set's outcomes) or cannot be built (two names, neither of them reviewed).
    ``titles`` are the archetypes' titles with the brief's words filled in."""
    found = [
        None if j is None else quiz.archetypes[j]
        for j in match_names(_triples(quiz.archetypes, titles), named.names)
    ]
    reviewed = [(n, a) for n, a in zip(named.names, found, strict=True) if a is not None]
    unreviewed = [n for n, a in zip(named.names, found, strict=True) if a is None]
    if not reviewed and len(named.names) < 3:
        return None
    if not unreviewed and len(reviewed) == len(quiz.archetypes):
        return None
    by_id = {a.id: a for a in quiz.archetypes}
    kept = {a.id for _, a in reviewed}
    used = set(by_id)
    outcomes: list[Archetype] = []
    for name, archetype in zip(named.names, found, strict=True):
        if archetype is not None:
            outcomes.append(by_id[archetype.id])
        else:
            outcomes.append(_general(name, named, _free_id(name, used)))
    new = {a.id: n for a, n in zip(outcomes, named.names, strict=True) if a.id not in by_id}
    if len(reviewed) >= 2 or (reviewed and len(named.names) < 3):
        questions = _kept_questions(quiz.questions, kept, new, named.personal)
    else:
        questions = _pairs(outcomes, named)
    narrowed = Narrowed(outcomes, questions, reviewed, unreviewed, _description(quiz, named, kept))
    if not reviewed and named.personal and quiz.id.startswith("generic-"):
        narrowed.title = f"Are you {either(named)}?"  # the brief's own question
    return narrowed


def either(named: Named) -> str:
    """The names as a choice: "a visionary, a coach or a diplomat"."""
    listed = [spoken(n, named) for n in named.names]
    return ", ".join(listed[:-1]) + " or " + listed[-1]


def _free_id(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "named"
    base = base if base[0].isalpha() else f"named_{base}"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}_{n}", n + 1
    taken.add(found)
    return found


def spoken(name: str, named: Named) -> str:
    """How a sentence names the outcome: "a diplomat" for a kind of person, else as said."""
    return f"{a_or_an(name)} {name}" if named.personal and name[:1].islower() else name


def _title(name: str, named: Named) -> str:
    if named.personal and name[:1].islower():
        return f"The {name}"
    return name[:1].upper() + name[1:]


def _general(name: str, named: Named, id_: str) -> Archetype:
    """An outcome in general words from the name alone: no claims about what it means."""
    who = "the " + name if named.personal and name[:1].islower() else name
    count = NUMBER_WORDS.get(len(named.names), str(len(named.names)))
    kinds = "types" if named.personal else "options"
    leans = "what you lean on most" if named.personal else "what matters most to you"
    return Archetype(
        id=id_,
        title=_title(name, named),
        description=f"Of the {count} {kinds} in this quiz, your answers point most to {who}.",
        recommendations=[
            f"Look back at the answers that pointed to {who}: they show {leans}.",
            "Talk it through with us to see what this result means for you.",
        ],
    )


def _none_of_these(name: str, named: Named) -> str:
    if named.personal:
        return f"None of these: I'm more of {spoken(name, named)}"
    return f"None of these: {name} suits me better"


def _kept_questions(
    questions: list[OutcomeQuestion], kept: set[str], new: dict[str, str], personal: bool
) -> list[OutcomeQuestion]:
    """Each question with only the options that still point to a kept outcome (their
    points for dropped outcomes removed), plus a "None of these" answer per new outcome;
    a question that no longer tells two outcomes apart is left out."""
    named = Named(list(new.values()), personal)
    result = []
    for question in questions:
        options = []
        for option in question.options:
            points = {k: v for k, v in option.points.items() if k in kept}
            if any(v > 0 for v in points.values()):
                options.append(option.model_copy(update={"points": points}))
        options += [
            OutcomeOption.model_construct(label=_none_of_these(name, named), points={id_: POINTS})
            for id_, name in new.items()
        ]
        pointed = {k for o in options for k, v in o.points.items() if v > 0}
        if len(options) >= 2 and len(pointed) >= 2:
            result.append(question.model_copy(update={"options": options}))
    return result


def _pairs(outcomes: list[Archetype], named: Named) -> list[OutcomeQuestion]:
    """With no reviewed outcome to build on: which of each two named outcomes suits the
    visitor more (every outcome in as many questions as the others)."""
    names = dict(zip((a.id for a in outcomes), named.names, strict=True))
    questions = []
    for n, (one, other) in enumerate(combinations(names, 2)):
        a, b = spoken(names[one], named), spoken(names[other], named)
        text = (
            f"Which sounds more like you: {a} or {b}?"
            if named.personal
            else f"Which appeals to you more: {a} or {b}?"
        )
        options = [
            OutcomeOption(label=_capital(a), points={one: POINTS}),
            OutcomeOption(label=_capital(b), points={other: POINTS}),
        ]
        questions.append(
            OutcomeQuestion.model_construct(id=f"pick_{n + 1}", text=text, options=options)
        )
    return questions[:MAX_PAIRS]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _description(quiz: OutcomeSet, named: Named, kept: set[str]) -> str | None:
    """A description naming the brief's outcomes, when the reviewed one counts or names
    outcomes the quiz no longer has ("which of the six classic styles")."""
    dropped = set().union(
        *(
            stems(a.id.replace("_", " ") + " " + a.title)
            for a in quiz.archetypes
            if a.id not in kept
        ),
    )
    kept_words = set().union(
        *(stems(a.id.replace("_", " ") + " " + a.title) for a in quiz.archetypes if a.id in kept),
    )
    said = stems(quiz.description)
    if not COUNT_WORDS.search(quiz.description) and not (said & (dropped - kept_words)):
        return None
    if named.personal:
        return f"A few quick questions show whether you are {either(named)}."
    return f"A few quick questions show which suits you best: {either(named)}."


def named_fit(
    names: list[str],
    in_tool: list[int | None],
    reviewed: list[int | None],
    subject: str,
    covered: list[str],
    missing: list[str],
    ties: dict[str, list[str]] | None = None,
) -> Literal["medium", "low"] | None:
    """What a fit report says about the outcomes a brief names, given which of them the tool
    has (``in_tool``), which are reviewed (``reviewed``) and which match several reviewed
    outcomes (``ties``), and the highest level they allow: medium when some have no reviewed
    content, are not in the quiz or stand for one of several, low when fewer than half are
    reviewed."""
    rows = list(zip(names, in_tool, reviewed, strict=True))
    good = [f"'{n}'" for n, t, r in rows if t is not None and r is not None]
    general = [f"'{n}'" for n, t, r in rows if t is not None and r is None]
    absent = [f"'{n}'" for n, t, _ in rows if t is None]
    if good:
        covered.append(f"the outcomes you named: {_and(good)}")
    if general:
        one = len(general) == 1
        on = f" on {subject}" if subject else ""
        missing.append(
            f"reviewed content for {_and(general)}: the knowledge base has no "
            f"{'such outcome' if one else 'such outcomes'}{on}, so "
            f"{'its result and its answers' if one else 'their results and answers'} in the "
            "quiz use general wording built from the name; write them in the editor or "
            "configure an AI model"
        )
    if absent:
        missing.append(f"the outcomes you named that the quiz does not have: {_and(absent)}")
    for name, titles in (ties or {}).items():
        missing.append(
            f"'{name}' matches {len(titles)} reviewed outcomes ({'; '.join(titles)}): the "
            f"quiz uses '{titles[0]}'; change it in the editor if you meant another"
        )
    if ties and len(good) * 2 >= len(names):
        return "medium"
    if 2 * len(good) < len(names):  # most of what the creator named is not reviewed
        return "low"
    return "medium" if general or absent else None


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

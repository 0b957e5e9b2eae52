"""Whether a tool names the words that name its brief's subject (a part of the fit report).

A reviewed entry is chosen by its terms, and one matching term can pull in a tool about
something else: "dog nutrition" names ``nutrition``, and the nutrition quiz is about people.
So the fit reads the brief's own subject phrase (see ``brief._subject``: it is already
without the audience, the creator's business, the offer, places and question scaffolding)
and checks each of its content words against the tool's text:

- a word is *covered* when a word of the tool has the same stem ("dogs" covers "dog",
  "retirement" covers "retire"); stems of four letters or more also cover longer forms
  ("train" covers "trainer");
- the *heads* are the last content word of each part of the phrase (parts are split by
  linking words: "patients who drop out of treatment plans" has the heads patients, drop and
  plans), the words before a head only modify it ("dog" in "dog nutrition");
- verbs are no part of what is checked: a word of ``VERBS``, an "-ing" word that opens a
  part followed by its object ("reducing churn", "moving bookkeeping"), an "-ly" adverb,
  and numbers, quantities and times ("extra", "next", "year", "3-5").

A tool that misses a modifier, or names a head only in passing (in a result's text, not in
its title, description, questions, areas or outcomes: "VAT rules" in a tax-deadlines quiz),
fits at most ``medium``; one that names no head where it says what it is about, ``low``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from keyvex.knowledge._english import plural
from keyvex.knowledge._phrases import CLAUSE_ADVERBS, LINKS, NOT_NAMING, VERBS

#: Word endings stripped to compare forms of a word ("appointments" ~ "appointment").
SUFFIXES = ("ments", "ment", "ings", "ing", "ions", "ion", "ies", "es", "s", "ed", "e", "y")
#: Verbs a brief puts inside its subject's clause ("patients stop coming", "pet owners
#: ignore reminders", "a boiler knocks off the bill"), besides ``_phrases.VERBS``.
CLAUSE_VERBS = frozenset(
    """stop stops start starts stand stands ignore ignores knock knocks come comes coming go
    goes going want wants need needs get gets keep keeps leave leaves put puts""".split()
)
#: People a subject's clause names (who acts), not what the tool is about.
PEOPLE = frozenset(
    """people person patient client customer owner member listener reader viewer follower
    subscriber user visitor guest student someone""".split()
)
#: What a knowledge quiz is made of, not its topic: "SEO basics", "nutrition myths".
QUIZ_MATTER = frozenset("basics myths facts trivia fundamentals essentials knowledge".split())


@dataclass
class SubjectCheck:
    """The brief's subject words the tool covers and misses. ``heads`` are the words the
    subject's parts end on; ``passing`` the heads the tool names only in passing (not in its
    title, description, areas or outcomes, nor in its entry's reviewed terms)."""

    phrase: str
    heads: list[str]
    covered: list[str]
    missing: list[str]
    passing: list[str]

    @property
    def missing_heads(self) -> list[str]:
        return [h for h in self.heads if h in self.missing]

    @property
    def heads_covered(self) -> bool:
        """Whether the tool names a head where it says what it is about (a head named only in
        passing is not covered); an acronym it does not spell out ("ROAS") may be there in
        other words (return on ad spend), so it alone never says it is not."""
        return any(
            (h not in self.missing and h not in self.passing) or _is_acronym(h) for h in self.heads
        )

    @property
    def whole(self) -> bool:
        return not self.missing and not self.passing


def stem(word: str) -> str:
    """A word's stem for comparing forms: lower case, no possessive, one or two common
    endings stripped while at least three letters stay."""
    word = word.lower().strip("'’").removesuffix("'s").removesuffix("’s")
    for _ in range(2):
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
    return word


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def _same(wanted: str, found: str) -> bool:
    if wanted == found:
        return True
    short, long_ = sorted((wanted, found), key=len)
    return len(short) >= 4 and long_.startswith(short)


@dataclass
class Text:
    """A tool's text as stems, and its initials for acronyms ("return on ad spend")."""

    stems: set[str]
    initials: str

    @classmethod
    def of(cls, text: str) -> Text:
        words = re.findall(r"[^\W_][\w'’-]*", text.lower())
        found = {stem(w) for w in words}
        found.update(stem(p) for w in words if "-" in w for p in w.split("-") if p)
        return cls(found, " " + "".join(w[0] for w in words) + " ")

    def names(self, word: str) -> bool:
        """Whether ``word`` (each part of a hyphenated word, an acronym by its words'
        initials, "ROAS" in "return on ad spend") is in the text."""
        if len(word) >= 3 and word.isupper() and word.isalpha():
            if word.lower() in self.initials:
                return True
        if any(_same(stem(word), t) for t in self.stems):
            return True
        parts = [p for p in word.split("-") if len(p) > 2]
        return len(parts) > 1 and all(any(_same(stem(p), t) for t in self.stems) for p in parts)


def _parts(words: list[str]) -> list[list[str]]:
    """The phrase split at its linking words ("patients who drop out of treatment plans")."""
    parts: list[list[str]] = [[]]
    for word in words:
        if word.lower() in LINKS:
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]


def _names_a_thing(word: str) -> bool:
    """Whether ``word`` can name what the subject is about (not a verb, an adverb, a
    count, a person or what a quiz is made of)."""
    low = word.lower().strip("'’")
    if low in VERBS | CLAUSE_VERBS | NOT_NAMING | CLAUSE_ADVERBS | QUIZ_MATTER or len(low) < 2:
        return False
    if low.endswith(("n't", "n’t")) or stem(low) in PEOPLE or low.rstrip("s") in PEOPLE:
        return False
    return not (any(c.isdigit() for c in low) or (low.endswith("ly") and len(low) > 4))


def _content(part: list[str], skip: set[str]) -> list[str]:
    words = [
        w
        for at, w in enumerate(part)
        if _names_a_thing(w) and w.lower() not in skip and not _negated(part[at - 1 : at])
    ]
    # "reducing churn", "moving bookkeeping": a verb with its object after it
    if len(words) > 1 and words[0].lower().endswith("ing") and len(words[0]) > 5:
        words = words[1:]
    return words


def _negated(before: list[str]) -> bool:
    """Whether the word before says the next one is a verb ("don't book")."""
    return bool(before) and before[0].lower().endswith(("n't", "n’t", "not"))


def check_subject(
    subject_words: Iterable[str], text: str, prominent: str, ignore: Iterable[str] = ()
) -> SubjectCheck | None:
    """How far the tool's ``text`` names the subject; ``prominent`` is the part of it that
    says what the tool is about. None when the subject has no word to check (the brief
    names none, or only verbs and counts). Words of ``ignore`` (the audience, the creator,
    the offer, the place) are not the subject."""
    words = list(subject_words)
    skip = {w.lower() for phrase in ignore for w in re.findall(r"[\w'’-]+", phrase)}
    full, main = Text.of(text), Text.of(prominent)
    check = SubjectCheck(" ".join(words), [], [], [], [])
    for part in _parts(words):
        content = _content(part, skip)
        if not content:
            continue
        check.heads.append(content[-1])
        for word in content:
            (check.covered if full.names(word) else check.missing).append(word)
            if word in check.covered and not main.names(word):
                check.passing.append(word)
    return check if check.heads else None


def missing_line(check: SubjectCheck, kind: str, about: str) -> str:
    """The fit's line for a subject the tool does not fully name, in plain words: "dog
    nutrition: this quiz is about nutrition in general, not dogs"."""
    if not check.missing:
        passing = " or ".join(check.passing)
        return f"{check.phrase}: this {kind} is about {about} and names {passing} only in passing"
    if not check.missing_heads:  # one missed word reads best alone: "not dogs"
        heads = " and ".join(check.heads)
        missed = plural(check.missing[0]) if len(check.missing) == 1 else check.phrase
        return f"{check.phrase}: this {kind} is about {heads} in general, not {missed}"
    return f"{check.phrase}: this {kind} is about {about}, not {check.phrase}"

"""The outcomes a brief names itself: "are you a visionary, a coach or a commander?",
"which of A, B, C or D are you", "which format suits you - video, podcast, blog or newsletter?".

English phrasing only: a list of short items joined by commas and a final "or", after "are
you", after "which of", or after a which-question (or a colon or dash) and closing the
question. Nothing here knows a subject; matching the names to reviewed outcomes is
:mod:`keyvex.knowledge.outcomes`' work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ITEM = r"[^\W\d_][\w'’&+.-]*(?:\s+[^\W\d_][\w'’&+.-]*){0,3}"
LIST = rf"(?P<list>{ITEM}(?:\s*,\s*{ITEM})*\s*,?\s+or\s+{ITEM})"
#: "are you a visionary, a coach or a commander", "am I more of a saver or a spender".
ARE_YOU = re.compile(rf"(?i)\b(?:are you|am i)\s+(?:more\s+(?:of\s+)?|mostly\s+)?{LIST}")
#: "which of visionary, coach or commander are you" (a person), "... suits you" (a thing).
WHICH_OF = re.compile(
    rf"(?i)\bwhich\s+(?:one\s+)?of\s+(?:these\s+|the\s+following\s+)?:?\s*{LIST}"
    r"\s+(?P<verb>are you|am i|fits?|suits?|is|would)\b"
)
#: "which content format suits your brand - video, podcast, blog or newsletter?", and a quiz
#: brief's closing list after a colon ("a pricing quiz: hourly, retainer or value-based?").
CLOSING = re.compile(rf"(?i)(?:^|[:\-–—,?]\s+|:\s*){LIST}\s*\?")
WHICH_QUESTION = re.compile(r"(?i)\b(?:which|what kind of|what type of|what sort of)\b")
ARTICLE = re.compile(r"(?i)^(?:a|an|the)\s+")
#: Words that make an item a clause rather than a name ("your budget", "we decide").
NOT_A_NAME = frozenset(
    """you your yours i me my we our us they their it its he she his her this that these
    those is are was be do does should would could can will which what how why when who
    for to in on at by with from about quiz calculator scorecard assessment""".split()
)
MAX_NAMES = 6


@dataclass
class Named:
    """Outcomes the brief names, as written, and whether they are kinds of person ("are you
    a coach or a commander") rather than things or qualities ("video, podcast or blog",
    "conservative, balanced or aggressive")."""

    names: list[str] = field(default_factory=list)
    personal: bool = False

    def __bool__(self) -> bool:
        return bool(self.names)


def named_outcomes(brief: str) -> Named:
    """The brief's own list of outcomes, or an empty :class:`Named`."""
    text = " ".join(brief.split())
    for match in ARE_YOU.finditer(text):
        names = _items(match.group("list"))
        if len(names) >= 2:
            return Named(names, personal=_articled(match.group("list")))
    for match in WHICH_OF.finditer(text):
        names = _items(match.group("list"))
        if len(names) >= 2:
            who = match.group("verb").lower() in {"are you", "am i"}
            return Named(names, personal=who and _articled(match.group("list")))
    for match in CLOSING.finditer(text):
        names = _items(match.group("list"))
        before = text[: match.start("list")]
        question = before[before.rfind("?") + 1 :] if "?" in before else before
        asked = WHICH_QUESTION.search(question) is not None
        if len(names) >= 3 or (asked and len(names) >= 2):
            who = re.search(r"(?i)\bare you\b", question) is not None
            return Named(names, personal=who and _articled(match.group("list")))
    return Named()


def _articled(listed: str) -> bool:
    """Whether every item comes with "a" or "an": kinds of person ("a coach, a commander"),
    not qualities ("conservative, balanced or aggressive")."""
    parts = re.split(r"(?i)\s*,\s*(?:or\s+)?|\s+or\s+", listed)
    return all(re.match(r"(?i)an?\s", p.strip()) for p in parts if p.strip())


def _items(listed: str) -> list[str]:
    """The list's items without articles; empty when one of them reads as a clause or
    there are more than a quiz can have."""
    parts = re.split(r"(?i)\s*,\s*(?:or\s+)?|\s+or\s+", listed)
    names = [ARTICLE.sub("", p.strip(" .'’")) for p in parts if p.strip()]
    if not 2 <= len(names) <= MAX_NAMES or len({n.lower() for n in names}) < len(names):
        return []
    if any(not n or set(n.lower().split()) & NOT_A_NAME for n in names):
        return []
    first = names[0]
    if first[:1].isupper() and first[1:] == first[1:].lower() and names[1][:1].islower():
        names[0] = first.lower()  # "Red, white, rosé or bubbly?": a capital opening a sentence
    return names

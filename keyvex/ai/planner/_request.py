"""Reading a plain-word change request: its clauses, quoted texts, numbers, links and targets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._vocabulary import STOP_WORDS, normalise
from keyvex.tools import Input, ToolDefinition

QUOTED = re.compile(r"""["“”‘’](?P<text>[^"“”‘’]+)["“”‘’]|(?<![\w])'(?P<single>[^']+)'(?![\w])""")
NUMBER = re.compile(r"(?<![\w.])[-−]?\d[\d,]*(?:\.\d+)?(?:\s*[kK](?![a-z]))?%?")
URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*):(?://)?[^\s\"'<>]+|\bwww\.[^\s\"'<>]+", re.IGNORECASE)
POLITE = re.compile(
    r"^(?:(?:please|pls|kindly|ok|okay|now|also|then|and|hey|hi)\b[\s,]*"
    r"|(?:can|could|would|will) you\b\s*(?:please\s*)?"
    r"|i(?:'d| would)? (?:like|want|need) (?:you )?to\b\s*"
    r"|i want\b\s*|let'?s\b\s*|we need to\b\s*|you should\b\s*)+",
    re.IGNORECASE,
)
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
POSITION = re.compile(
    r"\b(?:questions?|inputs?|fields?|item|q)\s*(?:number\s*|no\.?\s*|#\s*)?(?P<n>\d{1,3})\b"
    r"|\b(?P<nth>\d{1,3})(?:st|nd|rd|th)\s+(?:question|input|field|one)\b"
    r"|\b(?P<word>" + "|".join(ORDINALS) + r"|last|final)\s+(?:question|input|field|one)\b",
    re.IGNORECASE,
)
#: Words that say what kind of thing is meant, not which one.
NOUNS = frozenset(
    "question questions input inputs field fields item one box answer option options entry"
    " please instead tool calculator quiz assessment scorecard".split()
)
SYNONYMS = {
    "staff": {"people", "employee", "team", "headcount", "staff"},
    "people": {"staff", "employee", "team", "headcount", "people"},
    "employee": {"staff", "people", "team", "headcount", "employee"},
    "team": {"staff", "people", "employee", "headcount", "team"},
    "price": {"price", "fee"},
    "fee": {"price", "fee"},
}
WORD = re.compile(r"[a-z0-9]+")
#: The new text of a request without quotes: what follows 'to', 'as' or a colon.
PLAIN_TEXT = re.compile(r"(?:\b(?:to|as|into|with)\b:?|:)\s+(?P<text>.+)$", re.IGNORECASE)


def stem(word: str) -> str:
    """A crude English stem: enough for 'locations' ~ 'location', 'staffing' ~ 'staff'."""
    word = word.lower().strip("'")
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def content_words(text: str) -> list[str]:
    """The words that carry meaning (stems), in order."""
    words = WORD.findall(text.lower().replace("_", " "))
    return [stem(w) for w in words if w not in STOP_WORDS and w not in NOUNS]


def quoted_texts(text: str) -> list[str]:
    return [(m.group("text") or m.group("single") or "").strip() for m in QUOTED.finditer(text)]


def without_quotes(text: str) -> str:
    return QUOTED.sub(" ", text)


def parse_number(token: str) -> float:
    """'1,200' -> 1200, '5k' -> 5000, '20%' -> 20 (percent points), '−3' -> -3."""
    raw = token.strip().replace("−", "-").replace(",", "").rstrip("%").strip()
    factor = 1000.0 if raw[-1:] in "kK" else 1.0
    return float(raw.rstrip("kK").strip()) * factor


def numbers(text: str) -> list[float]:
    """Numbers in the text, outside quotes, positions ('question 4') and links."""
    plain = POSITION.sub(" ", URL.sub(" ", without_quotes(text)))
    return [parse_number(m.group()) for m in NUMBER.finditer(plain)]


def links(text: str) -> list[str]:
    return [m.group().rstrip(".,;:!?)") for m in URL.finditer(text)]


REMOVE_SAYINGS = re.compile(
    r"^(?:get rid of|take (?:out|away|off)|do away with|(?:i|we) (?:don'?t|do not|no longer) "
    r"(?:need|want)|there'?s no need for|no need for|lose)\b\s*",
    re.IGNORECASE,
)
ADD_SAYINGS = re.compile(
    r"^(?:(?:we|i) (?:need|want)|there should be|(?:let's )?have|give me|put in)\s+"
    r"(?=(?:a|an|another|one more|one|some)\s+(?:new\s+)?(?:[\w/-]+\s+){0,2}?"
    r"(?:question|input|field)s?\b)|^(?=(?:a|an|another|one more)\s+(?:new\s+)?"
    r"(?:[\w/-]+\s+){0,2}?(?:question|input|field)s?\b)",
    re.IGNORECASE,
)


def clean(request: str) -> str:
    """The request without courtesy words ('please', 'can you', 'I'd like to'), with common
    sayings put plainly ('get rid of X' -> 'remove X', 'we need a question ...' -> 'add ...')."""
    text = request.strip().strip(".!").strip()
    text = POLITE.sub("", text).strip()
    text = REMOVE_SAYINGS.sub("remove ", text, count=1)
    return ADD_SAYINGS.sub("add ", text, count=1).strip()


@dataclass
class Request:
    """One clause of a change request, with the views every edit reads."""

    raw: str
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.raw = clean(self.raw)
        self.text = normalise(self.raw)

    @cached_property
    def quoted(self) -> list[str]:
        return quoted_texts(self.raw)

    @cached_property
    def unquoted(self) -> str:
        return normalise(without_quotes(self.raw))

    @cached_property
    def verb(self) -> str:
        words = self.unquoted.split()
        return words[0] if words else ""

    def has(self, *phrases: str) -> bool:
        """Whole-word match of any phrase outside quoted texts."""
        return any(f" {p} " in self.unquoted for p in phrases)

    def after(self, pattern: str) -> str:
        """The raw text after the first match of ``pattern`` (a regex), else ''."""
        found = re.search(pattern, self.raw, re.IGNORECASE)
        return self.raw[found.end() :].strip() if found else ""


def display_order(tool: ToolDefinition) -> list[Input]:
    """Inputs in the order a visitor meets them (steps first, when the tool has steps)."""
    if not tool.steps:
        return list(tool.inputs)
    by_id = {i.id: i for i in tool.inputs}
    return [by_id[i] for step in tool.steps for i in step.inputs if i in by_id]


def position_of(text: str, tool: ToolDefinition) -> Input | None:
    """The input named by its position: 'question 4', 'the 3rd question', 'the last one'."""
    found = POSITION.search(text)
    if found is None:
        return None
    ordered = display_order(tool)
    if found.group("word") in ("last", "final"):
        return ordered[-1]
    number = int(found.group("n") or found.group("nth") or ORDINALS.get(found.group("word"), 0))
    if not 1 <= number <= len(ordered):
        raise NeedsModel(
            f"This tool has {len(ordered)} questions, so there is no question {number}."
        )
    return ordered[number - 1]


def _words_of(item: Input) -> set[str]:
    words = set(content_words(item.label)) | set(content_words(item.id))
    words |= set(content_words(item.unit))
    return words


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if b in SYNONYMS.get(a, ()):
        return 0.8
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return 0.8
    if min(len(a), len(b)) >= 5 and _one_edit(a, b):
        return 0.7
    return 0.0


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one letter (typed, dropped, swapped or added)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        return len(diff) == 1 or (swapped and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def match_inputs(phrase: str, tool: ToolDefinition) -> list[tuple[float, Input]]:
    """Inputs scored by how well the phrase's words name them, best first (score > 0).

    A word shared by many inputs counts less than one only this input has.
    """
    wanted = content_words(phrase)
    if not wanted:
        return []
    ordered = display_order(tool)
    words = {item.id: _words_of(item) for item in ordered}
    scored = []
    for item in ordered:
        total = 0.0
        for word in wanted:
            best = max((_similar(word, w) for w in words[item.id]), default=0.0)
            if best:
                share = sum(1 for ws in words.values() if any(_similar(word, w) for w in ws))
                total += best / share
        if item.id.lower() == phrase.strip().lower():
            total += 10
        if total > 0:
            scored.append((total, item))
    return sorted(scored, key=lambda pair: -pair[0])


def find_input(phrase: str, tool: ToolDefinition, *, required: bool = True) -> Input | None:
    """The input a phrase names by position, id or label words; NeedsModel when unclear."""
    placed = position_of(phrase, tool)
    if placed is not None:
        return placed
    for word in WORD.findall(phrase):
        if any(item.id == word and "_" in word for item in tool.inputs):
            return tool.input(word)
    scored = match_inputs(without_quotes(phrase) or phrase, tool)
    if not scored and quoted_texts(phrase):
        scored = match_inputs(" ".join(quoted_texts(phrase)), tool)
    if not scored:
        if not required:
            return None
        said = phrase.strip() or "that"
        raise NeedsModel(
            f"I could not tell which question '{said}' means; name it by its number "
            f"(question 1 to {len(tool.inputs)}) or by words from its label."
        )
    if len(scored) > 1 and scored[1][0] >= scored[0][0] * 0.95:
        names = " or ".join(f"'{label_of(i, tool)}'" for _, i in scored[:3])
        raise NeedsModel(
            f"'{phrase.strip()}' could mean {names}; say which by its number or more words."
        )
    return scored[0][1]


def label_of(item: Input, tool: ToolDefinition) -> str:
    """'question 3 (How many people do this task?)' style name for messages."""
    number = [i.id for i in display_order(tool)].index(item.id) + 1
    return f"question {number} ({item.label})"


ID_NOISE = frozenset(
    "how many much often long well which they them their you your does did have has would"
    " rate question".split()
)


def new_id(text: str, taken: set[str], fallback: str = "question") -> str:
    """A readable, unused identifier from a label: 'Number of locations' -> 'number_locations'."""
    words = [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS | ID_NOISE][:4]
    base = "_".join(words)[:48] or fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"
    reserved = {"and", "or", "not", "true", "false", "score", "score_percent", "max_score"}
    candidate, n = base, 2
    while candidate in taken or candidate in reserved:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def split_clauses(request: str) -> list[str]:
    """Separate requests: 'make the button green; and move question 5 to the top'."""
    pieces: list[str] = []

    def mark(found: re.Match[str]) -> str:
        pieces.append(found.group())
        return f"\0{len(pieces) - 1}\0"

    protected = QUOTED.sub(mark, request)
    parts = re.split(
        r"\s*;\s*|\.\s+(?=[A-Z])|,?\s+\b(?:and then|then|and also|also)\b\s+"
        r"|,?\s+and\s+(?=(?:make|add|remove|delete|change|set|rename|move|put|show|turn|"
        r"ask|hide|drop|swap|switch|rewrite|reword|translate|write|replace|insert|include|"
        r"create|reorder|sort|give|let|start|end|link|point|mark|call)\b)"
        r"(?!\w+\s+(?:it|its|them|that|this)\b)",
        protected,
    )
    restore = re.compile(r"\0(\d+)\0")
    parts = [restore.sub(lambda m: pieces[int(m.group(1))], p or "") for p in parts]
    return [p.strip() for p in parts if p.strip()]

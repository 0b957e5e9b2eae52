"""Reading a phrase out of a brief's words: where clauses break, which words may link a
phrase or end it, verbs and adverbs that are never its subject, names that keep their case."""

from __future__ import annotations

import re


def words_and_breaks(brief: str) -> list[str]:
    """The brief's words as written (numbers like "2.2" whole), with "" where punctuation
    separates clauses."""
    words: list[str] = []
    for part in CLAUSE_BREAK.split(brief):
        found = re.findall(r"\d+(?:\.\d+)+|(?:[^\W_]|[€£$¥₹])(?:[^\W_]|[€£$¥₹&'\-])*", part)
        words += [w.strip("'-") for w in found if w.strip("'-")] + [""]
    return words


#: Verbs a brief uses around its subject ("a quiz that recommends ...", "... in Texas saves"):
#: never the subject on their own, nor at either end of it.
VERBS = frozenset(
    """recommend recommends suggest suggests lose loses save saves cost costs pay pays spend
    spends earn earns cancel cancels pick picks choose chooses decide decides compare compares
    match matches fit fits suit suits works answer answers take takes tell tells explain
    explains calculates estimates go goes become becomes reveal reveals""".split()
)
#: Punctuation between clauses; a full stop only at a sentence end ("0.28" stays a number).
CLAUSE_BREAK = re.compile(r"[,;:!?()\[\]]|\.(?=\s|$)|\s[-–—]+\s")
#: Words that may link content words inside a subject phrase (never at its ends).
LINKS = frozenset({"of", "out", "who", "that"})
#: Adverbs that close a clause rather than name a thing ("drop out early", "pay late").
CLAUSE_ADVERBS = frozenset(
    """early late prematurely quickly slowly often again anymore soon now today yet already
    first ever instead regularly frequently constantly repeatedly halfway midway back""".split()
)

#: Adverbs that never start a subject ("get back switching", "often forget"); "late" and
#: "early" may ("late invoices", "early retirement").
LEADING_ADVERBS = frozenset(
    """back again already ever instead often regularly frequently constantly repeatedly
    quickly slowly""".split()
)


def trim_phrase(words: list[str]) -> list[str]:
    """``words`` without linking words or verbs at either end, a clause-ending adverb, or a
    link left dangling by the cut ("patients who cancel" -> "patients")."""
    words = list(words)
    while words and (
        words[-1] in LINKS
        or words[-1].lower() in VERBS
        or (words[-1] in CLAUSE_ADVERBS and len(words) > 1)
    ):
        words.pop()
    while words and (
        words[0] in LINKS
        or words[0].lower() in VERBS
        or (words[0] in LEADING_ADVERBS and len(words) > 1)  # "(get) back switching"
    ):
        words.pop(0)
    return words


def first_content_words(words: list[str], limit: int) -> list[str]:
    """The words up to and including the ``limit``-th content word."""
    kept: list[str] = []
    for word in words:
        if word not in LINKS and sum(w not in LINKS for w in kept) == limit:
            break
        kept.append(word)
    return kept


#: Words inside a phrase that say how much, when or who, never what it is about.
NOT_NAMING = frozenset(
    """extra bit lot lots more less most least next last other others another someone
    something anyone anything everyone everything between among actually really still even
    vs versus etc per via year years yr yrs month months week weeks day days hour hours
    minute minutes today tomorrow yesterday up down off over under before after new old
    guy guys""".split()
)


def weight(words: list[str]) -> float:
    """How much a run says: its content words, verbs, counts and times not counted, and
    a lone "-ing" word half ("chucking £200 extra a month at the mortgage" is about the
    mortgage)."""
    said = [w.lower() for w in words]
    found = sum(w not in LINKS and w not in VERBS and w not in NOT_NAMING for w in said)
    return found / 2 if found == 1 and len(said) == 1 and said[0].endswith("ing") else found


def is_number(word: str) -> bool:
    return re.fullmatch(r"\d+(?:\.\d+)*", word) is not None


def is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper()


def is_name(word: str) -> bool:
    """Written as a name, so its case is kept: an acronym or capitals inside a word
    ("GDPR", "SaaS", "iPhone"); a capital first letter alone ("Houseplant") is not."""
    return any(c.isupper() for c in word[1:])

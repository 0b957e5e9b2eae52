"""English forms of a brief's subject phrase: with an article where one is needed, plural.

Generic structures speak about the creator's own subject words ("How ready is your business
for a data breach?", "Which houseplant suits you?", "Ask which houseplants ..."), so the
words must read as English whatever they are. The rules are small and conservative: a
phrase that looks like a name, a plural, a number or a mass noun takes no article.
"""

from __future__ import annotations

import re

#: Endings of nouns that usually stand without an article ("ready for certification").
MASS_ENDINGS = (
    "tion", "sion", "ment", "ness", "ing", "ance", "ence", "ity", "ship", "ism", "ics", "cy",
    "ty", "dom", "hood",
)  # fmt: skip
#: Common uncountable nouns a brief may end its subject with.
MASS_NOUNS = frozenset(
    """work software hardware data growth change tax money energy cash debt health safety
    security privacy success compliance insurance winter summer spring autumn retirement
    advice equipment furniture food wine coffee tea beer research feedback traffic revenue
    income pay staff training marketing seo content branding design strategy leadership
    culture quality waste water power heating electricity fuel time""".split()
)
#: Words that start with a vowel letter but a consonant sound, and the reverse.
CONSONANT_SOUND = re.compile(r"^(?:uni|use|usu|eu|one|once|ur)")
VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir)")
#: Capital letters whose name starts with a vowel sound ("an SEO audit", "an ISO standard").
VOWEL_LETTERS = frozenset("AEFHILMNORSX")


def article(phrase: str) -> str:
    """The article a singular countable phrase needs ("a", "an"); "" when it needs none."""
    words = phrase.split()
    if not words:
        return ""
    last = words[-1]
    lower = last.lower()
    if _looks_like_name(last) or lower[:1].isdigit() or is_plural(last):
        return ""
    if lower in MASS_NOUNS or lower.endswith(MASS_ENDINGS):
        return ""
    return a_or_an(words[0])


def a_or_an(word: str) -> str:
    """The indefinite article for ``word`` by its sound ("an hour", "a user", "an SEO")."""
    if word.isupper() and len(word) > 1:
        return "an" if word[0] in VOWEL_LETTERS else "a"
    lower = word.lower()
    if VOWEL_SOUND.match(lower):
        return "an"
    if lower[:1] in "aeiou" and not CONSONANT_SOUND.match(lower):
        return "an"
    return "a"


def with_article(phrase: str, said: str = "") -> str:
    """``phrase`` with its article: the one the brief ``said`` before it, else by the rules."""
    chosen = said or article(phrase)
    if chosen in {"a", "an"}:
        chosen = a_or_an(phrase.split()[0]) if phrase else chosen
    return f"{chosen} {phrase}".strip()


def plural(phrase: str) -> str:
    """The phrase with its last word in the plural ("houseplant" -> "houseplants")."""
    words = phrase.split()
    if not words:
        return phrase
    last = words[-1]
    lower = last.lower()
    if _looks_like_name(last) or lower[:1].isdigit() or is_plural(last) or lower in MASS_NOUNS:
        return phrase
    if lower.endswith(("ch", "sh", "x", "z", "ss")):
        last += "es"
    elif lower.endswith("y") and lower[-2:-1] not in tuple("aeiou"):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join([*words[:-1], last])


def is_plural(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is", "ics"))


def _looks_like_name(word: str) -> bool:
    """An acronym or a name written with capitals inside ("GDPR", "SaaS")."""
    return any(c.isupper() for c in word[1:]) or (word.isupper() and len(word) > 1)


#: Verbs whose thing done is a noun of its own ("ready to retire" -> "ready for retirement").
VERB_NOUNS = {
    "retire": "retirement", "grow": "growth", "expand": "expansion", "launch": "launch",
    "invest": "investment", "migrate": "migration", "certify": "certification",
    "apply": "application", "exit": "exit", "relocate": "relocation", "marry": "marriage",
    "renovate": "renovation", "automate": "automation", "digitise": "digitisation",
    "digitize": "digitization", "comply": "compliance",
}  # fmt: skip
#: Short verbs that double their last letter before "-ing" ("shop" -> "shopping").
VOWELS = "aeiou"


def noun_of_verb(verb: str) -> str:
    """The noun for doing ``verb``: its own noun where English has one ("retirement",
    "growth"), else its "-ing" form ("buy" -> "buying", "raise" -> "raising")."""
    lower = verb.lower()
    if lower in VERB_NOUNS:
        return VERB_NOUNS[lower]
    if lower.endswith("ing"):
        return lower
    if lower.endswith("ie"):
        return lower[:-2] + "ying"
    if lower.endswith("e") and not lower.endswith(("ee", "ye", "oe")):
        return lower[:-1] + "ing"
    if 3 <= len(lower) <= 4 and _consonant_vowel_consonant(lower):
        return lower + lower[-1] + "ing"
    return lower + "ing"


def _consonant_vowel_consonant(word: str) -> bool:
    """Whether ``word`` ends consonant-vowel-consonant, so a one-syllable verb doubles its
    last letter ("shop", "plan"; not "open", "show")."""
    last, middle, before = word[-1], word[-2], word[-3]
    return last not in VOWELS + "wxy" and middle in VOWELS and before not in VOWELS

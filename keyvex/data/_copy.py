"""Words a visitor reads in a tool built from data: column names as labels, questions.

Source columns are named for spreadsheets and databases (``in_stock``, ``deal_value``,
``term_years``, ``deposit_pct``, ``InStock``); a visitor reads "In stock", "Deal value",
"Term (years)", "Deposit (%)". Nothing here knows a particular data set: the rules are about
how columns are commonly named.
"""

from __future__ import annotations

import re

#: Trailing words that are the column's unit: shown in brackets ("Term (years)").
UNITS = {
    "pct": "%", "percent": "%", "perc": "%", "usd": "USD", "eur": "EUR", "gbp": "GBP",
    "years": "years", "yrs": "years", "months": "months", "weeks": "weeks", "days": "days",
    "hours": "hours", "mins": "minutes", "minutes": "minutes", "kg": "kg", "km": "km",
    "miles": "miles", "sqft": "sq ft", "m2": "m²",
}  # fmt: skip
#: Abbreviations written out.
WORDS = {
    "min": "minimum", "max": "maximum", "avg": "average", "qty": "quantity", "num": "number",
    "amt": "amount", "desc": "description", "cat": "category",
    "addr": "address", "sq": "square", "ft": "feet",
}  # fmt: skip
#: Words kept in capitals.
ACRONYMS = frozenset({"id", "url", "sku", "crm", "vat", "usd", "eur", "gbp", "roi", "api"})
#: Columns that say what an item is for: asked as "What will you use it for?".
PURPOSE = frozenset({"use", "usage", "purpose", "use case", "used for", "for", "activity"})
#: Words naming what an item costs: a limit on such a money column is the visitor's budget.
PRICE_WORDS = frozenset({"price", "cost", "fee", "fees", "rent", "rate", "budget", "msrp"})
#: Prefixes of yes/no columns that a question does not need ("is_vegan" -> "Vegan").
FLAG_PREFIXES = ("is", "has", "can", "allows", "includes")


def words_of(name: str) -> list[str]:
    """'InStock' / 'in_stock' / 'in-stock' / 'In stock' -> ['in', 'stock']."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.strip())
    return [w for w in re.split(r"[\s_\-./]+", spaced.lower()) if w]


def column_label(name: str) -> str:
    """A column name as a label: 'deal_value' -> 'Deal value', 'term_years' -> 'Term
    (years)', 'deposit_pct' -> 'Deposit (%)', 'min_amount' -> 'Minimum amount'. A name that
    already reads as words ('Price (USD)', 'Monthly fee') keeps its own spelling."""
    if re.search(r"\s", name.strip()) and not re.search(r"[_]", name):
        return name.strip()[:1].upper() + name.strip()[1:]
    words = words_of(name)
    if not words:
        return name
    unit = ""
    if len(words) > 1 and words[-1] in UNITS:
        unit = UNITS[words.pop()]
    spelled = [WORDS.get(w, w) if len(words) > 1 else w for w in words]
    text = " ".join(w.upper() if w in ACRONYMS else w for w in spelled)
    text = text[:1].upper() + text[1:]
    return f"{text} ({unit})" if unit else text


def noun(name: str) -> str:
    """The column's label as a noun inside a sentence ('Property type' -> 'property type',
    'CRM segment' keeps its capitals)."""
    label = column_label(name)
    first = label.split(" ")[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def flag_label(name: str) -> str:
    """A yes/no column's label without its 'is'/'has' ('is_vegan' -> 'Vegan')."""
    words = words_of(name)
    if len(words) > 1 and words[0] in FLAG_PREFIXES:
        rest = column_label("_".join(words[1:]))
        return f"With {rest[:1].lower() + rest[1:]}" if words[0] == "has" else rest
    return column_label(name)


def choice_question(name: str) -> str:
    """'category' -> 'Which category do you prefer?'; 'use' -> 'What will you use it for?'."""
    if " ".join(words_of(name)) in PURPOSE:
        return "What will you use it for?"
    return f"Which {noun(name)} do you prefer?"


def flag_question(name: str) -> str:
    """'in_stock' -> 'In stock only?', 'is_vegan' -> 'Vegan only?'."""
    return f"{flag_label(name)} only?"


def is_price(name: str) -> bool:
    """Whether a column's name says it is what an item costs ('price', 'monthly_fee')."""
    return any(word in PRICE_WORDS for word in words_of(name))


def limit_question(name: str, money: bool) -> str:
    """A price: 'What is your budget?'; another number: 'What is the highest rating you
    want?'."""
    if money and is_price(name):
        return "What is your budget?"
    return f"What is the highest {noun(name)} you want?"


def plural(count: int, word: str) -> str:
    """'1 quick question', '3 quick questions'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def in_sentence(name: str) -> str:
    """A source's name inside a sentence: 'Product catalogue' -> 'product catalogue',
    'CRM contacts' stays."""
    first = name.split(" ")[0] if name else ""
    if len(first) > 1 and first[:2].isupper():
        return name
    return name[:1].lower() + name[1:]

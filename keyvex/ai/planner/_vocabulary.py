"""Words the offline planner's editor understands: colours, currencies, stop words."""

from __future__ import annotations

import re

#: Colour names -> hex (deep enough for white text where that is the usual use).
COLORS: dict[str, str] = {
    "red": "#b91c1c",
    "dark red": "#7f1d1d",
    "orange": "#c2410c",
    "amber": "#b45309",
    "yellow": "#facc15",
    "gold": "#a16207",
    "lime": "#4d7c0f",
    "green": "#15803d",
    "dark green": "#14532d",
    "emerald": "#047857",
    "teal": "#0f766e",
    "cyan": "#0e7490",
    "sky": "#0369a1",
    "light blue": "#bfdbfe",
    "blue": "#1d4ed8",
    "dark blue": "#1e3a8a",
    "navy": "#1e3a8a",
    "indigo": "#4338ca",
    "violet": "#6d28d9",
    "purple": "#7e22ce",
    "magenta": "#a21caf",
    "pink": "#be185d",
    "rose": "#be123c",
    "brown": "#78350f",
    "grey": "#4b5563",
    "gray": "#4b5563",
    "light grey": "#f3f4f6",
    "light gray": "#f3f4f6",
    "black": "#111111",
    "white": "#ffffff",
    "cream": "#fffbeb",
    "beige": "#f5f0e6",
}

#: Currency words -> ISO code.
CURRENCIES: dict[str, str] = {
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "€": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "us dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "gbp": "GBP",
    "£": "GBP",
    "canadian dollars": "CAD",
    "cad": "CAD",
    "australian dollars": "AUD",
    "aud": "AUD",
    "swiss francs": "CHF",
    "francs": "CHF",
    "chf": "CHF",
    "yen": "JPY",
    "jpy": "JPY",
    "kronor": "SEK",
    "sek": "SEK",
    "rupees": "INR",
    "inr": "INR",
}

STOP_WORDS = frozenset(
    "a an and are for how is of on the this that what which with your you our to in it its"
    " do does can will my me we us be by at as or from".split()
)


def normalise(text: str) -> str:
    words = re.findall(r"[a-z0-9€£$][a-z0-9\-&:'/]*", text.lower())
    return " " + " ".join(w.rstrip(":'-/") for w in words) + " "


def contains(text: str, phrase: str) -> bool:
    """Whole-word phrase match on a normalised text."""
    return f" {phrase.lower().strip()} " in text

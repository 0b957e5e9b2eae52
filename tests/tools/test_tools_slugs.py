"""Addresses made from titles: short titles word for word, long ones without filler words."""

from __future__ import annotations

import pytest

from keyvex.tools.publishing import SLUG, SLUG_FROM_TITLE_MAX, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("What return will this project bring?", "what-return-will-this-project-bring"),
        (
            "Missed recalls: What return on investment would this investment bring your practice?",
            "missed-recalls-return-investment-investment-bring",
        ),
        (
            "How much could solar panels save on your electricity bill?",
            "solar-panels-save-electricity-bill",
        ),
        ("Über café ☕", "uber-cafe"),
        ("???", "tool"),
    ],
)
def test_a_title_becomes_a_readable_address(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    "title",
    [
        "What do physio patients who drop out of treatment plans early cost your clinic?",
        "How ready is your business for the new accessibility rules that come in this year?",
        "A" * 80,
        "word " * 40,
    ],
)
def test_a_long_title_fits_ends_on_a_whole_word_and_never_on_filler(title: str) -> None:
    slug = slugify(title)
    assert len(slug) <= SLUG_FROM_TITLE_MAX and SLUG.match(slug)
    last = slug.rsplit("-", 1)[-1]
    assert last not in {"of", "the", "your", "would", "for", "to", "a", "is"}
    if " " in title.strip():  # several words: only whole words are kept
        words = set(title.lower().replace("?", "").split())
        assert all(part in words for part in slug.split("-"))

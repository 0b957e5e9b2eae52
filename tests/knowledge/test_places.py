"""Places in a brief are context, never the subject, however the brief is cased; ordinary
words after "in", "across" or "near" are not places."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from keyvex.knowledge import Slots, choose, compose, understand

BRIEFS = yaml.safe_load(Path(__file__).with_name("briefs.yaml").read_text(encoding="utf-8"))
ALL_BRIEFS = [c["brief"] for c in [*BRIEFS["briefs"], *BRIEFS["outside"]]]

#: Ordinary briefs whose words after a preposition of place are not places.
ORDINARY = [
    "which dessert suits you? a quiz for bakeries with items in stock only",
    "how much time do your staff lose in meetings every week? calculator for managers",
    "a scorecard for how well a team works across departments",
    "quiz: how do you behave in a crisis? for new managers",
    "what does churn cost you in lost revenue? saas calculator",
    "roi of investing in ai for accountants",
    "calculate what you pay in fees and commissions to booking platforms",
    "an onboarding checklist for clients working within tight budgets",
    "which coffee suits you in the morning? quiz for our cafe",
    "how ready is your home for winter? checklist for people living near the coast",
    "marketing maturity scorecard for agencies in growth mode",
    "quiz for parents: how do you handle screen time in your family",
    "a calculator for how much landlords lose in empty months",
    "which houseplant suits a flat with little light in winter",
    "cyber security scorecard for firms working in finance and in healthcare",
    "true or false quiz on fire safety in the kitchen",
    "how much do you spend in turkey and ham at christmas? calculator for caterers",
    "which china pattern suits your table? quiz for collectors",
    "a quiz on how well you do in reading and maths for parents",
    "which plan fits you: working in person, in house or remote?",
    "calculator for contractors who get paid in march but spend in may",
    "how much energy is wasted around the office at night?",
    "an ROI calculator for investing in SEO for law firms",
    "how ready is your practice for an audit in the new year?",
]


def _subject_and_place(brief: str) -> tuple[str, str]:
    u = understand(brief)
    return u.subject, u.location


def test_a_state_in_lower_case_is_a_place_not_the_subject() -> None:
    u = understand("storm readiness checklist for homeowners in north carolina")
    assert (u.subject, u.location, u.audience) == ("storm", "North Carolina", "homeowners")
    plan = choose(u)
    tool = compose(plan, Slots(audience=u.audience))
    assert tool.title == "How ready are you for a storm?"  # homeowners are people
    assert "carolina" not in tool.title.lower()


def test_a_plumber_brief_in_lower_case_keeps_texas_out_of_the_subject() -> None:
    lower = understand("a missed calls cost calculator for plumbers in texas")
    capital = understand("a missed calls cost calculator for plumbers in Texas")
    assert (lower.subject, lower.location) == (capital.subject, capital.location)
    assert lower.location == "Texas" and "texas" not in lower.subject_words
    u = understand("a calculator for plumbers in texas")
    assert (u.subject, u.location) == ("", "Texas")
    tool = compose(choose(u), Slots(audience=u.audience))
    assert "texas" not in tool.title.lower()


@pytest.mark.parametrize(
    ("brief", "place"),
    [
        ("quiz for dog owners in ontario: which dog breed suits you", "Ontario"),
        ("solar savings calculator for homeowners in new south wales", "New South Wales"),
        ("gdpr scorecard for small firms across the uk", "UK"),
        ("a hiring quiz for startups in london", "London"),
        ("vat calculator for freelancers in germany, prices in eur", "Germany"),
        ("roofing quote estimator for roofers near san diego", "San Diego"),
    ],
)
def test_known_places_are_found_in_any_casing(brief: str, place: str) -> None:
    subject, location = _subject_and_place(brief)
    assert location == place
    assert place.lower() not in subject.lower()
    assert _subject_and_place(brief.upper().lower()) == (subject, location)


@pytest.mark.parametrize("brief", ORDINARY)
def test_ordinary_words_after_in_or_near_are_not_places(brief: str) -> None:
    assert understand(brief).location == ""


def test_acronyms_that_are_no_place_are_not_places() -> None:
    assert understand("Calculate what a hotel pays in OTA commissions").location == ""
    assert understand("How much time could your team save by investing in AI?").location == ""
    assert understand("GDPR scorecard for charities in the UK").location == "UK"


def test_lower_casing_a_real_brief_never_invents_a_place() -> None:
    """Every brief of the shared brief set, in lower case, names no place its own casing
    does not (a capitalised name the planner does not know is only lost, never invented)."""
    for brief in ALL_BRIEFS:
        said = set(filter(None, understand(brief).location.lower().split(", ")))
        lower = set(filter(None, understand(brief.lower()).location.lower().split(", ")))
        assert lower <= said, (brief, lower, said)

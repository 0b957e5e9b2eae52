"""The fit names the brief's subject: a reviewed tool fits only when the words that name what
the brief is about appear in it, so a tool about something else is never reported as high."""

from __future__ import annotations

from keyvex.knowledge import Fit, Plan, Slots, choose, compose, fit_of, understand
from keyvex.knowledge._coverage import check_subject, stem
from keyvex.tools import ToolDefinition
from tests.knowledge.offline import offline_tool


def _built(brief: str) -> tuple[Plan, ToolDefinition, Fit]:
    _, plan, tool = offline_tool(brief)
    return plan, tool, fit_of(plan, tool)


# ---- right tools keep their high fit --------------------------------------------------------


def test_a_tool_on_the_brief_s_subject_stays_high() -> None:
    for brief, source in [
        ("Trivia quiz for home cooks: test your knowledge of wine", "wine"),
        ("How much could a bakery save with an energy audit of its ovens? calculator",
         "energy-savings/energy-audit"),
        ("calculator: what do missed dental check-ups cost a practice each year?",
         "missed-recall-cost/dental"),
        ("What does nurse turnover cost a care home? calculator", "employee-turnover-cost/nurses"),
        ("What's your holiday personality? a quiz for my travel blog", "travel-style"),
    ]:  # fmt: skip
        plan, _, fit = _built(brief)
        assert (plan.source_id, fit.level) == (source, "high"), (brief, fit)


def test_noise_around_the_subject_does_not_cost_a_right_tool_its_fit() -> None:
    """Counts, times, clause verbs and the people in the brief's sentence are not what it is
    about ("stands still", "patients don't book", "pet owners ignore", "2-4 yrs")."""
    for brief in [
        "Downtime cost calculator for a packaging line that stands still two hours a week. "
        "We sell maintenance contracts.",
        "What does it cost an optician when patients don't book their eye test after a "
        "reminder? calculator",
        "How much do vets lose when pet owners ignore vaccination reminders? calculator",
        "Exit readiness scorecard for owners planning to sell within 2-4 yrs",
    ]:
        plan, _, fit = _built(brief)
        subject = plan.understanding.subject
        assert not plan.generic and fit.level in ("high", "medium"), (brief, fit)
        assert not any(m.startswith(f"{subject}:") for m in fit.missing), (brief, fit)


# ---- a tool about something else says so ----------------------------------------------------


def test_a_tool_that_misses_a_modifier_is_medium_and_names_it() -> None:
    plan, _, fit = _built("quiz: test your knowledge of cat nutrition")
    assert plan.source_id == "nutrition-basics"  # the nearest reviewed quiz, until one on cats
    assert fit.level == "medium"
    assert "cat nutrition: this quiz is about nutrition in general, not cats" in fit.missing
    _, _, fit = _built("Quiz for pet owners: how much do you know about cat nutrition?")
    assert fit.level == "medium" and any("not cats" in m for m in fit.missing), fit


def test_a_subject_word_named_only_in_passing_is_not_a_high_fit() -> None:
    """The beer quiz mentions coffee in an answer: it is not about what the brief asks."""
    plan, _, fit = _built("A true or false quiz on coffee brewing for our cafe regulars")
    assert fit.level != "high", (plan.source_id, fit)
    assert any("coffee" in m for m in fit.missing), fit


def test_a_tool_that_names_no_head_of_the_subject_is_low() -> None:
    """One general word ("cloud") chose the server-migration calculator, and nothing of the
    brief's subject is in it: a tool about something else."""
    brief = "Calculator: how much time could you save by moving your photo library to the cloud?"
    plan, tool, fit = _built(brief)
    assert plan.understanding.subject == "photo library"
    assert plan.matched == ["cloud*"] and "photo" not in tool.title.lower()
    assert fit.level == "low"
    assert any(m.startswith("photo library:") for m in fit.missing), fit


def test_a_tool_several_words_chose_is_medium_when_its_subject_is_read_otherwise() -> None:
    """Two of the entry's terms chose it (or a variant's own word): a subject word the tool
    does not name costs its high fit, with the line, but does not call it another subject."""
    plan, _, fit = _built("Student debt payoff calculator for med school residents")
    assert plan.source_id == "student-loan/graduate-school" and len(plan.matched) > 1
    assert fit.level == "medium", fit
    assert any(m.startswith("student debt payoff:") for m in fit.missing), fit


def test_a_model_s_tool_is_judged_by_the_same_words() -> None:
    """A model that wrote a nutrition quiz for a cat-nutrition brief gets no high fit
    either: the entry's reviewed terms only count for tools composed from it."""
    u = understand("quiz: test your knowledge of cat nutrition")
    plan = choose(u)
    tool = compose(plan, Slots())
    judged = Plan(u, plan.kind, plan.entry, plan.variant, plan.matched, composed=False)
    fit = fit_of(judged, tool)
    assert fit.level == "medium" and any("not cats" in m for m in fit.missing), fit


# ---- reading the subject's words ------------------------------------------------------------


def test_forms_of_a_word_share_a_stem() -> None:
    assert stem("dogs") == stem("dog") and stem("dog's") == stem("dog")
    assert stem("appointments") == stem("appointment")
    assert stem("retirement").startswith(stem("retire"))
    assert stem("car") != stem("career")


def test_verbs_counts_and_people_are_not_checked() -> None:
    check = check_subject("reducing churn".split(), " churn rate ", " churn rate ")
    assert check is not None and check.heads == ["churn"] and check.whole
    assert check_subject("stop coming before".split(), " x ", " x ") is None
    check = check_subject("pet owners ignore booster reminders".split(), " x ", " x ")
    assert check is not None and check.covered == [] and "owners" not in check.missing
    assert check.missing == ["pet", "booster", "reminders"]


def test_an_acronym_the_tool_does_not_spell_out_is_named_by_its_initials() -> None:
    text = " what is your return on ad spend "
    check = check_subject(["ROAS"], text, text)
    assert check is not None and check.whole
    check = check_subject(["ROAS"], " revenue from paid ads ", " revenue from paid ads ")
    assert check is not None and check.missing == ["ROAS"] and check.heads_covered

"""Offline edits of the result: headline, outcome and tier texts, advice, call to action."""

from __future__ import annotations

import re

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import Change, Data, changed, refuse
from keyvex.ai.planner._edit_basic import colour_of
from keyvex.ai.planner._request import PLAIN_TEXT, Request, content_words, links, quoted_texts
from keyvex.tools import CtaBlock, Outcome, ToolDefinition

OUTCOME_WORDS = (
    "tier",
    "tiers",
    "outcome",
    "outcomes",
    "result",
    "results",
    "level",
    "band",
    "profile",
    "type",
    "score range",
    "rating",
    "category",
    "area",
    "section",
)
ADVICE = ("advice", "recommendation", "recommendations", "tip", "tips", "next step", "next steps")
RANGE = re.compile(r"\d+(?:\.\d+)?\s*%?\s*(?:-|–|to)\s*\d+(?:\.\d+)?\s*%?")
TEXT_WORDS = ("text", "description", "message", "copy", "summary", "say", "says", "read", "reads",
              "wording", "title", "name", "heading", *ADVICE)  # fmt: skip
TITLE = ("rename", "title", "name", "heading", "called", "call")
CTA_WORDS = (
    "call to action",
    "cta",
    "booking link",
    "booking button",
    "book a call button",
    "button link",
    "button url",
    "result button",
    "results button",
    "link",
    "url",
    "web address",
    "booking page",
    "button",
)
DOMAIN = re.compile(r"\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/[^\s'\"]*)?", re.I)


def headline_edit(tool: ToolDefinition, request: Request) -> Change | None:
    if not request.has("headline", "subheadline", "sub-headline", "subtext", "result heading"):
        return None
    text = _new_text(request, [])
    if not text:
        return None
    key = "subtext" if request.has("subheadline", "sub-headline", "subtext") else "text"

    def update(data: Data) -> None:
        blocks = [b for b in data["results"] if b["type"] == "headline"]
        if blocks:
            blocks[0][key] = text
        else:
            data["results"].insert(0, {"type": "headline", "text": text, "subtext": ""})

    name = "headline's subtext" if key == "subtext" else "headline"
    return Change(
        changed(tool, update),
        f"Changed the {name} to '{text}'.",
        f"The {name} already reads '{text}'.",
    )


def _new_text(request: Request, targets: list[str]) -> str:
    """The new text: the last quoted text that is not a target's name, else 'to ...'."""
    quoted = [q for q in request.quoted if q.lower() not in targets]
    if quoted:
        return quoted[-1][:5000]
    plain = PLAIN_TEXT.search(re.sub(r"""['"“‘][^'"”’]*['"”’]""", " ", request.raw))
    return plain.group("text").strip().rstrip(".")[:5000] if plain else ""


def outcome_text_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """Title, description or advice of an outcome (tier), or a category's advice."""
    if request.verb in ("add", "insert", "include", "ask", "append") and not request.has(*ADVICE):
        return None  # adding a question, not a text
    outcome = _named_outcome(tool, request)
    category = None if outcome is not None else _named_category(tool, request)
    if outcome is None and category is None:
        return None
    name = (outcome.title if outcome is not None else category[1]).lower()  # type: ignore[index]
    targets = [name, (outcome.id if outcome is not None else category[0]).lower()]  # type: ignore[index]
    text = _new_text(request, targets)
    if not text:
        return None
    if RANGE.fullmatch(text.strip()):
        raise refuse(
            "Score ranges of tiers change together (no gaps, no overlaps), so I do not change "
            "them offline.",
            "set the tiers' score ranges",
        )
    says = request.quoted or request.verb in ("rename", "call") or request.has(*TEXT_WORDS)
    if not says:
        return None  # 'change the high risk tier to ...' without saying which text
    if category is not None:
        renames = request.verb in ("rename", "call") or request.has("title", "name", "heading")
        if renames and not request.has(*ADVICE):
            return _category_title(tool, category[0], category[1], text[:200])
        if not request.has(*ADVICE):
            return None
        return _category_advice(tool, category[0], category[1], text)
    assert outcome is not None
    if request.has(*ADVICE):
        field = "recommendations"
    elif request.verb in ("rename", "call") or request.has("title", "name", "heading"):
        field = "title"
    else:
        field = "description"
    adding = request.verb in ("add", "append", "include")
    return _outcome_field(tool, outcome, field, text[:200] if field == "title" else text, adding)


def _named_outcome(tool: ToolDefinition, request: Request) -> Outcome | None:
    for said in request.quoted:
        for outcome in tool.outcomes:
            if said.lower() in (outcome.title.lower(), outcome.id.lower()):
                return outcome
    if not request.has(*OUTCOME_WORDS) or not tool.outcomes:
        return None
    words = set(content_words(request.unquoted)) - {"tier", "outcome", "result", "level", "band"}
    scored = []
    for outcome in tool.outcomes:
        names = set(content_words(f"{outcome.title} {outcome.id}"))
        scored.append((len(words & names) / max(len(names), 1), outcome))
    scored.sort(key=lambda pair: -pair[0])
    if scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _named_category(tool: ToolDefinition, request: Request) -> tuple[str, str] | None:
    if tool.scoring is None or not request.has("category", "area", "section", "pillar", *ADVICE):
        return None
    if not request.has(*ADVICE) and not request.has("category", "area", "pillar"):
        return None
    words = set(content_words(" ".join([request.unquoted, *request.quoted])))
    for category in tool.scoring.categories:
        if words & set(content_words(f"{category.title} {category.id}")):
            return category.id, category.title
    return None


def _category_title(tool: ToolDefinition, category_id: str, title: str, text: str) -> Change:
    def update(data: Data) -> None:
        entry = next(c for c in data["scoring"]["categories"] if c["id"] == category_id)
        entry["title"] = text

    return Change(
        changed(tool, update),
        f"Renamed the category '{title}' to '{text}'.",
        f"The category is already called '{text}'.",
    )


def _category_advice(tool: ToolDefinition, category_id: str, title: str, text: str) -> Change:
    def update(data: Data) -> None:
        entry = next(c for c in data["scoring"]["categories"] if c["id"] == category_id)
        entry["recommendation"] = text

    return Change(
        changed(tool, update),
        f"The advice for a low '{title}' score now reads '{text}'.",
        f"The advice for a low '{title}' score already reads '{text}'.",
    )


def _outcome_field(
    tool: ToolDefinition, outcome: Outcome, field: str, text: str, adding: bool
) -> Change:
    def update(data: Data) -> None:
        entry = next(o for o in data["outcomes"] if o["id"] == outcome.id)
        if field == "recommendations":
            entry[field] = [*entry[field], text] if adding else [text]
        else:
            entry[field] = text

    what = {"title": "title", "description": "text", "recommendations": "advice"}[field]
    verb = "Added advice to" if adding and field == "recommendations" else f"Changed the {what} of"
    return Change(
        changed(tool, update),
        f"{verb} the outcome '{outcome.title}': '{text}'.",
        f"The {what} of the outcome '{outcome.title}' already reads '{text}'.",
    )


# ---- call to action ------------------------------------------------------------------------


def cta_edit(tool: ToolDefinition, request: Request) -> Change | None:
    if not request.has(*CTA_WORDS):
        return None
    if request.has("button") and not request.has(*CTA_WORDS[:-1]) and not _says_text(request):
        return None  # 'make the button green' is the theme
    if colour_of(request.raw) and not request.quoted and not links(request.raw):
        return None  # 'the button yellow with black text' is the theme too
    blocks = [b for b in tool.results if isinstance(b, CtaBlock)]
    if request.verb in ("remove", "delete", "drop", "hide") or request.has(
        "no call to action", "no cta"
    ):
        if not blocks:
            return Change(tool, "", "There is no call to action already.")
        result = changed(
            tool, lambda d: d.update(results=[b for b in d["results"] if b["type"] != "cta"])
        )
        return Change(result, "Removed the call to action.")
    url = _url(request)
    label = _label(request, url)
    if not blocks:
        if url is None:
            raise NeedsModel(
                "This tool has no call to action; say where it should link, e.g. "
                "'add a call to action \"Book a call\" linking to https://example.com/book'."
            )
        block = {"type": "cta", "label": label or "Book a call", "url": url, "text": ""}
        result = changed(tool, lambda d: d["results"].append(block))
        return Change(result, f"Added a call to action '{block['label']}' linking to {url}.")
    if url is None and not label:
        return None
    current = blocks[0]

    def update(data: Data) -> None:
        entry = next(b for b in data["results"] if b["type"] == "cta")
        if url is not None:
            entry["url"] = url
        if label:
            entry["text" if _describes(request) else "label"] = label

    said = " and ".join(
        part for part in (f"text '{label}'" if label else "", f"link {url}" if url else "") if part
    )
    already = f"The call to action already has the {said}."
    del current
    return Change(changed(tool, update), f"The call to action now has the {said}.", already)


def _says_text(request: Request) -> bool:
    return bool(request.quoted) or request.has(
        "text", "label", "say", "says", "read", "reads", "wording"
    )


def _describes(request: Request) -> bool:
    return request.has("description", "subtext", "text under", "text below", "sentence", "blurb")


def _url(request: Request) -> str | None:
    found = links(request.raw)
    if not found:
        bare = [m.group() for m in DOMAIN.finditer(request.raw) if "." in m.group()]
        bare = [b for b in bare if not re.fullmatch(r"[\d.]+", b)]
        if not bare:
            return None
        found = ["https://" + bare[-1].rstrip(".,;:!?)")]
    url = found[-1]
    if url.lower().startswith("www."):
        url = "https://" + url
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise NeedsModel(f"'{url}' is not a web address; give one starting with https://.")
    try:
        CtaBlock(type="cta", label="x", url=url)
    except ValueError:
        raise NeedsModel(
            f"'{url}' is not a complete web address (e.g. https://example.com/book)."
        ) from None
    return url


def _label(request: Request, url: str | None) -> str:
    quoted = [q for q in quoted_texts(request.raw) if url is None or q not in url]
    if quoted:
        return quoted[-1][:200]
    if url is not None:
        return ""
    says = re.search(r"\b(?:say|says|read|reads)\s*:?\s+(?P<text>.+)$", request.raw, re.I)
    plain = says or PLAIN_TEXT.search(request.raw)
    if plain is None or not request.has(
        "text", "label", "say", "says", "read", "reads", "wording", "cta", "call to action"
    ):
        return ""
    text = re.sub(r"^(?:say|read)\s+", "", plain.group("text").strip(), flags=re.I)
    return text.rstrip(".")[:200]

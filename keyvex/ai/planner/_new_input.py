"""A new question from plain words: its subject, label, type, range, unit and currency."""

from __future__ import annotations

import re
from typing import Any

from keyvex.ai.planner._request import (
    QUOTED,
    Request,
    parse_number,
    quoted_texts,
)
from keyvex.ai.planner._vocabulary import CURRENCIES, contains, normalise
from keyvex.tools import ToolDefinition

Data = dict[str, Any]
OPTIONS = re.compile(
    r"(?:,?\s*\b(?:with|having|and)\s+)?(?:the\s+)?\b(?:options?|choices?|answers?|values?)"
    r"\s*(?:of|like|such as|being|are|:|=)?\s*(?P<list>.+)$"
    r"|\((?P<paren>[^)]*(?:,|\bor\b|/)[^)]*)\)"
    r"|\b(?:such as|like|e\.g\.?|either)\s+(?P<such>.+)$",
    re.IGNORECASE,
)
LEAD_IN = re.compile(
    r"^(?:add|insert|include|create|put in|append|new)\s+(?:(?:a|an|one|another|the|new|extra|"
    r"more|additional)\s+)*(?:(?:number|numeric|currency|money|percent|percentage|yes/no|yes-no|"
    r"yes or no|text|free text|slider|select|dropdown|drop-down|multiple choice|multi-select|"
    r"multiselect|date|scored|single choice|choice|rating|optional|required|mandatory)\s+)*"
    r"(?:question|input|field|item|box|step|statement)?s?\b\s*(?:(?:that|which|to)\s+asks?\s+|asking\s+|called\s+|named\s+|labell?ed\s+|"
    r"with the label\s+)?(?:about|for|on|regarding|of|whether|if|:)?\s*"
    r"|^ask(?:s|ing)?\s+(?:(?:the\s+)?(?:visitors?|users?|people|them|clients?|customers?|"
    r"respondents?|prospects?)\s+)?(?:for|about|:)?\s*",
    re.IGNORECASE,
)
TRAILERS = re.compile(
    r"\s*(?:,\s*)?(?:\b(?:in|as)\s+(?:a\s+|an\s+)?(?:dollars|euros|pounds|usd|eur|gbp|percent|"
    r"number|numbers|yes/no|yes or no|text|slider|dropdown|select|multiple choice|currency)\b"
    r"|\b(?:between|from|ranging|up to|at most|at least|min|max|minimum|maximum|default|"
    r"defaulting|starting at)\b.*"
    r"|\b(?:at the (?:top|start|beginning|end|bottom)|first|last|to the \w+ (?:category|"
    r"section|area|step)|in the \w+ (?:category|section|area)|as question \d+)\b.*"
    r"|\b(?:to|into|in) (?:the |this |my )?(?:tool|calculator|quiz|assessment|scorecard|form)\b"
    r"|\((?:yes/no|number|optional|required)\)|\bplease\b"
    r"|,?\s*(?:with\s+)?(?:the\s+)?(?:correct|right)\s+answer\b.*"
    r"|,?\s*(?:and\s+)?(?:make\s+it\s+|it\s+is\s+|that\s+is\s+)?(?:required|optional|mandatory)\b.*"
    r")\s*$",
    re.IGNORECASE,
)
#: Where a new question goes ('after question 2', 'before the budget question'), not what.
PLACE = re.compile(
    r"\s*\b(?:right\s+|just\s+)?(?:after|before|below|above|following)\s+(?:question\s*\d+|"
    r"q\d+|the\s+(?:first|last)\s+(?:question|one)|the\s+(?:[\w'-]+\s+){1,5}?"
    r"(?:question|one|input|field))\b",
    re.IGNORECASE,
)
#: 'with the usual agree/disagree answers', 'on the same scale as question 2'.
SCALE = re.compile(
    r"\b(?:with|using|on|in)\s+(?:the\s+)?(?:usual|same|standard|normal|existing|other)\b[^.;]*?"
    r"\b(?:answers|options|scale|choices)\b(?:\s+as\s+(?P<like>(?:question\s*\d+|the\s+.+?)))?"
    r"|\bagree\s*(?:/|or)\s*disagree\b|\blikert\b",
    re.IGNORECASE,
)
POSSESSIVE = re.compile(
    r"^(?:their|the|a|an|your|his|her|its|our|my|visitor'?s|the visitor'?s|clients?'?|"
    r"customers?'?|(?:company|business)'s)\s+",
    re.IGNORECASE,
)
QUESTION_START = re.compile(
    r"^(?:how|what|which|when|where|who|why|whether|if|do|does|did|is|are|was|were|have|has|"
    r"can|could|will|would|should)\b",
    re.IGNORECASE,
)
YES_NO = ("yes/no", "yes no", "yes or no", "yes-no", "true or false", "true/false", "whether")
MONEY = (
    "budget",
    "cost",
    "costs",
    "price",
    "prices",
    "revenue",
    "spend",
    "spending",
    "salary",
    "fee",
    "fees",
    "income",
    "turnover",
    "sales",
    "profit",
    "currency",
    "money",
    "wage",
    "wages",
    "payroll",
    "rent",
    "value of",
    "amount spent",
    "hourly rate",
    "day rate",
)
PERCENT = ("percent", "percentage", "%", "share of", "proportion", "rate of", "margin", "ratio")
COUNT = (
    "number",
    "numeric",
    "how many",
    "count",
    "quantity",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "minutes",
    "people",
    "staff",
    "employees",
    "size",
    "age",
    "locations",
    "visits",
    "customers",
    "clients",
    "units",
    "how much",
    "how long",
    "how often",
)
MULTI = (
    "choose all",
    "select all",
    "tick all",
    "all that apply",
    "multiple answers",
    "multi-select",
    "multiselect",
    "several",
    "checkboxes",
    "check boxes",
    "any of",
)
UNITS = (
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "minutes",
    "people",
    "km",
    "miles",
    "kg",
    "units",
    "visits",
    "locations",
    "sites",
    "staff",
    "employees",
    "customers",
)


def options_segment(raw: str) -> tuple[str, list[str]]:
    """(the request without its option list, the options as the creator wrote them)."""
    found = OPTIONS.search(raw)
    if found is None:
        return raw, []
    listed = found.group("list") or found.group("paren") or found.group("such") or ""
    listed = re.split(
        r"\s*(?:[;]|\.\s|,?\s*\b(?:at the|after|before|in the \w+ category|"
        r"(?:the\s+)?(?:correct|right)(?:\s+answer)?\s+(?:is|being|=|:)|"
        r"(?:with\s+)?(?:the\s+)?(?:correct|right)\s+answer)\b)",
        listed,
        flags=re.IGNORECASE,
    )[0]
    masked, pieces = _mask_quotes(listed)
    parts = re.split(r"\s*(?:,|/|\bor\b|\band\b)\s*", masked)
    parts = [_unmask(p, pieces) for p in parts]
    items = [p.strip(" '\"“”‘’.") for p in parts if p.strip(" '\"“”‘’.")]
    if len(items) < 2:
        return raw, []
    return (raw[: found.start()] + " " + raw[found.end() :]).strip(), items


def _mask_quotes(text: str) -> tuple[str, list[str]]:
    """Quoted texts replaced by markers, so separators inside quotes do not split."""
    pieces: list[str] = []

    def mark(found: re.Match[str]) -> str:
        pieces.append(found.group("text") or found.group("single") or "")
        return f"\0{len(pieces) - 1}\0"

    return QUOTED.sub(mark, text), pieces


def _unmask(text: str, pieces: list[str]) -> str:
    return re.sub(r"\0(\d+)\0", lambda m: pieces[int(m.group(1))], text)


def subject_of(raw: str) -> str:
    """What the new question is about, in the creator's words ('number of locations')."""
    quoted = quoted_texts(raw)
    if quoted:
        return quoted[0]
    text = SCALE.sub(" ", PLACE.sub(" ", raw.strip()))
    text = LEAD_IN.sub("", text.strip(), count=1)
    for _ in range(3):
        text = TRAILERS.sub("", text).strip(" ,:-")
    text = POSSESSIVE.sub("", text, count=1).strip()
    return text


def as_label(subject: str) -> str:
    """A visitor-facing label: a question stays a question, a topic is capitalised."""
    text = subject.strip().rstrip(".")
    if QUESTION_START.match(text):
        text = re.sub(r"\b(?:they|he|she)\s+(have|has|had|are|is|do|does)\b", r"you \1", text)
        text = re.sub(r"\bthey\b", "you", text)
        text = re.sub(r"\b(?:their|his|her)\b", "your", text)
        text = re.sub(r"\bthem\b", "you", text)
        text = re.sub(
            r"^(how many|how much|what|which)\s+(.+?)\s+you\s+(have|has|are|is|do|does)$",
            lambda m: f"{m.group(1)} {m.group(2)} {_aux(m.group(3))} you {_main(m.group(3))}",
            text,
            flags=re.IGNORECASE,
        ).replace("  ", " ")
        text = re.sub(r"^(whether|if)\s+you\s+", "Do you ", text, flags=re.IGNORECASE)
        text = re.sub(
            r"^(what|which|who|where|when|how)\s+(your\s.+?)\s+(is|are|was|were)$",
            r"\1 \3 \2",
            text,
            flags=re.IGNORECASE,
        )
        text = re.sub(
            r"^(how often|how long|how well|how much|how many|how|what|which|when|where|why)"
            r"\s+((?:\w+\s+){0,3}?)you\s+(?!do\b|did\b|can\b|will\b|would\b|should\b)(\w+)",
            _ask,
            text,
            flags=re.IGNORECASE,
        )
        text = text.rstrip("?") + "?"
    return (text[:1].upper() + text[1:])[:200]


def _ask(found: re.Match[str]) -> str:
    """'how often you review' -> 'how often do you review'; 'how big you are' -> 'are you'."""
    wh, middle, verb = found.group(1), found.group(2), found.group(3)
    if re.search(r"\b(?:do|does|did|are|is|can|will|would|should)\s*$", middle):
        return found.group(0)
    if verb.lower() in ("are", "is", "were", "was"):
        return f"{wh} {middle}are you".replace("  ", " ")
    return f"{wh} {middle}do you {_main(verb)}".replace("  ", " ")


def _aux(verb: str) -> str:
    return {"are": "are", "is": "are"}.get(verb, "do")


def _main(verb: str) -> str:
    return {"are": "", "is": "", "has": "have", "does": "do"}.get(verb, verb)


def infer_type(request: Request, subject: str, options: list[str]) -> str:
    said = request.unquoted
    topic = normalise(subject)
    if SCALE.search(request.raw):
        return "scale"
    if options:
        return "multiselect" if any(contains(said, w) for w in MULTI) else "select"
    if request.has("slider"):
        return "slider"
    if any(contains(said, w) for w in YES_NO) or re.match(
        r"^(?:do|does|did|is|are|was|were|have|has|can|will|would|should)\b", subject, re.I
    ):
        return "yes_no"
    if request.has("date") or contains(topic, "date"):
        return "date"
    if request.has("percent", "percentage") or "%" in request.raw:
        return "percent"
    if re.match(r"^\s*(?:the\s+)?(?:number|count|amount) of\b|^\s*how many\b", subject, re.I):
        return "number"
    money = any(contains(said, w) or contains(topic, w) for w in MONEY)
    if money or _currency_named(request) or any(s in request.raw for s in "$€£"):
        return "currency"
    if any(contains(topic, w) for w in PERCENT):
        return "percent"
    if any(contains(said, w) or contains(topic, w) for w in COUNT):
        return "number"
    if request.has("text", "free text", "comment", "comments", "name", "website", "notes"):
        return "text"
    return ""


def _currency_named(request: Request) -> str | None:
    words = {w: c for w, c in CURRENCIES.items() if len(w) > 1}
    return next((c for w, c in words.items() if request.has(w)), None)


def number_fields(request: Request, subject: str, kind: str, tool: ToolDefinition) -> Data:
    """min, max, default, unit and currency of a new numeric input."""
    raw = request.raw
    low, high = _range(raw)
    default = _default(raw)
    fields: Data = {}
    if kind == "percent":
        low, high = (0.0 if low is None else low), (100.0 if high is None else high)
        default = 10.0 if default is None else default
    elif kind == "currency":
        low, high = (0.0 if low is None else low), (10_000_000.0 if high is None else high)
        default = 1000.0 if default is None else default
        fields["currency"] = _currency_named(request) or tool.currency
    else:
        low, high = (0.0 if low is None else low), (100_000.0 if high is None else high)
        default = (1.0 if low <= 1 <= high else low) if default is None else default
        fields["unit"] = _unit(request, subject)
    if kind == "slider" and default is None:
        default = low
    if high < low:
        low, high = high, low
    default = min(max(default, low), high)
    return fields | {"min": low, "max": high, "default": default}


def _range(raw: str) -> tuple[float | None, float | None]:
    num = r"([-−]?\d[\d,]*(?:\.\d+)?\s*[kK]?%?)"
    between = re.search(rf"\b(?:between|from|ranging from)\s+{num}\s+(?:and|to|-)\s+{num}", raw)
    if between:
        return parse_number(between.group(1)), parse_number(between.group(2))
    low = re.search(rf"\b(?:at least|min(?:imum)?(?: of)?|no less than)\s+{num}", raw)
    high = re.search(rf"\b(?:up to|at most|max(?:imum)?(?: of)?|no more than)\s+{num}", raw)
    return (
        parse_number(low.group(1)) if low else None,
        parse_number(high.group(1)) if high else None,
    )


def _default(raw: str) -> float | None:
    found = re.search(
        r"\b(?:default(?:s|ing)?(?: value)?|starting at|preset to|pre-filled with)"
        r"\s*(?:of|to|is|at|=|:)?\s*([-−]?\d[\d,]*(?:\.\d+)?\s*[kK]?%?)",
        raw,
        re.IGNORECASE,
    )
    return parse_number(found.group(1)) if found else None


def _unit(request: Request, subject: str) -> str:
    said = re.search(r"\bin\s+(" + "|".join(UNITS) + r")\b", request.raw, re.IGNORECASE)
    if said:
        return said.group(1).lower()
    counted = re.search(r"\b(?:number of|how many)\s+(?:\w+\s+)?(\w+)$", subject, re.IGNORECASE)
    if counted:
        return counted.group(1).lower()
    return next((u for u in UNITS if contains(normalise(subject), u)), "")

"""Offline edits of the whole tool: colours, currency, title and description, lead capture."""

from __future__ import annotations

import re

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import Change, Data, changed, same
from keyvex.ai.planner._request import PLAIN_TEXT, Request, content_words
from keyvex.ai.planner._theme import (
    with_background,
    with_button_text,
    with_primary,
    with_text,
)
from keyvex.ai.planner._vocabulary import COLORS, CURRENCIES, contains, normalise
from keyvex.tools import Theme, ToolDefinition

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
TEXT_TARGETS = {
    "title": "title",
    "name of the tool": "title",
    "tool name": "title",
    "subtitle": "description",
    "description": "description",
    "intro": "description",
    "introduction": "description",
    "email button": "lead_button",
    "lead button": "lead_button",
    "form button": "lead_button",
}
THEME_WORDS = {
    "make", "set", "change", "turn", "button", "background", "text", "font", "accent", "link",
    "colour", "color", "theme", "everything", "heading", "title", "primary", "brand", "main",
    "page", "it", "all", "also", "both", "light", "dark", "bright", "please",
}  # fmt: skip
PARTS = {
    "background": "background",
    "text colour": "text",
    "accent colour": "accent",
    "button colour": "primary",
}
OF_A_QUESTION = re.compile(
    r" (?:title|name|description|intro|subtitle) (?:of|for|on|under) (?:the )?(?:question|q\d|"
    r"(?:[\w'-]+ ){1,4}question|option|answer|tier|outcome|category)"
)
LEAD_PHRASES = [
    (("turn off lead capture", "no lead capture", "don't ask for", "do not ask for", "dont ask for",
      "no email", "remove the email", "without email", "without an email", "lead capture off",
      "disable lead capture", "stop asking for", "not ask for", "never ask for",
      "remove lead capture", "drop the email", "no email gate", "skip the email",
      "without asking for"), "off"),
    (("teaser", "unlock", "unlocks", "preview of the results", "preview of results",
      "partial results"), "teaser"),
    (("before the results", "before results", "before they see", "before showing",
      "before the result", "before their results", "first then the results", "gate the results",
      "gate results", "results behind"), "before_results"),
    (("after the results", "after results", "after they see", "after showing",
      "after the result", "after their results", "results first", "result first"),
     "after_results"),
    (("turn on lead capture", "ask for email", "ask for an email", "ask for their email",
      "ask for the email", "collect leads", "collect emails", "lead capture on",
      "enable lead capture", "capture leads", "capture emails"), "after_results"),
]  # fmt: skip
LEAD_WORDS = (
    " email",
    " e-mail",
    " lead",
    " leads",
    " contact details",
    " teaser",
    " unlock",
    " unlocks",
    " results first",
    " result first",
)
LEAD_OFF = re.compile(
    r" (?:turn|switch|take|shut) off (?:the |an |any )?(?:email|e-mail|lead|contact)"
    r"| (?:remove|disable|drop|hide|delete|lose|skip|kill|no) (?:the |an |any )?(?:email|e-mail|"
    r"lead|contact)(?: gate| form| capture| step| field| details)? "
    r"| (?:email|e-mail|lead) (?:gate|form|capture) off "
)
MODE_NAMES = {
    "off": "off (no email asked)",
    "before_results": "before the results",
    "after_results": "after the results",
    "teaser": "a teaser (a preview, then the email unlocks the full results)",
}


def lead_edit(tool: ToolDefinition, request: Request) -> Change | None:
    if not any(w + " " in request.unquoted for w in LEAD_WORDS):
        return None
    text = request.unquoted
    mode = next((m for phrases, m in LEAD_PHRASES if any(contains(text, p) for p in phrases)), None)
    if mode is None and LEAD_OFF.search(text):
        mode = "off"
    if mode is None:
        return None

    def update(data: Data) -> None:
        data["lead_capture"]["mode"] = mode

    where = MODE_NAMES[mode]
    return Change(
        changed(tool, update), f"Lead capture is now {where}.",
        f"Lead capture is already {where}.",
    )  # fmt: skip


def text_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """Title, description or the email form's button, set to the quoted (or 'to ...') text."""
    target = next((t for w, t in TEXT_TARGETS.items() if request.has(w)), None)
    if target is None or OF_A_QUESTION.search(request.unquoted):
        return None
    value = new_text(request)
    if not value:
        return None

    def update(data: Data) -> None:
        if target == "lead_button":
            data["lead_capture"]["button_label"] = value
        else:
            data[target] = value

    name = {"lead_button": "email form's button"}.get(target, target)
    return Change(
        changed(tool, update), f"Changed the {name} to '{value}'.",
        f"The {name} already reads '{value}'.",
    )  # fmt: skip


def new_text(request: Request) -> str:
    """The text a request sets: quoted, else what follows 'to' or a colon."""
    if request.quoted:
        return request.quoted[-1][:200]
    plain = PLAIN_TEXT.search(request.raw)
    return plain.group("text").strip().rstrip(".")[:200] if plain else ""


def currency_edit(tool: ToolDefinition, request: Request) -> Change | None:
    text = request.unquoted
    code = next(
        (c for w, c in CURRENCIES.items() if contains(text, w) or (len(w) == 1 and w in text)),
        None,
    )
    if code is None:
        return None
    old = tool.currency

    def update(data: Data) -> None:
        data["currency"] = code
        for item in (*data["inputs"], *data["calculations"]):
            if item.get("currency") in (old, code):
                item["currency"] = code

    return Change(
        changed(tool, update), f"Figures are now shown in {code}.",
        f"Figures are already shown in {code}.",
    )  # fmt: skip


def colour_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """'make the button red and the background cream': each colour with the part it names."""
    pieces = [p for p in re.split(r",|;|\band\b|(?=\bwith\b)", request.raw) if p.strip()]
    parts = [p for p in pieces if colour_of(p)]
    if not parts:
        return None
    extra = [p.strip() for p in pieces if not colour_of(p) and set(content_words(p)) - THEME_WORDS]
    if extra:
        raise NeedsModel(f"I changed nothing: I did not understand the part '{extra[0]}'.")
    if len(parts) == 1:
        parts = [request.raw]
    current, done, already = tool, [], []
    for k, part in enumerate(parts):
        change = _one_colour(current, part, parts[k - 1] if k else "")
        if change.tool is current:
            already.append(change.already)
        else:
            current = change.tool
            done.append(change.done)
    if not done:
        return Change(tool, "", " ".join(already))
    return Change(current, " ".join([*done, *already]))


def colour_of(text: str) -> tuple[str, str] | None:
    """(hex, as said) of the colour a text names, longest name first."""
    hexes = HEX.findall(text)
    if hexes:
        return hexes[0].lower(), hexes[0]
    said = normalise(text)
    names = sorted((n for n in COLORS if contains(said, n)), key=len, reverse=True)
    return (COLORS[names[0]], names[0]) if names else None


def _one_colour(tool: ToolDefinition, text: str, before: str = "") -> Change:
    found = colour_of(text)
    assert found is not None
    color, said = found
    words = normalise(text)
    of_page = contains(normalise(before), "background") or contains(normalise(before), "page")
    with_it = re.match(r"\s*with\b", text) is not None and not of_page
    on_button = contains(words, "button text") or with_it
    if (contains(words, "text") or contains(words, "label")) and on_button:
        return _button_text(tool, color, said)
    if contains(words, "background"):
        theme, part = with_background(tool.theme, color), "background"
    elif contains(words, "text") or contains(words, "font"):
        theme, part = with_text(tool.theme, color), "text colour"
    elif contains(words, "accent"):
        theme, part = tool.theme.model_copy(update={"accent": color}), "accent colour"
    else:
        theme, part = with_primary(tool.theme, color), "button colour"
    current = getattr(tool.theme, PARTS[part])
    if said in COLORS and _nearest_name(current) in _same_names(said):
        return Change(tool, "", f"The {part} is already {said} ({current}).")

    def update(data: Data) -> None:
        data["theme"] = Theme.model_validate(theme).model_dump(mode="json")

    result = changed(tool, update)
    if same(result, tool):
        return Change(tool, "", f"The {part} is already {said}.")
    return Change(result, f"Changed the {part} to {said} (contrast kept at WCAG AA).")


def _button_text(tool: ToolDefinition, color: str, said: str) -> Change:
    """'green with white text', 'button text black': the text on the button, kept AA."""
    theme = with_button_text(tool.theme, color)
    if theme == tool.theme:
        return Change(tool, "", f"The button text is already {said}.")

    def update(data: Data) -> None:
        data["theme"] = theme.model_dump(mode="json")

    return Change(changed(tool, update), f"The button text is now {said} (contrast kept at AA).")


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _nearest_name(color: str) -> str:
    """The colour name closest to a hex colour ('#16a34a' -> 'green')."""
    r, g, b = _rgb(color.lower())

    def distance(name: str) -> int:
        r2, g2, b2 = _rgb(COLORS[name])
        return (r - r2) ** 2 + (g - g2) ** 2 + (b - b2) ** 2

    return min(COLORS, key=distance)


def _same_names(name: str) -> set[str]:
    """Names of the same colour ('navy' and 'dark blue' are one hex)."""
    return {n for n, hex_ in COLORS.items() if hex_ == COLORS[name]}

"""Rendering public pages: the Jinja environment, static assets, theme CSS and embed headers."""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from keyvex import formula
from keyvex.public._copy import lead_copy
from keyvex.public._payload import build_payload, payload_json, screens_of
from keyvex.tools import ToolDefinition, formulas_of
from keyvex.web.middleware import CSP

env = Environment(
    loader=PackageLoader("keyvex.public", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _plain_number(value: Any) -> Any:
    """4000.0 -> 4000 in input values; anything else unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


env.filters["plain"] = _plain_number
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FONT = re.compile(r"^[A-Za-z0-9 ,\"'-]{1,200}$")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")
_CACHE_LIMIT = 512


@dataclass(frozen=True)
class Asset:
    """A static file held in memory with its gzip form and a content hash for cache busting."""

    body: bytes
    gzipped: bytes
    media_type: str
    digest: str


def _read(package: str, *path: str) -> bytes:
    return resources.files(package).joinpath(*path).read_bytes()


@cache
def asset(name: str) -> Asset | None:
    """runtime.js, charts.js, public.css, embed.js, formula.js or formula-more.js (the last
    two from the formula package)."""
    sources = {
        "runtime.js": ("keyvex.public", "static", "public", "runtime.js"),
        "charts.js": ("keyvex.public", "static", "public", "charts.js"),
        "public.css": ("keyvex.public", "static", "public", "public.css"),
        "embed.js": ("keyvex.public", "static", "public", "embed-host.js"),
        "formula.js": ("keyvex.formula", "js", "formula.js"),
        "formula-more.js": ("keyvex.formula", "js", "formula-more.js"),
    }
    if name not in sources:
        return None
    body = _read(*sources[name])
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    digest = hashlib.sha256(body).hexdigest()[:12]
    return Asset(body, gzip.compress(body, 9, mtime=0), f"{kind}; charset=utf-8", digest)


def asset_url(name: str) -> str:
    found = asset(name)
    return f"/kvx/{name}?v={found.digest if found else 0}"


def theme_css(tool: ToolDefinition) -> str:
    """CSS variables of the theme; every value is re-checked so nothing can break out."""
    theme = tool.theme
    colors = {
        "primary": theme.primary,
        "bg": theme.background,
        "surface": theme.surface,
        "text": theme.text,
        "muted": theme.muted_text,
        "on-primary": theme.button_text,
        "accent": theme.accent,
    }
    lines = [f"--kvx-{k}:{v};" for k, v in colors.items() if _COLOR.match(v)]
    font = theme.font_stack()
    if _FONT.match(font):
        lines.append(f"--kvx-font:{font};")
    lines.append(f"--kvx-radius:{int(theme.radius)}px;")
    return ":root{" + "".join(lines) + "}\n"


def valid_origin(raw: str, allowed: tuple[str, ...]) -> str:
    """The parent origin to post heights to: a plain origin, in ``allowed`` when it is set."""
    if not raw or len(raw) > 300 or not _ORIGIN.match(raw):
        return ""
    parts = urlsplit(raw)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if allowed and origin not in {a.rstrip("/").lower() for a in allowed}:
        return ""
    return origin


def embed_csp(allowed: tuple[str, ...]) -> str:
    """The page CSP with frame-ancestors opened to the allowed origins (any web page if none)."""
    origins = [a.rstrip("/").lower() for a in allowed if _ORIGIN.match(a.rstrip("/"))]
    ancestors = " ".join(origins) if origins else "http: https:"
    return CSP.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")


_payloads: dict[tuple[str, int, str], str] = {}


def cached_payload(tool: Any) -> str:
    """The payload JSON of a published tool, built once per published version."""
    key = (tool.tool_id, tool.version, tool.published_at)
    text = _payloads.get(key)
    if text is None:
        if len(_payloads) >= _CACHE_LIMIT:
            _payloads.clear()
        text = payload_json(build_payload(tool.definition, slug=tool.slug, version=tool.version))
        _payloads[key] = text
    return text


def question_count(tool: ToolDefinition) -> str:
    """'9 questions' for a quiz or assessment ('up to' when some are conditional), else ''."""
    if tool.kind == "calculator":
        return ""
    count = len(tool.inputs)
    noun = "question" if count == 1 else "questions"
    conditional = any(item.visible_if for item in tool.inputs)
    return f"{'Up to ' if conditional else ''}{count} {noun}"


def render_page(tool: Any, *, embed: bool, transparent: bool = False, origin: str = "") -> str:
    """The public page HTML of a published tool (``tool`` is a PublishedTool)."""
    definition: ToolDefinition = tool.definition
    inputs = {item.id: item for item in definition.inputs}
    layout = definition.presentation.layout_for(definition.kind)
    screens = [
        {**screen, "inputs": [inputs[i] for i in screen["inputs"]]}
        for screen in screens_of(definition)
    ]
    stepped = layout == "one_per_screen"
    context = {
        "tool": definition,
        "slug": tool.slug,
        "version": tool.version,
        "screens": screens,
        "layout": layout,
        "live": definition.kind == "calculator" and not stepped,
        "cover": definition.presentation.cover,
        "question_count": question_count(definition),
        "keys_hint": stepped and any(i.options or i.type == "yes_no" for i in definition.inputs),
        "lead": definition.lead_capture,
        "copy": lead_copy(definition.lead_capture),
        "payload": cached_payload(tool),
        "embed": embed,
        "transparent": transparent,
        "origin": origin,
        "asset": asset_url,
        "formula_scripts": formula_scripts(definition),
    }
    return env.get_template("public/page.html").render(context)


def formula_scripts(tool: ToolDefinition) -> tuple[str, ...]:
    """formula.js, and formula-more.js when the tool's formulas call a rarely used function."""
    return formula.browser_scripts(source for _, source, _ in formulas_of(tool))

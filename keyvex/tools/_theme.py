"""Presentation models: the theme (colours, font, radius, logo) and lead-capture settings."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from keyvex.tools._common import Color, Identifier, LongText, ShortText, Strict, StructureError

# Named stacks the public page maps to safe CSS; anything else must match FONT_FAMILY.
FONT_STACKS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    "sans": '"Helvetica Neue", Arial, sans-serif',
    "serif": 'Georgia, "Times New Roman", serif',
    "mono": 'ui-monospace, "SFMono-Regular", Menlo, monospace',
    "rounded": 'ui-rounded, "Nunito", system-ui, sans-serif',
}
FONT_FAMILY = re.compile(
    r"""^(?:[A-Za-z][A-Za-z0-9 -]{0,40}|"[A-Za-z0-9 -]{1,40}"|'[A-Za-z0-9 -]{1,40}')$"""
)


class Theme(Strict):
    """Colours as #rrggbb, a font from the allow-list or a plain font stack, radius, logo."""

    primary: Color = "#1d4ed8"
    background: Color = "#ffffff"
    surface: Color = "#f3f4f6"
    text: Color = "#111827"
    muted_text: Color = "#4b5563"
    button_text: Color = "#ffffff"
    accent: Color = "#059669"
    font: str = Field(default="system", max_length=200)
    radius: int = Field(default=8, ge=0, le=32, description="Corner radius in pixels.")
    logo_url: str | None = Field(default=None, max_length=2000, description="https only.")

    @field_validator("font")
    @classmethod
    def _safe_font(cls, font: str) -> str:
        if font in FONT_STACKS:
            return font
        families = [part.strip() for part in font.split(",")]
        if not all(FONT_FAMILY.match(family) for family in families):
            names = ", ".join(FONT_STACKS)
            raise ValueError(f"must be one of {names}, or a comma-separated list of font names")
        return font

    @field_validator("logo_url")
    @classmethod
    def _https_logo(cls, url: str | None) -> str | None:
        if url is not None:
            parts = urlsplit(url)
            if parts.scheme != "https" or not parts.netloc:
                raise ValueError("must be an https:// address")
        return url

    def font_stack(self) -> str:
        """The CSS font-family value for this theme."""
        return FONT_STACKS.get(self.font, self.font)


class LeadField(Strict):
    """A contact field asked for at the email gate."""

    id: Identifier
    label: ShortText = Field(min_length=1)
    type: Literal["email", "text", "tel", "name", "company"] = "text"
    required: bool = False


def _default_fields() -> list[LeadField]:
    return [LeadField(id="email", label="Email", type="email", required=True)]


class LeadCapture(Strict):
    """When and how the visitor's contact details are asked for."""

    mode: Literal["off", "before_results", "after_results", "teaser"] = "after_results"
    title: ShortText = "Get your full results"
    text: LongText = ""
    fields: list[LeadField] = Field(default_factory=_default_fields)
    consent_text: LongText = "I agree to be contacted about my results."
    consent_required: bool = True
    incentive: LongText = Field(
        default="",
        description="What the visitor gets for their details, e.g. their result by email. "
        "Promise only what is sent.",
    )
    button_label: ShortText = "Show my results"
    email_result: bool = Field(
        default=False, description="Also email the visitor their result (needs SMTP settings)."
    )
    email_result_confirm: bool = Field(
        default=False,
        description="Double opt-in: the visitor first confirms their address through a "
        "signed link (valid 7 days) before the result is emailed.",
    )

    @model_validator(mode="after")
    def _email_when_on(self) -> LeadCapture:
        if self.mode != "off" and not any(f.type == "email" for f in self.fields):
            raise StructureError([("fields", "Lead capture needs an email field.")])
        ids = [f.id for f in self.fields]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise StructureError([("fields", f"Field ids must be unique: {', '.join(dupes)}.")])
        return self

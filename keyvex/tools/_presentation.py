"""How a tool's public page is laid out: one question per screen or all on one, and a cover."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from keyvex.tools._common import ShortText, Strict

Layout = Literal["auto", "one_per_screen", "all_on_one"]
ResolvedLayout = Literal["one_per_screen", "all_on_one"]
Pattern = Literal["waves", "dots", "grid", "none"]
MAX_IMAGE_URL = 2000


class Cover(Strict):
    """An opening screen before the first question: title, subtitle, picture, start button.

    ``title`` empty means the tool's title. The picture is ``image_url`` (https only, shown
    without a referrer) or, when there is none, ``pattern``: a decoration drawn by the page
    itself from the theme's primary and accent colours (CSS only, no request). ``none``
    shows neither.
    """

    title: ShortText = ""
    subtitle: str = Field(default="", max_length=500)
    image_url: str | None = Field(default=None, max_length=MAX_IMAGE_URL, description="https only.")
    image_alt: ShortText = Field(default="", description="Describe the image; empty: decorative.")
    pattern: Pattern = "waves"
    start_label: ShortText = Field(default="Start", min_length=1, max_length=60)

    @field_validator("image_url")
    @classmethod
    def _https_image(cls, url: str | None) -> str | None:
        if url is None or url == "":
            return None
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc:
            raise ValueError("must be an https:// address")
        if any(c.isspace() or ord(c) < 32 for c in url):
            raise ValueError("must not contain spaces or control characters")
        return url

    @field_validator("title", "subtitle", "image_alt", "start_label")
    @classmethod
    def _one_line(cls, text: str) -> str:
        return " ".join(text.split())


class Presentation(Strict):
    """Page layout and optional cover of the public page.

    ``layout``: ``one_per_screen`` walks the visitor through one question per screen (a
    calculator with steps: one step per screen) with a progress bar, Back and Next;
    ``all_on_one`` shows every question on one page (a calculator updates its result live,
    a quiz has one "See my result" button). ``auto``, the default, is one question per
    screen for quizzes and assessments and all on one page for calculators, where the live
    result is the point; a multi-step calculator keeps its titled steps on that page.
    ``cover`` (None: no cover) is shown before the first question.
    """

    layout: Layout = "auto"
    cover: Cover | None = None

    def layout_for(self, kind: str) -> ResolvedLayout:
        """The layout the page uses for a tool of this kind."""
        if self.layout != "auto":
            return self.layout
        return "all_on_one" if kind == "calculator" else "one_per_screen"

"""Theme colours that always pass WCAG AA: a brand pair in, a readable theme out."""

from __future__ import annotations

from keyvex.tools import AA_TEXT, Theme, contrast_ratio, luminance

DARK = "#111827"
LIGHT = "#ffffff"


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def mix(color: str, other: str, share: float) -> str:
    """``color`` moved ``share`` (0..1) of the way towards ``other``."""
    a, b = _rgb(color), _rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def readable_on(background: str) -> str:
    """Dark or light text, whichever reads better on ``background``."""
    dark, light = contrast_ratio(DARK, background), contrast_ratio(LIGHT, background)
    return DARK if dark >= light else LIGHT


def ensure_contrast(color: str, against: str) -> str:
    """``color`` nudged towards black or white until it reaches AA on ``against``."""
    target = "#000000" if luminance(against) > 0.18 else "#ffffff"
    for step in range(21):
        candidate = mix(color, target, step / 20)
        if contrast_ratio(candidate, against) >= AA_TEXT:
            return candidate
    return target


def with_primary(theme: Theme, primary: str) -> Theme:
    """The button colour changed; button text (and, if needed, the colour itself) stay AA."""
    primary = primary.lower()
    button_text = readable_on(primary)
    if contrast_ratio(button_text, primary) < AA_TEXT:
        primary = ensure_contrast(primary, button_text)
    return theme.model_copy(update={"primary": primary, "button_text": button_text})


def with_background(theme: Theme, background: str) -> Theme:
    """The page colour changed; text, muted text and surface follow it."""
    background = background.lower()
    text = ensure_contrast(readable_on(background), background)
    muted = mix(text, background, 0.3)
    if contrast_ratio(muted, background) < AA_TEXT:
        muted = ensure_contrast(muted, background)
    surface = mix(background, text, 0.05)
    return theme.model_copy(
        update={"background": background, "text": text, "muted_text": muted, "surface": surface}
    )


def with_pair(theme: Theme, primary: str, background: str) -> Theme:
    return with_primary(with_background(theme, background), primary)


def with_text(theme: Theme, text: str) -> Theme:
    return theme.model_copy(update={"text": ensure_contrast(text.lower(), theme.background)})


def with_button_text(theme: Theme, text: str) -> Theme:
    """The text on buttons changed; the button colour is nudged until it stays AA."""
    text = text.lower()
    primary = theme.primary
    if contrast_ratio(text, primary) < AA_TEXT:
        primary = ensure_contrast(primary, text)
    return theme.model_copy(update={"primary": primary, "button_text": text})

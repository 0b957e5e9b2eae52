"""Words the public page says for the creator: lead-form copy that follows the form's timing.

The form is asked for before the result (``before_results``), under a partial result
(``teaser``) or under the whole result (``after_results``). Its title and button must not
promise what the timing contradicts: a button saying "Show my results" under results that
are already shown, or "we'll email" when no email is sent (only ``email_result`` sends the
visitor anything: a copy of the result, see keyvex.notify).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from keyvex.tools import LeadCapture

DEFAULT_TITLE = LeadCapture.model_fields["title"].default
DEFAULT_BUTTON = LeadCapture.model_fields["button_label"].default
# Words that promise to reveal a result: untrue once the whole result is on the page.
REVEALS = re.compile(r"\b(show|see|reveal|unlock|view|get)\b.*\bresults?\b|\bunlock\b", re.I)


@dataclass(frozen=True)
class LeadCopy:
    """The lead form's title, button, the line saying what happens, and the thank-you."""

    title: str
    button: str
    when: str
    thanks: str


def _emailed(capture: LeadCapture) -> str:
    if not capture.email_result:
        return ""
    if capture.email_result_confirm:
        return "We'll email you a link to confirm your address, then a copy of your result."
    return "We'll also email you a copy of your result."


def lead_copy(capture: LeadCapture) -> LeadCopy:
    """What the form says for its timing; the creator's own words where they are true."""
    mode, emailed = capture.mode, _emailed(capture)
    title, button = capture.title, capture.button_label
    if mode == "after_results":
        if title == DEFAULT_TITLE:
            title = "Get a copy by email" if capture.email_result else "Want to talk it through?"
        if button == DEFAULT_BUTTON or REVEALS.search(button):
            button = "Email me a copy" if capture.email_result else "Send"
        when = emailed
        thanks = "Thank you! " + (
            "Check your inbox." if capture.email_result else "We'll be in touch."
        )
    elif mode == "teaser":
        if button == DEFAULT_BUTTON:
            button = "Show my full result"
        when = " ".join(
            filter(None, ["The rest of your result appears when you send this.", emailed])
        )
        thanks = "Thank you! Here is your full result."
    else:
        title = "Get your results" if title == DEFAULT_TITLE else title
        when = " ".join(filter(None, ["Your result appears as soon as you send this.", emailed]))
        thanks = "Thank you! Here is your result."
    return LeadCopy(title=title, button=button, when=when, thanks=thanks)

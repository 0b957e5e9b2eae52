"""Checking contact fields and consent against the tool's lead-capture settings."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from keyvex.tools import LeadCapture, LeadField

PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,40}$")
MAX_FIELD = 200
#: An unquoted ASCII local part (RFC 5322 dot-atom), which email_validator keeps as it is.
_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


def contact_error_key(field_id: str) -> str:
    """The key a contact field's error is reported under (answers use the bare input id)."""
    return f"contact.{field_id}"


def check_contact(
    capture: LeadCapture, contact: dict[str, str], consent: bool
) -> tuple[dict[str, str], dict[str, str]]:
    """Return (clean contact values, errors by field key); unknown fields are dropped."""
    clean: dict[str, str] = {}
    errors: dict[str, str] = {}
    for spec in capture.fields:
        raw = " ".join(contact.get(spec.id, "").split())
        try:
            value = _check_field(spec, raw)
        except ValueError as exc:
            errors[contact_error_key(spec.id)] = str(exc)
            continue
        if value:
            clean[spec.id] = value
    if capture.consent_required and not consent:
        errors["consent"] = "Please tick the box to agree before continuing."
    return clean, errors


def _check_field(spec: LeadField, value: str) -> str:
    if not value:
        if spec.required:
            raise ValueError(f"Please enter your {spec.label.lower() or spec.id}.")
        return ""
    if len(value) > MAX_FIELD:
        raise ValueError(f"Please keep this under {MAX_FIELD} characters.")
    if spec.type == "email":
        try:
            return normalized_email(value)
        except EmailNotValidError as exc:
            raise ValueError(f"This email address is not valid: {exc}") from None
    if spec.type == "tel" and not PHONE.match(value):
        raise ValueError("Please enter a phone number (digits, spaces, + and dashes).")
    return value


def normalized_email(address: str) -> str:
    """``address`` as email_validator normalises it; raises EmailNotValidError.

    Most addresses are a plain ASCII local part at a domain many visitors share, and
    email_validator spends most of its time on the domain (IDNA checks per character): the
    domain's verdict is kept per domain, and the rest of such an address needs no work
    (email_validator keeps a dot-atom local part as it is). Anything else, quoted or
    international local parts included, goes to email_validator whole. A test holds the two
    paths to the same answers and the same messages.
    """
    local, at, domain = address.rpartition("@")
    if at and len(local) <= 64 and _DOT_ATOM.fullmatch(local) and domain.isascii():
        try:
            normalized = f"{local}@{_domain(domain)}"
        except EmailNotValidError:
            normalized = ""  # said in email_validator's words for the whole address, below
        if 0 < len(normalized) <= 254:
            return normalized
    return validate_email(address, check_deliverability=False).normalized


@lru_cache(maxsize=4096)
def _domain(domain: str) -> str:
    """The normalised form of a valid domain (an invalid one raises, and is not kept)."""
    return validate_email(f"a@{domain}", check_deliverability=False).domain

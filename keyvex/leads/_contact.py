"""Checking contact fields and consent against the tool's lead-capture settings."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from keyvex.tools import LeadCapture, LeadField

PHONE = re.compile(r"^\+?[0-9 ().\-/]{5,40}$")
MAX_FIELD = 200


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
            checked = validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValueError(f"This email address is not valid: {exc}") from None
        return checked.normalized
    if spec.type == "tel" and not PHONE.match(value):
        raise ValueError("Please enter a phone number (digits, spaces, + and dashes).")
    return value

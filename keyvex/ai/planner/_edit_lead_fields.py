"""Offline edit of the lead form's fields: ask for a phone number, a name or a company too."""

from __future__ import annotations

import re

from keyvex.ai.planner._change import Change, Data, changed
from keyvex.ai.planner._request import Request
from keyvex.tools import ToolDefinition

#: (pattern, field id, label, LeadField type); contact details a lead form asks for.
FIELDS = (
    (r"(?:phone|telephone|mobile|cell)(?: number)?", "phone", "Phone", "tel"),
    (r"(?:company|business|organi[sz]ation)(?: name)?", "company", "Company", "company"),
    (r"(?:full |first |their |your )?name", "name", "Name", "name"),
    (r"job title|role", "job_title", "Job title", "text"),
)
FORM = re.compile(
    r"\b(?:lead|email|contact|sign-?up|signup)\s+(?:form|gate|step|details)\b|\bform\b"
    r"|\b(?:too|as well|also|along with|with the email|next to the email|besides the email)\b",
    re.IGNORECASE,
)
DROP = re.compile(
    r"^(?:remove|delete|drop|hide|lose)\b|\b(?:don'?t|do not|no longer|stop)\s+(?:ask|asking)\b",
    re.IGNORECASE,
)


def lead_field_edit(tool: ToolDefinition, request: Request) -> Change | None:
    """'ask for their phone number too', 'add a company field to the lead form'."""
    found = _field(request)
    if found is None:
        return None
    field_id, label, kind = found
    fields = tool.lead_capture.fields
    if DROP.search(request.raw):
        if not any(f.id == field_id for f in fields):
            return Change(tool, "", f"The lead form already does not ask for {label.lower()}.")
        result = changed(tool, lambda d: _without(d, field_id))
        return Change(result, f"The lead form no longer asks for {label.lower()}.")
    required = bool(re.search(r"\b(?:required|mandatory|must)\b", request.raw, re.I))
    existing = next((f for f in fields if f.id == field_id or f.type == kind != "text"), None)
    if existing is not None:
        return _required(tool, existing.id, label, required, request)
    field = {"id": field_id, "label": label, "type": kind, "required": required}
    result = changed(tool, lambda d: d["lead_capture"]["fields"].append(field))
    note = "" if tool.lead_capture.mode != "off" else (
        " Lead capture is off, so it shows once you ask for the email again."
    )  # fmt: skip
    how = "required" if required else "optional"
    return Change(result, f"The lead form now also asks for {label.lower()} ({how}).{note}")


def _required(
    tool: ToolDefinition, field_id: str, label: str, required: bool, request: Request
) -> Change:
    """An existing field made required or optional (else: already asked for)."""
    optional = bool(re.search(r"\boptional\b", request.raw, re.I))
    current = next(f for f in tool.lead_capture.fields if f.id == field_id)
    if not (required or optional) or current.required == required:
        return Change(tool, "", f"The lead form already asks for {label.lower()}.")

    def update(data: Data) -> None:
        entry = next(f for f in data["lead_capture"]["fields"] if f["id"] == field_id)
        entry["required"] = required

    how = "required" if required else "optional"
    return Change(changed(tool, update), f"{label} is now {how} on the lead form.")


def _field(request: Request) -> tuple[str, str, str] | None:
    for pattern, field_id, label, kind in FIELDS:
        said = re.search(rf"\b(?:{pattern})\b", request.raw, re.IGNORECASE)
        if said is None:
            continue
        asked = request.verb in ("ask", "collect", "get", "add") or DROP.search(request.raw)
        contact = field_id == "phone" and asked
        if (
            contact
            or FORM.search(request.raw)
            or DROP.search(request.raw)
            and FORM.search(request.raw)
        ):
            return field_id, label, kind
    return None


def _without(data: Data, field_id: str) -> None:
    fields = data["lead_capture"]["fields"]
    data["lead_capture"]["fields"] = [f for f in fields if f["id"] != field_id]

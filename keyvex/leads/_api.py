"""The shapes the leads API answers with, as response models for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from keyvex.web.api_models import ApiModel


class OutcomeOut(ApiModel):
    id: str
    title: str | None


class LeadOut(ApiModel):
    """One stored lead, as the creator sees it (API, dashboard and webhooks)."""

    id: str
    tool_id: str
    created_at: str = Field(description="ISO 8601, UTC.")
    tool_version: int = Field(description="The tool version the visitor used.")
    contact: dict[str, str] = Field(description="Contact field id to value.")
    consent: dict[str, Any] = Field(description="given, text and at; result-email opt-in.")
    answers: dict[str, Any] = Field(description="Input id to the normalised answer.")
    values: dict[str, Any] = Field(description="Every computed value by name.")
    display: dict[str, str] = Field(description="Every value by name, formatted as shown.")
    score: float | None = Field(description="Percent for scored tools with a maximum, else total.")
    scores: dict[str, Any] | None
    outcome: OutcomeOut | None
    utm: dict[str, str]
    referrer: str
    user_agent: str


class LeadListOut(ApiModel):
    """A page of leads, newest first; pass ``cursor`` back for the next page (null: last)."""

    leads: list[LeadOut]
    cursor: str | None

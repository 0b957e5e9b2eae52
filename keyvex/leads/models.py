"""Lead entities: what a visitor submits, what is stored, and what each audience sees."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
MAX_UTM = 200
MAX_REFERRER = 2000
MAX_ANSWERS = 200
MAX_ANSWERS_BYTES = 32_000
MAX_CONTACT_FIELDS = 20
MAX_CONTACT_VALUE = 500

IdempotencyKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
ContactKey = Annotated[str, StringConstraints(max_length=64)]
ContactValue = Annotated[str, StringConstraints(max_length=MAX_CONTACT_VALUE)]


class LeadSubmission(BaseModel):
    """The body of ``POST /t/{slug}/submit``; anything computed by the browser is not accepted."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(default_factory=dict, max_length=MAX_ANSWERS)
    contact: dict[ContactKey, ContactValue] = Field(
        default_factory=dict, max_length=MAX_CONTACT_FIELDS
    )
    consent: bool = False
    idempotency_key: IdempotencyKey
    elapsed_ms: int = Field(ge=0, le=10**10, description="Time from page load to submit.")
    website: str = Field(default="", max_length=500, description="Honeypot; people leave it empty.")
    utm: dict[str, str] = Field(default_factory=dict, max_length=50)
    referrer: str = Field(default="", max_length=20_000)

    @field_validator("answers")
    @classmethod
    def _small_answers(cls, answers: dict[str, Any]) -> dict[str, Any]:
        try:
            size = len(json.dumps(answers, allow_nan=False).encode())
        except ValueError:
            raise ValueError("answers must be plain JSON values") from None
        if size > MAX_ANSWERS_BYTES:
            raise ValueError(f"answers are too large (at most {MAX_ANSWERS_BYTES} bytes)")
        return answers

    @field_validator("utm")
    @classmethod
    def _known_utm(cls, utm: dict[str, str]) -> dict[str, str]:
        # Campaign tags are best effort: unknown keys are dropped and long values cut,
        # never a reason to lose a lead.
        return {k: utm[k][:MAX_UTM] for k in UTM_KEYS if utm.get(k)}

    @field_validator("referrer")
    @classmethod
    def _short_referrer(cls, referrer: str) -> str:
        return referrer[:MAX_REFERRER]


@dataclass(frozen=True, slots=True)
class RequestMeta:
    """Who sent a request, as far as the web layer can tell (behind trusted proxies only)."""

    ip: str
    user_agent: str


@dataclass(frozen=True, slots=True)
class Lead:
    """One stored lead: the visitor's answers, the server's result, contact and consent."""

    id: str
    tool_id: str
    owner_id: str
    created_at: str
    tool_version: int
    answers: dict[str, Any]
    values: dict[str, Any]
    display: dict[str, str]
    score: float | None
    scores: dict[str, Any] | None
    outcome_id: str | None
    outcome_title: str | None
    contact: dict[str, str]
    consent: dict[str, Any]
    utm: dict[str, str] = field(default_factory=dict)
    referrer: str = ""
    user_agent: str = ""

    @property
    def store_sk(self) -> str:
        """Its sort key in the ``TOOL#{tool_id}`` partition."""
        return f"LEAD#{self.created_at}#{self.id}"

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Lead:
        return cls(
            id=item["lead_id"],
            tool_id=item["tool_id"],
            owner_id=item["owner_id"],
            created_at=item["created_at"],
            tool_version=int(item["tool_version"]),
            answers=item.get("answers", {}),
            values=item.get("values", {}),
            display=item.get("display", {}),
            score=item.get("score"),
            scores=item.get("scores"),
            outcome_id=item.get("outcome_id"),
            outcome_title=item.get("outcome_title"),
            contact=item.get("contact", {}),
            consent=item.get("consent", {"given": False, "text": "", "at": None}),
            utm=item.get("utm", {}),
            referrer=item.get("referrer", ""),
            user_agent=item.get("user_agent", ""),
        )

    def to_json(self) -> dict[str, Any]:
        """Everything, for the creator (API, dashboard, webhooks)."""
        return {
            "id": self.id,
            "tool_id": self.tool_id,
            "created_at": self.created_at,
            "tool_version": self.tool_version,
            "contact": self.contact,
            "consent": self.consent,
            "answers": self.answers,
            "values": self.values,
            "display": self.display,
            "score": self.score,
            "scores": self.scores,
            "outcome": (
                None
                if self.outcome_id is None
                else {"id": self.outcome_id, "title": self.outcome_title}
            ),
            "utm": self.utm,
            "referrer": self.referrer,
            "user_agent": self.user_agent,
        }

    def to_public_json(self) -> dict[str, Any]:
        """What the visitor's browser gets back: proof of receipt, nothing else."""
        return {"id": self.id, "created_at": self.created_at}


@dataclass(frozen=True, slots=True)
class LeadPage:
    """One page of leads, newest first; ``cursor`` is None on the last page."""

    items: list[Lead]
    cursor: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"leads": [lead.to_json() for lead in self.items], "cursor": self.cursor}

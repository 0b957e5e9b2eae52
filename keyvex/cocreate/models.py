"""Co-creation sessions and their events, as stored and as the creator page reads them."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field

from keyvex.ai import BuildBrief, Question

SessionStatus = Literal["asking", "building", "ready", "failed"]
EventType = Literal["text", "question", "progress", "tool", "error", "done"]
EVENT_TYPES: tuple[str, ...] = ("text", "question", "progress", "tool", "error", "done")
MAX_MESSAGES = 200
#: Finished steps remembered per session: a duplicate delivery comes within seconds.
MAX_FINISHED_JOBS = 20


def session_key(uid: str, sid: str) -> tuple[str, str]:
    return (f"USER#{uid}", f"SESSION#{sid}")


def event_key(sid: str, seq: int) -> tuple[str, str]:
    return (f"SESSION#{sid}", f"EVENT#{seq:08d}")


class Event(BaseModel):
    """One entry of a session's event log; ``id`` is its sequence number (1, 2, ...)."""

    id: int
    type: EventType
    data: dict[str, Any] = Field(default_factory=dict)

    def to_item(self, sid: str) -> dict[str, Any]:
        pk, sk = event_key(sid, self.id)
        return {"PK": pk, "SK": sk, "entity_type": "session_event", "seq": self.id,
                "type": self.type, "data": self.data}  # fmt: skip

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Event:
        return cls(id=int(item["seq"]), type=item["type"], data=item.get("data") or {})

    def data_json(self) -> str:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)


class Message(BaseModel):
    role: Literal["assistant", "user"]
    text: str
    at: str = ""


class VersionInfo(BaseModel):
    """A tool version the session produced; only verified versions (errors 0) are saved."""

    version: int
    quality: int
    errors: int
    warnings: int
    note: str = ""
    template_id: str | None = None


class Session(BaseModel):
    """Brief, questions asked, answers, the current tool and what was said along the way."""

    id: str
    owner_id: str
    brief: str
    status: SessionStatus = "asking"
    asked: list[Question] = Field(default_factory=list)
    answers: dict[str, Any] = Field(default_factory=dict)
    #: The conversation agent's plan: questions still to ask and the brief to build from.
    #: Answers that follow it need no model request; one that changes direction clears it.
    planned: list[Question] = Field(default_factory=list)
    planned_brief: BuildBrief | None = None
    build_now: bool = False
    #: The answers the current tool was built from (None before the first build): a turn
    #: that finds the same answers and the tool still there has nothing new to build.
    built_answers: dict[str, Any] | None = None
    #: When the current version was saved (ISO time, as messages carry).
    built_at: str = ""
    #: A data source attached at the start ("create a tool from this data").
    source_id: str | None = None
    tool_id: str | None = None
    tool_version: int | None = None
    report: dict[str, Any] | None = None
    template_id: str | None = None
    explanation: str = ""
    #: How well the current tool covers the brief (``keyvex.knowledge.Fit.as_json``); None
    #: for tools built from a data source, which answer the data rather than a brief.
    fit: dict[str, Any] | None = None
    messages: list[Message] = Field(default_factory=list)
    versions: list[VersionInfo] = Field(default_factory=list)
    #: The jobs whose turn or edit finished, newest last (a repeat delivery is dropped).
    finished_jobs: list[str] = Field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    item_version: int = 0

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.asked if q.id == question_id), None)

    def say(self, role: Literal["assistant", "user"], text: str, at: str) -> None:
        if text.strip():
            self.messages = [*self.messages, Message(role=role, text=text, at=at)][-MAX_MESSAGES:]

    def finished(self, job_id: str) -> None:
        if job_id not in self.finished_jobs:
            self.finished_jobs = [*self.finished_jobs, job_id][-MAX_FINISHED_JOBS:]

    def to_item(self) -> dict[str, Any]:
        pk, sk = session_key(self.owner_id, self.id)
        data = self.model_dump(mode="json", exclude={"id", "owner_id", "created_at",
                                                     "updated_at", "item_version"})  # fmt: skip
        item = {"PK": pk, "SK": sk, "entity_type": "cocreate_session", "session_id": self.id,
                "owner_id": self.owner_id, "version": self.item_version, **data}  # fmt: skip
        if self.created_at:
            item["created_at"] = self.created_at
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Session:
        own = set(cls.model_fields) - {"id", "created_at", "updated_at", "item_version"}
        fields = {k: v for k, v in item.items() if k in own}
        return cls(
            **fields,
            id=item["session_id"],
            created_at=item.get("created_at", ""),
            updated_at=item.get("updated_at", ""),
            item_version=int(item.get("version", 0)),
        )

    def to_json(self, last_event_id: int = 0) -> dict[str, Any]:
        """The shape the creator page reads (``GET /create/sessions/{sid}``)."""
        return {
            "id": self.id,
            "brief": self.brief,
            "status": self.status,
            "questions": [
                {"question": q.model_dump(mode="json"), "answer": self.answers.get(q.id)}
                for q in self.asked
            ],
            "tool_id": self.tool_id,
            "tool_version": self.tool_version,
            "report": self.report,
            "template_id": self.template_id,
            "explanation": self.explanation,
            "fit": self.fit,
            "messages": [m.model_dump(mode="json") for m in self.messages],
            "versions": [v.model_dump(mode="json") for v in self.versions],
            "last_event_id": last_event_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

"""Usage records: one store item per model call, and a wrapper model that writes them."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic_ai import exceptions as ai_errors
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import ModelRequestParameters, StreamedResponse
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings

from keyvex import events
from keyvex.ai.prices import call_cost, parse_overrides
from keyvex.ai.usage_counters import (
    CREATORS_INDEX,
    SESSIONS_INDEX,
    count_call,
    leaders_key,
    strip_user_from_top,
)
from keyvex.clock import now_iso
from keyvex.events import AccountDeleted
from keyvex.logs import get_logger
from keyvex.store import SK

if TYPE_CHECKING:
    from pydantic_ai import RunContext

    from keyvex.ai.models import AIContext
    from keyvex.ai.providers import Candidate  # only typed here: it loads the provider SDKs
    from keyvex.app import App

log = get_logger(__name__)
ENTITY = "ai_call"
ERROR_KINDS: list[tuple[type[BaseException], str]] = [
    (ai_errors.ModelRateLimitError, "rate_limit"),
    (ai_errors.ModelQuotaExceededError, "quota"),
    (ai_errors.ModelRequestTimeout, "timeout"),
    (ai_errors.ModelTimeoutError, "timeout"),
    (ai_errors.ModelAuthenticationError, "auth"),
    (ai_errors.ModelConnectionError, "connection"),
    (ai_errors.ModelUnavailableError, "unavailable"),
    (ai_errors.ModelServerError, "server_error"),
    (ai_errors.ModelHTTPError, "http_error"),
    (ai_errors.ModelAPIError, "provider_error"),
    (ai_errors.UnexpectedModelBehavior, "bad_output"),
    (TimeoutError, "timeout"),
]


HTTP_KINDS = {429: "rate_limit", 408: "timeout", 504: "timeout", 401: "auth", 403: "auth"}


def error_kind(exc: BaseException) -> str:
    """A short, stable name for why a call failed (rate_limit, timeout, server_error, ...)."""
    kind = next((kind for cls, kind in ERROR_KINDS if isinstance(exc, cls)), "error")
    if kind == "http_error" and isinstance(exc, ai_errors.ModelHTTPError):
        status = exc.status_code
        return HTTP_KINDS.get(status, "server_error" if status >= 500 else kind)
    return kind


@dataclass
class Sink:
    """Where one agent run's calls are recorded: the context and the process."""

    ctx: AIContext
    process: str

    async def write(self, candidate: Candidate, position: int, **fields: Any) -> None:
        spec = candidate.spec
        overrides = parse_overrides(self.ctx.app.settings.ai_price_overrides)
        tokens_in, tokens_out = fields.get("input_tokens", 0), fields.get("output_tokens", 0)
        cost, price_source = call_cost(spec.provider, spec.model, tokens_in, tokens_out, overrides)
        record = {
            "process": self.process,
            "provider": spec.provider,
            "model": spec.model,
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
            "cost_usd": cost,
            "price_source": price_source,
            "fallback_used": position > 0,
            "user_id": self.ctx.user_id,
            "session_id": self.ctx.session_id,
            **fields,
        }
        try:
            await record_call(self.ctx, record)
        except Exception:  # a metrics write must never break the creator's request
            log.exception("ai_usage_write_failed", process=self.process)


async def record_call(ctx: AIContext, record: dict[str, Any]) -> dict[str, Any]:
    """Store one call under METRIC#{day} / CALL#{ts}#{id} (indexed by process and provider),
    then count it in the day's aggregates (see ``count_call``)."""
    ts = now_iso()
    call_id = uuid.uuid4().hex[:12]
    item = {
        "PK": f"METRIC#{ts[:10]}",
        "SK": f"CALL#{ts}#{call_id}",
        "GSI1PK": f"PROCESS#{record['process']}",
        "GSI1SK": f"{ts}#{call_id}",
        "GSI2PK": f"PROVIDER#{record['provider']}",
        "GSI2SK": f"{ts}#{call_id}",
        "entity_type": ENTITY,
        "id": call_id,
        "at": ts,
        **record,
    }
    await ctx.app.store.put(item)
    await count_call(ctx.app.store, item)
    return item


@events.on(AccountDeleted, order=60)
async def _forget_user(app: App, event: AccountDeleted) -> None:
    """Keep the figures of a deleted creator's calls (cost per day, process, model) but not
    who made them: the calls and top lists of each day the creator used are stripped of user
    and session; the per-creator and per-session counters (``USER#`` items) go, and so do
    those days' kept leader lists (the admin area builds them again without the creator)."""
    days = [item async for item in app.store.query_all(
        f"USER#{event.user_id}", SK.begins_with("USAGE#")
    )]  # fmt: skip
    for day in days:
        async for call in app.store.query_all(f"METRIC#{day['day']}", SK.begins_with("CALL#")):
            if call.get("user_id") == event.user_id:
                await app.store.update(
                    call["PK"], call["SK"], set={"user_id": "", "session_id": ""}
                )
        await strip_user_from_top(app.store, str(day["day"]), event.user_id)
    sessions = await app.store.partition_keys(
        f"USER#{event.user_id}", SK.begins_with("USAGE_SESSION#")
    )
    leaders = [leaders_key(index, str(d["day"])) for d in days
               for index in (CREATORS_INDEX, SESSIONS_INDEX)]  # fmt: skip
    await app.store.delete_keys([*((d["PK"], d["SK"]) for d in days), *sessions, *leaders])


async def list_usage(app: Any, day: str) -> list[dict[str, Any]]:
    """Every call recorded on ``day`` (YYYY-MM-DD), oldest first."""
    return [item async for item in app.store.query_all(f"METRIC#{day}", SK.begins_with("CALL#"))]


class RecordingModel(WrapperModel):
    """Wraps one model of a chain; every request it answers or fails is recorded."""

    def __init__(self, candidate: Candidate, position: int, sink: Sink) -> None:
        super().__init__(candidate.model)
        self.candidate, self.position, self.sink = candidate, position, sink

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        started = time.perf_counter()
        try:
            response = await super().request(messages, model_settings, model_request_parameters)
        except Exception as exc:
            await self._failed(exc, started, streamed=False)
            raise
        await self._answered(response, started, streamed=False)
        return response

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: RunContext[Any] | None = None,
    ) -> AsyncGenerator[StreamedResponse]:
        started = time.perf_counter()
        try:
            async with self.wrapped.request_stream(
                messages, model_settings, model_request_parameters, run_context
            ) as stream:
                yield stream
        except Exception as exc:
            await self._failed(exc, started, streamed=True)
            raise
        await self._answered(stream.get(), started, streamed=True)

    async def _answered(self, response: ModelResponse, started: float, *, streamed: bool) -> None:
        await self.sink.write(
            self.candidate,
            self.position,
            input_tokens=response.usage.input_tokens,
            output_tokens=response.usage.output_tokens,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            success=True,
            error_kind=None,
            response_model=response.model_name,
            streamed=streamed,
        )

    async def _failed(self, exc: BaseException, started: float, *, streamed: bool) -> None:
        await self.sink.write(
            self.candidate,
            self.position,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            success=False,
            error_kind=error_kind(exc),
            error=str(exc)[:500],
            streamed=streamed,
        )

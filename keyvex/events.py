"""Domain events: typed facts one domain announces and other domains react to.

A domain that changes something others care about publishes an event (``await
events.publish(app, AccountDeleted(...))``); a domain that cares subscribes a handler next to
its own code (``@events.on(AccountDeleted, order=...)``). Neither imports the other, so the
accounts domain does not know which domains keep data of an account, and a new domain adds its
own cleanup without touching accounts.

Handlers run in ``order`` (then in the order they were registered) and an exception stops the
publishing call: account deletion must be complete or fail visibly so that it can be run
again (every handler deletes what is left and is safe to run twice).

Side effects that must not be lost (webhook deliveries, emails) are not handled after the
fact but *contributed* to the change's own transaction: ``@events.contributes(Event)``
functions return an :class:`Outbox` (items to write, jobs to start), the publishing domain
writes their ops together with its own change and starts the jobs once it has committed
(the transactional outbox: a crash in between leaves the jobs in the store, due).

The modules holding handlers are listed in ``SUBSCRIBERS`` and imported before the first
event is published, so that a handler never misses an event because nothing had imported
its module yet.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from keyvex.app import App
    from keyvex.jobs import PreparedJob
    from keyvex.leads.models import Lead
    from keyvex.store import TransactOp
    from keyvex.tools.publishing import PublishedTool

#: Every module that subscribes handlers (imported before the first event is published).
SUBSCRIBERS = (
    "keyvex.data.deletion",
    "keyvex.tools.deletion",
    "keyvex.webhooks.service",
    "keyvex.cocreate.deletion",
    "keyvex.notify.deletion",
    "keyvex.jobs.deletion",
    "keyvex.ai.usage",
    "keyvex.admin.audit",
    "keyvex.analytics.deletion",
    "keyvex.notify.leads",
    "keyvex.ops.metrics",
    "keyvex.alerts.service",
)


@dataclass(frozen=True, slots=True)
class AccountDeleted:
    """An account is going: every domain deletes what it keeps of ``user_id``."""

    user_id: str
    email: str


@dataclass(frozen=True, slots=True)
class ToolPublished:
    """A tool version went live at ``/t/{slug}``."""

    owner_id: str
    tool_id: str
    slug: str
    version: int
    title: str


@dataclass(frozen=True, slots=True)
class ToolDeleted:
    """A tool is being deleted (``tool.deleted``): every domain deletes what it keeps of it.

    Published once the tool is unpublished and before its own item goes, so a handler that
    fails leaves the tool in place and the deletion can be run again (handlers are safe to
    run twice). The tool's leads stay, and so does ``slug``: retired, reserved for the tool.
    """

    owner_id: str
    tool_id: str
    slug: str | None


@dataclass(frozen=True, slots=True)
class LeadCreated:
    """A visitor left a lead (``lead``) on a live tool (``tool``)."""

    lead: Lead
    tool: PublishedTool


@dataclass(frozen=True, slots=True)
class ToolBuilt:
    """A co-creation build finished with a verified tool; ``offline`` when the offline
    planner composed it (configured that way, or as the fallback of a failing model)."""

    owner_id: str
    session_id: str
    offline: bool


@dataclass(frozen=True, slots=True)
class SourceSynced:
    """A data source sync ran: ``outcome`` is ok, error or gone (deleted meanwhile)."""

    owner_id: str
    source_id: str
    outcome: str


Event = AccountDeleted | ToolPublished | ToolDeleted | LeadCreated | ToolBuilt | SourceSynced
E = TypeVar("E", AccountDeleted, ToolPublished, ToolDeleted, LeadCreated, ToolBuilt, SourceSynced)
Handler = Callable[["App", Any], Awaitable[None]]
Contributor = Callable[["App", Any], Awaitable["Outbox"]]


@dataclass(slots=True)
class Outbox:
    """Writes that belong to a change's transaction, and the jobs to start once it commits."""

    ops: list[TransactOp] = field(default_factory=list)
    jobs: list[PreparedJob] = field(default_factory=list)

    def extend(self, other: Outbox) -> None:
        self.ops += other.ops
        self.jobs += other.jobs

    def start(self, app: App) -> None:
        for job in self.jobs:
            app.jobs.start(job)


class EventHooks:
    """Handlers by event type, each with its order."""

    def __init__(self) -> None:
        self._handlers: dict[type[Any], list[tuple[int, int, Handler]]] = {}
        self._contributors: dict[type[Any], list[Contributor]] = {}
        self._loaded = False

    def contributes(
        self, event_type: type[E]
    ) -> Callable[[Callable[[App, E], Awaitable[Outbox]]], Callable[[App, E], Awaitable[Outbox]]]:
        def register(
            contributor: Callable[[App, E], Awaitable[Outbox]],
        ) -> Callable[[App, E], Awaitable[Outbox]]:
            found = self._contributors.setdefault(event_type, [])
            if contributor not in found:
                found.append(contributor)
            return contributor

        return register

    async def outbox(self, app: App, event: Event) -> Outbox:
        """Everything the subscribed domains want written with ``event``'s change."""
        self._load()
        merged = Outbox()
        for contributor in self._contributors.get(type(event), []):
            merged.extend(await contributor(app, event))
        return merged

    def on(
        self, event_type: type[E], *, order: int = 50
    ) -> Callable[[Callable[[App, E], Awaitable[None]]], Callable[[App, E], Awaitable[None]]]:
        def register(
            handler: Callable[[App, E], Awaitable[None]],
        ) -> Callable[[App, E], Awaitable[None]]:
            found = self._handlers.setdefault(event_type, [])
            if all(existing is not handler for _, _, existing in found):
                found.append((order, len(found), handler))
                found.sort(key=lambda entry: (entry[0], entry[1]))
            return handler

        return register

    def handlers(self, event_type: type[Any]) -> list[Handler]:
        self._load()
        return [handler for _, _, handler in self._handlers.get(event_type, [])]

    async def publish(self, app: App, event: Event) -> None:
        for handler in self.handlers(type(event)):
            await handler(app, event)

    def _load(self) -> None:
        if not self._loaded:
            for module in SUBSCRIBERS:
                importlib.import_module(module)
            self._loaded = True


hooks = EventHooks()
on = hooks.on
publish = hooks.publish
contributes = hooks.contributes
outbox = hooks.outbox

"""Co-creation sessions: brief -> questions -> answers -> build -> edits -> publish.

Request handlers only record what the creator did and submit a job; the jobs talk to the AI
layer (``keyvex.ai``), save every verified tool as a new version through
``keyvex.tools.service`` and report on the session's event log (``events.py``). Jobs of one
session run one at a time, so a rebuild queued behind a running build sees the newest answers.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from keyvex import ai, events
from keyvex.accounts import User
from keyvex.accounts.service import get_user
from keyvex.ai import AIContext, BuildBrief, ConversationState, Question
from keyvex.app import App
from keyvex.clock import now_iso
from keyvex.cocreate import _data
from keyvex.cocreate._lease import session_work
from keyvex.cocreate.answers import check_answer
from keyvex.cocreate.events import TextRelay, append_event, last_event_id
from keyvex.cocreate.models import Session, VersionInfo, session_key
from keyvex.errors import Invalid, KeyvexError, NotFound
from keyvex.jobs import JobRunner, current_job_id, task
from keyvex.logs import get_logger
from keyvex.store import Condition, ConditionFailed
from keyvex.tools import ToolDefinition, VerificationReport
from keyvex.tools.left_off import left_off
from keyvex.tools.publishing import publish
from keyvex.tools.service import create_tool, get_tool, get_version, update_tool

log = get_logger("keyvex.cocreate")

MAX_BRIEF = 2000
MAX_REQUEST = 1000
#: A guard against a conversation agent that never says "ready": build after this many.
MAX_QUESTIONS = 12
Step = Callable[[App, User, str], Awaitable[None]]


def jobs(app: App) -> JobRunner:
    """The app's job runner (``App.jobs``)."""
    return app.jobs


def _clean(text: Any, field: str, limit: int, what: str) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise Invalid(f"Please describe {what}.", fields={field: f"Describe {what}."})
    if len(value) > limit:
        raise Invalid("That is too long.", fields={field: f"Keep it under {limit} characters."})
    return value


async def start_session(
    app: App, user: User, brief: Any, *, build_now: bool = False, source_id: str | None = None
) -> Session:
    """Open a session for a goal; the first question (or the build) arrives as events.

    With ``source_id`` (one of the user's synced data sources) the session asks data-field
    questions and builds a tool bound to that source (``_data``)."""
    text = _clean(brief, "brief", MAX_BRIEF, "what the tool should do")
    if source_id is not None:
        await _data.data_context(app, user, source_id)  # the user's own, synced source
    session = Session(
        id=secrets.token_hex(8), owner_id=user.id, brief=text, build_now=build_now,
        source_id=source_id,
    )  # fmt: skip
    session.say("user", text, now_iso())
    await app.store.put(session.to_item(), Condition.not_exists())
    await _submit(app, user, session.id, "cocreate.turn")
    return await get_session(app, user, session.id)


async def get_session(app: App, user: User, sid: str) -> Session:
    """The user's session; another user's session id is simply not found."""
    if not sid.isalnum() or len(sid) > 40:
        raise NotFound("There is no such session.")
    item = await app.store.get(*session_key(user.id, sid))
    if item is None:
        raise NotFound("There is no such session.")
    return Session.from_item(item)


async def session_view(app: App, user: User, sid: str, base: str | None = None) -> dict[str, Any]:
    """The session JSON with the id of the last event it reflects (read first: a page that
    streams from there may see an event twice, never miss one), and ``live``: the version
    visitors see, where, and what its page leaves out (``left_off``: a button still linking
    to example.com, with the editor field that fixes it), while the tool is published."""
    await get_session(app, user, sid)
    last = await last_event_id(app, sid)
    session = await get_session(app, user, sid)
    view = session.to_json(last)
    view["live"] = await _live(app, user, session, base)
    return view


async def _live(app: App, user: User, session: Session, base: str | None) -> dict[str, Any] | None:
    if session.tool_id is None:
        return None
    try:
        tool = await get_tool(app, user, session.tool_id)
    except NotFound:
        return None
    if tool.status != "published" or not tool.slug or tool.published_version is None:
        return None
    shown = tool.definition
    if tool.published_version != tool.version:
        shown = await get_version(app, user, tool.id, tool.published_version)
    missing = [{"message": x.message, "edit_url": x.edit_path(tool.id)} for x in left_off(shown)]
    url = public_url(app, tool.slug, base)
    return {"version": tool.published_version, "url": url, "left_off": missing}


async def _mutate(app: App, user: User, sid: str, change: Callable[[Session], None]) -> Session:
    """Read, change and write the session item, retrying when someone wrote meanwhile."""
    for _ in range(20):
        session = await get_session(app, user, sid)
        change(session)
        try:
            item = await app.store.put(
                session.to_item(), Condition.version_is(session.item_version)
            )
        except ConditionFailed:
            continue
        return Session.from_item(item)
    raise ConditionFailed("The session is changing too quickly; try again.")


async def answer(app: App, user: User, sid: str, question_id: Any, value: Any) -> Any:
    """Record (or replace) an answer, then ask the next question or (re)build; returns the
    answer as stored (a typed 'chf' is stored as 'CHF')."""
    session = await get_session(app, user, sid)
    question = session.question(question_id) if isinstance(question_id, str) else None
    if question is None:
        raise Invalid(
            "There is no such question in this session.",
            fields={"question_id": "Answer one of the questions asked in this session."},
        )
    stored = check_answer(question, value)

    def change(s: Session) -> None:
        s.answers = {**s.answers, question.id: stored}
        s.say("user", shown_answer(question, stored), now_iso())
        if changes_direction(question, stored):  # the plan no longer holds: ask the agent
            s.planned, s.planned_brief = [], None

    await _mutate(app, user, sid, change)
    await _submit(app, user, sid, "cocreate.turn")
    return stored


def changes_direction(question: Question, value: Any) -> bool:
    """True for an answer the plan could not foresee: the creator's own words where the
    question offered choices or suggestions (a picked option, a default or a structured
    answer follows the plan)."""
    if not question.allow_custom or not isinstance(value, str) or not value.strip():
        return False
    foreseen = {o.value.lower() for o in question.options} | {
        o.label.lower() for o in question.options
    }
    foreseen |= {s.lower() for s in question.suggestions}
    if isinstance(question.default, str):
        foreseen.add(question.default.lower())
    return value.strip().lower() not in foreseen


def shown_answer(question: Question, value: Any) -> str:
    """An answer as the creator chose it: option labels, not stored values."""
    labels = {option.value: option.label for option in question.options}
    if isinstance(value, dict):
        parts = {part.id: part for part in question.parts}
        return "; ".join(
            f"{parts[k].prompt} {shown_answer(parts[k], v)}" if k in parts else f"{k}: {v}"
            for k, v in value.items()
        )
    if isinstance(value, list) and question.input_type == "color_pair":
        chosen = [str(v).lower() for v in value]
        for option in question.options:
            if [c.lower() for c in option.colors] == chosen:
                return option.label
        return " and ".join(chosen)
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))


async def build_now(app: App, user: User, sid: str) -> None:
    """ "Just build it": build from what is known, without further questions."""

    def change(s: Session) -> None:
        s.build_now = True
        s.say("user", "Just build it.", now_iso())

    await _mutate(app, user, sid, change)
    await _submit(app, user, sid, "cocreate.turn")


async def request_change(app: App, user: User, sid: str, request: Any) -> None:
    """Ask for a change in plain words; the edited tool arrives as a new version."""
    text = _clean(request, "request", MAX_REQUEST, "the change you want")
    session = await get_session(app, user, sid)
    if session.tool_id is None:
        raise Invalid(
            "There is no tool to change yet.",
            fields={"request": "Answer the questions (or build it) first, then ask for changes."},
        )
    await _mutate(app, user, sid, lambda s: s.say("user", text, now_iso()))
    await _submit(app, user, sid, "cocreate.edit", request=text)


async def publish_session(app: App, user: User, sid: str) -> str:
    """Publish the session's current tool version; returns the slug."""
    session = await get_session(app, user, sid)
    if session.tool_id is None:
        raise Invalid("There is no tool to publish yet.", fields={"tool": "Build the tool first."})
    live = await publish(app, user, session.tool_id)
    await _mutate(
        app, user, sid, lambda s: s.say("assistant", f"Published at /t/{live.slug}.", now_iso())
    )
    return live.slug


async def publish_and_show(app: App, user: User, sid: str, base: str | None) -> dict[str, Any]:
    """Publish for the creator page: the slug, the public address and the version now live."""
    slug = await publish_session(app, user, sid)
    live = await _live(app, user, await get_session(app, user, sid), base)
    return {"slug": slug, **(live or {"url": public_url(app, slug, base)})}


async def ideas(app: App, user: User, expertise: str, audience: str, offer: str) -> list[Any]:
    """3-5 tool ideas (``keyvex.knowledge.ideas.Idea``) for the creator's words; each idea's
    brief starts a session. Invalid names the field that is missing or too long."""
    await ai.load()
    return list(
        await ai.tool_ideas(AIContext(app=app, user_id=user.id), expertise, audience, offer)
    )


def public_url(app: App, slug: str, base: str | None = None) -> str:
    root = app.settings.base_url or base or f"http://{app.settings.host}:{app.settings.port}"
    return f"{str(root).rstrip('/')}/t/{slug}"


# ---- jobs ---------------------------------------------------------------------------------


async def _submit(app: App, user: User, sid: str, name: str, **args: Any) -> str:
    return await jobs(app).submit(name, owner=user.id, user_id=user.id, sid=sid, **args)


# A turn or an edit cut off by a restart runs again (it starts from the stored session); twice
# cut off, it is given up (the creator can ask again).
@task("cocreate.turn", max_attempts=2)
async def _turn_job(app: App, user_id: str, sid: str) -> None:
    await _step_job(app, user_id, sid, _advance)


@task("cocreate.edit", max_attempts=2)
async def _edit_job(app: App, user_id: str, sid: str, request: str) -> None:
    async def step(app: App, user: User, sid: str) -> None:
        await _edit(app, user, sid, request)

    await _step_job(app, user_id, sid, step)


async def _step_job(app: App, user_id: str, sid: str, step: Step) -> None:
    """Run a turn or an edit once, even when its job is delivered twice.

    Jobs are at least once: a run whose lease ran out (a stalled process) or a message the
    queue redelivered runs again. A second run of a step that finished would ask its
    question again or save another version, so the session keeps the ids of the jobs whose
    steps finished (``Session.finished_jobs``) and a repeat is dropped; a run cut off before
    it finished (a crash) is not in that list and runs again from the stored session."""
    user = await get_user(app, user_id)
    if user is None:
        return  # the account went meanwhile
    await ai.load()  # off the loop, before the leases: they are renewed while it loads
    job_id = current_job_id()
    async with session_work(app, sid):  # one turn or edit per session, across processes
        try:
            session = await get_session(app, user, sid)
        except NotFound:
            return  # deleted meanwhile
        if job_id is not None and job_id in session.finished_jobs:
            log.info("co-creation step already done", session_id=sid, job_id=job_id)
            return
        await _run(app, user, sid, step, job_id)


async def _run(app: App, user: User, sid: str, step: Step, job_id: str | None = None) -> None:
    """Run one step; whatever happens, the creator hears about it and the turn ends."""
    try:
        await step(app, user, sid)
    except KeyvexError as exc:
        await _failed(app, user, sid, exc.message)
    except Exception as exc:  # reported as a sentence; the details go to the log
        log.error("co-creation step failed", session_id=sid, exc_info=exc)
        await _failed(app, user, sid, "Something went wrong on our side; please try again.")
    finally:
        if job_id is not None:
            with contextlib.suppress(NotFound, ConditionFailed):  # the session went
                await _mutate(app, user, sid, lambda s: s.finished(job_id))
        await append_event(app, sid, "done", {})


async def _failed(app: App, user: User, sid: str, message: str) -> None:
    def change(s: Session) -> None:
        s.status = "ready" if s.tool_id else "failed"
        s.say("assistant", message, now_iso())

    await _mutate(app, user, sid, change)
    await append_event(app, sid, "error", {"message": message})


def _context(app: App, user: User, sid: str) -> AIContext:
    return AIContext(app=app, user_id=user.id, session_id=sid)


async def _state(app: App, user: User, session: Session) -> ConversationState:
    tool = None
    if session.tool_id is not None:
        try:
            stored = await get_tool(app, user, session.tool_id)
            tool = stored.definition.model_dump(mode="json")
        except NotFound:  # deleted from the dashboard: the next build makes a new one
            tool = None
    force = session.tool_id is not None or len(session.asked) >= MAX_QUESTIONS
    return ConversationState(
        brief=session.brief,
        answers=session.answers,
        asked=session.asked,
        tool=tool,
        build_now=session.build_now or force,
    )


async def _say(app: App, user: User, sid: str, text: str, streamed: str = "") -> None:
    """Keep the assistant's reply; send what the creator has not already seen streamed."""
    rest = "" if text.strip() in streamed else text
    if streamed and rest.strip():
        rest = "\n\n" + rest
    said = (streamed + rest).strip()
    if said:
        await _mutate(app, user, sid, lambda s: s.say("assistant", said, now_iso()))
    if rest.strip():
        await append_event(app, sid, "text", {"delta": rest})


async def _advance(app: App, user: User, sid: str) -> None:
    """Ask the conversation agent what comes next: another question, or build."""
    session = await get_session(app, user, sid)
    if session.source_id is not None:
        await _advance_data(app, user, session)
        return
    state = await _state(app, user, session)
    if state.tool is not None and session.built_answers == session.answers:
        # Nothing new since the tool was built: a second "Just build it" queued while the
        # first turn was building, or one after the creator edited the tool (a rebuild
        # from the brief would drop those edits). The built version stands.
        log.info("co-creation turn with nothing new to build", session_id=sid)
        await _set_status(app, user, sid, "ready")
        asked = [m.at for m in session.messages if m.role == "user"]
        if asked and asked[-1] > session.built_at:  # asked after the version was saved
            built = f"Version {session.tool_version}" if session.tool_version else "The tool"
            await _say(app, user, sid, f"{built} already has every answer: nothing new to build.")
        return
    if session.planned_brief is not None:  # following the agent's plan: no model request
        planned = next((q for q in session.planned if q.id not in session.answers), None)
        if planned is not None and not state.build_now:
            await _ask(app, user, sid, planned)
        else:
            await _build(app, user, sid, session.planned_brief, state)
        return
    relay = TextRelay(app, sid)
    try:
        turn = await ai.next_turn(_context(app, user, sid), state, on_text=relay.push)
    finally:
        await relay.close()
    await _say(app, user, sid, turn.message, streamed=relay.text)
    if turn.kind == "question" and turn.question is not None:
        await _plan(app, user, sid, turn)
        await _ask(app, user, sid, turn.question)
    elif turn.build_brief is not None:
        await _build(app, user, sid, turn.build_brief, state)
    else:
        raise Invalid("The assistant did not say what to ask or build; please try again.")


async def _plan(app: App, user: User, sid: str, turn: ai.Turn) -> None:
    """Keep the agent's plan (the questions after this one, the brief to build from)."""
    if turn.build_brief is None:
        return
    asked = {q.id for q in [turn.question] if q is not None}
    planned = [q for q in turn.plan if q.id not in asked][:MAX_QUESTIONS]

    def change(s: Session) -> None:
        s.planned, s.planned_brief = planned, turn.build_brief

    await _mutate(app, user, sid, change)


async def _advance_data(app: App, user: User, session: Session) -> None:
    """A session with a data source: its data-field questions, then the bound tool."""
    assert session.source_id is not None
    source, dataset, analysis = await _data.data_context(app, user, session.source_id)
    if not session.build_now and session.tool_id is None:
        question = _data.next_question(session.asked, _data.questions(source, dataset, analysis))
        if question is not None:
            await _ask(app, user, session.id, question)
            return
    await _set_status(app, user, session.id, "building")
    await append_event(app, session.id, "progress", {
        "stage": "drafting", "message": f"Building a tool on {dataset.row_count:,} rows "
        f"of '{source.name}'...",
    })  # fmt: skip
    definition, report = await _data.build(
        app, user, session.source_id, session.answers, session.brief
    )
    await _save_version(
        app, user, session.id, definition, report, f"Built from data source '{source.name}'",
        template_id=None, explanation=f"Bound to the data source '{source.name}'.",
    )  # fmt: skip


async def _ask(app: App, user: User, sid: str, question: Question) -> None:
    def change(s: Session) -> None:
        if s.question(question.id) is None:
            s.asked = [*s.asked, question]
            s.say("assistant", question.prompt, now_iso())
        else:  # asked again (e.g. reworded): keep its place in the history
            s.asked = [question if q.id == question.id else q for q in s.asked]
        s.status = "asking"

    await _mutate(app, user, sid, change)
    await append_event(app, sid, "question", {"question": question.model_dump(mode="json")})


def _progress(app: App, sid: str) -> Callable[[str, str], Awaitable[None]]:
    async def progress(stage: str, message: str) -> None:
        await append_event(app, sid, "progress", {"stage": stage, "message": message})
        await jobs(app).progress(f"{stage}: {message}")

    return progress


async def _set_status(app: App, user: User, sid: str, status: str) -> None:
    def change(s: Session) -> None:
        s.status = status  # type: ignore[assignment]

    await _mutate(app, user, sid, change)


async def _build(
    app: App, user: User, sid: str, brief: BuildBrief, state: ConversationState
) -> None:
    await _set_status(app, user, sid, "building")
    result = await ai.build_tool(_context(app, user, sid), brief, state, _progress(app, sid))
    note = f"Built from template {result.template_id}" if result.template_id else "Built"
    await _save_version(
        app, user, sid, result.definition, result.report, note,
        template_id=result.template_id, explanation=result.explanation, fit=result.fit,
        built_answers=dict(state.answers),
    )  # fmt: skip
    offline = result.fell_back or result.template_id is not None
    await events.publish(app, events.ToolBuilt(user.id, sid, offline))


async def _edit(app: App, user: User, sid: str, request: str) -> None:
    session = await get_session(app, user, sid)
    if session.tool_id is None:
        raise Invalid("There is no tool to change yet.")
    stored = await get_tool(app, user, session.tool_id)
    await _set_status(app, user, sid, "building")
    try:
        result = await ai.edit_tool(
            _context(app, user, sid), stored.definition, request, _progress(app, sid)
        )
    except Invalid as exc:  # not understood, or no change passed verification
        await _failed(app, user, sid, with_editor_path(exc.message, session.tool_id))
        return
    await _say(app, user, sid, result.summary)
    if not result.patch:  # already so: nothing changed, so no new version
        await _set_status(app, user, sid, "ready")
        return
    fit = None
    if session.source_id is None:  # an edit can change what the tool is about: judge again
        source = session.template_id if _kept_subject(stored.definition, result) else None
        fit = ai.fit_report(session.brief, result.definition, source).as_json()
    await _save_version(
        app, user, sid, result.definition, result.report, result.summary or "Edited",
        template_id=session.template_id, explanation=session.explanation, fit=fit,
    )  # fmt: skip


def with_editor_path(message: str, tool_id: str) -> str:
    """Point the offer of the visual editor at this tool's editor page."""
    path = f"/dashboard/tools/{tool_id}/edit"
    if "(Edit tool)" in message:
        return message.replace("(Edit tool)", f"(Edit tool, {path})", 1)
    return f"{message} Open the editor (Edit tool, {path}) to make the change by hand."


def _kept_subject(before: ToolDefinition, result: ai.EditResult) -> bool:
    """True when an edit left the questions alone (their wording carries the subject)."""
    return [i.label for i in before.inputs] == [i.label for i in result.definition.inputs]


async def _save_version(
    app: App,
    user: User,
    sid: str,
    definition: ToolDefinition,
    report: VerificationReport,
    note: str,
    *,
    template_id: str | None,
    explanation: str,
    fit: dict[str, Any] | None = None,
    built_answers: dict[str, Any] | None = None,
) -> None:
    """Save a verified definition as the tool's next version and announce it
    (``built_answers``: the answers a build used; an edit leaves them as they were)."""
    if report.errors:  # the AI layer never returns these; a broken tool is never shown
        raise Invalid("The tool did not pass verification, so it was not saved.")
    session = await get_session(app, user, sid)
    try:
        if session.tool_id is None:
            raise NotFound("no tool yet")
        stored = await update_tool(app, user, session.tool_id, definition, note=note)
    except NotFound:
        stored = await create_tool(app, user, definition, note=note)
    info = VersionInfo(
        version=stored.version, quality=report.quality, errors=len(report.errors),
        warnings=len(report.warnings), note=note[:200], template_id=template_id,
    )  # fmt: skip

    def change(s: Session) -> None:
        s.tool_id, s.tool_version, s.status = stored.id, stored.version, "ready"
        s.built_at = now_iso()
        s.report = report.model_dump(mode="json")
        s.template_id, s.explanation, s.fit = template_id, explanation, fit
        s.versions = [*s.versions, info]
        if built_answers is not None:
            s.built_answers = built_answers

    await _mutate(app, user, sid, change)
    await append_event(app, sid, "tool", {
        "tool_id": stored.id, "version": stored.version, "quality": report.quality,
        "errors": len(report.errors), "warnings": len(report.warnings),
        "template_id": template_id, "explanation": explanation, "fit": fit,
    })  # fmt: skip

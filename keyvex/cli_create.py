"""`keyvex create`: the co-creation flow without a browser (brief, answers, build, publish)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from keyvex.errors import Invalid, KeyvexError

#: Questions answered before giving up (the conversation agent asks at most a handful).
MAX_TURNS = 20
TURN_TIMEOUT = 120.0


def register(app: typer.Typer) -> None:
    """Add `keyvex create` and `keyvex ideas` to ``app``."""
    app.command("create")(create_command)
    app.command("ideas")(ideas_command)


def ideas_command(
    expertise: Annotated[str, typer.Option("--expertise", help="What you are expert in.")],
    audience: Annotated[str, typer.Option("--audience", help="Who your clients are.")],
    offer: Annotated[str, typer.Option("--offer", help="What you sell.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the ideas as JSON.")] = False,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Data directory (default ./keyvex-data).")
    ] = None,
) -> None:
    """Suggest 3-5 lead-magnet ideas; each idea's brief starts `keyvex create --brief`."""
    from keyvex.ai import AIContext, tool_ideas
    from keyvex.app import build_app
    from keyvex.settings import load_settings

    try:
        overrides = {"data_dir": data_dir} if data_dir is not None else {}
        state = build_app(load_settings(**overrides))
    except KeyvexError as exc:
        raise _fail(exc) from None
    try:
        ideas = asyncio.run(tool_ideas(AIContext(app=state), expertise, audience, offer))
    except KeyvexError as exc:
        raise _fail(exc) from None
    finally:
        state.close()
    if as_json:
        typer.echo(json.dumps([idea.as_json() for idea in ideas], ensure_ascii=False))
        return
    for number, idea in enumerate(ideas, 1):
        general = " (general structure: edit the questions)" if idea.general else ""
        typer.echo(f"{number}. {idea.title} [{idea.kind.replace('_', ' ')}]{general}")
        typer.echo(f"   For the visitor: {idea.value}")
        typer.echo(f"   Why it brings leads: {idea.why}")
        typer.echo(f"   Start it: keyvex create --brief {json.dumps(idea.brief)}")


def create_command(
    brief: Annotated[str, typer.Option("--brief", help="What the tool should do.")],
    answers: Annotated[
        Path | None,
        typer.Option("--answers", help="JSON file of answers: {question_id: value}."),
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Take each unanswered question's default.")
    ] = False,
    publish: Annotated[bool, typer.Option("--publish", help="Publish the tool.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    email: Annotated[
        str | None, typer.Option("--email", help="Owner's email (default: the first admin).")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Data directory (default ./keyvex-data).")
    ] = None,
) -> None:
    """Co-create a tool from a brief non-interactively; prints what was built."""
    from keyvex.app import build_app
    from keyvex.settings import load_settings

    try:
        given = _read_answers(answers) if answers is not None else {}
        overrides: dict[str, Any] = {"data_dir": data_dir} if data_dir is not None else {}
        # It waits for its own turns and build: they run here, even with KEYVEX_JOBS=queue
        # (whose workers may be away).
        state = build_app(load_settings(**overrides, jobs="inline"))
    except KeyvexError as exc:
        raise _fail(exc) from None
    try:
        result = asyncio.run(run_create(state, brief, given, defaults, publish, email))
    except KeyvexError as exc:
        raise _fail(exc) from None
    finally:
        state.close()
    if as_json:
        keys = ("tool_id", "kind", "template", "quality", "fit", "url")
        typer.echo(json.dumps({k: result[k] for k in keys}))
        return
    template = f", from {result['template']}" if result["template"] else ""
    typer.echo(
        f"Built '{result['title']}' ({result['kind']}{template}), version {result['version']}; "
        f"tool id {result['tool_id']}. Checks: quality {result['quality']}/100."
    )
    fit = result["fit"] or {}
    if fit:
        typer.echo(f"Fit to the brief: {fit['level']}.")
        for item in fit.get("missing", []):
            typer.echo(f"  missing: {item}")
    if result["url"]:
        typer.echo(f"Published at {result['url']}")


def _fail(exc: KeyvexError) -> typer.Exit:
    details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
    typer.echo(f"Error: {exc.message}" + (f" ({details})" if details else ""), err=True)
    return typer.Exit(1)


def _read_answers(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise Invalid(f"Cannot read the answers file {path}: {exc}.") from None
    if not isinstance(data, dict):
        raise Invalid(f"The answers file {path} must hold a JSON object {{question_id: value}}.")
    return data


async def _owner(state: Any, email: str | None) -> Any:
    from keyvex.accounts import User, find_user, normalise_email

    if email is not None:
        found = await find_user(state, normalise_email(email))
        if found is None:
            raise Invalid(f"There is no user with the email {email}.")
        return found[0]
    async for item in state.store.query_all("USERS", index="GSI1"):
        if item.get("is_admin"):
            return User.from_item(item)
    raise Invalid(
        "There is no administrator yet: create one with `keyvex users create EMAIL --admin`, "
        "or pass --email."
    )


async def run_create(
    state: Any,
    brief: str,
    answers: dict[str, Any],
    defaults: bool,
    publish: bool,
    email: str | None = None,
) -> dict[str, Any]:
    """Run the same session flow as the creator page; returns what was built."""
    from keyvex.cocreate import service
    from keyvex.tools.service import get_tool

    user = await _owner(state, email)
    sid = (await service.start_session(state, user, brief)).id
    for _ in range(MAX_TURNS):
        await service.jobs(state).wait_idle(TURN_TIMEOUT)
        session = await service.get_session(state, user, sid)
        if session.status == "ready" and session.tool_id is not None:
            break
        await _answer_next(state, user, session, answers, defaults)
    else:
        raise Invalid("The conversation did not end in a tool; try a more specific brief.")
    tool = await get_tool(state, user, session.tool_id)
    url = None
    if publish:
        url = service.public_url(state, await service.publish_session(state, user, sid))
    return {
        "tool_id": tool.id, "kind": tool.definition.kind, "template": session.template_id,
        "quality": (session.report or {}).get("quality"), "fit": session.fit, "url": url,
        "title": tool.definition.title, "version": tool.version, "session_id": sid,
    }  # fmt: skip


async def _answer_next(
    state: Any, user: Any, session: Any, answers: dict[str, Any], defaults: bool
) -> None:
    from keyvex.cocreate import service
    from keyvex.cocreate.answers import default_answer

    if session.status == "failed":
        said = [m.text for m in session.messages if m.role == "assistant"]
        raise Invalid(said[-1] if said else "The build failed.")
    pending = [q for q in session.asked if q.id not in session.answers]
    if not pending:
        raise Invalid("The assistant stopped without a question or a tool; try again.")
    question = pending[-1]
    if question.id in answers:
        value = answers[question.id]
    elif defaults:
        value = default_answer(question)
    else:
        raise Invalid(
            f"No answer for question '{question.id}' ({question.prompt}); add it to the "
            "answers file or pass --defaults."
        )
    await service.answer(state, user, session.id, question.id, value)

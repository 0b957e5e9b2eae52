"""The `keyvex` command line: serve the app, manage users and tokens, and domain commands."""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from keyvex import __version__
from keyvex import cli_create as create_cli
from keyvex import cli_store as store_cli
from keyvex.data.cli import data_app
from keyvex.errors import KeyvexError
from keyvex.tools import cli as tools_cli

T = TypeVar("T")

app = typer.Typer(
    name="keyvex",
    help="Keyvex: co-create calculators, quizzes and assessments with an AI; collect leads.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
tools_app = typer.Typer(help="Export and import tools.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(tools_app, name="tools")
app.add_typer(data_app, name="data")
tools_cli.register(app)
create_cli.register(app)
store_cli.register(app)

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Data directory (default ./keyvex-data).")
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line on stderr and return the exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def _overrides(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _with_app(data_dir: Path | None, work: Callable[[Any], Coroutine[Any, Any, T]]) -> T:
    """Run ``work(App)`` against the configured store, turning Keyvex errors into one line."""
    from keyvex.app import build_app
    from keyvex.settings import load_settings

    try:
        state = build_app(load_settings(**_overrides(data_dir=data_dir)))
    except KeyvexError as exc:
        raise fail(exc.message) from None

    async def run() -> T:
        try:
            return await work(state)
        finally:
            await state.bus.aclose()  # what the work published reaches the other processes

    try:
        return asyncio.run(run())
    except KeyvexError as exc:
        details = "; ".join(exc.fields.values())
        raise fail(exc.message + (f" {details}" if details else "")) from None
    finally:
        state.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise fail(
                f"Port {port} on {host} is already in use; pick another with --port."
            ) from None
        raise fail(f"Cannot listen on {host}:{port} ({exc.strerror}).") from None
    sock.set_inheritable(True)
    return sock


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    data_dir: DataDir = None,
    reload: Annotated[bool, typer.Option(help="Restart when code changes (development).")] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Web processes sharing the port (one machine).")
    ] = 1,
) -> None:
    """Run the web app (http://127.0.0.1:8000 by default)."""
    import uvicorn

    from keyvex.app import build_app
    from keyvex.bus import check_redis_settings
    from keyvex.settings import load_settings
    from keyvex.web.app import create_app, settle_heap

    if reload and workers > 1:
        raise fail("--reload runs one process; leave out --workers.")
    try:
        settings = load_settings(**_overrides(host=host, port=port, data_dir=data_dir))
        check_redis_settings(settings)  # an unreachable Redis is one line, not a traceback
        web = None if reload or workers > 1 else create_app(settings)
        if workers > 1:  # data directory and secrets made once, before the processes race
            build_app(settings).close()
    except KeyvexError as exc:
        raise fail(exc.message) from None
    sock = _bind(settings.host, settings.port)
    shown_host = f"[{settings.host}]" if ":" in settings.host else settings.host
    typer.echo(
        f"Keyvex is running at http://{shown_host}:{settings.port}/ "
        f"(data in {settings.data_dir.resolve()}). Press Ctrl+C to stop."
    )
    options: dict[str, Any] = {
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "access_log": False,
        "log_level": "warning",
    }
    if reload or workers > 1:  # the processes build the app from the environment
        for name, value in (("HOST", settings.host), ("PORT", settings.port)):
            os.environ[f"KEYVEX_{name}"] = str(value)
        os.environ["KEYVEX_DATA_DIR"] = str(settings.data_dir.resolve())
    if workers > 1:
        _serve_processes(sock, workers, options)
        return
    if reload:
        sock.close()
        uvicorn.run(
            "keyvex.web.app:factory",
            factory=True,
            reload=True,
            host=settings.host,
            port=settings.port,
            **options,
        )
        return
    assert web is not None
    settle_heap()
    server = uvicorn.Server(uvicorn.Config(web, **options))
    server.run(sockets=[sock])


def _serve_processes(sock: socket.socket, workers: int, options: dict[str, Any]) -> None:
    """N uvicorn processes accepting on one socket, each building its own app (store
    connections, caches, job runner). They share the store, so they behave as one: the
    cluster's periodic work runs in whichever holds the scheduler lease, caches are
    re-validated within KEYVEX_PUBLISH_CACHE_SECONDS (at once with KEYVEX_REDIS_URL)."""
    import shutil
    import tempfile

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    # Each process writes its metrics to files in one directory, and a scrape of any of them
    # sums them all (prometheus-client's multiprocess mode); a fresh one per run unless the
    # operator named one (which they must empty before each start).
    own_dir = None
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        own_dir = tempfile.mkdtemp(prefix="keyvex-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = own_dir
    config = uvicorn.Config("keyvex.web.app:factory", factory=True, workers=workers, **options)
    try:
        Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        if own_dir is not None:
            os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
            shutil.rmtree(own_dir, ignore_errors=True)


@users_app.command("create")
def users_create(
    email: str,
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator.")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Create a user account (prompts for the password)."""
    from keyvex.accounts import sign_up

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = _with_app(data_dir, lambda state: sign_up(state, email, password, admin=admin))
    role = "administrator" if user.is_admin else "user"
    typer.echo(f"Created {role} {user.email} ({user.id}).")


@tokens_app.command("create")
def tokens_create(email: str, name: str, data_dir: DataDir = None) -> None:
    """Create an API token for a user and print it (it is shown only once)."""
    from keyvex.accounts import create_token

    async def work(state: Any) -> str:
        secret, _ = await create_token(state, await _owner(state, email), name)
        return secret

    typer.echo(_with_app(data_dir, work))


Owner = Annotated[str, typer.Option("--email", help="The tool owner's email.")]


async def _owner(state: Any, email: str) -> Any:
    from keyvex.accounts import find_user, normalise_email

    found = await find_user(state, normalise_email(email))
    if found is None:
        raise KeyvexError(f"There is no user with the email {email}.")
    return found[0]


@tools_app.command("export")
def tools_export(tool_id: str, email: Owner, data_dir: DataDir = None) -> None:
    """Print a tool as JSON (definition, tests, theme; no leads)."""
    import json

    from keyvex.tools.transfer import export_tool

    async def work(state: Any) -> dict[str, Any]:
        return await export_tool(state, await _owner(state, email), tool_id)

    typer.echo(json.dumps(_with_app(data_dir, work), indent=2))


@tools_app.command("import")
def tools_import(file: Path, email: Owner, data_dir: DataDir = None) -> None:
    """Create a tool from an exported JSON file; every problem is named."""
    from keyvex.tools.transfer import import_tool

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"Cannot read {file}: {getattr(exc, 'strerror', None) or exc}.") from None

    async def work(state: Any) -> Any:
        return await import_tool(state, await _owner(state, email), text)

    tool = _with_app(data_dir, work)
    typer.echo(f"Imported {tool.definition.title!r} as tool {tool.id}.")


@app.command()
def worker(
    data_dir: DataDir = None,
    concurrency: Annotated[
        int, typer.Option(min=1, max=1000, help="Jobs run at the same time.")
    ] = 10,
    grace: Annotated[
        float, typer.Option(min=0, help="Seconds running jobs get at SIGTERM before handed back.")
    ] = 10.0,
    imports: Annotated[
        list[str] | None,
        typer.Option("--import", help="Also import this module (its @task functions); repeatable."),
    ] = None,
) -> None:
    """Run queued jobs (KEYVEX_JOBS=queue) and share the cluster's periodic work."""
    import importlib

    from keyvex.app import build_app
    from keyvex.logs import configure_logging
    from keyvex.ops.tracing import start_tracing
    from keyvex.settings import load_settings
    from keyvex.web.app import periodic_work  # every domain's tasks, as in the web app

    try:
        for module in imports or []:
            importlib.import_module(module)
    except ImportError as exc:
        raise fail(f"Cannot import {exc.name or exc}: {exc}.") from None
    try:
        settings = load_settings(**_overrides(data_dir=data_dir))
        configure_logging(settings.log_level, settings.log_format)
        state = build_app(settings)
    except KeyvexError as exc:
        raise fail(exc.message) from None
    if settings.jobs != "queue":
        state.close()
        raise fail("keyvex worker runs queued jobs: set KEYVEX_JOBS=queue and KEYVEX_REDIS_URL.")
    try:
        tracing = start_tracing(settings)  # store and outbound calls, as in the web processes
    except KeyvexError as exc:
        state.close()
        raise fail(exc.message) from None
    if tracing is not None:
        tracing.instrument_store(state.store)
    from keyvex.jobs.worker import run_worker

    work = periodic_work(state)
    try:
        asyncio.run(
            run_worker(state, work, concurrency=concurrency, grace=grace, announce=typer.echo)
        )
    except KeyvexError as exc:
        raise fail(exc.message) from None
    finally:
        state.close()
        if tracing is not None:
            tracing.shutdown()
    typer.echo("Keyvex worker stopped.")


@app.command()
def version() -> None:
    """Print the Keyvex version."""
    typer.echo(f"keyvex {__version__}")


def main() -> None:
    app()

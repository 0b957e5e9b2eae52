"""CLI commands for tools: verify a definition file, print the schema, browse templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from keyvex.tools._parse import json_schema
from keyvex.tools._report import Issue, VerificationReport
from keyvex.tools._verify import verify
from keyvex.tools.templates import TemplateNotFound, get_template, list_templates

templates_app = typer.Typer(help="Browse the built-in template library.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `verify`, `schema` and the `templates` group to ``app``."""
    app.command("verify")(verify_command)
    app.command("schema")(schema_command)
    app.add_typer(templates_app, name="templates")


def verify_command(
    file: Annotated[Path, typer.Argument(help="A tool definition as JSON.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Verify a tool definition file; exit 1 when it has errors, 2 when unreadable."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"Cannot read {file}: {getattr(exc, 'strerror', None) or exc}", err=True)
        raise typer.Exit(2) from None
    report = verify(text)
    typer.echo(report.model_dump_json(indent=2) if as_json else render_report(report, str(file)))
    if not report.ok:
        raise typer.Exit(1)


def schema_command() -> None:
    """Print the JSON Schema of tool definitions."""
    typer.echo(json.dumps(json_schema(), indent=2))


@templates_app.command("list")
def list_command() -> None:
    """List the templates: id, kind and title."""
    tools = list_templates()
    width = max(len(t.id) for t in tools)
    for tool in tools:
        typer.echo(f"{tool.id:<{width}}  {tool.kind:<10}  {tool.title}")


@templates_app.command("show")
def show_command(template_id: Annotated[str, typer.Argument(help="Template id.")]) -> None:
    """Print one template as JSON."""
    try:
        tool = get_template(template_id)
    except TemplateNotFound as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(tool.model_dump_json(indent=2, exclude_defaults=False))


def render_report(report: VerificationReport, name: str) -> str:
    """The report as lines a person reads in a terminal."""
    verdict = "OK" if report.ok else "FAILED"
    stats = report.stats
    lines = [
        f"{name}: {verdict} - quality {report.quality}/100, "
        f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)",
        f"  test cases {stats.test_cases_passed}/{stats.test_cases} passed, "
        f"{stats.samples} sampled answer sets, {stats.duration_ms:.0f} ms",
    ]
    lines += [_line("error", issue) for issue in report.errors]
    lines += [_line("warning", issue) for issue in report.warnings]
    return "\n".join(lines)


def _line(kind: str, issue: Issue) -> str:
    where = issue.path or "definition"
    return f"  {kind}: {where}: {issue.message} [{issue.code}]"

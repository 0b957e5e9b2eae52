"""`keyvex data`: work with tool data from the command line (analyse a file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from keyvex.data.analysis import Analysis, ColumnProfile

data_app = typer.Typer(help="Analyse tool data files.", no_args_is_help=True)


@data_app.command("analyze")
def analyze_command(
    file: Annotated[Path, typer.Argument(help="A CSV, TSV or spreadsheet file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON.")] = False,
    sheet: Annotated[str | None, typer.Option(help="Worksheet of a spreadsheet.")] = None,
    table: Annotated[str | None, typer.Option(help="Table of an Access database.")] = None,
) -> None:
    """Detect column types, rate the data's quality and suggest tools and mappings."""
    from keyvex.data._types import Dataset, SourceError
    from keyvex.data.analysis import _source, analyze

    try:
        if not file.is_file():
            raise SourceError("not_found", f"There is no file at {file}.")
        data: Dataset | Path = file
        if sheet is not None or table is not None:
            data = _source.read_other(file, sheet=sheet, table=table)
        result = analyze(data)
    except SourceError as exc:
        typer.echo(f"Error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(result.to_cli_json(), indent=2) if as_json else render(result, file.name))


def _type_text(column: ColumnProfile) -> str:
    """'currency (USD)', 'date (%d/%m/%Y)' or the bare type, as the analysis page shows it."""
    detail = column.currency or column.date_format
    return f"{column.type} ({detail})" if detail else column.type


def render(result: Analysis, name: str) -> str:
    """The analysis as a plain-text summary: figures, a column table (type with its currency
    or date format, empty share, distinct count, range, samples), tools, suggestions."""
    q = result.quality
    lines = [
        f"{name}: {result.row_count:,} rows, {result.column_count} columns",
        f"Quality {q.score:.2f} (completeness {q.completeness:.2f}, type consistency "
        f"{q.type_consistency:.2f}, uniqueness {q.uniqueness:.2f}; "
        f"{q.duplicate_rows:,} duplicate rows)",
        "",
    ]
    rows = [("column", "type", "null %", "distinct", "range", "samples")]
    rows += [
        (
            c.name,
            _type_text(c),
            f"{c.null_pct:g}",
            ("~" if c.distinct_estimated else "") + f"{c.distinct_count:,}",
            "" if c.min is None else f"{c.min} - {c.max}",
            ", ".join(c.samples)[:60],
        )
        for c in result.columns
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines += [
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}  "
        f"{r[4]:<{widths[4]}}  {r[5]}".rstrip()
        for r in rows
    ]
    if result.suggested_tool_types:
        lines += ["", "Suggested tools:"]
        lines += [
            f"  {s.kind} ({s.confidence:.2f}): {s.reason}" for s in result.suggested_tool_types
        ]
    if result.field_mappings:
        lines += ["", "Field mappings:"]
        lines += [
            f"  {m.column} -> {m.target} ({m.target_kind}, {m.confidence:.2f})"
            for m in result.field_mappings
        ]
    if result.suggestions:
        lines += ["", "Suggestions:"] + [f"  - {s}" for s in result.suggestions]
    return "\n".join(lines)

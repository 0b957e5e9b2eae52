"""`keyvex store init`: create the item store's table (DynamoDB) or say SQLite needs none."""

from __future__ import annotations

import typer

from keyvex.errors import KeyvexError

store_app = typer.Typer(help="Set up the item store.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `keyvex store ...` to ``app``."""
    app.add_typer(store_app, name="store")


@store_app.command("init")
def init_command() -> None:
    """Create what KEYVEX_STORE_BACKEND needs: the DynamoDB table (PK/SK, GSI1, GSI2, TTL on
    'ttl', point-in-time recovery where the endpoint supports it; an existing table is kept),
    or nothing for SQLite, whose file is created on first use."""
    from keyvex.settings import load_settings
    from keyvex.store.dynamodb import init_table

    try:
        settings = load_settings()
        if settings.store_backend == "sqlite":
            typer.echo(f"SQLite needs no setup: {settings.database_path} is created on first use.")
            return
        for line in init_table(settings.dynamodb_table):
            typer.echo(line)
    except KeyvexError as exc:
        typer.echo(f"Error: {exc.message}", err=True)
        raise typer.Exit(1) from None

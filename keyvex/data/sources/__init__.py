"""Data source connectors, one module each; ``CONNECTORS`` maps a source type to its connector."""

from __future__ import annotations

from keyvex.data._types import Connector

CONNECTORS: dict[str, Connector] = {}


def register(connector: Connector) -> Connector:
    """Add a connector under its ``source_type`` (each connector module calls this once)."""
    CONNECTORS[connector.source_type] = connector
    return connector


def connector(source_type: str) -> Connector:
    """The connector for ``source_type``; imports the connector modules on first use."""
    _load()
    try:
        return CONNECTORS[source_type]
    except KeyError:
        from keyvex.data._types import SourceError

        known = ", ".join(sorted(CONNECTORS))
        raise SourceError(
            "config", f"Unknown source type '{source_type}'. Known types: {known}."
        ) from None


def _load() -> None:
    import importlib

    for name in ("files", "sql", "rest", "google_sheets", "airtable", "salesforce"):
        try:
            importlib.import_module(f"keyvex.data.sources.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"keyvex.data.sources.{name}":
                raise

"""Tool data: sources (files, SQL, cloud, REST), analysis, snapshots, binding, sync and health."""

from keyvex.data._copy import in_sentence
from keyvex.data._types import (
    Cell,
    Connector,
    Dataset,
    SourceConfig,
    SourceContext,
    SourceError,
    clean_cell,
    unique_columns,
)

__all__ = [
    "Cell",
    "Connector",
    "Dataset",
    "SourceConfig",
    "SourceContext",
    "SourceError",
    "clean_cell",
    "in_sentence",
    "unique_columns",
]

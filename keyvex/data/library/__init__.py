"""Data templates: ready column schemas with example files that pair with tool templates.

Each entry of ``index.json`` names an example file in this folder (small, hand-written CSV),
its columns with their types, and what it pairs with: a tool template id from
``keyvex.tools.templates`` or :data:`CREATE_FROM_DATA` (a tool co-created from the data).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from keyvex.data.analysis.models import ColumnType
from keyvex.errors import NotFound

HERE = Path(__file__).parent
CREATE_FROM_DATA = "create-from-data"


class TemplateColumn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: ColumnType
    description: str


class DataTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    description: str
    file: str
    pairs_with: str
    columns: tuple[TemplateColumn, ...]

    @property
    def path(self) -> Path:
        return HERE / self.file


@cache
def data_templates() -> tuple[DataTemplate, ...]:
    """Every data template, in the order of ``index.json``."""
    raw = json.loads((HERE / "index.json").read_text(encoding="utf-8"))
    return tuple(DataTemplate.model_validate(entry) for entry in raw["templates"])


def get_data_template(template_id: str) -> DataTemplate:
    for template in data_templates():
        if template.id == template_id:
            return template
    raise NotFound("There is no such data template.")


def example_bytes(template_id: str) -> bytes:
    """The template's example file, as stored."""
    return get_data_template(template_id).path.read_bytes()

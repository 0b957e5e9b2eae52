"""Streaming a tool's leads as CSV that is safe to open in a spreadsheet.

What is written, decided for people and scripts alike: the columns up to ``referrer`` keep
their order and meaning (a script reading them by position keeps working); answers to number,
currency and percent questions stay plain numbers (8500, never "8500.0" or "$8,500") so a
spreadsheet can add them up; answers to choice questions are the option labels the visitor
read ("11-50 people", not "11_50"), since an option's value is an internal code; and each
calculated result follows ``referrer`` as its own column, headed by its label and holding the
text the visitor saw ("$12,400", "25%"). Raw values for programs stay in the JSON API.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Generator
from typing import Any

from keyvex.accounts.models import User
from keyvex.app import App
from keyvex.leads.models import UTM_KEYS, Lead
from keyvex.store import SK
from keyvex.tools import ToolDefinition
from keyvex.tools.service import get_tool

#: Characters that make a spreadsheet read a cell as a formula (or hide what precedes them).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
ROWS_PER_CHUNK = 200


def neutralise(value: Any) -> str:
    """A cell's text, prefixed with ' when a spreadsheet would evaluate it.

    Negative numbers we wrote ourselves stay numbers; any text that merely looks
    like one but carries more (``-1+cmd|...``) fails PLAIN_NUMBER and is quoted.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


class _Columns:
    """The header and how to read each column from a lead, from the tool's current definition."""

    def __init__(self, definition: ToolDefinition) -> None:
        contact_ids = [f.id for f in definition.lead_capture.fields]
        labels = {f.id: f.label for f in definition.lead_capture.fields}
        self.contact = contact_ids
        self.inputs = [item.id for item in definition.inputs]
        self.choices = {
            item.id: {o.value: o.label for o in item.options} for item in definition.inputs
        }
        self.results = [calc.id for calc in definition.calculations]
        input_labels = [item.label or item.id for item in definition.inputs]
        result_labels = [calc.label or calc.id for calc in definition.calculations]
        self.header = [
            "created_at",
            "lead_id",
            *(labels[i] or i for i in contact_ids),
            "consent",
            "score",
            "outcome",
            *_unique(input_labels, self.inputs),
            "tool_version",
            *UTM_KEYS,
            "referrer",
            *_unique(result_labels, self.results),
        ]

    def row(self, lead: Lead) -> list[str]:
        cells: list[Any] = [lead.created_at, lead.id]
        cells += [lead.contact.get(i, "") for i in self.contact]
        cells += [lead.consent.get("given", False), lead.score, lead.outcome_title or ""]
        cells += [self._answer(i, lead.answers.get(i)) for i in self.inputs]
        cells += [lead.tool_version]
        cells += [lead.utm.get(k, "") for k in UTM_KEYS]
        cells += [lead.referrer]
        cells += [lead.display.get(name, "") for name in self.results]
        return [neutralise(cell) for cell in cells]

    def _answer(self, input_id: str, value: Any) -> Any:
        labels = self.choices.get(input_id)
        if not labels:
            return value
        if isinstance(value, list):
            return [labels.get(v, v) for v in value]
        return labels.get(value, value) if isinstance(value, str) else value


def _unique(labels: list[str], ids: list[str]) -> list[str]:
    """Labels as headers; a label used twice gets its input id to tell the columns apart."""
    return [
        label if labels.count(label) == 1 else f"{label} ({ident})"
        for label, ident in zip(labels, ids, strict=True)
    ]


class LeadCsvExport:
    """The CSV text of a tool's leads, newest first, in chunks.

    Await it to check ownership before any byte is sent (so a foreign tool is a clean
    404), then iterate; iterating without awaiting checks ownership on the first chunk.
    """

    def __init__(self, app: App, user: User, tool_id: str) -> None:
        self._app, self._user, self._tool_id = app, user, tool_id
        self._columns: _Columns | None = None
        self._chunks: AsyncIterator[str] | None = None

    async def prepare(self) -> LeadCsvExport:
        if self._columns is None:
            tool = await get_tool(self._app, self._user, self._tool_id)
            self._columns = _Columns(tool.definition)
        return self

    def __await__(self) -> Generator[Any, None, LeadCsvExport]:
        return self.prepare().__await__()

    def __aiter__(self) -> AsyncIterator[str]:
        return self

    async def __anext__(self) -> str:
        if self._chunks is None:
            self._chunks = self._generate()
        return await self._chunks.__anext__()

    async def _generate(self) -> AsyncIterator[str]:
        await self.prepare()
        assert self._columns is not None
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in self._columns.header])
        rows = 0
        pk = f"TOOL#{self._tool_id}"
        async for item in self._app.store.query_all(pk, SK.begins_with("LEAD#"), ascending=False):
            writer.writerow(self._columns.row(Lead.from_item(item)))
            rows += 1
            if rows % ROWS_PER_CHUNK == 0:
                yield _drain(buffer)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def iter_leads_csv(app: App, user: User, tool_id: str) -> LeadCsvExport:
    """CSV of a tool's leads: ``rows = await iter_leads_csv(...)`` then ``async for``."""
    return LeadCsvExport(app, user, tool_id)

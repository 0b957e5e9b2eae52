"""Co-creation with a data source attached: data-field questions, then a bound tool.

The session asks which column names an item, which columns visitors choose from, which
number they set a limit on and what each recommendation shows (defaults come from the
source's analysis and the mappings the creator accepted), then builds a recommendation quiz
bound to the source (``keyvex.data.toolgen``) and verifies it with the source's rows.
The brief's constraints ("only what's in stock", "under $50") become the tool's filters
(``keyvex.knowledge.brief.understand`` reads them). Later change requests go through the
editor agent like any other tool.
"""

from __future__ import annotations

import re
from typing import Any

from anyio import to_thread

from keyvex.accounts import User
from keyvex.ai import Question
from keyvex.ai.models import QuestionOption
from keyvex.app import App
from keyvex.data import service as data_service
from keyvex.data.binding import build_tool_data, load_dataset, table_rows, with_rows
from keyvex.data.models import DataSource
from keyvex.data.toolgen import (
    brief_filters,
    build_recommendation_quiz,
    column_types,
    filter_candidates,
    key_like,
    numeric_columns,
)
from keyvex.errors import Invalid
from keyvex.knowledge.brief import understand
from keyvex.tools import ToolDefinition, VerificationReport, verify

NONE = "__none__"


async def data_context(
    app: App, user: User, source_id: str
) -> tuple[DataSource, Any, dict[str, Any] | None]:
    source = await data_service.get_source(app, user, source_id)
    if source.snapshot is None:
        raise Invalid(
            f"The data source '{source.name}' has no data yet: sync it first.",
            fields={"source_id": "Sync the source first."},
        )
    dataset = await load_dataset(app, source.snapshot)
    analysis = await data_service.get_analysis(app, user, source_id)
    return source, dataset, analysis


def _mapped(source: DataSource, kind: str) -> list[str]:
    return [m["column"] for m in source.mappings if m.get("target_kind") == kind]


def questions(source: DataSource, dataset: Any, analysis: Any) -> list[Question]:
    """The data-field questions, in order, each with a sensible default."""
    columns = list(dataset.columns)
    numeric = numeric_columns(analysis, dataset)
    text_columns = [c for c in columns if c not in numeric] or columns
    key = (_mapped(source, "lookup_key") or text_columns)[0]
    filters = filter_candidates(dataset, analysis, exclude=[key])
    chosen_filters = [c for c in _mapped(source, "filter") if c in filters] or _default_filters(
        filters, column_types(analysis, dataset)
    )
    # The default must be one of the options: a mapped lookup value only if it is numeric.
    limit = ([c for c in _mapped(source, "lookup_value") if c in numeric] + numeric + [NONE])[0]
    field = [QuestionOption(value=c, label=c) for c in columns]
    return [
        Question(id="data_title", prompt="Which column names each item a visitor could be "
                 "recommended?", input_type="data_field", options=field, default=key),
        Question(id="data_filters", prompt="Which columns should visitors choose from? Each "
                 "becomes a question.", input_type="multiselect",
                 options=[QuestionOption(value=c, label=c) for c in filters] or field,
                 default=chosen_filters),
        Question(id="data_limit", prompt="Which number should visitors set a limit on (for "
                 "example price against their budget)?", input_type="data_field",
                 options=[QuestionOption(value=c, label=c) for c in numeric]
                 + [QuestionOption(value=NONE, label="None")], default=limit),
        Question(id="data_show", prompt="What should each recommendation show?",
                 input_type="multiselect", options=field,
                 default=_default_show(columns, key, limit, chosen_filters, dataset, analysis)),
    ]  # fmt: skip


def _default_show(
    columns: list[str], key: str, limit: str, chosen: list[str], dataset: Any, analysis: Any
) -> list[str]:
    """What a recommendation shows by default: the limit (the price against a budget), then
    figures the visitor did not answer about, then their answers; never yes/no flags, dates
    or columns where every value differs (e-mails), three at most."""
    types = column_types(analysis, dataset)
    useful = [
        c for c in columns
        if c not in (key, limit) and types.get(c) not in ("boolean", "date")
        and not (types.get(c, "string") == "string" and key_like(dataset, c))
    ]  # fmt: skip
    ranked = [c for c in useful if c not in chosen] + [c for c in useful if c in chosen]
    first = [limit] if limit in columns else []
    return (first + ranked)[:3]


def _default_filters(candidates: list[str], types: dict[str, str]) -> list[str]:
    """Two choice columns and one yes/no column: a short quiz that still narrows well."""
    choices = [c for c in candidates if types.get(c) != "boolean"][:2]
    flags = [c for c in candidates if types.get(c) == "boolean"][:1]
    return [c for c in candidates if c in choices or c in flags]


def next_question(asked: list[Question], all_questions: list[Question]) -> Question | None:
    done = {q.id for q in asked}
    return next((q for q in all_questions if q.id not in done), None)


def _choice(answers: dict[str, Any], question: Question) -> Any:
    value = answers.get(question.id)
    return question.default if value in (None, "", []) else value


async def build(
    app: App, user: User, source_id: str, answers: dict[str, Any], brief: str
) -> tuple[ToolDefinition, VerificationReport]:
    """The bound recommendation quiz for the answers, verified with the source's rows."""
    source, dataset, analysis = await data_context(app, user, source_id)
    asked = {q.id: q for q in questions(source, dataset, analysis)}
    constraints = understand(brief).constraints
    filters = _choice(answers, asked["data_filters"])
    limit = _choice(answers, asked["data_limit"])
    definition = build_recommendation_quiz(
        source_id=source.id,
        source_name=source.name,
        dataset=dataset,
        analysis=analysis,
        title_column=_choice(answers, asked["data_title"]),
        filter_columns=[f for f in (filters if isinstance(filters, list) else [filters]) if f],
        limit_column=None if limit == NONE else limit,
        show_columns=list(_choice(answers, asked["data_show"]) or []),
        title=title_from_brief(brief, source.name),
        constraints=constraints,
    )
    tables = await build_tool_data(app, user.id, definition)
    if dataset.rows and not any(table_rows(tables)):
        _nothing_left(source.name, len(dataset.rows), constraints, dataset, analysis)
    report = await to_thread.run_sync(verify, with_rows(definition, tables))
    return definition, report


def _nothing_left(
    name: str, rows: int, constraints: list[str], dataset: Any, analysis: Any
) -> None:
    """A tool whose limits keep no row would always answer "nothing matches": say which
    limits did it instead of building it (decision: stop, not publish an empty finder)."""
    rules, _ = brief_filters(constraints, dataset, analysis)
    said = ", ".join(f"'{rule.constraint}'" for rule in rules)
    raise Invalid(
        f"The brief's limits ({said}) leave none of the {rows:,} rows of '{name}': loosen "
        "them in the brief, or check the data.",
        fields={"brief": "No row is left after these limits."},
    )


#: Words that name the kind of tool, not what it is about.
TOOL_WORDS = frozenset(
    """a an the recommendation recommendations recommender quiz tool calculator lead magnet
    interactive simple quick short fun product products data my our your""".split()
)
#: Where the subject of a brief ends: the first clause, before what it is for or limits.
CLAUSE_END = re.compile(
    r"[,:;.!?(]| - | that | which | for (?:my|our|the|a) | from (?:my|our) | with | only | "
    r"under | below | showing | to help "
)


def title_from_brief(brief: str, source_name: str) -> str:
    """The tool's title from the brief's subject: "A tent finder for my shop, only what's in
    stock" -> "Tent finder"; a brief that names only the kind of tool ("A recommendation quiz
    for my product catalogue") -> "Find your best match in our product catalogue"."""
    first = f"{brief.strip().splitlines()[0] if brief.strip() else ''} "
    subject = CLAUSE_END.split(first.lower(), maxsplit=1)[0].split()
    words = first.split()[: len(subject)]
    while words and words[0].lower() in {"a", "an", "the", "build", "create", "make", "me"}:
        words = words[1:]
    if not words or all(w.lower() in TOOL_WORDS for w in words) or len(" ".join(words)) > 80:
        from keyvex.data import in_sentence

        return f"Find your best match in our {in_sentence(source_name)}"[:120]
    title = " ".join(words)
    return title[0].upper() + title[1:]

"""Offline chart edits: show one, remove it, or draw it as another type."""

from __future__ import annotations

import re

from keyvex.ai.models import NeedsModel
from keyvex.ai.planner._change import Change, Data, changed
from keyvex.ai.planner._request import Request, content_words
from keyvex.tools import ChartBlock, HeadlineBlock, MetricBlock, ToolDefinition

TYPES = {
    "bar": "bar", "bars": "bar", "column": "bar", "columns": "bar", "histogram": "bar",
    "pie": "donut", "donut": "donut", "doughnut": "donut", "ring": "donut",
    "radar": "radar", "spider": "radar", "web": "radar", "cobweb": "radar",
    "gauge": "gauge", "dial": "gauge", "speedometer": "gauge", "meter": "gauge",
}  # fmt: skip
MISSING = (
    "line",
    "area",
    "scatter",
    "bubble",
    "funnel",
    "heatmap",
    "heat map",
    "map",
    "waterfall",
    "timeline",
    "table",
    "stacked",
    "treemap",
)
CHART_WORDS = (
    "chart",
    "charts",
    "graph",
    "graphs",
    "diagram",
    "visual",
    "visualisation",
    "visualization",
    *TYPES,
)
FORMAT_RANK = {"currency": 0, "number": 1, "percent": 2}
NOUNS = ("chart", "charts", "graph", "graphs", "diagram", "visual")
SHOW_VERBS = ("show", "use", "make", "add", "display", "draw", "switch", "change", "turn", "give")
OFF = (
    "no chart",
    "no graph",
    "without a chart",
    "without the chart",
    "chart off",
    "turn off the chart",
    "hide the chart",
    "don't show the chart",
    "do not show the chart",
)


def chart_edit(tool: ToolDefinition, request: Request) -> Change | None:
    if not request.has(*CHART_WORDS):
        return None
    if not request.has(*NOUNS) and request.verb not in SHOW_VERBS:
        return None  # 'pie' or 'bar' without a chart word needs a showing verb
    charts = [b for b in tool.results if isinstance(b, ChartBlock)]
    if request.verb in ("remove", "delete", "drop", "hide", "lose") or request.has(*OFF):
        return _removed(tool, charts)
    kind = next((TYPES[w] for w in TYPES if request.has(w)), None)
    missing = next((w for w in MISSING if request.has(w)), None)
    if kind is None and missing is not None:
        raise NeedsModel(
            f"Keyvex draws bar, donut (pie), gauge and radar charts; a {missing} chart is not "
            "one of them. Ask for one of those instead."
        )
    if not charts:
        return _add_chart(tool, kind or _default_kind(tool), request)
    return _changed_chart(tool, charts[0], kind, request)


def _removed(tool: ToolDefinition, charts: list[ChartBlock]) -> Change:
    if not charts:
        return Change(tool, "", "There is no chart already.")
    result = changed(
        tool, lambda d: d.update(results=[b for b in d["results"] if b["type"] != "chart"])
    )
    return Change(result, f"Removed the {charts[0].chart} chart.")


def _changed_chart(
    tool: ToolDefinition, current: ChartBlock, kind: str | None, request: Request
) -> Change:
    """Another type, or other figures, for the chart the tool has."""
    index = tool.results.index(current)
    named = _named_series(tool, request)
    if named and current.source == "calculations" and named != current.series:
        _enough(kind or current.chart, len(named))
        block = current.model_copy(update={"series": named, "chart": kind or current.chart})
        labels = ", ".join(c.label for c in tool.calculations if c.id in named)
        return Change(
            changed(tool, lambda d: _put_block(d, block, index)),
            f"The {block.chart} chart now shows {labels}.",
        )
    if kind is None:
        return Change(tool, "", f"The tool already shows a {current.chart} chart.")
    drawn = " (pie charts are drawn as donuts)" if request.has("pie") else ""
    if current.chart == kind:
        return Change(tool, "", f"The chart is already a {kind} chart{drawn}.")
    block = _retyped(tool, current, kind)
    return Change(
        changed(tool, lambda d: _put_block(d, block, index)),
        f"The chart is now a {kind} chart{drawn}.",
    )


def _default_kind(tool: ToolDefinition) -> str:
    if tool.kind == "assessment":
        return "radar" if len(tool.categories) >= 3 else "bar"
    if tool.scoring is not None and tool.scoring.quiz_type == "knowledge":
        return "gauge"
    return "bar"


def _add_chart(tool: ToolDefinition, kind: str, request: Request) -> Change:
    block, extra = _new_block(tool, kind, request)
    index = next((k + 1 for k, b in enumerate(tool.results) if isinstance(b, HeadlineBlock)), 0)

    def update(data: Data) -> None:
        data["calculations"].extend(extra)
        data["results"].insert(index, block.model_dump(mode="json"))

    labels = {c["id"]: c["label"] for c in extra} | {c.id: c.label for c in tool.calculations}
    shown = ", ".join(labels[s] for s in block.series) if block.series else "the category scores"
    return Change(changed(tool, update), f"Added a {kind} chart of {shown}.")


def _new_block(tool: ToolDefinition, kind: str, request: Request) -> tuple[ChartBlock, list[Data]]:
    if tool.scoring is not None and kind in ("bar", "radar", "donut") and tool.categories:
        _enough(kind, len(tool.categories))
        return ChartBlock(type="chart", chart=kind, title="Your scores", source="categories"), []  # type: ignore[arg-type]
    if tool.scoring is not None:
        calc, extra = _score_calc(tool)
        if kind != "gauge":
            raise NeedsModel(
                f"This {tool.kind} has one overall score; a gauge shows it "
                f"(a {kind} chart needs several values)."
            )
        return ChartBlock(
            type="chart", chart="gauge", title="Your score", series=[calc], max=100
        ), extra
    series = _series(tool, request)
    if kind == "gauge":
        raise NeedsModel(
            "A gauge shows a score out of a maximum; this calculator's figures have none. "
            "Try a bar chart."
        )
    _enough(kind, len(series))
    return ChartBlock(type="chart", chart=kind, title="", series=series), []  # type: ignore[arg-type]


def _score_calc(tool: ToolDefinition) -> tuple[str, list[Data]]:
    for calc in tool.calculations:
        if calc.formula.strip() == "score_percent":
            return calc.id, []
    score: Data = {"id": "overall_score", "label": "Score", "formula": "score_percent"}
    return "overall_score", [score | {"format": "number", "decimals": 0, "unit": "%"}]


def _named_series(tool: ToolDefinition, request: Request) -> list[str]:
    """Calculations the request names ('a chart comparing total benefit and net gain')."""
    said = re.search(r"\b(?:of|comparing|showing|with|for)\s+(?P<what>.+)$", request.raw, re.I)
    if said is None or tool.scoring is not None:
        return []
    named = []
    for part in re.split(r"\s*,\s*(?:and\s+)?|\s+(?:and|vs\.?|versus)\s+", said.group("what")):
        words = set(content_words(part)) - {"chart", "graph", "bar", "pie", "donut"}
        scored = [
            (len(words & set(content_words(f"{c.label} {c.id}"))), c.id) for c in tool.calculations
        ]
        best = max(scored, default=(0, ""))
        if best[0] and best[1] not in named and [s for s, _ in scored].count(best[0]) == 1:
            named.append(best[1])
    return named if len(named) >= 2 else []


def _series(tool: ToolDefinition, request: Request) -> list[str]:
    """The calculations the creator named, else those the result already shows."""
    named = _named_series(tool, request)
    if named:
        return named[:6]
    calcs = {c.id: c for c in tool.calculations if '"' not in c.formula and "'" not in c.formula}
    shown = [b.value for b in tool.results if isinstance(b, MetricBlock) and b.value in calcs]
    formats = [calcs[s].format for s in shown] or [c.format for c in calcs.values()]
    usual = min(set(formats), key=lambda f: (-formats.count(f), FORMAT_RANK.get(f, 9)), default="")
    series = [s for s in shown if calcs[s].format == usual]
    series += [c for c in calcs if calcs[c].format == usual and c not in series]
    if not series:
        raise NeedsModel("This tool has no calculations to chart.")
    return series[:4]


def _enough(kind: str, count: int) -> None:
    if kind == "radar" and count < 3:
        raise NeedsModel(
            f"A radar chart needs at least three values; this one would have {count}. "
            "Try a bar chart."
        )
    if kind == "donut" and count < 2:
        raise NeedsModel("A donut (pie) chart needs at least two parts. Try a bar or gauge chart.")


def _retyped(tool: ToolDefinition, block: ChartBlock, kind: str) -> ChartBlock:
    count = len(tool.categories) if block.source == "categories" else len(block.series)
    if kind == "gauge":
        if (
            tool.scoring is None
            and block.source == "calculations"
            and len(block.series) == 1
            and block.max
        ):
            return block.model_copy(update={"chart": "gauge"})
        if tool.scoring is None:
            raise NeedsModel(
                "A gauge shows one score out of a maximum; this chart shows several figures. "
                "Try a bar chart."
            )
        calc, _ = _score_calc(tool)
        if calc == "overall_score":
            raise NeedsModel(
                "Show a gauge of the overall score by removing this chart and asking for a gauge."
            )
        return ChartBlock(type="chart", chart="gauge", title=block.title, series=[calc], max=100)
    if block.chart == "gauge" and tool.categories:
        _enough(kind, len(tool.categories))
        return ChartBlock(type="chart", chart=kind, title=block.title, source="categories")  # type: ignore[arg-type]
    _enough(kind, count)
    return block.model_copy(update={"chart": kind, "max": None if kind != "gauge" else block.max})


def _put_block(data: Data, block: ChartBlock, index: int) -> None:
    data["results"][index] = block.model_dump(mode="json")

"""The tool engine: run a ToolDefinition on a visitor's answers and get a Result."""

from keyvex.engine._answers import AnswerError, BadAnswer, normalise
from keyvex.engine._compiled import CompiledTool, ToolError, compile_tool
from keyvex.engine._format import CURRENCY_SYMBOLS
from keyvex.engine._format import answer as format_answer
from keyvex.engine._format import calculation as format_calculation
from keyvex.engine._format import plain as format_plain
from keyvex.engine._render import label_of
from keyvex.engine._result import ChartPoint, OutcomeResult, RenderedBlock, Result, Scores
from keyvex.engine._run import run

__all__ = [
    "CURRENCY_SYMBOLS",
    "AnswerError",
    "BadAnswer",
    "ChartPoint",
    "CompiledTool",
    "OutcomeResult",
    "RenderedBlock",
    "Result",
    "Scores",
    "ToolError",
    "compile_tool",
    "format_answer",
    "format_calculation",
    "format_plain",
    "label_of",
    "normalise",
    "run",
]

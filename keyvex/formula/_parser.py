"""A hand-written Pratt parser from formula text to a JSON-ready AST with offsets.

Node shapes (every node also has "pos" and "end", character offsets into the source):
  {"type": "number", "value": 1.5}      {"type": "text", "value": "abc"}
  {"type": "boolean", "value": true}    {"type": "name", "name": "visitors"}
  {"type": "unary", "op": "-" | "+" | "not", "operand": node}
  {"type": "binary", "op": "+" | "-" | "*" | "/" | "^" | "&" | "==" | "!=" | "<" | "<="
                          | ">" | ">=" | "and" | "or", "left": node, "right": node}
  {"type": "call", "name": "ROUND", "args": [node, ...]}
"""

from __future__ import annotations

from typing import Any

from ._errors import MAX_DEPTH, FormulaError
from ._functions import FUNCTIONS
from ._lexer import Token, tokenize

Node = dict[str, Any]

# Left binding powers of infix operators; "^" is right-associative.
_INFIX = {
    "or": 10,
    "and": 20,
    "==": 40,
    "!=": 40,
    "<": 40,
    "<=": 40,
    ">": 40,
    ">=": 40,
    "&": 50,
    "+": 60,
    "-": 60,
    "*": 70,
    "/": 70,
    "^": 90,
}
_NOT_OPERAND = 30
_UNARY_OPERAND = 80
_KEYWORDS = frozenset({"and", "or", "not", "true", "false"})


def parse(source: str) -> Node:
    """The AST of `source`; raises FormulaError when the text is not a formula."""
    if not isinstance(source, str):
        raise FormulaError("PARSE", "A formula must be text.", None)
    return _Parser(source).parse()


def _describe(token: Token, source: str) -> str:
    if token.kind == "end":
        return "the end of the formula"
    if token.kind == "text":
        return "a text"
    return "a number" if token.kind == "number" else f"'{source[token.pos : token.end]}'"


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0
        self.level = 0
        # id(node) -> (depth of the subtree, start offset including any parentheses)
        self.depth: dict[int, int] = {}
        self.outer: dict[int, tuple[int, int]] = {}

    def parse(self) -> Node:
        if self.tokens[0].kind == "end":
            raise FormulaError("PARSE", "The formula is empty.", 0)
        first = self.tokens[0]
        if first.kind == "op" and self.source[first.pos : first.end] == "=":
            message = f"Leave out the leading '=' that spreadsheets use (position {first.pos})."
            raise FormulaError("PARSE", message, first.pos)
        node = self.expression(0)
        token = self.tokens[self.index]
        if token.kind != "end":
            raise self.unexpected(token, "an operator")
        return node

    def unexpected(self, token: Token, wanted: str) -> FormulaError:
        if token.kind == "end":
            message = f"The formula ends too early: expected {wanted} at position {token.pos}."
        else:
            found = _describe(token, self.source)
            message = f"Expected {wanted} at position {token.pos} but found {found}."
        return FormulaError("PARSE", message, token.pos)

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def peek_op(self) -> str | None:
        token = self.tokens[self.index]
        if token.kind == "op":
            return str(token.value)
        if token.kind == "name" and str(token.value).lower() in ("and", "or"):
            return str(token.value).lower()
        return None

    def make(self, node: Node, children: list[Node]) -> Node:
        depth = 1 + max((self.depth[id(child)] for child in children), default=0)
        if depth > MAX_DEPTH:
            raise FormulaError(
                "LIMIT",
                f"The formula is nested more than {MAX_DEPTH} levels deep "
                f"(at position {node['pos']}); split it into smaller calculations.",
                node["pos"],
            )
        self.depth[id(node)] = depth
        self.outer[id(node)] = (node["pos"], node["end"])
        return node

    def expression(self, binding: int) -> Node:
        self.level += 1
        if self.level > MAX_DEPTH:
            position = self.tokens[self.index].pos
            raise FormulaError(
                "LIMIT",
                f"The formula is nested more than {MAX_DEPTH} levels deep "
                f"(at position {position}); split it into smaller calculations.",
                position,
            )
        left = self.prefix()
        while (op := self.peek_op()) in _INFIX and _INFIX[op] > binding:
            self.advance()
            right = self.expression(_INFIX[op] - 1 if op == "^" else _INFIX[op])
            start, end = self.outer[id(left)][0], self.outer[id(right)][1]
            node = {"type": "binary", "op": op, "left": left, "right": right}
            left = self.make(node | {"pos": start, "end": end}, [left, right])
        self.level -= 1
        return left

    def prefix(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            return self.make({"type": "number", "value": token.value, **_span(token)}, [])
        if token.kind == "text":
            return self.make({"type": "text", "value": token.value, **_span(token)}, [])
        if token.kind == "name":
            return self.word(token)
        if token.value in ("-", "+"):
            operand = self.expression(_UNARY_OPERAND)
            return self.unary(str(token.value), operand, token.pos)
        if token.value == "(":
            node = self.expression(0)
            closing = self.advance()
            if closing.value != ")" or closing.kind != "op":
                raise self.unexpected(closing, "')'")
            self.outer[id(node)] = (token.pos, closing.end)
            return node
        raise self.unexpected(token, "a value")

    def unary(self, op: str, operand: Node, start: int) -> Node:
        node = {"type": "unary", "op": op, "operand": operand}
        return self.make(node | {"pos": start, "end": self.outer[id(operand)][1]}, [operand])

    def word(self, token: Token) -> Node:
        name = str(token.value)
        lowered = name.lower()
        calls = self.tokens[self.index].value == "(" and self.tokens[self.index].kind == "op"
        if lowered in ("true", "false"):
            return self.make({"type": "boolean", "value": lowered == "true", **_span(token)}, [])
        if lowered == "not" and not calls:
            return self.unary("not", self.expression(_NOT_OPERAND), token.pos)
        if not calls:
            if lowered in _KEYWORDS:
                raise self.unexpected(token, "a value")
            return self.make({"type": "name", "name": name, **_span(token)}, [])
        upper = name.upper()
        if upper not in FUNCTIONS:
            raise FormulaError(
                "NAME", f"Unknown function {name} at position {token.pos}.", token.pos
            )
        args, end = self.arguments()
        if upper == "NOT":
            if len(args) != 1:
                raise FormulaError(
                    "ARG",
                    f"NOT takes 1 value, but got {len(args)} at position {token.pos}.",
                    token.pos,
                )
            node = self.unary("not", args[0], token.pos)
            node["end"] = end
            self.outer[id(node)] = (token.pos, end)
            return node
        node = {"type": "call", "name": upper, "args": args, "pos": token.pos, "end": end}
        return self.make(node, args)

    def arguments(self) -> tuple[list[Node], int]:
        self.advance()
        args: list[Node] = []
        if self.tokens[self.index].value == ")" and self.tokens[self.index].kind == "op":
            return args, self.advance().end
        while True:
            args.append(self.expression(0))
            token = self.advance()
            if token.kind == "op" and token.value == ")":
                return args, token.end
            if token.kind != "op" or token.value != ",":
                raise self.unexpected(token, "',' or ')'")


def _span(token: Token) -> dict[str, int]:
    return {"pos": token.pos, "end": token.end}

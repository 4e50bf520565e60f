"""The small condition language of scenario files, evaluated without ``eval``.

Scenario authors write conditions such as ``mood >= 70``, ``vars.guessed and not
kb.refunds`` or ``patience <= 0 or moves.blame > 1``. The grammar::

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := value (("==" | "!=" | "<" | "<=" | ">" | ">=") value)?
    value      := NUMBER | STRING | "true" | "false" | NAME ("." NAME)* | "(" expr ")"

Names are looked up in a mapping given at evaluation (``mood``, ``patience``, ``turn``,
``vars.<name>``, ``moves.<move>`` ...); a dotted name walks nested mappings and a missing
one is ``None`` (false, and never equal to a number). Which roots exist is the caller's
business: ``Expression.names`` lists what an expression reads so the scenario validator
can reject unknown ones. A syntax error raises ``ExpressionError`` with the column.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Any, Mapping

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
""", re.VERBOSE)

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}
_KEYWORDS = {"and", "or", "not", "true", "false"}


class ExpressionError(ValueError):
    def __init__(self, message: str, column: int):
        super().__init__(f"{message} (column {column})")
        self.column = column


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


def _tokens(source: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match:
            raise ExpressionError(f"unexpected character {source[position]!r}", position + 1)
        if match.lastgroup != "space":
            text = match.group()
            kind = "keyword" if match.lastgroup == "name" and text in _KEYWORDS else match.lastgroup
            tokens.append(_Token(kind, text, position + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


# The parsed tree is nested tuples: ("or", a, b), ("and", a, b), ("not", a),
# ("cmp", op, a, b), ("name", ("vars", "x")), ("lit", value).

class _Parser:
    def __init__(self, source: str):
        self.tokens = _tokens(source)
        self.at = 0

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expect(self, kind: str, text: str | None = None) -> _Token:
        token = self.take()
        if token.kind != kind or (text is not None and token.text != text):
            wanted = repr(text) if text else kind
            found = repr(token.text) if token.text else "the end"
            raise ExpressionError(f"expected {wanted}, found {found}", token.column)
        return token

    def parse(self):
        tree = self.or_()
        self.expect("end")
        return tree

    def or_(self):
        tree = self.and_()
        while self.peek().kind == "keyword" and self.peek().text == "or":
            self.take()
            tree = ("or", tree, self.and_())
        return tree

    def and_(self):
        tree = self.not_()
        while self.peek().kind == "keyword" and self.peek().text == "and":
            self.take()
            tree = ("and", tree, self.not_())
        return tree

    def not_(self):
        if self.peek().kind == "keyword" and self.peek().text == "not":
            self.take()
            return ("not", self.not_())
        return self.comparison()

    def comparison(self):
        left = self.value()
        if self.peek().kind == "op" and self.peek().text in _COMPARE:
            op = self.take().text
            return ("cmp", op, left, self.value())
        return left

    def value(self):
        token = self.take()
        if token.kind == "number":
            return ("lit", float(token.text) if "." in token.text else int(token.text))
        if token.kind == "string":
            return ("lit", re.sub(r"\\(.)", r"\1", token.text[1:-1]))
        if token.kind == "keyword" and token.text in ("true", "false"):
            return ("lit", token.text == "true")
        if token.kind == "name":
            parts = [token.text]
            while self.peek().kind == "op" and self.peek().text == ".":
                self.take()
                parts.append(self.expect("name").text)
            return ("name", tuple(parts))
        if token.kind == "op" and token.text == "(":
            tree = self.or_()
            self.expect("op", ")")
            return tree
        found = repr(token.text) if token.text else "the end"
        raise ExpressionError(f"expected a value, found {found}", token.column)


def _lookup(scope: Mapping[str, Any], parts: tuple[str, ...]):
    value: Any = scope
    for part in parts:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _evaluate(tree, scope):
    kind = tree[0]
    if kind == "lit":
        return tree[1]
    if kind == "name":
        return _lookup(scope, tree[1])
    if kind == "not":
        return not _evaluate(tree[1], scope)
    if kind == "and":
        return bool(_evaluate(tree[1], scope)) and bool(_evaluate(tree[2], scope))
    if kind == "or":
        return bool(_evaluate(tree[1], scope)) or bool(_evaluate(tree[2], scope))
    op, left, right = tree[1], _evaluate(tree[2], scope), _evaluate(tree[3], scope)
    if op in ("==", "!="):
        return _COMPARE[op](left, right)
    numbers = (int, float)
    if isinstance(left, bool) or isinstance(right, bool) or not (
            isinstance(left, numbers) and isinstance(right, numbers)
            or isinstance(left, str) and isinstance(right, str)):
        return False  # ordering something missing or of another kind is never true
    return _COMPARE[op](left, right)


def _names(tree, found: set):
    if tree[0] == "name":
        found.add(tree[1])
    elif tree[0] in ("and", "or"):
        _names(tree[1], found)
        _names(tree[2], found)
    elif tree[0] == "not":
        _names(tree[1], found)
    elif tree[0] == "cmp":
        _names(tree[2], found)
        _names(tree[3], found)


@dataclass(frozen=True)
class Expression:
    source: str
    tree: tuple

    @property
    def names(self) -> frozenset[tuple[str, ...]]:
        found: set = set()
        _names(self.tree, found)
        return frozenset(found)

    def __call__(self, scope: Mapping[str, Any]) -> bool:
        return bool(_evaluate(self.tree, scope))


def compile_expression(source: str) -> Expression:
    """Parse ``source``; raises ExpressionError for text that is not a condition."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("a condition must be a non-empty text", 1)
    return Expression(source, _Parser(source).parse())

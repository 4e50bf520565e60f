"""Reading composed YAML nodes while keeping their line numbers, so every problem in a
course file is reported as ``PATH:LINE: message``. Pure: no database."""
from __future__ import annotations

import math

import yaml

from academy.content_errors import ContentProblem


def node_value(node: yaml.Node):
    """The plain Python value of a composed node (tags were resolved by the safe loader)."""
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_document(node)


def node_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class Reader:
    """Collects problems for one file while walking its nodes."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[ContentProblem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(ContentProblem(self.path, line, message))

    def mapping(self, node: yaml.Node, known: tuple[str, ...], what: str) -> dict[str, yaml.Node] | None:
        """The keys of a mapping node, reporting unknown and duplicate keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node_line(node), f"{what} must be 'key: value' lines")
            return None
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in known:
                self.problem(node_line(key_node), f"unknown key '{key}' in {what}; known keys: {', '.join(known)}")
            elif key in found:
                self.problem(node_line(key_node), f"duplicate key '{key}' in {what}")
            else:
                found[key] = value_node
        return found

    def text(self, node: yaml.Node | None, name: str, *, required: bool = False, line: int = 1) -> str | None:
        if node is None:
            if required:
                self.problem(line, f"'{name}' is required")
            return None
        value = node_value(node) if isinstance(node, yaml.ScalarNode) else node
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(node_line(node), f"'{name}' is required")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(node_line(node), f"'{name}' must be text")
            return None
        return str(value).strip()

    def flag(self, node: yaml.Node | None, name: str, default: bool) -> bool:
        if node is None:
            return default
        value = node_value(node)
        if isinstance(value, bool):
            return value
        self.problem(node_line(node), f"'{name}' must be true or false, not {value!r}")
        return default

    def number(self, node: yaml.Node | None, name: str, *, low: float, high: float | None = None,
               whole: bool = True) -> float | int | None:
        if node is None:
            return None
        value = node_value(node)
        kinds = (int,) if whole else (int, float)
        if (not isinstance(value, kinds) or isinstance(value, bool) or value < low
                or (high is not None and value > high) or (isinstance(value, float) and not math.isfinite(value))):
            bounds = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
            self.problem(node_line(node), f"'{name}' must be a {'whole number' if whole else 'number'} {bounds}, "
                                      f"not {value!r}")
            return None
        return value

    def items(self, node: yaml.Node | None, name: str) -> list[tuple[str, int]]:
        """A list of names, each with its line; a single name counts as a list of one."""
        if node is None:
            return []
        if isinstance(node, yaml.ScalarNode) and node.value and node_value(node) is not None:
            return [(str(node_value(node)).strip(), node_line(node))]
        if isinstance(node, yaml.ScalarNode):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node_line(node), f"'{name}' must be a list such as [a, b]")
            return []
        found = []
        for item in node.value:
            value = node_value(item) if isinstance(item, yaml.ScalarNode) else None
            if value is None or isinstance(value, bool) or not str(value).strip():
                self.problem(node_line(item), f"each entry of '{name}' must be a name")
                continue
            found.append((str(value).strip(), node_line(item)))
        return found


def shift(node: yaml.Node | None, lines: int) -> None:
    """Move a composed node's marks down by ``lines`` (YAML that starts below line 1)."""
    if node is None:
        return
    for mark in (node.start_mark, node.end_mark):
        mark.line += lines
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            shift(key, lines)
            shift(value, lines)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            shift(item, lines)

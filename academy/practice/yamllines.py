"""YAML that remembers where things were: mappings and lists loaded from a file carry the
line of each key or item, so a validator can report ``PATH:LINE`` for nested values."""
from __future__ import annotations

import yaml


class LineDict(dict):
    """A mapping with ``line`` (where it starts) and ``lines[key]`` (where each key is)."""
    line: int = 0
    lines: dict

    def line_of(self, key, default: int | None = None) -> int:
        return self.lines.get(key, self.line if default is None else default)


class LineList(list):
    """A list with ``line`` and ``lines[index]``."""
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    first_line = 1

    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + self.first_line
        mapping.lines = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                mapping.lines[key] = key_node.start_mark.line + self.first_line
            except TypeError:  # an unhashable key; the base constructor has refused it already
                pass
        return mapping

    def construct_sequence(self, node, deep=False):
        items = LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + self.first_line
        items.lines = [child.start_mark.line + self.first_line for child in node.value]
        return items


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load(text: str, first_line: int = 1):
    """Parse YAML ``text`` whose first line is line ``first_line`` of its file. Raises
    yaml.YAMLError; its ``problem_mark.line + first_line`` is the file line."""
    loader_class = type("LineLoader", (_Loader,), {"first_line": first_line})
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def error_line(error: yaml.YAMLError, first_line: int = 1) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + first_line if mark else first_line


def error_reason(error: yaml.YAMLError) -> str:
    return getattr(error, "problem", None) or str(error).splitlines()[0]

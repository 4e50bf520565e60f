"""A readable diff between two revisions' Markdown: changed lines, and within a changed
line the words that changed. Produces escaped HTML with <ins>/<del>. Pure."""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass
class DiffLine:
    kind: str          # "same", "added", "removed", "changed"
    html: str
    old_number: int | None
    new_number: int | None


def _words_diff(old: str, new: str) -> str:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def diff_lines(old_text: str, new_text: str, context: int | None = 3) -> list[DiffLine]:
    """The diff of two texts line by line; ``context`` unchanged lines are kept around
    each change (None keeps every line). A gap is a DiffLine of kind "gap"."""
    old, new = old_text.splitlines(), new_text.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    groups = [matcher.get_opcodes()] if context is None else list(matcher.get_grouped_opcodes(context))
    lines: list[DiffLine] = []
    for index, group in enumerate(groups):
        if index:
            lines.append(DiffLine("gap", "…", None, None))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += [DiffLine("same", html.escape(old[i]), i + 1, j1 + (i - i1) + 1) for i in range(i1, i2)]
            elif op == "replace" and i2 - i1 == j2 - j1:
                lines += [DiffLine("changed", _words_diff(old[i1 + k], new[j1 + k]), i1 + k + 1, j1 + k + 1)
                          for k in range(i2 - i1)]
            else:
                lines += [DiffLine("removed", html.escape(old[i]), i + 1, None) for i in range(i1, i2)]
                lines += [DiffLine("added", html.escape(new[j]), None, j + 1) for j in range(j1, j2)]
    return lines


def has_changes(lines: list[DiffLine]) -> bool:
    return any(line.kind != "same" for line in lines)

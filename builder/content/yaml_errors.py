"""YAML syntax errors explained in words a content author understands.

The parser says "mapping values are not allowed in this context" or "did not find expected key";
an author needs "line 12 is indented more than the lines above it at the same level". This
module looks at the lines around the error and says which line is indented more or less than
its siblings, where a bracket or quote was opened and not closed, and points at the line to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_LINE = re.compile(r"^(?P<indent> *)(?:- +)*(?P<key>[^\s#:][^:#]*?):(?:\s|$)")


@dataclass(frozen=True)
class Explained:
    """Where the author should look, and what to tell them."""

    line: int
    column: int
    message: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_lines(lines: list[str]) -> list[int]:
    """1-based numbers of the lines that hold something (not blank, not a comment)."""
    return [n + 1 for n, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]


def _previous(lines: list[str], before: int) -> int | None:
    candidates = [n for n in _content_lines(lines) if n < before]
    return candidates[-1] if candidates else None


def _key(line: str) -> str:
    """How a line is named in a message: its key ('red:') or its start."""
    match = KEY_LINE.match(line)
    return match.group("key").strip() + ":" if match else line.strip()[:30]


def _spaces(count: int) -> str:
    return f"{count} space{'' if count == 1 else 's'}"


def explain(problem: str, context: str | None, line: int, column: int, context_line: int | None,
            text: str) -> Explained | None:
    """A plain-words explanation of a YAML error at ``line`` (1-based), or None to keep the parser's."""
    lines = text.splitlines()
    if not 0 < line <= len(lines) + 1:
        return None
    problem = problem.lower()
    if "tab" in problem or (line <= len(lines) and "\t" in lines[line - 1][: max(column, 1)]):
        return None  # the loader already explains tabs
    if "mapping values are not allowed" in problem:
        return _indented_more(lines, line)
    if "did not find expected key" in problem or "expected '-' indicator" in problem or \
            "expected <block end>" in problem:
        return _indented_less(lines, line, context_line)
    if "while scanning a quoted scalar" in (context or "") and context_line:
        return Explained(context_line, 1, f"a quotation mark opened on line {context_line} is never closed; "
                                          "close it at the end of the value (or remove it)")
    if ("flow mapping" in (context or "") or "flow sequence" in (context or "")) and context_line:
        bracket = "{" if "mapping" in (context or "") else "["
        closing = "}" if bracket == "{" else "]"
        return Explained(context_line, 1, f"the '{bracket}' opened on line {context_line} is not closed with "
                                          f"'{closing}' before the next key; close it, or quote the value if the "
                                          f"'{bracket}' is part of the text")
    return None


def _indented_more(lines: list[str], line: int) -> Explained | None:
    """'key: value' where a plain value continues: the line is indented deeper than its siblings."""
    current = lines[line - 1] if line <= len(lines) else ""
    previous = _previous(lines, line)
    if previous is None or not KEY_LINE.match(current):
        return None
    above = lines[previous - 1]
    if _indent(current) > _indent(above) and not above.rstrip().endswith(":"):
        return Explained(line, _indent(current) + 1,
                         f"line {line} ('{_key(current)}') is indented more ({_spaces(_indent(current))}) than "
                         f"line {previous} above it ('{_key(above)}', {_spaces(_indent(above))}), which already has "
                         f"a value; indent it like line {previous} to make it a field beside it")
    if ":" in current.split(":", 1)[1] and not current.strip().startswith(("'", '"')):
        return Explained(line, _indent(current) + 1,
                         f"line {line} has a second ': ' in its value; put the value in quotes "
                         f"('{_key(current)} \"...\"') so the colon is part of the text")
    return None


def _indented_less(lines: list[str], line: int, context_line: int | None) -> Explained | None:
    """A line indented less than the lines of the block it follows, but more than the block's parent."""
    current = lines[line - 1] if line <= len(lines) else ""
    if not current.strip():
        return None
    siblings = [n for n in _content_lines(lines) if (context_line or 1) <= n < line]
    if not siblings:
        return None
    block_indent = _indent(lines[siblings[-1] - 1])
    for n in reversed(siblings):
        if _indent(lines[n - 1]) < _indent(current):
            block_indent = min((_indent(lines[m - 1]) for m in siblings if m > n), default=block_indent)
            parent = n
            break
    else:
        parent = None
    here = _indent(current)
    if here >= block_indent:
        return None
    sibling = next(n for n in reversed(siblings) if _indent(lines[n - 1]) == block_indent)
    where = (f"indent it {_spaces(block_indent)} to belong with line {sibling} ('{_key(lines[sibling - 1])}')"
             + (f", or {_spaces(_indent(lines[parent - 1]))} to stand beside line {parent} "
                f"('{_key(lines[parent - 1])}')" if parent else ""))
    return Explained(line, here + 1,
                     f"line {line} ('{_key(current)}') is indented less ({_spaces(here)}) than the lines above it "
                     f"at its level ({_spaces(block_indent)}, like line {sibling}); {where}")

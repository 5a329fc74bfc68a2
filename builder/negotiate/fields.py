"""Content fields as the documents show them: a field's value, its paragraphs ("parts"), and the
plain text each part renders to, so that an edited Word paragraph can be matched to its field."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from builder.compose.context import Context
from builder.tree import element_text, parse_document
from builder.tree.origins import Origin

LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+")


def field_value(context: Context, origin: Origin) -> Any:
    """The value a composed pairing holds at a field (overrides applied, references resolved)."""
    block = next((b for b in context.all_blocks() if b.kind == origin.kind and b.id == origin.id), None)
    value: Any = block
    for step in origin.path:
        if isinstance(value, BaseModel):
            name = str(step).replace("-", "_")
            value = getattr(value, name, None)
            if value is None:
                value = getattr(value, str(step), None)
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value


def split_parts(markdown: str) -> list[tuple[int, int]]:
    """The (start, end) of each part of a field's Markdown: each paragraph, and each item of a list,
    in the order the document tree numbers them."""
    lines = markdown.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    parts: list[tuple[int, int]] = []
    current: list[int] = []

    def close() -> None:
        if current:
            parts.append((starts[current[0]], starts[current[-1]] + len(lines[current[-1]])))
            current.clear()

    for number, line in enumerate(lines):
        if not line.strip():
            close()
        elif LIST_ITEM.match(line):
            close()
            current.append(number)
        else:
            current.append(number)
    close()
    return parts or [(0, len(markdown))]


def part_markdown(markdown: str, part: int) -> str:
    """The Markdown of one part of a field (the whole field when it has one part)."""
    spans = split_parts(markdown)
    if part >= len(spans):
        return ""
    start, end = spans[part]
    return LIST_ITEM.sub("", markdown[start:end], count=1).strip()


def replace_part(markdown: str, part: int, new: str) -> str:
    """The field's Markdown with one part replaced (a list item keeps its marker)."""
    spans = split_parts(markdown)
    if len(spans) <= 1 and part == 0:
        return new
    start, end = spans[part]
    marker = LIST_ITEM.match(markdown[start:end])
    return markdown[:start] + (marker.group(0) if marker else "") + new + markdown[end:]


def plain_text(markdown: str) -> str:
    """The text a piece of content Markdown shows (as the tree renders it)."""
    tree = parse_document(markdown.strip() + "\n")
    return " ".join(element_text(child) for child in tree.root).strip()

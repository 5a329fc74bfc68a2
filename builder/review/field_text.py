"""Field changes as one line of text, in a style per output (plain text, Markdown, HTML)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Callable

from builder.review.field_diff import ARROW, FieldChange

_BARE = re.compile(r"[\w.@/+:%-]+")


def flow(value: Any, limit: int = 80) -> str:
    """A value on one line, YAML-flow style: 95, monthly, "two words", [a, b], {amber: 97}."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = json.dumps(value)
    elif isinstance(value, str):
        folded = " ".join(value.split())
        if len(folded) > limit:
            folded = folded[:limit - 3] + "…"
        text = folded if _BARE.fullmatch(folded) else json.dumps(folded, ensure_ascii=False)
    elif isinstance(value, list):
        text = "[" + ", ".join(flow(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {flow(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = json.dumps(str(value), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def word_diff(old: str, new: str, deleted: tuple[str, str], inserted: tuple[str, str],
              escape=lambda s: s, context: int = 4) -> str:
    """Words of two texts with only the changes marked, long unchanged stretches elided."""
    a, b = old.split(), new.split()
    pieces: list[str] = []
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            keep_head = [] if first else words[:context]
            keep_tail = [] if last else words[-context:]
            if len(words) > len(keep_head) + len(keep_tail):
                pieces.extend(escape(w) for w in keep_head)
                pieces.append("…")
                pieces.extend(escape(w) for w in keep_tail)
            else:
                pieces.extend(escape(w) for w in words)
            continue
        if i2 > i1:
            pieces.append(deleted[0] + escape(" ".join(a[i1:i2])) + deleted[1])
        if j2 > j1:
            pieces.append(inserted[0] + escape(" ".join(b[j1:j2])) + inserted[1])
    return " ".join(pieces)


@dataclass(frozen=True)
class FieldStyle:
    """How one format writes a field change: templates per kind of change, and its markup."""

    added: str
    removed: str
    reordered: str
    reworded: str
    changed: str
    deleted: tuple[str, str]
    inserted: tuple[str, str]
    path: Callable[[str], str] = lambda text: text
    value: Callable[[str], str] = lambda text: text
    escape: Callable[[str], str] = lambda text: text
    limit: int = 80


TEXT_STYLE = FieldStyle(
    added="{path} added {new}", removed="{path} removed {old}",
    reordered="{path} reordered {old} " + ARROW + " {new}", reworded="{path} reworded: {diff}",
    changed="{path} {old} " + ARROW + " {new}", deleted=("[-", "-]"), inserted=("{+", "+}"),
)


def field_text(change: FieldChange, style: FieldStyle = TEXT_STYLE) -> str:
    """One field change in a format's style, e.g. ``thresholds.red 95 -> 94``."""
    old = style.value(flow(change.old, style.limit)) if change.old is not None else ""
    new = style.value(flow(change.new, style.limit)) if change.new is not None else ""
    path = style.path(change.dotted)
    if change.op in ("added", "removed", "reordered"):
        template = getattr(style, change.op)
    elif change.is_wording:
        diff = word_diff(change.old, change.new, style.deleted, style.inserted, escape=style.escape)
        return style.reworded.format(path=path, diff=diff)
    else:
        template = style.changed
    return template.format(path=path, old=old, new=new)


def field_line(change: FieldChange) -> str:
    """``thresholds.red 95 -> 94``, ``definition reworded: … [-24-]{+48+} hours``."""
    return field_text(change, TEXT_STYLE)

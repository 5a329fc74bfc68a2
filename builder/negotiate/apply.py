"""Write negotiated changes into the content: by default as overrides in the pairing's file (the
shared library stays as it is for the other providers), or, with ``--into library``, into the
blocks themselves. Files are edited as round-trip YAML: comments, order and layout are kept."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from builder.authoring.yaml_files import dump, round_trip_yaml
from builder.compose.context import Context
from builder.compose.textrefs import pairing_lookup, unresolve_text
from builder.content.model import group_of
from builder.negotiate.changes import FieldEdit
from builder.negotiate.fields import field_value, replace_part

Path_ = tuple[str | int, ...]


@dataclass
class Written:
    """One field written back: where and what."""

    kind: str
    id: str
    path: str
    file: str
    old: Any
    new: Any
    into: str  # "override" | "block"
    where: str


@dataclass
class Plan:
    """The files the import would change, with their new text."""

    texts: dict[Path, str] = field(default_factory=dict)
    originals: dict[Path, str] = field(default_factory=dict)
    written: list[Written] = field(default_factory=list)
    refused: list[tuple[FieldEdit, str]] = field(default_factory=list)

    def unified_diff(self) -> str:
        chunks = []
        for path, text in self.texts.items():
            chunks += difflib.unified_diff(self.originals[path].splitlines(keepends=True),
                                           text.splitlines(keepends=True), f"a/{path}", f"b/{path}")
        return "".join(chunks)


class YamlFiles:
    """Content files loaded for round-trip editing, each once."""

    def __init__(self) -> None:
        self.data: dict[Path, Any] = {}
        self.originals: dict[Path, str] = {}

    def block(self, path: Path, kind: str, block_id: str) -> CommentedMap:
        if path not in self.data:
            text = path.read_text(encoding="utf-8")
            self.originals[path] = text
            self.data[path] = round_trip_yaml().load(text.removeprefix("\ufeff"))
        data = self.data[path]
        blocks = data if isinstance(data, list) else [data]
        return next(b for b in blocks if b.get("id") == block_id and b.get("kind") == kind)

    def texts(self) -> dict[Path, str]:
        return {path: dump(data) for path, data in self.data.items()}


def _scalar(old: Any, new: Any) -> Any:
    """Keep a block scalar a block scalar; multi-line text becomes one."""
    if isinstance(new, str) and ("\n" in new or isinstance(old, LiteralScalarString)):
        return LiteralScalarString(new.rstrip("\n") + "\n")
    return new


def _set(node: Any, path: Path_, value: Any) -> Any:
    """Set ``value`` at ``path`` under ``node``, creating mappings on the way: a list index inside a
    mapping the file does not write out yet becomes an item override ({2: ...}). Returns the
    value replaced."""
    for index, step in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, CommentedSeq) and isinstance(step, int):  # a list the file writes out
            if last:
                old = node[step]
                node[step] = _scalar(old, value)
                return old
            node = node[step]
            continue
        key = step
        if isinstance(node, CommentedMap) and isinstance(step, int) and str(step) in node:
            key = str(step)
        if last:
            old = node.get(key) if isinstance(node, CommentedMap) else None
            node[key] = _scalar(old, value)
            return old
        if isinstance(node, CommentedMap) and key not in node:
            node[key] = CommentedMap()
        node = node[key]
    return None


def plan_changes(edits: list[FieldEdit], context: Context, sources: dict[tuple[str, str], str],
                 pairing_file: Path, into: str) -> Plan:
    """Where and how every field edit is written; edits that cannot be written are refused with why."""
    plan = Plan()
    files = YamlFiles()
    lookup = pairing_lookup(context)
    by_field: dict[tuple[str, str, Path_], list[FieldEdit]] = {}
    for edit in edits:
        by_field.setdefault((edit.origin.kind, edit.origin.id, edit.origin.path), []).append(edit)
    for (kind, block_id, path), group in by_field.items():
        first = group[0]
        current = field_value(context, first.origin)
        raw = first.origin.raw if first.origin.raw is not None else current
        if isinstance(first.new, (int, float)) and not isinstance(first.new, bool):
            new_value: Any = first.new
        else:
            new_value = str(raw)
            for edit in sorted(group, key=lambda e: e.part):
                new_value = replace_part(new_value, edit.part, unresolve_text(str(edit.new), str(raw), lookup))
        overridden = _is_overridden(context, kind, block_id, path)
        included = group_of(kind)
        if kind == "pairing":
            target, keys, how = files.block(pairing_file, "pairing", block_id), path, "block"
        elif (into == "pairing" or overridden) and included is not None:
            pairing = files.block(pairing_file, "pairing", context.pairing.id)
            if "overrides" not in pairing or pairing["overrides"] is None:
                pairing["overrides"] = CommentedMap()
            target, keys, how = pairing["overrides"], (included.group, block_id, *path), "override"
        elif into == "library":
            file = Path(sources.get((kind, block_id), ""))
            target, keys, how = files.block(file, kind, block_id), path, "block"
        else:
            plan.refused.append((first, f"{kind} blocks are shared and a pairing cannot override them; import with "
                                        f"--into library to change {kind} '{block_id}' itself"))
            continue
        old = _set(target, keys, new_value)
        file_shown = str(pairing_file if how == "override" or kind == "pairing" else sources.get((kind, block_id)))
        plan.written.append(Written(kind, block_id, first.origin.dotted, file_shown,
                                    raw if old is None else old, new_value, how, first.where))
    plan.texts = files.texts()
    plan.originals = files.originals
    return plan


def _is_overridden(context: Context, kind: str, block_id: str, path: Path_) -> bool:
    included = group_of(kind)
    if included is None:
        return False
    node: Any = context.pairing.overrides.get(included.group or "", {}).get(block_id)
    for step in path:
        if not isinstance(node, dict):
            return False
        node = node.get(step, node.get(str(step)))
        if node is None:
            return False
    return True

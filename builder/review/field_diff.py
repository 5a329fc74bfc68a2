"""Field-level differences between two versions of a block's source data.

Mappings are compared by key, lists by item id or position; wording changes are told apart from value changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

ARROW = "->"


class ItemId(str):
    """A list item found by its ``id`` (shown as ``[id]`` in a field path)."""


PathStep = str | int | ItemId


@dataclass(frozen=True)
class FieldChange:
    """One field of a block that differs: added, removed, changed or reordered."""

    path: tuple[PathStep, ...]
    op: str  # changed | added | removed | reordered
    old: Any = None
    new: Any = None

    @property
    def dotted(self) -> str:
        """``thresholds.red``, ``activities[sae-processing].task``, ``qualifications[0]``."""
        text = ""
        for step in self.path:
            if isinstance(step, ItemId) or isinstance(step, int):
                text += f"[{step}]"
            else:
                text += ("." if text else "") + str(step)
        return text or "(block)"

    @property
    def bump(self) -> str:
        """patch for wording (prose reworded, its numbers unchanged), minor for any other value."""
        return "patch" if self.is_wording and _numbers(self.old) == _numbers(self.new) else "minor"

    @property
    def is_wording(self) -> bool:
        """Prose replaced by prose (shown word by word)."""
        return (self.op == "changed" and isinstance(self.old, str) and isinstance(self.new, str)
                and _is_prose(self.old) and _is_prose(self.new))

    def to_json(self) -> dict:
        data: dict[str, Any] = {"path": self.dotted, "change": self.op}
        if self.op != "added":
            data["old"] = self.old
        if self.op != "removed":
            data["new"] = self.new
        return data


def _is_prose(text: str) -> bool:
    return bool(re.search(r"\s", text.strip()))


def _numbers(text: str) -> list[str]:
    """The numbers in a text: '20 business days' and '15 business days' differ in value."""
    return re.findall(r"\d+(?:[.,]\d+)*", text)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def diff_values(old: Any, new: Any, path: tuple[PathStep, ...] = ()) -> list[FieldChange]:
    """Field-level differences of two YAML values: mappings by key, lists by id or position."""
    if isinstance(old, dict) and isinstance(new, dict):
        return _diff_mappings(old, new, path)
    if isinstance(old, list) and isinstance(new, list):
        if old and new and _keyed(old) and _keyed(new):
            return _diff_keyed(old, new, path)
        return _diff_positional(old, new, path)
    return [] if _same(old, new) else [FieldChange(path, "changed", old, new)]


def _diff_mappings(old: dict, new: dict, path: tuple[PathStep, ...]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key, value in old.items():
        if key in new:
            changes.extend(diff_values(value, new[key], path + (key,)))
        else:
            changes.append(FieldChange(path + (key,), "removed", value, None))
    changes.extend(FieldChange(path + (key,), "added", None, value) for key, value in new.items() if key not in old)
    return changes


def _keyed(items: list) -> bool:
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    return all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids)


def _diff_keyed(old: list[dict], new: list[dict], path: tuple[PathStep, ...]) -> list[FieldChange]:
    old_by = {item["id"]: item for item in old}
    new_by = {item["id"]: item for item in new}
    changes: list[FieldChange] = []
    for item_id, item in old_by.items():
        step = path + (ItemId(item_id),)
        if item_id in new_by:
            changes.extend(diff_values(item, new_by[item_id], step))
        else:
            changes.append(FieldChange(step, "removed", item, None))
    changes.extend(FieldChange(path + (ItemId(i),), "added", None, item) for i, item in new_by.items() if i not in old_by)
    old_order = [i for i in old_by if i in new_by]
    new_order = [i for i in new_by if i in old_by]
    if old_order != new_order:
        changes.append(FieldChange(path, "reordered", old_order, new_order))
    return changes


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _diff_positional(old: list, new: list, path: tuple[PathStep, ...]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    matcher = SequenceMatcher(None, [_canonical(v) for v in old], [_canonical(v) for v in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            changes.extend(diff_values(old[i1 + k], new[j1 + k], path + (j1 + k,)))
        changes.extend(FieldChange(path + (i,), "removed", old[i], None) for i in range(i1 + paired, i2))
        changes.extend(FieldChange(path + (j,), "added", None, new[j]) for j in range(j1 + paired, j2))
    return changes

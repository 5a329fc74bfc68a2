"""Finish a pairing's blocks: resolve party references, keep only the conditional text that
applies, and give every text and number its origin (the content field it came from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from builder.compose.conditions import unmet
from builder.compose.sourced import Origin, sourced
from builder.compose.textrefs import Lookup, TextReference, resolve_text
from builder.content.model import BlockBase
from builder.content.model.common import ConditionalText, field_alias

Path_ = tuple[str | int, ...]


@dataclass
class Finisher:
    """Walks blocks with what the pairing has and how its references resolve."""

    have: set[str]
    lookup: Lookup
    missing: list[tuple[BlockBase, Path_, TextReference]] = field(default_factory=list)
    dropped: list[tuple[BlockBase, Path_, list[str]]] = field(default_factory=list)

    def block(self, block: BlockBase) -> BlockBase:
        """The block with references resolved, unmet conditional items dropped, values sourced."""
        self._current = block
        return self._value(block, ())

    def _value(self, value: Any, path: Path_) -> Any:
        if isinstance(value, ConditionalText):
            return self._value(value.text, path + ("text",))
        if isinstance(value, BaseModel):
            updates = {}
            for name in type(value).model_fields:
                current = getattr(value, name)
                finished = self._value(current, path + (field_alias(name),))
                if finished is not current:
                    updates[name] = finished
            return value.model_copy(update=updates) if updates else value
        if isinstance(value, list):
            kept = []
            for index, item in enumerate(value):
                if isinstance(item, ConditionalText):
                    missing = unmet(item.requires, self.have)
                    if missing:
                        self.dropped.append((self._current, path + (index,), missing))
                        continue
                kept.append(self._value(item, path + (index,)))
            return kept
        if isinstance(value, dict):
            return {key: self._value(item, path + (key,)) for key, item in value.items()}
        if isinstance(value, str):
            resolved, missing = resolve_text(value, self.lookup)
            for reference in missing:
                self.missing.append((self._current, path, reference))
            origin = Origin(self._current.kind, self._current.id, path, value if resolved != value else None)
            return sourced(resolved, origin)
        return sourced(value, Origin(self._current.kind, self._current.id, path))

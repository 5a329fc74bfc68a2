"""The library: every valid block of the content folder, by kind and id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, TypeVar

from builder.diagnostics import Diagnostics
from builder.content.loader import SourceBlock
from builder.content.model import KIND_MODELS, BlockBase
from builder.content.validation import model_for_kind, validate_model

B = TypeVar("B", bound=BlockBase)


@dataclass
class Entry:
    """A validated block and the source it came from."""

    block: BlockBase
    source: SourceBlock


@dataclass
class Library:
    """Blocks by kind, then id, in the stable order they were loaded."""

    entries: dict[str, dict[str, Entry]] = field(default_factory=lambda: {k: {} for k in KIND_MODELS})
    files: list[str] = field(default_factory=list)
    invalid: set[tuple[str, str]] = field(default_factory=set)

    def get(self, kind: str, block_id: str) -> Entry | None:
        return self.entries.get(kind, {}).get(block_id)

    def block(self, kind: str, block_id: str) -> BlockBase:
        """The block of ``kind`` with ``block_id``; it must exist."""
        return self.entries[kind][block_id].block

    def ids(self, kind: str) -> list[str]:
        return list(self.entries.get(kind, {}))

    def kinds_of(self, block_id: str) -> list[str]:
        """Kinds that have a block with this id."""
        return [kind for kind, blocks in self.entries.items() if block_id in blocks]

    def all(self) -> Iterator[Entry]:
        for blocks in self.entries.values():
            yield from blocks.values()

    def counts(self) -> dict[str, int]:
        return {kind: len(blocks) for kind, blocks in self.entries.items()}


def build_library(sources: list[SourceBlock], diagnostics: Diagnostics) -> Library:
    """Validate each source block against its model and index the valid ones by kind and id."""
    library = Library()
    library.files = sorted({source.file for source in sources})
    first_seen: dict[tuple[str, str], SourceBlock] = {}
    for source in sources:
        model_cls = model_for_kind(source.data, source, diagnostics)
        if model_cls is None:
            continue
        kind = source.data["kind"]
        block_id = source.data.get("id")
        if isinstance(block_id, str) and (kind, block_id) in first_seen:
            first = first_seen[(kind, block_id)]
            diagnostics.error(
                source.locate(("id",)), "duplicate-id",
                f"{kind} id '{block_id}' is already defined at {first.locate(('id',))}",
            )
            continue
        block = validate_model(model_cls, source.data, source, diagnostics)
        if isinstance(block_id, str):
            first_seen[(kind, block_id)] = source
        if block is not None:
            library.entries[kind][block.id] = Entry(block, source)
        elif isinstance(block_id, str):
            library.invalid.add((kind, block_id))
    return library

"""Where a piece of document text came from: a content field (block kind, id, YAML path)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Origin:
    """A content field: the block (kind, id) and the YAML path inside it; ``raw`` is its text as
    written (party references unresolved), for fields whose shown text differs from it."""

    kind: str
    id: str
    path: Path_
    raw: str | None = None

    @property
    def dotted(self) -> str:
        """``clauses[2].text``: the path as ``playbook diff`` shows it."""
        parts = []
        for step in self.path:
            parts.append(f"[{step}]" if isinstance(step, int) else (("." if parts else "") + str(step)))
        return "".join(parts)

    @property
    def key(self) -> str:
        """A short stable name of the field (the same whatever the content around it)."""
        text = f"{self.kind}\0{self.id}\0" + "\0".join(str(step) for step in self.path)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]

"""Which documents a batch of saved files reaches.

A content file reaches a pairing's documents when the pairing is composed from it (it is
among the context's sources, or is the pairing's own file). A template file reaches every
document, except one inside ``<templates>/<document-id>/``, which reaches that document only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from builder.content.loader import YAML_SUFFIXES


@dataclass(frozen=True)
class ChangeSet:
    """A batch of saved files, sorted into what they are."""

    content: frozenset[str] = frozenset()  # absolute paths of content files (or folders) that changed
    templates: frozenset[str] = frozenset()  # absolute paths of template files that changed
    document_types: frozenset[str] | None = frozenset()  # the document ids templates reach; None: all

    def __bool__(self) -> bool:
        return bool(self.content or self.templates)

    def reaches(self, document_id: str, sources: Iterable[str]) -> bool:
        """Whether a document, composed from the content files ``sources`` (absolute), is reached."""
        if self.templates and (self.document_types is None or document_id in self.document_types):
            return True
        return any(_within(source, changed) for source in sources for changed in self.content)

    def shown(self, root: Path) -> list[str]:
        """The changed files relative to ``root`` where possible, for a one-line report
        (content files first; other names in the content folder only when there are none)."""
        files = {path for path in self.content if path.endswith(YAML_SUFFIXES)} or self.content
        names = []
        for path in sorted(files | self.templates):
            relative = os.path.relpath(path, root)
            names.append(path if relative.startswith("..") else relative)
        return names


def _within(path: str, changed: str) -> bool:
    return path == changed or path.startswith(changed.rstrip(os.sep) + os.sep)


def sort_changes(paths: Iterable[Path | str], content_dir: Path, template_dirs: Iterable[Path],
                 document_ids: Iterable[str]) -> ChangeSet:
    """Sort changed paths into content and template changes; others (editor files) are dropped."""
    content_root = os.path.abspath(content_dir)
    template_roots = [os.path.abspath(folder) for folder in template_dirs]
    documents = set(document_ids)
    content: set[str] = set()
    templates: set[str] = set()
    types: set[str] | None = set()
    for path in map(os.path.abspath, paths):
        if _within(path, content_root) and _is_content(path, content_root):
            content.add(path)
            continue
        root = next((root for root in template_roots if _within(path, root) and path != root), None)
        if root is None or _hidden(os.path.relpath(path, root)):
            continue
        templates.add(path)
        top = Path(os.path.relpath(path, root)).parts[0]
        if types is not None and top in documents and top != os.path.relpath(path, root):
            types.add(top)
        else:
            types = None  # a shared template (page, stylesheet, theme, partials, fonts): every document
    return ChangeSet(frozenset(content), frozenset(templates), None if types is None else frozenset(types))


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in Path(relative).parts)


def _is_content(path: str, root: str) -> bool:
    """A YAML file (or a folder, when one is removed or renamed) that is not hidden."""
    relative = os.path.relpath(path, root)
    if relative == "." or _hidden(relative):
        return False
    return path.endswith(YAML_SUFFIXES) or not os.path.splitext(path)[1]

"""Write content files the way a person would: round-trip YAML that keeps comments and layout, and
all or nothing (every file is staged, then renamed into place; an existing file is never replaced
unless asked for)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

MODELINE = "yaml-language-server: $schema=../../schema/playbook.schema.json"


def round_trip_yaml() -> YAML:
    """The YAML reader/writer for editing content: keeps comments, quotes, order and layout."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a line the author wrote
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    return yaml


def dump(data: Any) -> str:
    """YAML text of round-trip data (a CommentedMap with its comments)."""
    buffer = io.StringIO()
    round_trip_yaml().dump(data, buffer)
    return buffer.getvalue()


class FileConflict(Exception):
    """A file that would be written exists already."""


def write_all(files: dict[Path, str], replace: bool = False) -> list[Path]:
    """Write every file or none: stage each beside its target, then rename them all into place.

    Without ``replace``, an existing target is refused before anything is written."""
    if not replace:
        existing = [path for path in files if path.exists()]
        if existing:
            raise FileConflict(", ".join(str(path) for path in existing))
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []
    try:
        for path, text in files.items():
            for parent in reversed(path.parents):
                if not parent.exists():
                    parent.mkdir()
                    created.append(parent)
            temporary = path.with_name(f".{path.name}.new")
            temporary.write_text(text, encoding="utf-8")
            staged.append((temporary, path))
        for temporary, path in staged:
            os.replace(temporary, path)
        staged = []
        created = []
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for folder in reversed(created):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return list(files)

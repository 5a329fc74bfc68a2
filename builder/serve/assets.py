"""The template files a preview page may load (stylesheets, fonts, images), and nothing else.

A request names a file relative to the template folders; it is refused (None) when it
climbs out (``..``, absolute, a symlink that leads outside, a hidden file) or is not a kind
of file a page loads. Content is never among them: it is data, not an asset.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Iterable

ASSET_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def resolve_asset(folders: Iterable[Path], name: str) -> Path | None:
    """The file ``name`` (a URL path, already percent-decoded) names in the first template
    folder that has it, or None when the name is not a servable asset inside a folder."""
    if not name or "\\" in name or any(not c.isprintable() for c in name):
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):  # also refuses "/abs"
        return None
    relative = PurePosixPath(*parts)
    if relative.suffix.lower() not in ASSET_TYPES:
        return None
    for folder in folders:
        root = folder.resolve()
        candidate = (root / relative).resolve()  # follows symlinks: where the file really is
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def media_type(path: Path) -> str:
    return ASSET_TYPES[path.suffix.lower()]

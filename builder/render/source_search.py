"""Find where a piece of generated text came from: the content file or template that wrote it."""

from __future__ import annotations

from pathlib import Path

from builder.compose.context import Context
from builder.diagnostics import Location, display_path, find_in_file
from builder.render.templates import TemplateRenderer, template_dirs


def locate_text(needle: str, context: Context, renderer: TemplateRenderer, fallback: str) -> Location:
    """The first place ``needle`` is written: the pairing's content files, then the templates."""
    files = [(Path(name), name) for name in sorted(set(context.sources.values()))]
    for folder in template_dirs(renderer.user_dir):
        files.extend((path, display_path(path)) for path in sorted(folder.rglob("*.j2")))
    for path, shown in files:
        found = find_in_file(path, needle)
        if found:
            return Location(shown, *found)
    return Location(fallback)

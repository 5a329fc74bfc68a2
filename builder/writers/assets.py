"""The template files a writer may read: a user's override folder first, then the shipped one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from builder.diagnostics import DiagnosticError, Diagnostic, Location, display_path


@dataclass(frozen=True)
class Assets:
    """Where a writer finds its template files, and how it renders a page template.

    ``render`` is given by the caller (the sandboxed template renderer), so writers need
    nothing of the render layer."""

    folders: tuple[Path, ...]
    render: Callable[..., str]
    options: Mapping[str, str] = field(default_factory=dict)  # writer options of the run (pdf-variant)

    def find(self, name: str) -> Path:
        """The file ``name`` resolves to (a user's override wins); a located error if missing."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        shown = ", ".join(display_path(folder) for folder in self.folders)
        raise DiagnosticError([Diagnostic(Location(name), "error", "template",
                                          f"template file '{name}' not found in {shown}")])

    def shown(self, name: str) -> str:
        """The file ``name`` resolves to, as messages show it."""
        return display_path(self.find(name))

    def render_page(self, name: str, **variables: Any) -> str:
        return self.render(name, **variables)

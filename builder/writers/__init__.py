"""Output formats: one writer module each, registered here with what it needs.

To add a format: write a module with ``write(document, assets) -> bytes`` and add one row to
``FORMATS`` (or call ``register`` from a plugin). The command line's ``--format`` choices,
the build's image kinds, the manifest's template inputs and the redlines read this table.
Writer modules are imported only when a document is written in their format.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from builder.writers.assets import Assets

if TYPE_CHECKING:  # only named in annotations: `playbook validate` need not load the tree
    from builder.tree import Document


class WriteFunction(Protocol):
    def __call__(self, document: Document, assets: Assets) -> bytes: ...


@dataclass(frozen=True)
class Format:
    """An output format: its name, file extension, writer module and what it depends on."""

    name: str
    extension: str
    module: str  # the writer module; its ``write(document, assets) -> bytes`` makes the file
    assets: tuple[str, ...] = ()  # template files or folders the output depends on
    image_kinds: tuple[str, ...] = ()  # figure kinds the writer embeds ("svg", "png")
    description: str = ""
    redline_module: str | None = None  # the module whose write(redline, assets) makes its redline
    options: tuple[str, ...] = ()  # build options only this format's outputs depend on

    @property
    def redline(self) -> bool:
        """Whether ``playbook diff --redline`` writes this format."""
        return self.redline_module is not None

    def writer(self) -> WriteFunction:
        """The writer's ``write`` function (its module is imported now)."""
        return importlib.import_module(self.module).write  # type: ignore[no-any-return]


FORMATS: dict[str, Format] = {}


def register(output_format: Format) -> Format:
    """Add (or replace) a format; formats are listed in the order they were registered."""
    FORMATS[output_format.name] = output_format
    return output_format


def unregister(name: str) -> None:
    """Remove a format (for tests that register one of their own)."""
    FORMATS.pop(name, None)


def format_names() -> tuple[str, ...]:
    return tuple(FORMATS)


def options_for(name: str, options: dict) -> dict:
    """The build options an output of format ``name`` depends on: all but those another format
    claims for itself (so a new LibreOffice rebuilds the Word files, not the PDFs)."""
    claimed = {option for other in FORMATS.values() if other.name != name for option in other.options}
    return {key: value for key, value in options.items() if key not in claimed}


def image_kinds(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The figure kinds that the given formats need, in a stable order."""
    return tuple(dict.fromkeys(kind for name in names for kind in FORMATS[name].image_kinds))


PAGE_ASSETS = ("html/page.html", "print.css", "theme.yaml")

register(Format("pdf", "pdf", "builder.writers.pdf", (*PAGE_ASSETS, "fonts"), ("svg",),
                "the print document, laid out by WeasyPrint", "builder.review.redline_pdf"))
register(Format("docx", "docx", "builder.writers.docx", ("reference.docx", "theme.yaml", "fonts"), ("svg", "png"),
                "the Word document legal teams keep editing", "builder.review.redline_docx",
                ("docx-page-numbers",)))
register(Format("html", "html", "builder.writers.html", PAGE_ASSETS, ("svg",),
                "the page the PDF is laid out from"))
register(Format("md", "md", "builder.writers.markdown", (), (),
                "the review snapshot: the rendered Markdown, one sentence per line"))

__all__ = ["Assets", "FORMATS", "Format", "format_names", "image_kinds", "options_for", "register", "unregister"]

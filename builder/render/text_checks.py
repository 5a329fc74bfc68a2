"""Text the PDF cannot print well, found before layout and reported where it is written.

- A character that the theme's body or heading font has no glyph for: WeasyPrint would print it
  in whatever font the machine happens to have, or as an empty box, and say nothing.
- A token too long for a table column with no break opportunity inside (an identifier, a hash):
  the PDF wraps it anywhere, but the author should know.
- A RACI matrix whose role headers cannot all fit the page width without breaking a word (the
  PDF never hyphenates them): too many roles, or role titles too long for a column.

All are warnings (the build still succeeds), located at the content file, line and column.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Callable

from builder.compose.context import Context
from builder.diagnostics import Diagnostic, Location
from builder.fonts import font_file
from builder.render.source_search import locate_text
from builder.render.templates import TemplateRenderer
from builder.tree import Document, element_text
from builder.tree.theme import FontFace
from builder.tree.tokens import WARN_AT, long_tokens, table_cells

HEADINGS = ("h1", "h2", "h3", "h4")
MOST_PER_FONT = 20  # distinct missing characters reported one by one per font; the rest summed up
Locate = Callable[[str], Location]  # where a piece of text is written
FONT_FIX = "add a font that has it: put its OFL .ttf files in fonts/ beside theme.yaml and name it there"


def text_warnings(document: Document, context: Context, renderer: TemplateRenderer) -> list[Diagnostic]:
    """Missing glyphs and overlong table tokens of one assembled document."""
    fallback = f"{document.meta.document_id} of pairing {context.pairing.id}"
    locate = functools.partial(locate_text, context=context, renderer=renderer, fallback=fallback)
    return missing_glyphs(document, locate) + overlong_tokens(document, locate) + crowded_raci(document, locate)


def missing_glyphs(document: Document, locate: Locate) -> list[Diagnostic]:
    """One warning per character (and font family) that the theme's fonts cannot show."""
    theme = document.theme
    if not theme.fonts:
        return []
    body, headings = _document_text(document)
    warnings: list[Diagnostic] = []
    checks = [(theme.body_font, body | headings, "body text")]  # the contents page shows headings in it
    if theme.heading_font != theme.body_font:
        checks.append((theme.heading_font, headings, "heading"))
    for family, chars, use in checks:
        faces = tuple(face for face in theme.fonts if face.family == family)
        missing = sorted({c for c in chars if not _ignorable(c)} - _covered(faces))
        for char in missing[:MOST_PER_FONT]:
            warnings.append(Diagnostic(
                locate(char), "warning", "missing-glyph",
                f"character '{char}' ({_code_point(char)}, {unicodedata.name(char, 'unnamed')}) is not in the "
                f"{use} font '{family}' (the PDF would show another font or an empty box); {FONT_FIX}"))
        if len(missing) > MOST_PER_FONT:
            rest = missing[MOST_PER_FONT:]
            warnings.append(Diagnostic(
                locate(rest[0]), "warning", "missing-glyph",
                f"{len(rest)} more characters are not in the {use} font '{family}' "
                f"({', '.join(_code_point(c) for c in rest[:8])}{', ...' if len(rest) > 8 else ''}); {FONT_FIX}"))
    return warnings


def overlong_tokens(document: Document, locate: Locate) -> list[Diagnostic]:
    """One warning per token of a table cell too long to fit a column without a break."""
    found = dict.fromkeys(token for cell in table_cells(document.tree.root) for text in cell.itertext()
                          for token in long_tokens(text, WARN_AT))
    return [Diagnostic(locate(token), "warning", "long-token",
                       f"'{token[:24]}...' runs {len(token)} characters without a space or break in a table "
                       "cell: the PDF breaks it anywhere to fit its column; add spaces, or shorten it")
            for token in found]


RACI_HEADER_PT, CELL_PADDING_MM, ACTIVITY_MM = 7.5, 1.4, 40.0  # as print.css sets them
TEXT_WIDTH_MM = {"A4": 210 - 44, "letter": 215.9 - 44}


def crowded_raci(document: Document, locate: Locate) -> list[Diagnostic]:
    """A warning for each RACI matrix whose role headers, each as wide as its longest word, leave
    less than an activity column's room on the page: their words would overflow their columns."""
    face = next((f for f in document.theme.fonts if f.family == document.theme.body_font and f.bold
                 and not f.italic), None)
    if face is None:
        return []
    room = TEXT_WIDTH_MM.get(document.meta.page_size, TEXT_WIDTH_MM["A4"]) - ACTIVITY_MM
    warnings = []
    for table in document.tree.root.iter("table"):
        if "raci" not in (table.get("class") or "").split():
            continue
        headers = ["".join(th.itertext()).strip() for th in table.iter("th")][1:]  # not the activity column
        widths = {header: max((_width_mm(word, face.data) for word in header.split()), default=0) + CELL_PADDING_MM
                  for header in headers}
        if widths and sum(widths.values()) > room:
            widest = max(widths, key=widths.__getitem__)
            caption = "".join(next(table.iter("caption")).itertext()) if table.find("caption") is not None else ""
            warnings.append(Diagnostic(
                locate(widest), "warning", "crowded-raci",
                f"{caption or 'a RACI matrix'}: its {len(headers)} role columns need {sum(widths.values()):.0f} mm "
                f"of the {room + ACTIVITY_MM:.0f} mm page width, so header words would run into each other; give "
                f"long role titles such as '{widest}' a shorter short-title, or split the area"))
    return warnings


def _width_mm(word: str, font_data: bytes) -> float:
    """The width of a word in the RACI header font (its size and bold face), in millimetres (a
    character the font lacks counted as half an em)."""
    font = font_file(font_data)
    units = sum(font.advance(font.cmap[ord(char)]) if ord(char) in font.cmap else font.units // 2 for char in word)
    return units / font.units * RACI_HEADER_PT * 25.4 / 72


def _document_text(document: Document) -> tuple[set[str], set[str]]:
    """The characters of the body text and of the headings (text-transform may uppercase any of them)."""
    meta = document.meta
    headings = set(meta.title + "Contents")
    for element in document.tree.root.iter():
        if element.tag in HEADINGS:
            headings.update(element_text(element))
    shown = [meta.pairing_title, meta.sponsor, meta.provider, meta.kicker, meta.confidentiality, meta.version,
             meta.status_label, *(text for row in meta.cover_rows for text in row)]
    body = set("".join([*document.tree.root.itertext(), *shown]))
    return {c for char in body for c in char + char.upper()}, {c for char in headings for c in char + char.upper()}


def _covered(faces: tuple[FontFace, ...]) -> set[str]:
    """The characters every face of a family has a glyph for."""
    maps = [font_file(face.data).characters for face in faces]
    return set(maps[0]).intersection(*maps[1:]) if maps else set()


def _ignorable(char: str) -> bool:
    """Characters that are never drawn: spaces, controls, format characters, variation selectors."""
    return (char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
            or "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef")


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"

"""Fields, bookmarks, internal links and the table of contents."""

from __future__ import annotations

import copy
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from builder.writers.ooxml.schema import AFTER_UPDATE_FIELDS, get_or_insert, insert_after_ppr

_BOOKMARK_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_RUN_FORMAT_KEYS = frozenset({"style", "bold", "italic", "size", "no_proof", "web_hidden"})


def make_bookmark_name(key: str, prefix: str = "_Ref") -> str:
    """Return a valid, deterministic bookmark name (max 40 chars) for `key`.

    A leading "_" (as in "_Ref") hides it in Word's Bookmark dialog, as Word's own.
    """
    name = prefix + re.sub(r"[^A-Za-z0-9_]", "_", key)
    if len(name) > 40:
        name = f"{name[:31]}_{zlib.crc32(key.encode()):08x}"
    if not _BOOKMARK_NAME.fullmatch(name):
        raise ValueError(f"cannot make a bookmark name with prefix {prefix!r}")
    return name


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int | None = None) -> None:
    """Bookmark the whole of `paragraph`; call it after the paragraph's runs are added.

    w:id = `bookmark_id` when the caller numbers its bookmarks itself (fast), else the highest
    id in the part + 1 (deterministic). ValueError if invalid/duplicate.
    """
    if not _BOOKMARK_NAME.fullmatch(name):
        raise ValueError(f"invalid bookmark name {name!r} (letters, digits, _; max 40)")
    if bookmark_id is None:
        root = paragraph.part.element
        if root.xpath(f'//w:bookmarkStart[@w:name="{name}"]'):
            raise ValueError(f"duplicate bookmark name {name!r}")
        ids = [int(v) for v in root.xpath("//w:bookmarkStart/@w:id")]
        bookmark_id = max(ids, default=-1) + 1
    bookmark_id = str(bookmark_id)
    start = OxmlElement("w:bookmarkStart", {qn("w:id"): bookmark_id, qn("w:name"): name})
    insert_after_ppr(paragraph, start)
    paragraph._p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): bookmark_id}))


def add_field(paragraph: Paragraph, instruction: str, cached_text: str = "",
              **run_format: Any) -> None:
    """Append a complex field (fldChar begin, instrText, separate, result, end).

    E.g. "PAGE", "NUMPAGES", "SEQ Table \\* ARABIC", "PAGEREF _Ref1 \\h". `cached_text`
    shows until fields update; run_format: style, bold, italic, size, no_proof, web_hidden.
    """
    _field(paragraph, instruction, cached_text, None, run_format)


def add_cross_reference(paragraph: Paragraph, bookmark: str, cached_text: str, *,
                        paragraph_number: bool = True, **run_format: Any) -> None:
    """Append a hyperlinked REF field to `bookmark`.

    "REF x \\r \\h" shows the clause number ("4.2"); with paragraph_number=False,
    "REF x \\h" shows the bookmarked text.
    """
    switches = "\\r \\h" if paragraph_number else "\\h"
    add_field(paragraph, f"REF {bookmark} {switches}", cached_text, **run_format)


def add_internal_hyperlink(paragraph: Paragraph, anchor: str, text: str,
                           style: str | None = "Hyperlink") -> Run:
    """Append a link to bookmark `anchor` in character style `style` (None: unstyled)."""
    return _run(paragraph, _hyperlink(paragraph, anchor), {"style": style}, text)


def _hyperlink(paragraph: Paragraph, anchor: str) -> BaseOxmlElement:
    link = OxmlElement("w:hyperlink", {qn("w:anchor"): anchor, qn("w:history"): "1"})
    paragraph._p.append(link)
    return link


def _run(paragraph: Paragraph, container: Any, run_format: dict, text: str = "") -> Run:
    """Add a formatted run to `paragraph`, moved into `container` (a hyperlink) if given."""
    unknown = set(run_format) - _RUN_FORMAT_KEYS
    if unknown:
        raise TypeError(f"unknown run format keys: {sorted(unknown)}")
    run = paragraph.add_run(text or None, run_format.get("style"))
    for key, value in run_format.items():
        if key != "style" and value is not None:
            setattr(run.font, key, value)
    if container is not None:
        container.append(run._r)
    return run


def _field_char(paragraph: Paragraph, kind: str, container: Any, run_format: dict) -> None:
    fld_char = OxmlElement("w:fldChar", {qn("w:fldCharType"): kind})
    _run(paragraph, container, run_format)._r.append(fld_char)


def _field(paragraph: Paragraph, instruction: str, cached: str, container: Any,
           run_format: dict, *, close: bool = True) -> None:
    """Append begin, instrText, separate, the cached result and (if `close`) end."""
    _field_char(paragraph, "begin", container, run_format)
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = f" {instruction} "
    _run(paragraph, container, run_format)._r.append(instr)
    _field_char(paragraph, "separate", container, run_format)
    if cached:
        _run(paragraph, container, run_format, cached)
    if close:
        _field_char(paragraph, "end", container, run_format)


def add_toc(document: Document, entries: Sequence[tuple[int, str, str] | tuple[int, str, str, str]],
            levels: str = "1-3", title: str | None = "Contents", *,
            before: Paragraph | None = None) -> list[Paragraph]:
    """Add a TOC field whose cached result is already filled in; return its paragraphs.

    `entries` are (level 1-9, text, bookmark[, page]): each becomes a "TOC <level>"
    paragraph linked to the bookmark, with a tab and a nested PAGEREF; a tab in
    `text` ("1.2\\tPurpose") follows a clause number. As Word writes it, the field
    begins in the first entry and ends in a paragraph of its own; the "TOC Heading"
    title is outside it. Appends at the end of the body, or before `before`.
    """
    paragraphs = [_styled_paragraph(document, "TOCHeading", title)] if title else []
    instruction = f'TOC \\o "{levels}" \\h \\z \\u'
    plain, hidden = {"no_proof": True}, {"no_proof": True, "web_hidden": True}
    for index, (level, text, anchor, *page) in enumerate(entries):
        if not 1 <= level <= 9:
            raise ValueError(f"TOC level must be 1-9, not {level}")
        entry = _styled_paragraph(document, f"TOC{level}")
        if "\t" in text:  # Word adds a left tab after the number in the same way
            indent = entry.style.paragraph_format.left_indent or 0
            entry.paragraph_format.tab_stops.add_tab_stop(indent + Cm(0.5 + 0.25 * level))
        if index == 0:
            _field(entry, instruction, "", None, plain, close=False)
        link = _hyperlink(entry, anchor)
        _run(entry, link, plain, text)
        _run(entry, link, hidden, "\t")
        _field(entry, f"PAGEREF {anchor} \\h", page[0] if page else "", link, hidden)
        paragraphs.append(entry)
    closing = _styled_paragraph(document, None)
    if not entries:
        _field(closing, instruction, "", None, plain, close=False)
    _field_char(closing, "end", None, plain)
    paragraphs.append(closing)
    if before is not None:
        for paragraph in paragraphs:
            before._p.addprevious(paragraph._p)
    return paragraphs


def _styled_paragraph(document: Document, style_id: str | None, text: str = "") -> Paragraph:
    """Append a paragraph by style *id* (built-ins like TOC1 have lower-case names)."""
    paragraph = document.add_paragraph(text)
    if style_id is not None:
        paragraph._p.style = style_id
    return paragraph


def enable_update_fields_on_open(document: Document) -> None:
    """Set w:updateFields so Word refreshes TOC, REF and PAGEREF results on open."""
    settings = document.settings.element
    get_or_insert(settings, "w:updateFields", AFTER_UPDATE_FIELDS).set(qn("w:val"), "true")


_PAGEREF = re.compile(r"\s*PAGEREF\s+(\S+)")


def complex_fields(root: BaseOxmlElement) -> Iterator[tuple[str, BaseOxmlElement | None, BaseOxmlElement]]:
    """(instruction, separate run, end run) of every complex field under `root`, inner fields first."""
    open_fields: list[list] = []  # [instruction, separate run]
    for run in root.iter(qn("w:r")):
        for child in run:
            if child.tag == qn("w:instrText") and open_fields:
                open_fields[-1][0] += child.text or ""
            elif child.tag == qn("w:fldChar"):
                kind = child.get(qn("w:fldCharType"))
                if kind == "begin":
                    open_fields.append(["", None])
                elif kind == "separate" and open_fields:
                    open_fields[-1][1] = run
                elif kind == "end" and open_fields:
                    instruction, separate = open_fields.pop()
                    yield instruction, separate, run


def page_references(root: BaseOxmlElement) -> list[str]:
    """The bookmarks that PAGEREF fields under `root` show the page of, in document order."""
    return list(dict.fromkeys(match.group(1) for instruction, _, _ in complex_fields(root)
                              if (match := _PAGEREF.match(instruction))))


def set_page_references(root: BaseOxmlElement, pages: Mapping[str, str]) -> list[str]:
    """Make `pages[bookmark]` the cached result of every PAGEREF field under `root`, in the format
    of the field's own runs; a bookmark missing from `pages` gets an empty result. Returns the
    bookmarks that were missing."""
    missing = []
    for instruction, separate, end in list(complex_fields(root)):
        match = _PAGEREF.match(instruction)
        if match is None or separate is None or separate.getparent() is not end.getparent():
            continue
        if match.group(1) not in pages:
            missing.append(match.group(1))
        while separate.getnext() is not end:
            separate.getparent().remove(separate.getnext())
        result = copy.deepcopy(separate)
        for child in list(result):
            if child.tag != qn("w:rPr"):
                result.remove(child)
        text = OxmlElement("w:t")
        text.text = pages.get(match.group(1), "")
        result.append(text)
        if text.text:
            end.addprevious(result)
    return list(dict.fromkeys(missing))

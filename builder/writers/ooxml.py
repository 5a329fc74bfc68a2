"""Named helpers for the WordprocessingML that python-docx's API does not reach:
numbering, fields, bookmarks, internal links, the TOC, settings, table rows,
headers/footers and byte-stable saving. Elements go in schema order (Word shows a
repair prompt otherwise), so the DOCX writer can read as document logic."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

_CLAUSES, _ORDERED, _BULLETS = "PlaybookClauses", "PlaybookOrderedList", "PlaybookBulletList"
_LEVELS = range(9)
_BOOKMARK_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")
_RUN_FORMAT_KEYS = frozenset({"style", "bold", "italic", "size", "no_proof", "web_hidden"})

# Children that must come after the element being inserted (CT_Settings, CT_TrPr, CT_TcPr).
_AFTER_UPDATE_FIELDS = tuple(
    "w:hdrShapeDefaults w:footnotePr w:endnotePr w:compat w:docVars w:rsids m:mathPr "
    "w:attachedSchema w:themeFontLang w:clrSchemeMapping w:doNotIncludeSubdocsInStats "
    "w:doNotAutoCompressPictures w:forceUpgrade w:captions w:readModeInkLockDown w:smartTagType "
    "sl:schemaLibrary w:shapeDefaults w:doNotEmbedSmartTags w:decimalSymbol w:listSeparator".split()
)
_AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", *_AFTER_TBL_HEADER)
_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
              "w:hideMark", "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")

# Word's own text-watermark markup: shape type 136 (WordArt) centred on the margins.
_WATERMARK_FORMULAS = (
    "sum #0 0 10800;prod #0 2 1;sum 21600 0 @1;sum 0 0 @2;sum 21600 0 @3;if @0 @3 0;"
    "if @0 21600 @1;if @0 0 @2;if @0 @4 21600;mid @5 @6;mid @8 @5;mid @7 @8;mid @6 @7;sum @6 0 @5"
)
_WATERMARK_RUN = (
    '<w:r {ns} xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>{formulas}</v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom"'
    ' o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" type="#_x0000_t136" o:allowincell="f"'
    ' fillcolor="silver" stroked="f" style="position:absolute;margin-left:0;margin-top:0;'
    "width:{width}pt;height:{height}pt;rotation:315;z-index:-251657216;"
    "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string={text}/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)


def add_clause_numbering(document: Document) -> int:
    """Return the numId of the clause list, creating it on first use (idempotent).

    Level 0 "%1" is for Heading 1, level 1 "%1.%2" for "Clause 2", level 2 "%1.%2.%3"
    for "Clause 3"; numbering.xml holds the numbers, so Word renumbers inserted clauses.
    """
    numbering = document.part.numbering_part.element
    abstract_id = _abstract_num_id(numbering, _CLAUSES)
    if abstract_id is None:
        # Every level's number starts at the margin; the text starts after room for the number,
        # as in the PDF (1 / 1.1 / 1.1.1 need 0.5", 0.5", 0.75").
        levels = [("decimal", ".".join(f"%{k + 1}" for k in range(i + 1)), width, width)
                  for i, width in zip(_LEVELS, [720, 720] + [1080] * 7)]
        abstract_id = _add_abstract_num(numbering, _CLAUSES, levels)
    existing = numbering.xpath(f'./w:num[w:abstractNumId/@w:val="{abstract_id}"]/@w:numId')
    return int(existing[0]) if existing else numbering.add_num(abstract_id).numId


def add_list_numbering(document: Document, ordered: bool) -> int:
    """Return a NEW numId for one bulleted or ordered list that starts at 1.

    Lists of a kind share an abstractNum (decimal / lower-letter / lower-roman, or
    bullets); each w:num gets startOverride 1 on every level, so each list restarts.
    """
    numbering = document.part.numbering_part.element
    name = _ORDERED if ordered else _BULLETS
    abstract_id = _abstract_num_id(numbering, name)
    if abstract_id is None:
        kinds = ("decimal", "lowerLetter", "lowerRoman") if ordered else ("bullet",) * 3
        texts = [f"%{i + 1}." if ordered else "\u2022\u2013\u25aa"[i % 3] for i in _LEVELS]
        levels = [(kinds[i % 3], texts[i], 425 * (i + 1), 425) for i in _LEVELS]
        abstract_id = _add_abstract_num(numbering, name, levels)
    num = numbering.add_num(abstract_id)
    for level in _LEVELS:
        num.add_lvlOverride(ilvl=level).add_startOverride(1)
    return num.numId


def set_paragraph_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Put `paragraph` in list `num_id` at `level` (0-8) through w:numPr."""
    if level not in _LEVELS:
        raise ValueError(f"list level must be 0-8, not {level}")
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _abstract_num_id(numbering: BaseOxmlElement, name: str) -> int | None:
    found = numbering.xpath(f'./w:abstractNum[w:name/@w:val="{name}"]/@w:abstractNumId')
    return int(found[0]) if found else None


def _add_abstract_num(numbering: BaseOxmlElement, name: str,
                      levels: Sequence[tuple[str, str, int, int]]) -> int:
    """Insert an abstractNum (before the first w:num, as the schema requires)."""
    ids = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    abstract_id = max(ids, default=-1) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val={quoteattr(text)}/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        for i, (fmt, text, left, hanging) in enumerate(levels)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{zlib.crc32(name.encode()):08X}"/>'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>{lvls}</w:abstractNum>'
    )
    numbering.insert_element_before(abstract, "w:num", "w:numIdMacAtCleanup")
    return abstract_id


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
    _insert_after_ppr(paragraph, start)
    paragraph._p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): bookmark_id}))


def _insert_after_ppr(paragraph: Paragraph, element: BaseOxmlElement) -> None:
    """Make `element` the first content of `paragraph`, after its w:pPr if any."""
    p_pr = paragraph._p.pPr
    if p_pr is None:
        paragraph._p.insert(0, element)
    else:
        p_pr.addnext(element)


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
    _get_or_insert(settings, "w:updateFields", _AFTER_UPDATE_FIELDS).set(qn("w:val"), "true")


def repeat_table_header(row: _Row) -> None:
    """Repeat `row` at the top of every page the table runs onto (w:tblHeader)."""
    _get_or_insert(row._tr.get_or_add_trPr(), "w:tblHeader", _AFTER_TBL_HEADER)


def set_table_look(table: Any, *, first_row: bool, first_column: bool = False) -> None:
    """Switch the table style's header-row and first-column formatting on or off (w:tblLook)."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "1" if first_row else "0")
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:val"), f"{(0x20 if first_row else 0) | (0x80 if first_column else 0) | 0x400:04X}")


def prevent_row_split(row: _Row) -> None:
    """Keep `row` on one page (w:cantSplit)."""
    _get_or_insert(row._tr.get_or_add_trPr(), "w:cantSplit", _AFTER_CANT_SPLIT)


def set_cell_shading(cell: _Cell, fill_hex: str) -> None:
    """Shade `cell` with the solid colour `fill_hex` (e.g. "DEEAF6")."""
    fill = fill_hex.lstrip("#")
    if not _HEX_COLOUR.fullmatch(fill):
        raise ValueError(f"fill must be six hex digits, not {fill_hex!r}")
    shd = _get_or_insert(cell._tc.get_or_add_tcPr(), "w:shd", _AFTER_SHD)
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill.upper())):
        shd.set(qn(attr), value)


def _get_or_insert(parent: BaseOxmlElement, tag: str, successors: Sequence[str]) -> Any:
    """Return child `tag` of `parent`, inserting it before `successors` if absent."""
    child = parent.find(qn(tag))
    if child is None:
        child = parent.insert_element_before(OxmlElement(tag), *successors)
    return child


def add_page_number_footer(section: Section, text_before: str = "Page ",
                           text_between: str = " of ", *,
                           alignment: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER) -> Paragraph:
    """Write "Page {PAGE} of {NUMPAGES}", with real fields, as the section's footer."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    _clear_text_runs(paragraph)
    paragraph.alignment = alignment
    paragraph.add_run(text_before)
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(text_between)
    add_field(paragraph, "NUMPAGES", "1")
    return paragraph


def set_header_text(section: Section, left: str, right: str) -> Paragraph:
    """Write `left` and `right` on one header line, split by a right tab at the margin.

    The Header style's other tab stops (e.g. its centre tab) are cleared.
    """
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    _clear_text_runs(paragraph)
    width = section.page_width - section.left_margin - section.right_margin
    tab_stops = paragraph.paragraph_format.tab_stops
    for stop in paragraph.style.paragraph_format.tab_stops if paragraph.style else []:
        if stop.position != width:
            tab_stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(f"{left}\t{right}")
    return paragraph


def add_draft_watermark(section: Section, text: str = "DRAFT", *, first_page: bool = False) -> None:
    """Put a diagonal, semi-transparent text watermark in the section's header (or the
    first-page header, when the first page has its own).

    The VML Word's Watermark command writes (LibreOffice renders it). Idempotent.
    """
    header = section.first_page_header if first_page else section.header
    header.is_linked_to_previous = False
    if header.part.element.xpath('//*[starts-with(@id, "PowerPlusWaterMarkObject")]'):
        return
    chars = max(len(text), 1)
    width = min(74.4 * chars, 460.0)  # 120 pt capitals at ~0.62 em each, capped at the margins
    run = parse_xml(_WATERMARK_RUN.format(
        ns=nsdecls("w"), width=f"{width:.1f}", height=f"{width / (0.62 * chars):.1f}",
        text=quoteattr(text),
        formulas="".join(f'<v:f eqn="{eqn}"/>' for eqn in _WATERMARK_FORMULAS.split(";")),
    ))
    _insert_after_ppr(header.paragraphs[0], run)


def _clear_text_runs(paragraph: Paragraph) -> None:
    """Remove runs, simple fields and links from `paragraph`, keeping pictures (watermark)."""
    for child in list(paragraph._p):
        text_like = child.tag in (qn("w:r"), qn("w:hyperlink"), qn("w:fldSimple"))
        if text_like and not child.xpath(".//w:pict | .//w:drawing"):
            paragraph._p.remove(child)


def set_core_properties(document: Document, *, title: str, subject: str, author: str,
                        keywords: str, created: dt.date) -> None:
    """Fill docProps/core.xml deterministically: created = modified = `created` 00:00 UTC."""
    stamp = dt.datetime(created.year, created.month, created.day, tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.title, props.subject, props.keywords = title, subject, keywords
    props.author = props.last_modified_by = author
    props.created = props.modified = stamp
    props.revision = 1


def save_deterministic(document: Document, path_or_stream: str | os.PathLike[str] | IO[bytes],
                       timestamp: tuple[int, ...] = (2000, 1, 1, 0, 0, 0)) -> None:
    """Save `document` so that the same content always gives the same bytes.

    python-docx writes parts in a stable order and its ids (rsids, w14:docId, rIds,
    our bookmark and numbering ids) come from the template or counters; only the
    zip entries carry the clock, so they are rewritten with a fixed date and mode.
    """
    raw, out = io.BytesIO(), io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=timestamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    if isinstance(path_or_stream, (str, os.PathLike)):
        Path(path_or_stream).write_bytes(out.getvalue())
    else:
        path_or_stream.write(out.getvalue())

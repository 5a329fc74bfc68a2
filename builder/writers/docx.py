"""DOCX writer: the document tree as a Word file styled by templates/reference.docx.

Headings and Quality Agreement clauses are numbered by a multilevel list in numbering.xml
(never typed digits), cross-references are REF fields to bookmarks, the contents is a TOC
field whose cached result is already filled in.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
import xml.etree.ElementTree as etree
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Inches, Mm
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from builder.diagnostics import Diagnostic, DiagnosticError, Location, display_path
from builder.tree import Document, element_text
from builder.writers import docx_layout, ooxml
from builder.writers.assets import Assets
from builder.writers.docx_sources import NAMESPACE as SOURCES_NAMESPACE
from builder.writers.docx_sources import SOURCES_ITEM_ID, SourceMarks
from builder.writers.docx_tables import RACI_HEADER_SIZE, TURNED_TEXT_INSET, column_widths, turned_header_height
from builder.writers.docx_theme import LOGO_HEIGHT_INCHES, apply_theme, logo_images
from builder.writers.svg_raster import is_stand_in

HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3}
PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "letter": (Inches(8.5), Inches(11))}
TEXT_WIDTH_INCHES = 6.2
PAGE_PLACEHOLDER = "00"  # a page number as wide as most, laid out before the real ones are known


@dataclass(frozen=True)
class ListFrame:
    """Where a list's levels are: its first level and the indent of its bullets (twips)."""

    first_level: int = 0
    indent: int = 0
    step: int = 425


class DocxWriter:
    """Translates one document tree into python-docx calls; decides nothing about content."""

    def __init__(self, document: Document, assets: Assets):
        self.source = document
        self.figures = document.figures
        self.blank_figure_noted = False
        self.docx = open_reference(assets)
        apply_theme(self.docx, document.theme)
        body = self.docx.element.body
        for child in list(body):
            if child.tag != docx.oxml.ns.qn("w:sectPr"):
                body.remove(child)
        self.bookmarks = {anchor: ooxml.make_bookmark_name(anchor) for anchor in document.tree.targets}
        self.started_body = False
        self.style_ids: dict[str, str] = {}
        self.bookmark_count = 0
        self.clause_before: int | None = None  # the level of the clause just written (its lists belong to it)
        # LibreOffice lays the file out to fill in the contents' page numbers (the build's option says so)
        self.lays_out = assets.options.get(docx_layout.PAGE_NUMBERS_OPTION, docx_layout.NO_PAGE_NUMBERS) \
            != docx_layout.NO_PAGE_NUMBERS
        self.page_count = 0  # known once laid out
        self.block_width: int | None = None  # between the margins, once the page is set
        self.sources = SourceMarks(document.tree.origins)  # which content field each paragraph came from
        self.heading_numbers = ooxml.add_clause_numbering(self.docx)
        self.link_numbered_styles()

    def link_numbered_styles(self) -> None:
        """Headings and clauses are numbered by their styles; a clause document links levels 2
        and 3 to the clause styles (Tab in a clause makes a sub-clause), others to the headings."""
        clauses = self.source.meta.numbering == "clause"
        linked = ("Clause 2", "Clause 3") if clauses else ("Heading 2", "Heading 3")
        shared = ("Heading 2", "Heading 3") if clauses else ("Clause 2", "Clause 3")
        ooxml.link_styles(self.docx, self.heading_numbers, {0: self.style_id("Heading 1"), 1: self.style_id(linked[0]),
                                                            2: self.style_id(linked[1])},
                          {1: [self.style_id(shared[0])], 2: [self.style_id(shared[1])]})

    # -- document frame ---------------------------------------------------------------------
    def write(self, target: Path | io.BytesIO) -> None:
        meta = self.source.meta
        section = self.docx.sections[0]
        width, height = PAGE_SIZES[meta.page_size]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        section.different_first_page_header_footer = True
        self.cover()
        self.contents()
        for element in self.source.tree.root:
            self.block(element)
        ooxml.set_header_text(section, meta.title, meta.pairing_title, left_colour=self.source.theme.primary)
        ooxml.add_page_number_footer(
            section, text_before=f"{meta.confidentiality} · Version {meta.version} · {meta.status_label} · Page ")
        if meta.watermark:
            font = self.source.theme.heading_font
            ooxml.add_draft_watermark(section, meta.watermark, font=font)
            ooxml.add_draft_watermark(section, meta.watermark, first_page=True, font=font)  # the cover too
        ooxml.set_core_properties(self.docx, title=f"{meta.title}: {meta.pairing_title}", subject=meta.subject,
                                  author=meta.author, keywords=meta.keywords, created=meta.effective_date)
        self.before_save()
        self.number_pages()
        ooxml.set_app_properties(self.docx, "playbook-builder", pages=self.page_count or None)
        self.describe_sources()
        ooxml.save_deterministic(self.docx, target)

    def before_save(self) -> None:
        """A hook for writers built on this one (the redline adds its tracked changes here)."""

    def cover(self) -> None:
        meta = self.source.meta
        self.logo()
        self.paragraph("Cover Meta", meta.kicker)
        self.paragraph("Cover Title", meta.title)
        self.paragraph("Subtitle", meta.pairing_title)
        self.paragraph("Cover Meta", f"Sponsor: {meta.sponsor}    Provider: {meta.provider}")
        table = self.docx.add_table(rows=0, cols=2, style="Playbook Table")
        ooxml.set_table_look(table, first_row=False, first_column=True)
        for label, value in meta.cover_rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
            cells[0].paragraphs[0].runs[0].bold = True
        if self.source.theme.address:
            self.paragraph("Cover Meta", self.source.theme.address)
        self.paragraph("Cover Meta", meta.confidentiality)
        self.page_break()

    def logo(self) -> None:
        """The sponsor's logo above the title: a PNG, or an SVG with a PNG of it for older readers."""
        logo = self.source.theme.logo
        if logo is None:
            return
        png, svg, drawn = logo_images(logo)
        if not drawn:
            self.source.warnings.append(Diagnostic(
                Location(logo.file_name), "note", "docx-logo",
                "no PNG of this SVG logo for the Word files (install rsvg-convert, Debian package librsvg2-bin, "
                "or give a PNG logo): Word 2016 and later show it, Word 2013 and LibreOffice 7 show a blank space"))
        description = getattr(logo, "description", "") or f"{self.source.meta.sponsor} logo"
        paragraph = self.paragraph("Cover Meta")
        ooxml.add_picture(paragraph.add_run(), png, svg=svg, height=Inches(LOGO_HEIGHT_INCHES), description=description)

    def contents(self) -> None:
        """The TOC field; its page numbers are placeholders as wide as real ones when LibreOffice will
        lay the file out (so filling them in moves nothing), else left for Word to fill in."""
        depth = self.source.meta.toc_depth
        if depth < 1:
            return
        placeholder = (PAGE_PLACEHOLDER,) if self.lays_out else ()
        entries = [
            (entry.level, f"{entry.number}\t{entry.text}" if entry.number else entry.text,
             self.bookmarks[entry.anchor], *placeholder)
            for entry in self.source.tree.toc if entry.level <= depth
        ]
        ooxml.add_toc(self.docx, entries, levels=f"1-{depth}")
        self.page_break()

    def number_pages(self) -> None:
        """Write the page of every PAGEREF field (the contents') from LibreOffice's layout of this
        very file, and leave Word no reason to ask to update fields; without LibreOffice, or when
        it fails (a warning), Word fills them in when it opens the file (w:updateFields)."""
        body = self.docx.element.body
        bookmarks = ooxml.page_references(body)
        pages: dict[str, str] = {}
        if self.lays_out and bookmarks:
            try:
                layout = docx_layout.lay_out(self.saved(), bookmarks, self.source.theme.fonts)
                pages = {name: str(page) for name, page in layout.pages.items()}
                self.page_count = layout.page_count
            except docx_layout.LayoutError as exc:
                self.warn("docx-page-numbers", f"{exc}; the contents shows no page numbers until Word updates "
                                               "its fields")
        missing = ooxml.set_page_references(body, pages)
        if missing and pages:
            self.warn("docx-page-numbers", f"LibreOffice did not place {len(missing)} of the contents' entries "
                                           f"({', '.join(missing[:3])}); Word fills in their page numbers")
        if bookmarks and (missing or not pages):
            ooxml.enable_update_fields_on_open(self.docx)

    def describe_sources(self) -> None:
        """Which pairing, document, version and build the file is (custom properties), and which
        content field each source bookmark stands for (a custom XML part); see docx_sources."""
        meta = self.source.meta
        options = self.source.provenance.get("options")
        templates = options.get("templates") if isinstance(options, dict) else None
        ooxml.set_custom_properties(self.docx, {
            "playbook.pairing": meta.pairing_id, "playbook.document": meta.document_id,
            "playbook.version": meta.version, "playbook.build": self.build_key(),
            **({"playbook.templates": str(templates)} if templates else {})})
        ooxml.add_custom_xml(self.docx, self.sources.map_xml(meta.pairing_id, meta.document_id, meta.version),
                             SOURCES_ITEM_ID, SOURCES_NAMESPACE)

    def build_key(self) -> str:
        """The manifest key of this output, or (written outside a build) a hash of the document."""
        outputs = self.source.provenance.get("outputs")
        entry = outputs.get("docx") if isinstance(outputs, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("key"), str):
            return entry["key"]
        return hashlib.sha256(self.source.markdown.encode("utf-8")).hexdigest()

    def saved(self) -> bytes:
        """The document as it stands, as DOCX bytes."""
        buffer = io.BytesIO()
        ooxml.save_deterministic(self.docx, buffer)
        return buffer.getvalue()

    def warn(self, code: str, message: str) -> None:
        """A warning at this output, reported by the build."""
        self.source.warnings.append(Diagnostic(Location(self.output_name()), "warning", code, message))

    def output_name(self) -> str:
        """The output's path in the output folder (pairing/document.docx), for messages."""
        outputs = self.source.provenance.get("outputs")
        entry = outputs.get("docx") if isinstance(outputs, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            return entry["path"]
        return f"{self.source.meta.pairing_id}/{self.source.meta.document_id}.docx"

    def page_break(self) -> None:
        self.docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # -- blocks -----------------------------------------------------------------------------
    def block(self, element: etree.Element, list_level: int = 0) -> None:
        tag = element.tag
        classes = (element.get("class") or "").split()
        clause, self.clause_before = self.clause_before, None
        if tag in ("ul", "ol", "table"):
            self.keep_last_paragraph_with_next()  # a label such as "Mitigation:" is not left alone
        if tag in HEADING_LEVELS:
            self.heading(element, HEADING_LEVELS[tag])
        elif tag == "p" and "clause" in classes:
            self.keep_lead_in_with_next(self.clause(element, int(element.get("data-level", "2"))), element)
        elif tag == "p":
            paragraph = self.paragraph("Normal")
            self.inline(paragraph, element)
            self.mark_sources(paragraph, element)
            self.keep_lead_in_with_next(paragraph, element)
        elif tag in ("ul", "ol"):
            self.list(element, tag == "ol", 0, self.list_frame(clause))
        elif tag == "table":
            self.table(element)
        elif tag == "figure":
            self.figure(element)
        elif tag in ("blockquote", "div"):
            for child in element:
                self.block(child)
            if element.text and element.text.strip():
                self.paragraph("Quote", element.text.strip())
        elif tag == "pre":
            self.paragraph("Normal", element_text(element))

    def paragraph(self, style: str, text: str = "") -> Paragraph:
        """A new body paragraph in a named style (style ids are looked up once, not per paragraph)."""
        paragraph = self.docx.add_paragraph(text)
        paragraph._p.style = self.style_id(style)
        return paragraph

    def caption_paragraph(self, style: str) -> Paragraph:
        """A caption paragraph; "Image Caption" (based on Caption, centred) may be missing from an
        older reference.docx, which then gets Caption, centred."""
        if style != "Caption" and style not in {s.name for s in self.docx.styles}:
            paragraph = self.paragraph("Caption")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            return paragraph
        return self.paragraph(style)

    def style_id(self, style: str) -> str:
        """The id of a style named in the reference document (KeyError if it has none)."""
        if style not in self.style_ids:
            self.style_ids[style] = self.docx.styles[style].style_id
        return self.style_ids[style]

    def keep_last_paragraph_with_next(self) -> None:
        body = self.docx.element.body
        last = body[-2] if len(body) > 1 else None  # the last child is the section properties
        if last is not None and last.tag == docx.oxml.ns.qn("w:p"):
            Paragraph(last, self.docx._body).paragraph_format.keep_with_next = True

    def heading(self, element: etree.Element, level: int) -> None:
        paragraph = self.paragraph(f"Heading {level}")
        if level == 1 and self.source.meta.chapter_breaks and self.started_body:
            paragraph.paragraph_format.page_break_before = True
        self.started_body = True
        self.inline(paragraph, element)
        if not element.get("data-number"):  # the style numbers headings; this one opts out
            ooxml.set_paragraph_numbering_off(paragraph)
        self.bookmark(paragraph, element.get("id"))
        self.mark_sources(paragraph, element)

    def clause(self, element: etree.Element, level: int) -> Paragraph:
        paragraph = self.paragraph(f"Clause {level}")  # numbered by its style
        self.inline(paragraph, element)
        self.bookmark(paragraph, element.get("id"))
        self.mark_sources(paragraph, element)
        self.clause_before = level
        return paragraph

    @staticmethod
    def keep_lead_in_with_next(paragraph: Paragraph, element: etree.Element) -> None:
        """A paragraph that ends with a colon introduces what follows (sub-clauses, a list): it
        stays on the page of the first of them."""
        if element_text(element).rstrip().endswith(":"):
            paragraph.paragraph_format.keep_with_next = True

    def bookmark(self, paragraph: Paragraph, anchor: str | None) -> None:
        if anchor and anchor in self.bookmarks:
            ooxml.add_bookmark(paragraph, self.bookmarks[anchor], self.bookmark_count)
            self.bookmark_count += 1

    def mark_sources(self, paragraph: Paragraph, *elements: etree.Element | None) -> None:
        """Hidden bookmarks around a written paragraph, naming the content fields of its text."""
        for name in self.sources.names(paragraph, *elements):
            ooxml.add_bookmark(paragraph, name, self.bookmark_count)
            self.bookmark_count += 1

    def list_frame(self, clause: int | None) -> ListFrame:
        """Where a list's levels sit: a list that follows a clause is one level below it, its
        bullet at the clause's text indent (as in the PDF); any other list at the margin."""
        if clause is None:
            return ListFrame()
        indent = self.docx.styles[f"Clause {clause}"].paragraph_format.left_indent or 0
        return ListFrame(first_level=clause, indent=round(indent / 635), step=360)  # EMU -> twips

    def list(self, element: etree.Element, ordered: bool, level: int, frame: ListFrame) -> None:
        num_id = ooxml.add_list_numbering(self.docx, ordered, first_level=frame.first_level, indent=frame.indent,
                                          step=frame.step)
        level = max(level, frame.first_level)
        style = "List Number" if ordered else "List Bullet"
        for item in element.findall("li"):
            paragraph = self.paragraph(style)
            ooxml.set_paragraph_numbering(paragraph, num_id, level)
            nested = [child for child in item if child.tag in ("ul", "ol")]
            paragraphs = [child for child in item if child.tag == "p"]
            if paragraphs:
                self.inline(paragraph, paragraphs[0])
                self.mark_sources(paragraph, item, paragraphs[0])
                for extra in paragraphs[1:]:
                    continued = self.paragraph("List Continue")
                    self.inline(continued, extra)
                    self.mark_sources(continued, extra)
            else:
                self.inline(paragraph, item, stop_at={"ul", "ol"})
                self.mark_sources(paragraph, item)
            for child in nested:
                self.list(child, child.tag == "ol", min(level + 1, 8), frame)

    def caption(self, label: str, element: etree.Element | None, anchor: str | None,
                style: str = "Caption") -> Paragraph:
        """A numbered caption (SEQ field): tables' above them, figures' below them, centred."""
        paragraph = self.caption_paragraph(style)
        target = self.source.tree.targets.get(anchor or "")
        number = target.number if target else ""
        paragraph.add_run(f"{label} ")
        ooxml.add_field(paragraph, f"SEQ {label} \\* ARABIC", number)
        title = target.title if target else (element_text(element) if element is not None else "")
        paragraph.add_run(f": {title}")
        self.bookmark(paragraph, anchor)
        self.mark_sources(paragraph, element)
        return paragraph

    def table(self, element: etree.Element) -> None:
        classes = (element.get("class") or "").split()
        caption = self.caption("Table", element.find("caption"), element.get("id")) \
            if element.find("caption") is not None else None
        if caption is not None:
            caption.paragraph_format.keep_with_next = True
        head = [row for section in element.findall("thead") for row in section.findall("tr")]
        body = [row for section in element.findall("tbody") for row in section.findall("tr")]
        rows = head + body
        columns = max((len(list(row)) for row in rows), default=0)
        if not columns:
            return
        if self.block_width is None:  # python-docx finds the last section by searching the whole body
            self.block_width = self.docx._block_width
        table = self.docx._body.add_table(len(rows), columns, self.block_width)
        table._tbl.tblStyle_val = self.style_id("Playbook Table")
        ooxml.set_table_look(table, first_row=bool(head))
        docx_rows = list(table.rows)
        grid = [row.cells for row in docx_rows]  # python-docx works a row's cells out on every access: once
        for row_index, (docx_row, row, cells) in enumerate(zip(docx_rows, rows, grid)):
            ooxml.prevent_row_split(docx_row)
            header = row_index < len(head)
            if header:
                ooxml.repeat_table_header(docx_row)
            for column, cell_element in enumerate(list(row)[:columns]):
                cell = cells[column]
                paragraph = cell.paragraphs[0]
                self.inline(paragraph, cell_element, bold=header or cell_element.tag == "th")
                self.mark_sources(paragraph, cell_element)
                if header and "raci" in classes and column:
                    for run in paragraph.runs:
                        run.font.size = RACI_HEADER_SIZE
                align = cell_element.get("align") or cell_element.get("style", "").replace("text-align: ", "").strip(";")
                if align == "center":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if cell_element.get("data-raci"):
                    self.shade_raci(cell, cell_element.get("data-raci"))
        self.keep_rows_in_pairs(grid, len(head))
        widths = column_widths([[ooxml.cell_text(cell) for cell in cells] for cells in grid], columns, classes,
                               Inches(TEXT_WIDTH_INCHES))
        self.fit_columns(table, grid, widths)
        if "raci" in classes and head:
            self.turn_raci_headers(docx_rows[:len(head)], grid[:len(head)], widths)
        if "signatures" in classes:
            self.keep_signatures_together(docx_rows, grid)
        self.paragraph("Normal")

    @staticmethod
    def keep_rows_in_pairs(grid: list[list[_Cell]], header_rows: int) -> None:
        """No page holds a table's caption and header with one row, or its last row alone: the
        header rows and the first body row keep with the next row, and so does the last but one."""
        count = len(grid)
        if count - header_rows < 2:
            return
        for index in {*range(header_rows + 1), count - 2}:
            for cell in grid[index]:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True

    @staticmethod
    def keep_signatures_together(rows: list[_Row], grid: list[list[_Cell]]) -> None:
        """One signature block on one page, with room to sign on the empty rows."""
        for index, (row, cells) in enumerate(zip(rows, grid)):
            if not any(cell.text.strip() for cell in cells[1:]):
                row.height = Inches(0.45)
            for cell in cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = index < len(rows) - 1

    def shade_raci(self, cell, code: str) -> None:
        """A RACI cell in the theme's colours for its code, as the PDF shows it."""
        swatch = self.source.theme.raci_swatch(code)
        if swatch is None:
            return
        ooxml.set_cell_shading(cell, swatch.fill.lstrip("#"))
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in paragraph.runs:
            run.font.color.rgb = docx.shared.RGBColor.from_string(swatch.text.lstrip("#").upper())
            run.bold = code in ("A", "A/R", "R")

    @staticmethod
    def fit_columns(table: Table, grid: list[list[_Cell]], widths: list[int]) -> None:
        """Set the table grid (which LibreOffice and Word lay out from) and every cell's width."""
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = width
        for cells in grid:
            for cell, width in zip(cells, widths):
                ooxml.set_cell_width(cell, width)

    def turn_raci_headers(self, rows: list[_Row], grid: list[list[_Cell]], widths: list[int]) -> None:
        """Role titles read upwards in their narrow columns, whole words only (see docx_tables)."""
        for row, cells in zip(rows, grid):
            roles = cells[1:]
            row.height = turned_header_height([cell.text for cell in roles], min(widths[1:], default=0))
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            for cell in roles:
                ooxml.set_cell_text_direction(cell, "btLr")
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT  # turned: from the bottom up
                    paragraph.paragraph_format.left_indent = TURNED_TEXT_INSET  # turned: off the bottom
                    paragraph.paragraph_format.right_indent = TURNED_TEXT_INSET  # turned: off the top
            cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM

    def figure(self, element: etree.Element) -> None:
        image = element.find("img")
        name = (image.get("src") or "").removeprefix("figure:") if image is not None else ""
        figure = self.figures.get(name)
        if figure is None:
            return
        paragraph = self.paragraph("Normal")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        width = min(figure.width_inches, TEXT_WIDTH_INCHES)
        target = self.source.tree.targets.get(element.get("id") or "")
        if is_stand_in(figure.png) and not self.blank_figure_noted:
            self.blank_figure_noted = True
            self.source.warnings.append(Diagnostic(
                Location(self.output_name()), "note", "docx-figure",
                "no PNG of the figures for the Word files (install rsvg-convert, Debian package librsvg2-bin): "
                "Word 2016 and later show their SVG, Word 2013 and LibreOffice 7 show a blank space"))
        ooxml.add_picture(paragraph.add_run(), figure.png, svg=figure.svg, width=Inches(width),
                          description=figure.description or (target.title if target else ""))
        self.caption("Figure", element.find("figcaption"), element.get("id"), style="Image Caption")

    # -- inline -----------------------------------------------------------------------------
    def inline(self, paragraph: Paragraph, element: etree.Element, stop_at: set[str] = frozenset(),
               bold: bool = False, italic: bool = False, code: bool = False) -> None:
        if element.text:
            self.run(paragraph, element.text, bold, italic, code)
        for child in element:
            if child.tag in stop_at:
                continue
            classes = (child.get("class") or "").split()
            if child.tag == "span" and "number" in classes:
                if child.tail:  # Word numbers the paragraph itself; keep only the text after the number
                    self.run(paragraph, child.tail.lstrip(), bold, italic, code)
                continue
            elif child.tag in ("strong", "b"):
                self.inline(paragraph, child, stop_at, True, italic, code)
            elif child.tag in ("em", "i"):
                self.inline(paragraph, child, stop_at, bold, True, code)
            elif child.tag == "code":
                self.inline(paragraph, child, stop_at, bold, italic, True)
            elif child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag == "a" and "xref" in classes:
                self.cross_reference(paragraph, child)
            elif child.tag == "img":
                self.run(paragraph, child.get("alt", ""), bold, italic, code)
            elif child.tag in ("ul", "ol", "p"):
                self.inline(paragraph, child, stop_at, bold, italic, code)
            else:
                self.inline(paragraph, child, stop_at, bold, italic, code)
            if child.tail:
                self.run(paragraph, child.tail, bold, italic, code)

    def run(self, paragraph: Paragraph, text: str, bold: bool, italic: bool, code: bool) -> None:
        if text and not text.strip() and paragraph.runs and paragraph.text.endswith(" "):
            return  # (the cheap tests first: reading a paragraph's runs and text walks its XML)
        ooxml.add_text_run(paragraph, " ".join(text.split("\n")) if "\n" in text else text, bold=bold,
                           italic=italic, font="Consolas" if code else None)

    def cross_reference(self, paragraph: Paragraph, link: etree.Element) -> None:
        anchor = (link.get("href") or "").removeprefix("#")
        target = self.source.tree.targets.get(anchor)
        if target is None or anchor not in self.bookmarks:
            self.run(paragraph, element_text(link), False, False, False)
            return
        bookmark = self.bookmarks[anchor]
        if target.kind in ("section", "clause") and target.number:
            label = target.reference_text().rsplit(" ", 1)[0]
            paragraph.add_run(f"{label} ")
            ooxml.add_cross_reference(paragraph, bookmark, target.number, paragraph_number=True)
        else:
            ooxml.add_internal_hyperlink(paragraph, bookmark, target.reference_text())


def open_reference(assets: Assets) -> docx.document.Document:
    """The reference document whose styles the output uses; an unreadable one is a located error."""
    from docx.opc.exceptions import PackageNotFoundError

    path = assets.find("reference.docx")
    try:
        document = docx.Document(str(path))
        for style in ("Heading 1", "Clause 2", "Caption", "Playbook Table"):
            document.styles[style]
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        reason = f"it has no style '{exc.args[0]}'" if isinstance(exc, KeyError) else \
            "it is not a Word document (.docx)"
        raise DiagnosticError([Diagnostic(Location(display_path(path)), "error", "reference-docx",
                                          f"cannot use this reference.docx: {reason}; restyle a copy "
                                          "of the shipped templates/reference.docx instead")]) from None
    except Exception as exc:  # noqa: BLE001 - a damaged zip or XML inside it
        raise DiagnosticError([Diagnostic(Location(display_path(path)), "error", "reference-docx",
                                          f"cannot read this reference.docx ({type(exc).__name__}): "
                                          "restyle a copy of the shipped templates/reference.docx")]) from None
    return document


def write(document: Document, assets: Assets) -> bytes:
    """The DOCX of a document, as bytes."""
    buffer = io.BytesIO()
    DocxWriter(document, assets).write(buffer)
    return buffer.getvalue()

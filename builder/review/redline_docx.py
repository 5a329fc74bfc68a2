"""Redline DOCX: the new document written by the DOCX writer, with native Word tracked changes.

Inserted text is in ``w:ins``, deleted text in ``w:del`` (as ``w:delText``); paragraphs and
table rows inserted or deleted whole have their paragraph mark or row tracked too, so a
legal reviewer can accept or reject each change in Word. Every revision carries the same
author and date, and revision ids are numbered in document order: the same redline gives
the same bytes. Numbering stays Word's automatic numbering; nothing is typed.
"""

from __future__ import annotations

import copy
import io
import xml.etree.ElementTree as etree

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from builder.review.merge import CHANGE_TAGS, DELETED, INSERTED, has_marks, is_number_span, mark_of
from builder.review.redline import Redline
from builder.writers import ooxml
from builder.writers.assets import Assets
from builder.writers.docx import DocxWriter

TRACK = {INSERTED: "ins", DELETED: "del"}
CELL_TAGS = ("td", "th")
# Children of w:settings after w:trackRevisions, in schema order (CT_Settings).
_AFTER_TRACK_REVISIONS = tuple(
    "w:doNotTrackMoves w:doNotTrackFormatting w:documentProtection w:autoFormatOverride "
    "w:styleLockTheme w:styleLockQFSet w:defaultTabStop w:autoHyphenation w:consecutiveHyphenLimit "
    "w:hyphenationZone w:doNotHyphenateCaps w:showEnvelope w:summaryLength w:clickAndTypeStyle "
    "w:defaultTableStyle w:evenAndOddHeaders w:bookFoldRevPrinting w:bookFoldPrinting "
    "w:bookFoldPrintingSheets w:drawingGridHorizontalSpacing w:drawingGridVerticalSpacing "
    "w:displayHorizontalDrawingGridEvery w:displayVerticalDrawingGridEvery "
    "w:doNotUseMarginsForDrawingGridOrigin w:drawingGridHorizontalOrigin w:drawingGridVerticalOrigin "
    "w:doNotShadeFormData w:noPunctuationKerning w:characterSpacingControl w:printTwoOnOne "
    "w:strictFirstAndLastChars w:noLineBreaksAfter w:noLineBreaksBefore w:savePreviewPicture "
    "w:doNotValidateAgainstSchema w:saveInvalidXml w:ignoreMixedContent w:alwaysShowPlaceholderText "
    "w:doNotDemarcateInvalidXml w:saveXmlDataOnly w:useXSLTWhenSaving w:saveThroughXslt w:showXMLTags "
    "w:alwaysMergeEmptyNamespace w:updateFields w:hdrShapeDefaults w:footnotePr w:endnotePr w:compat "
    "w:docVars w:rsids m:mathPr w:attachedSchema w:themeFontLang w:clrSchemeMapping "
    "w:doNotIncludeSubdocsInStats w:doNotAutoCompressPictures w:forceUpgrade w:captions "
    "w:readModeInkLockDown w:smartTagType sl:schemaLibrary w:shapeDefaults w:doNotEmbedSmartTags "
    "w:decimalSymbol w:listSeparator".split()
)


class Tracker:
    """Makes tracked-change markup with one author and date."""

    def __init__(self, author: str, date: str):
        self.author = author
        self.date = date

    def revision(self, change: str) -> BaseOxmlElement:
        """A w:ins or w:del element (its id is numbered when the document is finished)."""
        return OxmlElement(f"w:{change}", {qn("w:id"): "0", qn("w:author"): self.author, qn("w:date"): self.date})

    def wrap(self, container: BaseOxmlElement, before: list, change: str) -> None:
        """Put the runs ``container`` gained since ``before`` into w:ins / w:del (hyperlinks: their runs)."""
        group: list[BaseOxmlElement] = []
        for child in [c for c in container if not any(c is b for b in before)]:
            if child.tag == qn("w:r"):
                group.append(child)
                continue
            self._enclose(group, change)
            group = []
            if child.tag == qn("w:hyperlink"):
                self.wrap(child, [], change)
        self._enclose(group, change)

    def _enclose(self, runs: list[BaseOxmlElement], change: str) -> None:
        if not runs:
            return
        wrapper = self.revision(change)
        runs[0].addprevious(wrapper)
        for run in runs:
            wrapper.append(run)
            if change == "del":
                for node in run.iter(qn("w:t"), qn("w:instrText")):
                    node.tag = qn("w:delText") if node.tag == qn("w:t") else qn("w:delInstrText")

    def mark_paragraph(self, paragraph: BaseOxmlElement, change: str) -> None:
        """Track the paragraph mark itself (w:pPr/w:rPr/w:ins|w:del): the paragraph was inserted or deleted."""
        properties = paragraph.get_or_add_pPr()
        run_properties = properties.find(qn("w:rPr"))
        if run_properties is None:
            run_properties = OxmlElement("w:rPr")
            successor = next((c for c in properties if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))), None)
            if successor is not None:
                successor.addprevious(run_properties)
            else:
                properties.append(run_properties)
        if run_properties.find(qn(f"w:{change}")) is None:
            run_properties.insert(0, self.revision(change))

    def mark_row(self, row: BaseOxmlElement, change: str) -> None:
        """Track a table row inserted or deleted whole (w:trPr/w:ins|w:del)."""
        properties = row.get_or_add_trPr()
        if properties.find(qn(f"w:{change}")) is None:
            successor = properties.find(qn("w:trPrChange"))
            if successor is not None:
                successor.addprevious(self.revision(change))
            else:
                properties.append(self.revision(change))


def _change_of(element: etree.Element) -> str | None:
    """'ins' / 'del' for an <ins>/<del> element or a block marked inserted/deleted whole."""
    if element.tag in CHANGE_TAGS:
        return element.tag
    mark = mark_of(element)
    return TRACK[mark] if mark else None


class RedlineDocxWriter(DocxWriter):
    """The DOCX writer with tracked changes where the merged tree marks them."""

    def __init__(self, redline: Redline, assets: Assets):
        super().__init__(redline.document, assets)
        self.redline = redline
        self.tracker = Tracker(redline.author.name, redline.author.stamp)
        self._active: str | None = None

    @property
    def body(self) -> BaseOxmlElement:
        return self.docx.element.body

    def before_save(self) -> None:
        """Finish the tracked changes once the document is written, before it is saved."""
        self.redline_cover()
        self.track_revisions()
        self.number_revisions()

    # -- blocks --------------------------------------------------------------------------------
    def block(self, element: etree.Element, list_level: int = 0) -> None:
        change = _change_of(element)
        if change is None:
            super().block(element, list_level)
            return
        before = list(self.body)
        super().block(element, list_level)
        for child in [c for c in self.body if not any(c is b for b in before)]:
            self._track_whole(child, change)

    def _track_whole(self, child: BaseOxmlElement, change: str) -> None:
        """Track everything in a new body paragraph or table as inserted or deleted."""
        if child.tag == qn("w:p"):
            self.tracker.wrap(child, [], change)
            self.tracker.mark_paragraph(child, change)
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                self.tracker.mark_row(row, change)
            for paragraph in child.iter(qn("w:p")):
                self.tracker.wrap(paragraph, [], change)

    def table(self, element: etree.Element) -> None:
        before = list(self.body)
        super().table(element)
        table = next((c for c in self.body if c.tag == qn("w:tbl") and not any(c is b for b in before)), None)
        if table is None:
            return
        rows = [row for section in ("thead", "tbody") for part in element.findall(section) for row in part.findall("tr")]
        for row_element, row in zip(rows, table.findall(qn("w:tr"))):
            change = _change_of(row_element)
            if change:
                self.tracker.mark_row(row, change)

    def caption(self, label: str, element: etree.Element | None, anchor: str | None,
                style: str = "Caption") -> Paragraph:
        """Captions with changed words, or of deleted tables and figures, written from the merged caption."""
        targets = self.source.tree.targets
        if element is None or (not has_marks(element) and (anchor or "") in targets):
            return super().caption(label, element, anchor, style)
        paragraph = self.caption_paragraph(style)
        label_span = next((c for c in element if c.tag == "span" and "label" in (c.get("class") or "")), None)
        target = targets.get(anchor or "")
        number = target.number if target else ((label_span.text or "").split()[-1:] or [""])[0] if label_span is not None else ""
        paragraph.add_run(f"{label} ")
        ooxml.add_field(paragraph, f"SEQ {label} \\* ARABIC", number)
        paragraph.add_run(": ")
        self.inline(paragraph, _caption_title(element, label_span))
        self.bookmark(paragraph, anchor)
        return paragraph

    # -- inline --------------------------------------------------------------------------------
    def inline(self, paragraph: Paragraph, element: etree.Element, stop_at: set[str] = frozenset(),
               bold: bool = False, italic: bool = False, code: bool = False) -> None:
        change = _change_of(element)
        if change is None or self._active is not None:
            super().inline(paragraph, element, stop_at, bold, italic, code)
            return
        before = list(paragraph._p)
        self._active = change
        try:
            super().inline(paragraph, element, stop_at, bold, italic, code)
        finally:
            self._active = None
        self.tracker.wrap(paragraph._p, before, change)
        if mark_of(element) and element.tag not in CELL_TAGS:
            self.tracker.mark_paragraph(paragraph._p, change)

    # -- finishing -----------------------------------------------------------------------------
    def redline_cover(self) -> None:
        """Cover rows whose value changed (version, dates, status) show the old value deleted."""
        old, new = self.redline.old, self.redline.new
        if old is None or new is None:
            return
        before = dict(old.meta.cover_rows)
        table = self.body.find(qn("w:tbl"))
        if table is None:
            return
        for (label, value), row in zip(new.meta.cover_rows, table.findall(qn("w:tr"))):
            if label not in before or before[label] == value:
                continue
            cells = row.findall(qn("w:tc"))
            paragraph = cells[-1].find(qn("w:p")) if cells else None
            if paragraph is None:
                continue
            self.tracker.wrap(paragraph, [], "ins")
            deleted = OxmlElement("w:r")
            text = OxmlElement("w:t", {qn("xml:space"): "preserve"})
            text.text = before[label]
            deleted.append(text)
            first = next((c for c in paragraph if c.tag != qn("w:pPr")), None)
            holder = self.tracker.revision("del")
            if first is not None:
                first.addprevious(holder)
            else:
                paragraph.append(holder)
            holder.append(deleted)
            text.tag = qn("w:delText")

    def track_revisions(self) -> None:
        """Keep tracking on: the reviewer's own edits are tracked too."""
        settings = self.docx.settings.element
        if settings.find(qn("w:trackRevisions")) is None:
            settings.insert_element_before(OxmlElement("w:trackRevisions"), *_AFTER_TRACK_REVISIONS)

    def number_revisions(self) -> None:
        """Give every w:ins / w:del a unique id, in document order, after the bookmark ids."""
        root = self.docx.element
        taken = [int(v) for v in root.xpath("//w:bookmarkStart/@w:id")]
        next_id = max(taken, default=-1) + 1
        for node in root.iter(qn("w:ins"), qn("w:del")):
            node.set(qn("w:id"), str(next_id))
            next_id += 1


def _caption_title(caption: etree.Element, label_span: etree.Element | None) -> etree.Element:
    """The caption without its 'Table N' label, keeping <ins>/<del> and its change mark."""
    title = copy.deepcopy(caption)
    if label_span is not None:
        for child in list(title):
            if child.tag == "span" and "label" in (child.get("class") or ""):
                title.text = (title.text or "") + (child.tail or "").lstrip(":").lstrip()
                title.remove(child)
    for child in list(title):
        if is_number_span(child):
            title.remove(child)
    return title


def write(redline: Redline, assets: Assets) -> bytes:
    """The redline DOCX of one document, as bytes."""
    buffer = io.BytesIO()
    RedlineDocxWriter(redline, assets).write(buffer)
    return buffer.getvalue()

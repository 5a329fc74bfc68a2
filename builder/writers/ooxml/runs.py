"""Runs of text, made and read directly: python-docx's ``Run.text`` writes a run character by
character and ``cell.text`` reads each run with an XPath query, which together took most of a
long document's writing time. The XML and the text are the same as python-docx's."""

from __future__ import annotations

import re
from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

# Text python-docx turns into other elements (a tab, a break) or that XML cannot hold: its way.
_NOT_PLAIN = re.compile(r"[\x00-\x1f]")
_R, _RPR, _T = qn("w:r"), qn("w:rPr"), qn("w:t")
_FONTS, _ASCII, _HANSI, _BOLD, _ITALIC = qn("w:rFonts"), qn("w:ascii"), qn("w:hAnsi"), qn("w:b"), qn("w:i")
_SPACE = qn("xml:space")
_P, _TAB, _BR, _CR = qn("w:p"), qn("w:tab"), qn("w:br"), qn("w:cr")
_AS_CHARACTER = {_TAB: "\t", _BR: "\n", _CR: "\n"}  # (this writer breaks lines only, never pages)


def add_text_run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
                 font: str | None = None) -> None:
    """Append a run of `text` to `paragraph`, bold, italic or in `font` as asked."""
    if _NOT_PLAIN.search(text):
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if font:
            run.font.name = font
        return
    run = etree.SubElement(paragraph._p, _R)
    if bold or italic or font:
        properties = etree.SubElement(run, _RPR)
        if font:
            etree.SubElement(properties, _FONTS, {_ASCII: font, _HANSI: font})
        if bold:
            etree.SubElement(properties, _BOLD)
        if italic:
            etree.SubElement(properties, _ITALIC)
    if not text:
        return
    t = etree.SubElement(run, _T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_SPACE, "preserve")


def cell_text(cell: Any) -> str:
    """A table cell's text as python-docx's ``cell.text`` reads a cell this writer made (its
    paragraphs joined by newlines; tabs and breaks as characters), without an XPath per run."""
    return "\n".join("".join(node.text or "" if node.tag == _T else _AS_CHARACTER[node.tag]
                              for node in paragraph.iter(_T, *_AS_CHARACTER))
                      for paragraph in cell._tc.iterchildren(_P))

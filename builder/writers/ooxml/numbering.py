"""numbering.xml: the clause list (headings and clauses), bulleted and ordered lists."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

_CLAUSES, _ORDERED, _BULLETS = "PlaybookClauses", "PlaybookOrderedList", "PlaybookBulletList"
_LEVELS = range(9)


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

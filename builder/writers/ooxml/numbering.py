"""numbering.xml: the clause list (headings and clauses), bulleted and ordered lists."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import quoteattr

from docx.document import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from builder.writers.ooxml.schema import get_or_insert, insert_before

_CLAUSES, _ORDERED, _BULLETS = "PlaybookClauses", "PlaybookOrderedList", "PlaybookBulletList"
_LEVELS = range(9)
# Every level's number starts at the margin; the text starts after room for the number, as in
# the PDF (1 / 1.1 need 0.5", 1.1.1 0.75"). A style's own indent wins over its level's.
CLAUSE_INDENTS = (720, 720) + (1080,) * 7
_BULLET_GLYPHS = ("\u2022", "\u2013", "\u25e6")  # bullet, en dash, white bullet: all in common fonts
_ORDERED_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
# Children of CT_Lvl after w:pStyle, and of CT_PPrBase after w:numPr (schema order).
_AFTER_LVL_PSTYLE = ("w:isLgl", "w:suff", "w:lvlText", "w:lvlPicBulletId", "w:legacy", "w:lvlJc", "w:pPr", "w:rPr")
_AFTER_NUMPR = tuple(f"w:{tag}" for tag in (
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct "
    "autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr "
    "pPrChange").split())


def add_clause_numbering(document: Document) -> int:
    """Return the numId of the clause list, creating it on first use (idempotent).

    Level 0 "%1" is for Heading 1, level 1 "%1.%2" for Heading 2 and "Clause 2", level 2
    "%1.%2.%3" for Heading 3 and "Clause 3"; numbering.xml holds the numbers, so Word
    renumbers inserted clauses. ``link_styles`` makes the styles themselves numbered.
    """
    numbering = document.part.numbering_part.element
    abstract_id = _abstract_num_id(numbering, _CLAUSES)
    if abstract_id is None:
        levels = [("decimal", ".".join(f"%{k + 1}" for k in range(i + 1)), width, width)
                  for i, width in zip(_LEVELS, CLAUSE_INDENTS)]
        abstract_id = _add_abstract_num(numbering, _CLAUSES, levels)
    existing = numbering.xpath(f'./w:num[w:abstractNumId/@w:val="{abstract_id}"]/@w:numId')
    return int(existing[0]) if existing else numbering.add_num(abstract_id).numId


def link_styles(document: Document, num_id: int, styles: Mapping[int, str],
                numbered: Mapping[int, Sequence[str]] | None = None) -> None:
    """Number paragraph styles by list `num_id`, as Word's "Link level to style" does (idempotent).

    Each style of `styles` (level -> style id) is named in its level (w:lvl/w:pStyle) and gets
    the level in its own w:numPr; the styles of `numbered` (level -> style ids) get the w:numPr
    only. A paragraph given such a style in Word is then numbered like its neighbours, and
    paragraphs need no w:numPr of their own.
    """
    numbering = document.part.numbering_part.element
    abstract_id = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    abstract = f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]'
    for level, style_id in styles.items():
        for other in numbering.xpath(f'{abstract}/w:lvl/w:pStyle[@w:val="{style_id}"]'):
            other.getparent().remove(other)
        lvl = numbering.xpath(f'{abstract}/w:lvl[@w:ilvl="{level}"]')[0]
        get_or_insert(lvl, "w:pStyle", _AFTER_LVL_PSTYLE).set(qn("w:val"), style_id)
    for level, style_ids in [*((lvl, [s]) for lvl, s in styles.items()), *(numbered or {}).items()]:
        for style_id in style_ids:
            _set_style_numbering(document, style_id, num_id, level)


def set_style_numbering_off(document: Document, style_id: str) -> None:
    """Give a style w:numId 0: it shows no number, even when the style it is based on has one."""
    _set_style_numbering(document, style_id, 0, 0)


def set_paragraph_numbering_off(paragraph: Paragraph) -> None:
    """Show no number on `paragraph`, though its style is numbered (w:numId 0)."""
    set_paragraph_numbering(paragraph, 0, 0)


def _set_style_numbering(document: Document, style_id: str, num_id: int, level: int) -> None:
    style = document.styles.element.xpath(f'./w:style[@w:styleId="{style_id}"]')
    if not style:
        raise KeyError(style_id)
    p_pr = style[0].get_or_add_pPr()
    num_pr = p_pr.find(qn("w:numPr"))
    if num_pr is None:
        num_pr = insert_before(p_pr, OxmlElement("w:numPr"), _AFTER_NUMPR)
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def add_list_numbering(document: Document, ordered: bool, *, first_level: int = 0, indent: int = 0,
                       step: int = 425) -> int:
    """Return a NEW numId for one bulleted or ordered list that starts at 1.

    Lists of a kind share an abstractNum (decimal / lower-letter / lower-roman, or bullet /
    dash / white bullet, by depth); each w:num gets startOverride 1 on every level, so each
    list restarts. A list that belongs to a numbered clause starts at `first_level` (one below
    the clause's) with its bullet at `indent` twips (the clause text), each level `step` deeper.
    """
    numbering = document.part.numbering_part.element
    name = _ORDERED if ordered else _BULLETS
    if (first_level, indent, step) != (0, 0, 425):
        name = f"{name} {first_level} {indent} {step}"
    abstract_id = _abstract_num_id(numbering, name)
    if abstract_id is None:
        levels = []
        for level in _LEVELS:
            depth = max(level - first_level, 0)
            kind = _ORDERED_FORMATS[depth % 3] if ordered else "bullet"
            text = f"%{level + 1}." if ordered else _BULLET_GLYPHS[depth % 3]
            levels.append((kind, text, indent + step * (depth + 1), step))
        abstract_id = _add_abstract_num(numbering, name, levels)
    num = numbering.add_num(abstract_id)
    for level in _LEVELS:
        num.add_lvlOverride(ilvl=level).add_startOverride(1)
    return num.numId


def set_paragraph_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Put `paragraph` in list `num_id` at `level` (0-8) through w:numPr (num_id 0: no number)."""
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

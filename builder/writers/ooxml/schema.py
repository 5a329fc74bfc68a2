"""Where elements go: WordprocessingML requires children in schema order (Word shows a repair
prompt otherwise), so insertions name the children that must come after them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")

# Children that must come after the element being inserted (CT_Settings, CT_TrPr, CT_TcPr).
AFTER_UPDATE_FIELDS = tuple(
    "w:hdrShapeDefaults w:footnotePr w:endnotePr w:compat w:docVars w:rsids m:mathPr "
    "w:attachedSchema w:themeFontLang w:clrSchemeMapping w:doNotIncludeSubdocsInStats "
    "w:doNotAutoCompressPictures w:forceUpgrade w:captions w:readModeInkLockDown w:smartTagType "
    "sl:schemaLibrary w:shapeDefaults w:doNotEmbedSmartTags w:decimalSymbol w:listSeparator".split()
)
AFTER_TBL_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", *AFTER_TBL_HEADER)
AFTER_TEXT_DIRECTION = ("w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
                        "w:cellMerge", "w:tcPrChange")
AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", *AFTER_TEXT_DIRECTION)


def get_or_insert(parent: BaseOxmlElement, tag: str, successors: Sequence[str]) -> Any:
    """Return child `tag` of `parent`, inserting it before `successors` if absent."""
    child = parent.find(qn(tag))
    if child is None:
        child = insert_before(parent, OxmlElement(tag), successors)
    return child


def insert_before(parent: Any, element: Any, successors: Sequence[str]) -> Any:
    """Insert `element` into `parent` before the first child named in `successors` (else last);
    works on any lxml element, not only python-docx's element classes."""
    names = {qn(name) for name in successors}
    following = next((child for child in parent if child.tag in names), None)
    if following is None:
        parent.append(element)
    else:
        following.addprevious(element)
    return element


def insert_after_ppr(paragraph: Paragraph, element: BaseOxmlElement) -> None:
    """Make `element` the first content of `paragraph`, after its w:pPr if any."""
    p_pr = paragraph._p.pPr
    if p_pr is None:
        paragraph._p.insert(0, element)
    else:
        p_pr.addnext(element)

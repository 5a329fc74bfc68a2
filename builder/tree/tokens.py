"""Long tokens: runs of characters a line cannot break inside, which overflow a table column.

Found once for the build's warning (at 40 characters) and for the page, which wraps such a
token anywhere (at 30) rather than let it push the table off the page or over its neighbours.
"""

from __future__ import annotations

import copy
import functools
import re
import xml.etree.ElementTree as etree
from typing import Iterator

WARN_AT = 40  # about 65 mm at 9 pt: wider than most table columns
WRAP_AT = 30
CELL_TAGS = ("td", "th")
LONG_TOKEN_CLASS = "long-token"
# A line may break after a hyphen, a dash, a slash or a question mark (URLs), a soft hyphen or a
# zero-width space, and around CJK characters; so only the runs between them count.
BREAK = re.compile(r"[-\u00ad\u200b\u2010-\u2015/?\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def unbreakable_length(token: str) -> int:
    """The longest run of ``token`` with no break opportunity inside."""
    return max((len(run) for run in BREAK.split(token)), default=0)


def long_tokens(text: str, minimum: int) -> list[str]:
    """The whitespace-separated tokens of ``text`` with an unbreakable run of ``minimum`` characters or more."""
    if len(text) < minimum:
        return []
    return [token for token in _at_least(minimum).findall(text) if unbreakable_length(token) >= minimum]


@functools.lru_cache(maxsize=4)
def _at_least(minimum: int) -> re.Pattern:
    """Tokens of ``minimum`` characters or more (shorter ones cannot hold a run that long)."""
    return re.compile(rf"\S{{{minimum},}}")


def table_cells(root: etree.Element) -> Iterator[etree.Element]:
    """Every table cell of a tree."""
    for element in root.iter():
        if element.tag in CELL_TAGS:
            yield element


def wrapped_long_tokens(root: etree.Element, minimum: int = WRAP_AT) -> etree.Element:
    """The tree with every long token of a table cell in ``<span class="long-token">`` (a copy;
    ``root`` itself when there is nothing to wrap, as in almost every document)."""
    if not any(long_tokens(text, minimum) for cell in table_cells(root) for text in cell.itertext()):
        return root
    root = copy.deepcopy(root)
    for cell in list(table_cells(root)):
        for element in list(cell.iter()):
            if element.get("class") == LONG_TOKEN_CLASS:
                continue
            element.text, spans = _split(element.text, minimum)
            for index, span in enumerate(spans):
                element.insert(index, span)
            for child in list(element):
                if child.tail:
                    child.tail, spans = _split(child.tail, minimum)
                    position = list(element).index(child) + 1
                    for offset, span in enumerate(spans):
                        element.insert(position + offset, span)
    return root


def _split(text: str | None, minimum: int) -> tuple[str | None, list[etree.Element]]:
    """``text`` cut before its first long token, and a span for each long token carrying the text after it."""
    matches = [m for m in _at_least(minimum).finditer(text or "") if unbreakable_length(m.group()) >= minimum]
    if not matches:
        return text, []
    assert text is not None
    spans = []
    for match, following in zip(matches, [*matches[1:], None]):
        span = etree.Element("span", {"class": LONG_TOKEN_CLASS})
        span.text = match.group()
        span.tail = text[match.end():following.start() if following else len(text)]
        spans.append(span)
    return text[:matches[0].start()], spans

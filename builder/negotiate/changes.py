"""Match the paragraphs of a negotiated Word file to the document as the content renders it now,
and turn every edited paragraph into a change of the content field it came from, or say why it
cannot be (template text, several fields, a paragraph with no source, one deleted)."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any

from builder.compose.context import Context
from builder.compose.sourced import SourcedFloat, SourcedInt
from builder.negotiate.fields import field_value, part_markdown, plain_text
from builder.negotiate.paragraphs import WordParagraph, collapse
from builder.tree import DocumentTree
from builder.tree.origins import Origin

MARK_PREFIX = "_pb_"
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class Mark:
    """A source bookmark of the Word file: the field and which of its paragraphs."""

    name: str
    origin: Origin
    part: int
    built_hash: str | None = None  # hash of the paragraph's text as built (from the file's source map)


@dataclass
class FieldEdit:
    """A content field (one part of it) whose text a negotiation changed."""

    origin: Origin
    part: int
    old: str  # the part as the content has it (Markdown)
    new: Any  # the new part (Markdown text, or a number)
    where: str  # the paragraph, as a reader finds it


@dataclass
class NotAbsorbed:
    """A change that cannot become a change of the content, and why."""

    where: str
    text: str
    why: str


@dataclass
class Comparison:
    """What the import found."""

    edits: list[FieldEdit] = field(default_factory=list)
    not_absorbed: list[NotAbsorbed] = field(default_factory=list)
    unchanged: int = 0


def element_plain(element: ElementTree.Element) -> str:
    """An element's text as a Word paragraph shows it: without the typed heading or clause number."""
    parts = [element.text or ""]
    for child in element:
        if not (child.tag == "span" and "number" in (child.get("class") or "").split()):
            parts.append(element_plain(child))
        parts.append(child.tail or "")
    return collapse("".join(parts))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Matcher:
    """Compares a negotiated document with the current rendering, paragraph by paragraph."""

    def __init__(self, tree: DocumentTree, context: Context, marks: dict[str, Mark], known_texts: set[str]):
        self.tree = tree
        self.context = context
        self.marks = marks
        self.known_texts = known_texts
        self.elements: dict[str, ElementTree.Element] = {}
        self.parents = {child: parent for parent in tree.root.iter() for child in parent}
        for element in tree.root.iter():
            for label in (element.get("data-source") or "").split():
                self.elements[label] = element

    def where(self, element: ElementTree.Element | None, paragraph: WordParagraph | None) -> str:
        if element is not None and element.get("data-number"):
            kind = "clause" if "clause" in (element.get("class") or "") else "section"
            return f"{kind} {element.get('data-number')}"
        if element is not None and element.tag in ("td", "th"):
            return self._cell(element)
        text = paragraph.text if paragraph else element_plain(element) if element is not None else ""
        return f"paragraph {paragraph.index + 1} ('{text[:50]}{'…' if len(text) > 50 else ''}')" if paragraph \
            else f"'{text[:50]}'"

    def _cell(self, cell: ElementTree.Element) -> str:
        """'Table 12, row "Site activation cycle time", column 3'."""
        row = self.parents.get(cell)
        table = row
        while table is not None and table.tag != "table":
            table = self.parents.get(table)
        label = table.find("caption/span") if table is not None else None
        cells = list(row) if row is not None else []
        name = element_plain(cells[0]) if cells else ""
        column = cells.index(cell) + 1 if cell in cells else 0
        return (f"{(label.text or 'a table') if label is not None else 'a table'}, row '{name[:40]}', "
                f"column {column}")

    def compare(self, paragraphs: list[WordParagraph]) -> Comparison:
        result = Comparison()
        seen_labels: set[str] = set()
        groups: dict[int, tuple[ElementTree.Element, list[WordParagraph], list[Mark]]] = {}
        for paragraph in paragraphs:
            marks = [self.marks[name] for name in paragraph.bookmarks if name in self.marks]
            if not marks:
                self._unmarked(paragraph, result)
                continue
            labels = [f"{mark.origin.key}:{mark.part}" for mark in marks]
            seen_labels.update(labels)
            element = next((self.elements[label] for label in labels if label in self.elements), None)
            if element is None:
                result.not_absorbed.append(NotAbsorbed(self.where(None, paragraph), paragraph.text,
                                                       "its content field no longer exists in the library"))
                continue
            groups.setdefault(id(element), (element, [], marks))[1].append(paragraph)
        for element, group, marks in groups.values():
            self._compare_element(element, group, marks, result)
        self._deleted(seen_labels, result)
        return result

    def _unmarked(self, paragraph: WordParagraph, result: Comparison) -> None:
        """A paragraph with no source mark: template text, or a paragraph someone added."""
        if not paragraph.text or paragraph.style.lower().startswith("toc") or paragraph.text in self.known_texts:
            return
        result.not_absorbed.append(NotAbsorbed(
            self.where(None, paragraph), paragraph.text,
            "it has no content field: a new paragraph, or text the template writes (edit the template or the "
            "content by hand)"))

    def _deleted(self, seen: set[str], result: Comparison) -> None:
        """Paragraphs the file was built with whose marks are gone: deleted in Word."""
        reported: set[int] = set()
        for mark in self.marks.values():
            label = f"{mark.origin.key}:{mark.part}"
            element = self.elements.get(label)
            if label in seen or element is None or id(element) in reported:
                continue
            if any(other in seen for other in (element.get("data-source") or "").split()):
                continue
            reported.add(id(element))
            what = "a table row" if element.tag in ("td", "th") else "a paragraph"
            result.not_absorbed.append(NotAbsorbed(
                self.where(element, None), element_plain(element),
                f"{what} was deleted; remove or exclude {mark.origin.kind} '{mark.origin.id}' "
                f"({mark.origin.dotted}) in the content if the parties agreed to drop it"))

    def _compare_element(self, element: ElementTree.Element, group: list[WordParagraph], marks: list[Mark],
                         result: Comparison) -> None:
        old = element_plain(element)
        new = collapse(" ".join(p.text for p in group))
        if new == old:
            result.unchanged += 1
            return
        where = self.where(element, group[0])
        built = [mark.built_hash for mark in marks if mark.built_hash]
        if built and len(group) == 1 and text_hash(old) != built[0] and text_hash(old) != text_hash(new):
            result.not_absorbed.append(NotAbsorbed(where, new, "the content changed this paragraph too since the "
                                                               "file was built; merge the two by hand"))
            return
        if self._style_changed(element, group[0]):
            result.not_absorbed.append(NotAbsorbed(where, new, "its paragraph style (numbering or layout) changed; "
                                                               "only text is brought back"))
        spans = self._spans(element, old)
        start, end_old, end_new = _changed_region(old, new)
        inside = [span for span in spans if span[0] <= start and end_old <= span[1]]
        if len(inside) != 1:
            why = ("the change touches text the template writes, not a content field" if not spans or not any(
                s[0] < end_old and start < s[1] for s in spans) else "the change spans several content fields")
            result.not_absorbed.append(NotAbsorbed(where, new, why))
            return
        span_start, span_end, label = inside[0]
        key, _, part = label.partition(":")
        origin = self.tree.origins[key]
        whole = span_start == 0 and span_end == len(old)
        delta = len(new) - len(old)
        text = group[0].markdown if whole and len(group) == 1 and not group[0].bold_throughout else \
            new[span_start:span_end + delta]
        value = self._value(field_value(self.context, origin), text)
        if value is None:
            result.not_absorbed.append(NotAbsorbed(where, new, f"{origin.kind} '{origin.id}' {origin.dotted} is a "
                                                               f"number, and '{text}' is not"))
            return
        old_markdown = part_markdown(str(field_value(self.context, origin) or ""), int(part))
        result.edits.append(FieldEdit(origin, int(part), old_markdown, value, where))

    def _spans(self, element: ElementTree.Element, old: str) -> list[tuple[int, int, str]]:
        """Where each field's part sits in the element's text."""
        spans, position = [], 0
        for label in (element.get("data-source") or "").split():
            key, _, part = label.partition(":")
            origin = self.tree.origins.get(key)
            if origin is None:
                continue
            value = field_value(self.context, origin)
            shown = _shown(value, int(part))
            if not shown:
                continue
            found = old.find(shown, position)
            if found < 0:
                found = old.find(shown)
            if found >= 0:
                spans.append((found, found + len(shown), label))
                position = found + len(shown)
        return spans

    @staticmethod
    def _style_changed(element: ElementTree.Element, paragraph: WordParagraph) -> bool:
        expected = {"h1": "Heading1", "h2": "Heading2", "h3": "Heading3"}.get(element.tag)
        if "clause" in (element.get("class") or ""):
            expected = f"Clause{element.get('data-level', '2')}"
        return bool(expected) and paragraph.style.replace(" ", "") != expected

    @staticmethod
    def _value(current: Any, text: str) -> Any:
        """The new value of the field: a number for a number field (None if it is not one), else text."""
        if isinstance(current, (int, float)) and not isinstance(current, bool):
            return number_value(current, text)
        return text


def _shown(value: Any, part: int) -> str:
    if value is None:
        return ""
    if isinstance(value, (SourcedInt, SourcedFloat, int, float)) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return collapse(plain_text(part_markdown(str(value), part)))


def _changed_region(old: str, new: str) -> tuple[int, int, int]:
    """The differing middle of two texts: (start, end in old, end in new)."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, len(old) - suffix, len(new) - suffix


def number_value(original: Any, text: str) -> Any:
    """A number field's new value from its edited text, or None when the text is not a number."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    if not NUMBER.match(cleaned):
        return None
    value = float(cleaned)
    return int(value) if isinstance(original, int) and not isinstance(original, bool) and value.is_integer() else value

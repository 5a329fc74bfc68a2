"""Parse a document's Markdown into one tree, then number it and resolve its cross-references."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Iterator

from builder.tree.markdown_parse import ChapterCache, parse_markdown
from builder.tree.marks import extract_sources
from builder.tree.origins import Origin
from builder.tree.theme import RACI_CODES, raci_class

HEADINGS = {"h1": 1, "h2": 2, "h3": 3}
CAPTION = re.compile(r"^Table:\s*")
CAPTION_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")


@dataclass(frozen=True)
class Target:
    """Something a cross-reference can point at."""

    id: str
    kind: str  # section | clause | table | figure
    number: str
    title: str

    def reference_text(self) -> str:
        labels = {"section": "section", "clause": "clause", "table": "Table", "figure": "Figure"}
        return f"{labels[self.kind]} {self.number}".strip()


@dataclass(frozen=True)
class TocEntry:
    """A heading as the table of contents lists it."""

    level: int
    number: str
    text: str
    anchor: str


@dataclass
class DocumentTree:
    """The numbered, cross-referenced body of one document."""

    root: etree.Element
    toc: list[TocEntry] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)  # source key -> the content field (data-source)

    def headings(self) -> list[tuple[int, str]]:
        """(level, full text) of every heading, in order."""
        return [(entry.level, f"{entry.number} {entry.text}".strip()) for entry in self.toc]


def collapse_whitespace(text: str) -> str:
    """Runs of white space (no-break spaces too) as one space, none at either end."""
    return " ".join(text.split())


def element_text(element: etree.Element) -> str:
    """All text inside an element, whitespace collapsed."""
    return collapse_whitespace("".join(element.itertext()))


def parse_document(text: str, heading_kind: str = "section", origins: dict[str, Origin] | None = None,
                   chapters: ChapterCache | None = None) -> DocumentTree:
    """Markdown to a numbered tree; headings are 'section' or 'clause' targets.

    Source marks in the text (see marks.py) become each block element's ``data-source``;
    ``origins`` says which content field each mark's key stands for. ``chapters`` keeps the
    trees of chapters parsed before (the live preview's); without it the text is parsed whole."""
    root = chapters.parse(text) if chapters is not None else parse_markdown(text)
    extract_sources(root)
    tree = DocumentTree(root=root, origins=dict(origins or {}))
    _Numbering(tree, heading_kind).run()
    _resolve_references(tree)
    _mark_raci_cells(tree.root)
    return tree


def _mark_raci_cells(root: etree.Element) -> None:
    """Cells of RACI tables that hold a code carry it (``data-raci``), so writers never re-read cell text."""
    for table in root.iter("table"):
        if "raci" not in (table.get("class") or "").split():
            continue
        for cell in table.iter("td"):
            code = element_text(cell)
            if code in RACI_CODES:
                cell.set("data-raci", code)
                cell.set("class", " ".join([*(cell.get("class") or "").split(), raci_class(code)]))


class _Numbering:
    """Number headings, clauses, captioned tables and figures; give every target an id."""

    def __init__(self, tree: DocumentTree, heading_kind: str):
        self.tree = tree
        self.heading_kind = heading_kind
        self.counters = [0, 0, 0]
        self.tables = 0
        self.figures = 0
        self.used_ids: set[str] = {el.get("id") for el in tree.root.iter() if el.get("id")}

    def run(self) -> None:
        children = list(self.tree.root)
        for index, element in enumerate(children):
            if element.tag in HEADINGS:
                self.heading(element, HEADINGS[element.tag])
            elif element.tag == "p" and "clause" in (element.get("class") or ""):
                level = 3 if "clause-level-3" in element.get("class") else 2
                self.clause(element, level)
            elif element.tag == "p" and self._is_caption(element, children, index):
                self.caption(element, children[index + 1])
            elif element.tag == "p" and self._figure_image(element) is not None:
                self.figure(element)

    def _next_number(self, level: int) -> str:
        self.counters[level - 1] += 1
        for deeper in range(level, len(self.counters)):
            self.counters[deeper] = 0
        return ".".join(str(n) for n in self.counters[:level])

    def _unique_id(self, base: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "item"
        candidate, n = slug, 2
        while candidate in self.used_ids:
            candidate, n = f"{slug}-{n}", n + 1
        self.used_ids.add(candidate)
        return candidate

    def _prefix_number(self, element: etree.Element, number: str) -> None:
        span = etree.Element("span")
        span.set("class", "number")
        span.text = number
        span.tail = " " + (element.text or "")
        element.text = None
        element.insert(0, span)

    def heading(self, element: etree.Element, level: int) -> None:
        classes = (element.get("class") or "").split()
        title = element_text(element)
        anchor = element.get("id") or self._unique_id("sec-" + title)
        element.set("id", anchor)
        number = ""
        if "unnumbered" not in classes:
            number = self._next_number(level)
            self._prefix_number(element, number)
            element.set("data-number", number)
        self.tree.toc.append(TocEntry(level, number, title, anchor))
        self.tree.targets[anchor] = Target(anchor, self.heading_kind, number, title)

    def clause(self, element: etree.Element, level: int) -> None:
        number = self._next_number(level)
        anchor = element.get("id") or self._unique_id(f"clause-{number}")
        element.set("id", anchor)
        element.set("data-number", number)
        element.set("data-level", str(level))
        self._prefix_number(element, number)
        self.tree.targets[anchor] = Target(anchor, "clause", number, element_text(element))

    @staticmethod
    def _is_caption(element: etree.Element, children: list[etree.Element], index: int) -> bool:
        return (bool(CAPTION.match(element.text or "")) and index + 1 < len(children)
                and children[index + 1].tag == "table")

    def caption(self, paragraph: etree.Element, table: etree.Element) -> None:
        self.tables += 1
        title = CAPTION.sub("", element_text(paragraph))
        anchor, classes = None, []
        attrs = CAPTION_ATTRS.search(title)
        if attrs:
            title = title[: attrs.start()]
            for token in attrs.group(1).split():
                if token.startswith("#"):
                    anchor = token[1:]
                elif token.startswith("."):
                    classes.append(token[1:])
        anchor = anchor or self._unique_id(f"tbl-{self.tables}")
        self.used_ids.add(anchor)
        table.set("id", anchor)
        shaped = {"fields", "signatures"} & set(classes)
        table.set("class", " ".join(classes if shaped else ["data", *classes]))
        if shaped:
            _row_headers(table)
        caption = etree.Element("caption")
        label = etree.SubElement(caption, "span")
        label.set("class", "label")
        label.text = f"Table {self.tables}"
        label.tail = ": " + title
        table.insert(0, caption)
        self.tree.root.remove(paragraph)
        self.tree.targets[anchor] = Target(anchor, "table", str(self.tables), title)

    @staticmethod
    def _figure_image(element: etree.Element) -> etree.Element | None:
        images = list(element)
        if len(images) == 1 and images[0].tag == "img" and not (element.text or "").strip() \
                and not (images[0].tail or "").strip() and images[0].get("src", "").startswith("figure:"):
            return images[0]
        return None

    def figure(self, paragraph: etree.Element) -> None:
        image = self._figure_image(paragraph)
        self.figures += 1
        title = image.get("alt", "")
        anchor = image.attrib.pop("id", None) or self._unique_id(f"fig-{self.figures}")
        paragraph.tag = "figure"
        paragraph.attrib.clear()
        paragraph.set("id", anchor)
        caption = etree.SubElement(paragraph, "figcaption")
        label = etree.SubElement(caption, "span")
        label.set("class", "label")
        label.text = f"Figure {self.figures}"
        label.tail = ": " + title
        self.tree.figures.append(image.get("src").removeprefix("figure:"))
        self.tree.targets[anchor] = Target(anchor, "figure", str(self.figures), title)


def _row_headers(table: etree.Element) -> None:
    """In label/value and signature tables the first cell of each body row labels the row."""
    for body in table.findall("tbody"):
        for row in body.findall("tr"):
            cells = list(row)
            if cells and cells[0].tag == "td":
                cells[0].tag = "th"
                cells[0].set("scope", "row")


def _xrefs(root: etree.Element) -> Iterator[etree.Element]:
    for element in root.iter("a"):
        if element.get("class") == "xref":
            yield element


def _resolve_references(tree: DocumentTree) -> None:
    """Fill every ``[@id]`` with the target's label and number, or record it as unresolved."""
    for link in _xrefs(tree.root):
        ref = link.attrib.pop("data-ref")
        target = tree.targets.get(ref)
        if target is None:
            tree.unresolved.append(ref)
            link.text = f"[@{ref}]"
            link.set("class", "xref unresolved")
            continue
        link.set("href", f"#{target.id}")
        link.set("data-target-kind", target.kind)
        link.text = target.reference_text()

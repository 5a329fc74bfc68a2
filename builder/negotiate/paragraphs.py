"""The paragraphs of a Word document as the import needs them: text with tracked changes accepted
or rejected, the same text as Markdown (bold, italic, cross-references), the source bookmarks
each paragraph holds, and the tracked changes and comments people left."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from builder.negotiate.package import W, Package
from builder.tree import collapse_whitespace

Q = f"{{{W}}}"
REF_INSTRUCTION = re.compile(r"^\s*(?:REF|PAGEREF)\s+(\S+)", re.IGNORECASE)
OFF = ("0", "false", "off", "none")
# "clause [@clause-x]": the label is part of what [@clause-x] shows ("clause 3.2"), so it goes
LABELLED_REFERENCE = re.compile(r"\b(section|clause|Section|Clause|Table|Figure)\s+(\[@[a-z0-9-]+\])")


@dataclass
class TrackedChange:
    """A change made with Track Changes on, not yet accepted or rejected."""

    kind: str  # insertion | deletion | move | formatting | paragraph inserted | paragraph deleted
    author: str
    date: str
    text: str
    paragraph: int  # index of the paragraph it is in


@dataclass
class Comment:
    """A comment and the paragraph it is attached to."""

    author: str
    date: str
    text: str
    paragraph: int | None


@dataclass
class WordParagraph:
    """One paragraph of the document body (table cells included)."""

    index: int
    style: str
    text: str  # plain text, tracked changes resolved as asked
    markdown: str  # the same with **bold**, *italic* and [@ref] cross-references
    bookmarks: list[str] = field(default_factory=list)
    in_table: bool = False
    bold_throughout: bool = False


@dataclass
class Inline:
    """Walks the inline content of one paragraph, building text and Markdown together."""

    decision: str  # accept | reject | raw
    targets: dict[str, str]  # Word bookmark name -> tree anchor id (for cross-references)
    text: list[str] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)
    field_state: list[str] = field(default_factory=list)  # "instr" | "result" per open field
    field_instruction: list[str] = field(default_factory=list)
    bold_chars: int = 0
    chars: int = 0

    def add(self, value: str, bold: bool, italic: bool) -> None:
        if not value:
            return
        self.text.append(value)
        self.chars += len(value.strip())
        self.bold_chars += len(value.strip()) if bold else 0
        if self.field_state and self.field_state[-1] == "result" and self._reference():
            return  # the cross-reference's number: written once as [@target] when the field begins
        stripped = value.strip()
        if stripped and (bold or italic):
            mark = "**" if bold and not italic else "*" if italic and not bold else "***"
            lead, trail = value[: len(value) - len(value.lstrip())], value[len(value.rstrip()):]
            value = f"{lead}{mark}{stripped}{mark}{trail}"
        self.markdown.append(value)

    def _reference(self) -> str | None:
        instruction = "".join(self.field_instruction[-1:])
        match = REF_INSTRUCTION.match(instruction)
        return self.targets.get(match.group(1)) if match else None

    def walk(self, node: etree._Element) -> None:
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "r":
                self.run(child)
            elif tag == "ins":
                if self.decision != "reject":
                    self.walk(child)
            elif tag == "del":
                if self.decision == "reject":
                    self.walk(child)
            elif tag in ("moveFrom",):
                if self.decision == "reject":
                    self.walk(child)
            elif tag in ("moveTo",):
                if self.decision != "reject":
                    self.walk(child)
            elif tag == "hyperlink":
                anchor = child.get(f"{Q}anchor")
                target = self.targets.get(anchor or "")
                if target:
                    self.field_state.append("result")
                    self.field_instruction.append(f"REF {anchor}")
                    self.markdown.append(f"[@{target}]")
                    self.walk(child)
                    self.field_state.pop()
                    self.field_instruction.pop()
                else:
                    self.walk(child)
            elif tag == "fldSimple":
                instruction = child.get(f"{Q}instr") or ""
                self._field_begin(instruction)
                self.field_state[-1] = "result"
                self.walk(child)
                self.field_state.pop()
                self.field_instruction.pop()
            elif tag in ("smartTag", "sdt", "sdtContent", "customXml"):
                self.walk(child)

    def _field_begin(self, instruction: str) -> None:
        self.field_state.append("instr")
        self.field_instruction.append(instruction)
        self._reference_mark(instruction)

    def _reference_mark(self, instruction: str) -> None:
        """A REF field to a heading, clause, table or figure is written back as [@target]."""
        match = REF_INSTRUCTION.match(instruction)
        target = self.targets.get(match.group(1)) if match else None
        if target and instruction.strip().upper().startswith("REF"):
            self.markdown.append(f"[@{target}]")

    def run(self, run: etree._Element) -> None:
        properties = run.find(f"{Q}rPr")
        bold = _on(properties, "b")
        italic = _on(properties, "i")
        for child in run:
            tag = etree.QName(child).localname
            if tag == "fldChar":
                kind = child.get(f"{Q}fldCharType")
                if kind == "begin":
                    self.field_state.append("instr")
                    self.field_instruction.append("")
                elif kind == "separate" and self.field_state:
                    self.field_state[-1] = "result"
                    self._reference_mark(self.field_instruction[-1])
                elif kind == "end" and self.field_state:
                    self.field_state.pop()
                    self.field_instruction.pop()
            elif tag in ("instrText", "delInstrText"):
                if self.field_state and self.field_state[-1] == "instr":
                    self.field_instruction[-1] += child.text or ""
            elif tag == "t" or (tag == "delText" and self.decision == "reject"):
                if not self.field_state or self.field_state[-1] == "result":
                    self.add(child.text or "", bold, italic)
            elif tag in ("tab",):
                self.add(" ", False, False)
            elif tag in ("br", "cr"):
                self.add(" ", False, False)
            elif tag == "noBreakHyphen":
                self.add("-", bold, italic)


def _on(properties: etree._Element | None, name: str) -> bool:
    if properties is None:
        return False
    element = properties.find(f"{Q}{name}")
    return element is not None and (element.get(f"{Q}val") or "true").lower() not in OFF


collapse = collapse_whitespace  # whitespace folded as the document tree folds it


def read_paragraphs(package: Package, decision: str, targets: dict[str, str]) -> list[WordParagraph]:
    """Every paragraph of the body, in document order."""
    body = package.document.find(f"{Q}body")
    paragraphs = []
    for index, element in enumerate(body.iter(f"{Q}p")):
        inline = Inline(decision, targets)
        inline.walk(element)
        style = element.find(f"{Q}pPr/{Q}pStyle")
        bookmarks = [b.get(f"{Q}name") for b in element.iter(f"{Q}bookmarkStart") if b.get(f"{Q}name")]
        in_table = any(etree.QName(a).localname == "tc" for a in element.iterancestors())
        text = collapse("".join(inline.text))
        markdown = LABELLED_REFERENCE.sub(r"\2", collapse("".join(inline.markdown)).replace("****", ""))
        paragraphs.append(WordParagraph(index, style.get(f"{Q}val") if style is not None else "", text, markdown,
                                        bookmarks, in_table, inline.chars > 0 and inline.bold_chars == inline.chars))
    return paragraphs


def tracked_changes(package: Package) -> list[TrackedChange]:
    """Every change still tracked in the body, with who made it, when and what it is."""
    body = package.document.find(f"{Q}body")
    changes = []
    for index, paragraph in enumerate(body.iter(f"{Q}p")):
        for node in paragraph.iter(f"{Q}ins", f"{Q}del", f"{Q}moveFrom", f"{Q}moveTo", f"{Q}rPrChange",
                                   f"{Q}pPrChange"):
            name = etree.QName(node).localname
            parent = etree.QName(node.getparent()).localname
            if parent == "rPr" and name in ("ins", "del"):
                kind = "paragraph inserted" if name == "ins" else "paragraph deleted"
                text = ""
            elif name in ("rPrChange", "pPrChange"):
                kind, text = "formatting", ""
            else:
                kind = {"ins": "insertion", "del": "deletion", "moveFrom": "move", "moveTo": "move"}[name]
                text = "".join(t.text or "" for t in node.iter(f"{Q}t", f"{Q}delText"))
            changes.append(TrackedChange(kind, node.get(f"{Q}author") or "unknown", node.get(f"{Q}date") or "",
                                         text, index))
    for row in body.iter(f"{Q}trPr"):
        for node in row:
            name = etree.QName(node).localname
            if name in ("ins", "del"):
                first = next(row.getparent().iter(f"{Q}p"), None)
                index = list(body.iter(f"{Q}p")).index(first) if first is not None else 0
                changes.append(TrackedChange(f"table row {'inserted' if name == 'ins' else 'deleted'}",
                                             node.get(f"{Q}author") or "unknown", node.get(f"{Q}date") or "", "",
                                             index))
    return changes


def comments(package: Package) -> list[Comment]:
    """Every comment, with the paragraph where its range starts."""
    if package.comments is None:
        return []
    body = package.document.find(f"{Q}body")
    anchors: dict[str, int] = {}
    for index, paragraph in enumerate(body.iter(f"{Q}p")):
        for start in paragraph.iter(f"{Q}commentRangeStart", f"{Q}commentReference"):
            anchors.setdefault(start.get(f"{Q}id") or "", index)
    found = []
    for comment in package.comments.iter(f"{Q}comment"):
        text = " ".join(collapse("".join(t.text or "" for t in p.iter(f"{Q}t"))) for p in comment.iter(f"{Q}p"))
        found.append(Comment(comment.get(f"{Q}author") or "unknown", comment.get(f"{Q}date") or "", text.strip(),
                             anchors.get(comment.get(f"{Q}id") or "")))
    return found

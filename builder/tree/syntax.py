"""Python-Markdown extensions for the documents: numbered clauses, cross-references, captions.

- A paragraph starting with ``§`` is a numbered clause one level below the current heading,
  ``§§`` two levels below; ``§ {#clause-id} text`` gives it an id.
- ``[@target-id]`` is a cross-reference to a heading, clause, table or figure.
- ``Table: caption {#tbl-id .class}`` just before a table becomes its caption.
- A paragraph holding only ``![caption](figure:name){#fig-id}`` becomes a figure.
Raw HTML in the Markdown is not interpreted: it is kept as literal text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

CLAUSE_LINE = re.compile(r"^(§§?)[ \t]+(?:\{#([a-z0-9][a-z0-9-]*)\}[ \t]*)?", re.MULTILINE)
XREF = r"\[@([a-z0-9][a-z0-9-]*)\]"


class ClauseProcessor(BlockProcessor):
    """Turn ``§`` paragraphs into ``<p class="clause clause-level-N">``."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(CLAUSE_LINE.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        starts = [m.start() for m in CLAUSE_LINE.finditer(block)]
        for begin, end in zip(starts, starts[1:] + [len(block)]):
            chunk = block[begin:end]
            match = CLAUSE_LINE.match(chunk)
            level = 2 if match.group(1) == "§" else 3
            paragraph = etree.SubElement(parent, "p")
            paragraph.set("class", f"clause clause-level-{level}")
            if match.group(2):
                paragraph.set("id", match.group(2))
            paragraph.text = chunk[match.end():].strip()


class XrefProcessor(InlineProcessor):
    """``[@id]`` becomes a placeholder link that the numbering step fills in."""

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 - Python-Markdown's API
        link = etree.Element("a")
        link.set("class", "xref")
        link.set("data-ref", m.group(1))
        link.text = m.group(1)
        return link, m.start(0), m.end(0)


class PlaybookSyntax(Extension):
    """Registers the clause and cross-reference syntax; turns raw HTML into text."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's API
        md.parser.blockprocessors.register(ClauseProcessor(md.parser), "playbook-clause", 85)
        md.inlinePatterns.register(XrefProcessor(XREF, md), "playbook-xref", 175)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")  # '&amp;' in content is text, like any other

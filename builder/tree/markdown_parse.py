"""Markdown to an element tree with Python-Markdown, whole or chapter by chapter.

``parse_markdown`` parses a text at once. ``ChapterCache`` parses it one chapter at a time (the
text from one heading to the next) and keeps each chapter's tree by its text, so the live
preview, after a save that changed one paragraph, parses only the chapter that holds it. The
trees are the same either way: no Markdown construct the documents use runs across a heading
that follows a blank line (the tree's numbering, cross-references and sources are worked out
afterwards, on the whole tree).
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as etree
from collections import OrderedDict

import markdown

from builder.tree.syntax import PlaybookSyntax

STASH_PLACEHOLDER = re.compile(r"\x02wzxhzdk:(\d+)\x03")
CHAPTER_START = re.compile(r"(?<=\n\n)(?=#{1,6} )")  # a heading after a blank line
FENCES = ("```", "~~~")  # a fenced block could hold a line that looks like a heading: not split


def new_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "attr_list", "sane_lists", PlaybookSyntax()],
        output_format="html",
    )


def parse_markdown(text: str) -> etree.Element:
    """The tree of a Markdown text (a ``div`` holding its blocks), placeholders restored."""
    md = new_markdown()
    lines = text.split("\n")
    for processor in md.preprocessors:
        lines = processor.run(lines)
    root = md.parser.parseDocument(lines).getroot()
    for processor in md.treeprocessors:
        new_root = processor.run(root)
        if new_root is not None:
            root = new_root
    _restore_placeholders(root, md)
    return root


def chapters(text: str) -> list[str]:
    """The text cut before each heading that follows a blank line (whole, if it has a fenced block)."""
    if any(fence in text for fence in FENCES):
        return [text]
    return CHAPTER_START.split(text)


class ChapterCache:
    """Chapters' trees by their text, the most recently used kept."""

    def __init__(self, size: int = 512) -> None:
        self._trees: OrderedDict[str, etree.Element] = OrderedDict()
        self._size = size
        self.parsed = 0  # chapters parsed (not taken from the cache), for tests and reports

    def parse(self, text: str) -> etree.Element:
        """The tree of ``text``, as ``parse_markdown`` gives it, parsing only chapters not seen before."""
        root = etree.Element("div")
        for index, chapter in enumerate(chapters(text)):
            tree = self._trees.get(chapter)
            if tree is None:
                tree = self._trees[chapter] = parse_markdown(chapter)
                self.parsed += 1
            self._trees.move_to_end(chapter)
            if index == 0:
                root.text, root.tail = tree.text, tree.tail
            root.extend(copy.deepcopy(child) for child in tree)  # the caller numbers and strips its copy
        while len(self._trees) > self._size:
            self._trees.popitem(last=False)
        return root


def _restore_placeholders(root: etree.Element, md: markdown.Markdown) -> None:
    """Python-Markdown hides '&' and stashed raw text behind placeholders until serialization;
    put them back as plain text so every writer sees the same characters."""
    stash = md.htmlStash.rawHtmlBlocks

    def restore(value: str) -> str:
        value = value.replace(markdown.util.AMP_SUBSTITUTE, "&")
        return STASH_PLACEHOLDER.sub(lambda m: str(stash[int(m.group(1))]) if int(m.group(1)) < len(stash) else "", value)

    for element in root.iter():
        if element.text and ("\x02" in element.text or markdown.util.AMP_SUBSTITUTE in element.text):
            element.text = restore(element.text)
        if element.tail and ("\x02" in element.tail or markdown.util.AMP_SUBSTITUTE in element.tail):
            element.tail = restore(element.tail)
        for key, value in list(element.attrib.items()):
            if value is None:  # a bare {attribute} from attr_list: meaningless here
                del element.attrib[key]
            elif markdown.util.AMP_SUBSTITUTE in value or "\x02" in value:
                element.set(key, restore(value))

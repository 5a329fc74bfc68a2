"""The old and new document trees merged into one tree that marks what changed.

Top-level blocks (headings, clauses, paragraphs, lists, tables, figures) are matched first
with difflib on their text; inside matched lists and tables, items and rows are matched the
same way; inside matched paragraphs, words. The merged tree is the NEW document's tree in
which

- a whole block, list item or table row that was inserted or deleted carries the class
  ``rl-ins`` or ``rl-del`` (so do its paragraphs, items, rows and cells);
- words inserted or deleted inside a matched paragraph are wrapped in ``<ins>`` / ``<del>``.

One merged tree feeds both redline writers (redline_docx.py, redline_pdf.py), as one
document tree feeds every writer of a build.
"""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Iterator

from builder.tree import DocumentTree

INSERTED, DELETED = "rl-ins", "rl-del"
CHANGE_TAGS = {"ins": INSERTED, "del": DELETED}
INLINE_CONTAINERS = {"h1", "h2", "h3", "h4", "p", "li", "td", "th", "caption", "figcaption", "dt", "dd"}
NESTED_BLOCKS = {"ul", "ol", "p", "blockquote", "div", "table", "pre", "dl"}
ATOMS = {"br", "img"}
MARKED_DESCENDANTS = {"li", "tr", "td", "th", "p", "h1", "h2", "h3", "h4", "caption", "figcaption", "figure"}
MATCH_THRESHOLD = 0.5
CONTAINER_THRESHOLD = 0.25
MAX_ALIGNMENT_CELLS = 40_000
_WORDS = re.compile(r"\S+\s*|\s+")


# -- keys and similarity -----------------------------------------------------------------------
def classes(element: etree.Element) -> list[str]:
    """The element's class names."""
    return (element.get("class") or "").split()


def is_number_span(element: etree.Element) -> bool:
    """Whether this is the typed number the tree puts before a heading or clause."""
    return element.tag == "span" and "number" in classes(element)


def text_of(element: etree.Element, skip: str | None = None) -> str:
    """The element's text without its typed clause number (nor ``skip`` elements), whitespace collapsed."""
    return " ".join(_raw_text(element, skip).split())


def _raw_text(element: etree.Element, skip: str | None) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if not is_number_span(child) and child.tag != skip:
            parts.append(_raw_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def block_key(element: etree.Element, figure_keys: dict[str, str] | None = None) -> str:
    """What must be equal for two blocks to be the same block."""
    flavour = "clause" if "clause" in classes(element) else ""
    key = f"{element.tag}.{flavour}:{text_of(element)}"
    if element.tag == "figure" and figure_keys:
        image = element.find("img")
        name = (image.get("src") or "").removeprefix("figure:") if image is not None else ""
        key += "#" + figure_keys.get(name, "")
    return key


def similarity(old: etree.Element, new: etree.Element) -> float:
    """How alike two blocks' words are (0 to 1)."""
    a, b = text_of(old).split(), text_of(new).split()
    if not a and not b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < MATCH_THRESHOLD / 2:
        return 0.0
    return matcher.ratio()


def compatible(old: etree.Element, new: etree.Element) -> bool:
    """Blocks that may be matched as one changed block: same tag, both clauses or neither."""
    return old.tag == new.tag and ("clause" in classes(old)) == ("clause" in classes(new))


# -- whole blocks ------------------------------------------------------------------------------
def add_class(element: etree.Element, name: str) -> None:
    """Add a class name once."""
    if name not in classes(element):
        element.set("class", " ".join([*classes(element), name]))


def whole(element: etree.Element, mark: str) -> etree.Element:
    """A copy of ``element`` marked inserted or deleted, down to its items, rows and cells.

    Deleted blocks lose their ids (the new document owns its targets) and their figures
    point at the old drawing (``figure:old-<name>``).
    """
    result = copy.deepcopy(element)
    for node in result.iter():
        if node is result or node.tag in MARKED_DESCENDANTS:
            add_class(node, mark)
        if mark == DELETED:
            node.attrib.pop("id", None)
            if node.tag == "img" and (node.get("src") or "").startswith("figure:"):
                node.set("src", "figure:old-" + node.get("src").removeprefix("figure:"))
    return result


def mark_of(element: etree.Element) -> str | None:
    """rl-ins / rl-del for a whole-changed element, else None."""
    found = [c for c in classes(element) if c in (INSERTED, DELETED)]
    return found[0] if found else None


# -- sequences of blocks -----------------------------------------------------------------------
@dataclass
class Merger:
    """Merges two sibling sequences of elements; figure keys tell changed drawings apart."""

    old_figures: dict[str, str] = field(default_factory=dict)
    new_figures: dict[str, str] = field(default_factory=dict)

    def children(self, old: list[etree.Element], new: list[etree.Element]) -> list[etree.Element]:
        """Merge two lists of sibling blocks."""
        old_keys = [block_key(e, self.old_figures) for e in old]
        new_keys = [block_key(e, self.new_figures) for e in new]
        merged: list[etree.Element] = []
        matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                merged.extend(copy.deepcopy(e) for e in new[j1:j2])
            else:
                merged.extend(self.align(old[i1:i2], new[j1:j2]))
        return merged

    def align(self, old: list[etree.Element], new: list[etree.Element]) -> list[etree.Element]:
        """Pair the most similar blocks of two differing runs, in order; the rest are deleted or inserted."""
        pairs = self._best_pairs(old, new)
        merged: list[etree.Element] = []
        i = j = 0
        for pi, pj in pairs + [(len(old), len(new))]:
            merged.extend(whole(e, DELETED) for e in old[i:pi])
            merged.extend(whole(e, INSERTED) for e in new[j:pj])
            if pi < len(old):
                merged.extend(self.pair(old[pi], new[pj]))
            i, j = pi + 1, pj + 1
        return merged

    def _best_pairs(self, old: list[etree.Element], new: list[etree.Element]) -> list[tuple[int, int]]:
        """Order-preserving pairs maximising total similarity (a weighted LCS)."""
        n, m = len(old), len(new)
        if not n or not m or n * m > MAX_ALIGNMENT_CELLS:
            return []
        pair = [[self._pair_score(o, e) for e in new] for o in old]
        score = [[0.0] * (m + 1) for _ in range(n + 1)]
        for a in range(n - 1, -1, -1):
            for b in range(m - 1, -1, -1):
                best = max(score[a + 1][b], score[a][b + 1])
                if pair[a][b]:
                    best = max(best, pair[a][b] + score[a + 1][b + 1])
                score[a][b] = best
        pairs, a, b = [], 0, 0
        while a < n and b < m:
            s = pair[a][b]
            if s and score[a][b] == s + score[a + 1][b + 1]:
                pairs.append((a, b))
                a, b = a + 1, b + 1
            elif score[a][b] == score[a + 1][b]:
                a += 1
            else:
                b += 1
        return pairs

    def _pair_score(self, old: etree.Element, new: etree.Element) -> float:
        if not compatible(old, new):
            return 0.0
        threshold = CONTAINER_THRESHOLD if old.tag in ("ul", "ol", "table", "blockquote", "div") else MATCH_THRESHOLD
        ratio = similarity(old, new)
        return ratio if ratio >= threshold else 0.0

    def pair(self, old: etree.Element, new: etree.Element) -> list[etree.Element]:
        """Merge two matched blocks of the same tag."""
        if new.tag in ("ul", "ol", "blockquote", "div", "dl"):
            result = _shallow(new)
            result.extend(self.children(list(old), list(new)))
            return [result]
        if new.tag == "table":
            return [self.table(old, new)]
        if new.tag == "tr":
            return self.row(old, new)
        if new.tag in ("figure", "pre", "hr"):
            return [whole(old, DELETED), whole(new, INSERTED)]
        return [self.inline(old, new)]

    # -- tables --------------------------------------------------------------------------------
    def table(self, old: etree.Element, new: etree.Element) -> etree.Element:
        """Caption by words, header and body rows by row, cells by words."""
        result = _shallow(new)
        old_caption, new_caption = old.find("caption"), new.find("caption")
        if new_caption is not None:
            result.append(self.inline(old_caption, new_caption) if old_caption is not None else whole(new_caption, INSERTED))
        for section in ("thead", "tbody"):
            old_rows = [r for s in old.findall(section) for r in s.findall("tr")]
            new_sections = new.findall(section)
            new_rows = [r for s in new_sections for r in s.findall("tr")]
            if not old_rows and not new_rows:
                continue
            body = _shallow(new_sections[0]) if new_sections else etree.Element(section)
            body.text = "\n"
            body.extend(self.children(old_rows, new_rows))
            result.append(body)
        return result

    def row(self, old: etree.Element, new: etree.Element) -> list[etree.Element]:
        """Rows with the same cells are merged cell by cell; otherwise replaced."""
        old_cells, new_cells = list(old), list(new)
        if len(old_cells) != len(new_cells):
            return [whole(old, DELETED), whole(new, INSERTED)]
        result = _shallow(new)
        result.extend(self.inline(a, b) for a, b in zip(old_cells, new_cells))
        return [result]

    # -- words ---------------------------------------------------------------------------------
    def inline(self, old: etree.Element, new: etree.Element) -> etree.Element:
        """The new element with its words diffed against the old: <del> and <ins> where they differ."""
        result = _shallow(new)
        number = next((c for c in new if is_number_span(c)), None)
        if number is not None:
            kept = copy.deepcopy(number)
            kept.tail = None  # the words after the number are tokens, diffed with the rest
            result.append(kept)
        old_tokens, new_tokens = list(tokens(old)), list(tokens(new))
        builder = _InlineBuilder(result)
        matcher = SequenceMatcher(None, [t.key for t in old_tokens], [t.key for t in new_tokens], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                builder.add(new_tokens[j1:j2], None)
                continue
            builder.add(old_tokens[i1:i2], "del")
            builder.add(new_tokens[j1:j2], "ins")
        old_blocks = [c for c in old if c.tag in NESTED_BLOCKS]
        new_blocks = [c for c in new if c.tag in NESTED_BLOCKS]
        if old_blocks or new_blocks:
            nested = self.children(old_blocks, new_blocks)
            for child in nested:
                child.tail = "\n"
            result.extend(nested)
        return result


def _shallow(element: etree.Element) -> etree.Element:
    """A childless copy of ``element`` (tag and attributes)."""
    result = etree.Element(element.tag, dict(element.attrib))
    result.text = None
    result.tail = element.tail
    return result


# -- tokens ------------------------------------------------------------------------------------
Format = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class Token:
    """A word (with its trailing space) in its formatting, or an atom (cross-reference, break)."""

    text: str
    fmt: Format
    atom: etree.Element | None = None

    @property
    def key(self) -> tuple:
        if self.atom is not None:
            return ("atom", self.atom.tag, self.atom.get("href") or "", self.atom.get("src") or "", self.fmt)
        return (self.text.strip() or " ", self.fmt)


def tokens(element: etree.Element, fmt: Format = ()) -> Iterator[Token]:
    """The words of an element's inline content (nested lists and paragraphs are left out)."""
    yield from _words(element.text, fmt)
    for child in element:
        if is_number_span(child):
            pass
        elif child.tag in NESTED_BLOCKS and not fmt:
            continue  # nested blocks are merged as blocks; their tails are whitespace
        elif child.tag in ATOMS or (child.tag == "a" and "xref" in classes(child)):
            atom = copy.deepcopy(child)
            atom.tail = None
            yield Token("", fmt, atom)
        elif child.tag in CHANGE_TAGS:
            yield from tokens(child, fmt)
        else:
            attrs = tuple(sorted((k, v) for k, v in child.attrib.items() if k != "id"))
            yield from tokens(child, fmt + ((child.tag, attrs),))
        yield from _words(child.tail, fmt)


def _words(text: str | None, fmt: Format) -> Iterator[Token]:
    for word in _WORDS.findall(text or ""):
        yield Token(word, fmt)


class _InlineBuilder:
    """Appends tokens to an element, rebuilding formatting and <ins>/<del> wrappers."""

    def __init__(self, root: etree.Element):
        self.root = root
        self.open: tuple[str | None, Format] | None = None
        self.chain: list[etree.Element] = []

    def add(self, items: list[Token], change: str | None) -> None:
        for token in items:
            state = (change, token.fmt)
            if state != self.open:
                self._start(change, token.fmt)
                self.open = state
            parent = self.chain[-1] if self.chain else self.root
            if token.atom is not None:
                parent.append(copy.deepcopy(token.atom))
            else:
                _append_text(parent, token.text)

    def _start(self, change: str | None, fmt: Format) -> None:
        parent = self.root
        self.chain = []
        if change:
            parent = etree.SubElement(parent, change)
            self.chain.append(parent)
        for tag, attrs in fmt:
            parent = etree.SubElement(parent, tag, dict(attrs))
            self.chain.append(parent)


def _append_text(parent: etree.Element, text: str) -> None:
    """Append text after the element's last child (or as its text)."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# -- documents ---------------------------------------------------------------------------------
def merge_trees(old: DocumentTree | None, new: DocumentTree | None,
                old_figures: dict[str, str] | None = None, new_figures: dict[str, str] | None = None) -> etree.Element:
    """The merged root of two document trees (either may be missing: all inserted or deleted)."""
    merger = Merger(old_figures or {}, new_figures or {})
    root = etree.Element("div")
    old_children = list(old.root) if old is not None else []
    new_children = list(new.root) if new is not None else []
    for child in merger.children(old_children, new_children):
        child.tail = "\n"
        root.append(child)
    return root


def has_marks(element: etree.Element) -> bool:
    """Whether anything in ``element`` is inserted or deleted."""
    return any(node.tag in CHANGE_TAGS or mark_of(node) for node in element.iter())


@dataclass(frozen=True)
class Place:
    """Where the document changed: the numbered heading or clause, and how."""

    number: str
    title: str
    change: str  # inserted | deleted | changed

    def label(self, heading_word: str) -> str:
        word = "Clause" if self.number and heading_word == "clause" else "Section"
        where = f"{word} {self.number} {self.title}" if self.number else self.title or "Start of the document"
        return f"{where}: {self.change}"


def changed_places(root: etree.Element) -> list[Place]:
    """Numbered headings and clauses where something changed, in document order."""
    places: list[Place] = []
    current = Place("", "", "")
    for element in root:
        numbered = element.tag in ("h1", "h2", "h3") or "clause" in classes(element)
        mark = mark_of(element)
        if numbered:
            number = next((c.text or "" for c in element if is_number_span(c)), element.get("data-number") or "")
            current = Place(number, _short(text_of(element, skip="del")), "")
        if not has_marks(element):
            continue
        if numbered:
            change = {INSERTED: "inserted", DELETED: "deleted"}.get(mark or "", "changed")
        else:
            change = "changed"
        place = Place(current.number, current.title, change)
        if not places or (places[-1].number, places[-1].title) != (place.number, place.title):
            places.append(place)
    return places


def clause_changes(root: etree.Element) -> tuple[list[str], list[str]]:
    """Numbered headings and clauses inserted and deleted (a Quality Agreement's major changes)."""
    added, removed = [], []
    for element in root:
        if not (element.tag in ("h1", "h2", "h3") and element.get("data-number")) and "clause" not in classes(element):
            continue
        label = f"{element.get('data-number', '')} {_short(text_of(element))}".strip()
        if mark_of(element) == INSERTED:
            added.append(label)
        elif mark_of(element) == DELETED:
            removed.append(label)
    return added, removed


def _short(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")

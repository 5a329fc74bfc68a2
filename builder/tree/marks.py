"""Source marks: invisible brackets around content text in the rendered Markdown, turned into each
paragraph's, list item's and cell's source (``data-source``) when the tree is built.

A mark is made of private-use characters: ``START key SEP`` opens, ``END key SEP`` closes; the key
is an Origin's short hash written with sixteen private-use digits. Marks never reach an output:
the tree strips them, and the review snapshot is the Markdown without them.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import xml.etree.ElementTree as etree
from typing import Iterator

from builder.tree.origins import Origin

START, SEP, END = "\ue000", "\ue001", "\ue002"
DIGITS = "".join(chr(0xE010 + n) for n in range(16))
_ENCODE = str.maketrans("0123456789abcdef", DIGITS)
_DECODE = str.maketrans(DIGITS, "0123456789abcdef")
MARK = re.compile(f"([{START}{END}])([{DIGITS}]+){SEP}")
ANY_MARK_CHAR = re.compile(f"[{START}{SEP}{END}{DIGITS}]")
SOURCED_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "caption", "figcaption", "dt", "dd"}
BLOCK_PREFIX = re.compile(r"^(\s*(?:(?:[-*+]|\d+[.)])[ \t]+|#{1,6}[ \t]+|§§?[ \t]+(?:\{#[^}]*\}[ \t]*)?|>[ \t]?)*)")

_recording: contextvars.ContextVar[dict[str, Origin] | None] = contextvars.ContextVar("playbook_origins", default=None)


@contextlib.contextmanager
def recording_origins() -> Iterator[dict[str, Origin]]:
    """While active, ``mark`` brackets sourced text and records its origin in the yielded dict."""
    origins: dict[str, Origin] = {}
    token = _recording.set(origins)
    try:
        yield origins
    finally:
        _recording.reset(token)


def mark(text: str, origin: Origin | None, block: bool = False) -> str:
    """``text`` bracketed by the marks of ``origin`` (unchanged when not recording or no origin).

    For block text the opening mark goes after any leading list marker, heading or clause sign,
    so the Markdown keeps its meaning."""
    origins = _recording.get()
    if origins is None or origin is None or not text:
        return text
    key = origin.key
    origins[key] = origin
    code = key.translate(_ENCODE)
    opening, closing = f"{START}{code}{SEP}", f"{END}{code}{SEP}"
    if not block:
        return opening + text + closing
    prefix = BLOCK_PREFIX.match(text).group(1)
    body = text[len(prefix):].rstrip("\n")
    trailing = text[len(prefix) + len(body):]
    return prefix + opening + body + closing + trailing


def strip_marks(text: str) -> str:
    """The text without any mark."""
    return MARK.sub("", text) if START in text or END in text else text


def extract_sources(root: etree.Element) -> None:
    """Give every block element the sources of the text it holds (``data-source="key:part ..."``,
    part: which paragraph of that field it is) and remove the marks from the tree."""
    open_keys: list[str] = []
    found: dict[int, list[str]] = {}
    elements: dict[int, etree.Element] = {}

    def read(text: str | None, owner: etree.Element | None) -> str | None:
        if not text:
            if owner is not None and open_keys:
                _add(owner, open_keys)
            return text
        position = 0
        for match in MARK.finditer(text):
            if owner is not None and open_keys and text[position:match.start()].strip():
                _add(owner, open_keys)
            key = match.group(2).translate(_DECODE)
            if match.group(1) == START:
                open_keys.append(key)
            elif key in open_keys:
                if owner is not None and text[position:match.start()].strip():
                    _add(owner, open_keys)
                open_keys.remove(key)
            position = match.end()
        if owner is not None and open_keys and text[position:].strip():
            _add(owner, open_keys)
        return MARK.sub("", text)

    def _add(owner: etree.Element, keys: list[str]) -> None:
        elements[id(owner)] = owner
        listed = found.setdefault(id(owner), [])
        listed.extend(key for key in keys if key not in listed)

    def visit(element: etree.Element, owner: etree.Element | None) -> None:
        current = element if element.tag in SOURCED_BLOCKS else owner
        if current is element and open_keys:
            _add(element, open_keys)
        element.text = read(element.text, current)
        for child in element:
            visit(child, current)
            child.tail = read(child.tail, current)
        for name, value in list(element.attrib.items()):
            if START in value or END in value:
                element.set(name, strip_marks(value))

    visit(root, None)
    parts: dict[str, int] = {}
    for element in root.iter():
        keys = found.get(id(element))
        if not keys:
            continue
        labels = []
        for key in keys:
            labels.append(f"{key}:{parts.get(key, 0)}")
            parts[key] = parts.get(key, 0) + 1
        element.set("data-source", " ".join(labels))

"""Source marks in the DOCX: which content field each paragraph came from, for ``playbook import``.

Every paragraph, list item, heading, clause, caption and table-cell paragraph whose tree element
has a ``data-source`` ("key:part key:part ...", see builder/tree/marks.py) is wrapped in one
hidden bookmark per key: ``_pb_<key>`` the first time a key marks a paragraph, ``_pb_<key>_<n>``
the n-th time after that. Word and LibreOffice keep such bookmarks through edits and saves;
the importer finds a paragraph's source by the ``bookmarkStart`` that lies in it.

The file also carries:

- ``docProps/custom.xml``: the text properties ``playbook.pairing``, ``playbook.document``,
  ``playbook.version`` and ``playbook.build`` (the manifest key of the DOCX output, or a hash of
  the document's Markdown when it was written outside a build);
- a custom XML part in the namespace ``urn:playbook-builder:sources:1`` (item id
  ``SOURCES_ITEM_ID``) that maps each bookmark to its field::

      <sources xmlns="urn:playbook-builder:sources:1" pairing=".." document=".." version="..">
        <mark name="_pb_3f2a9c10e1" kind="provision" id="qa-audits" path='["clauses",2]'
              part="0" text="a1b2c3d4e5f60718"/>
      </sources>

  ``path`` is the field's YAML path as a JSON array, ``part`` which paragraph of the field it is,
  and ``text`` the first 16 hex digits of the SHA-256 of the paragraph's text as built (its
  ``w:t`` texts joined), so an edit shows as a different hash.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from builder.tree import collapse_whitespace
from builder.tree.origins import Origin

NAMESPACE = "urn:playbook-builder:sources:1"
SOURCES_ITEM_ID = "{5C6F1B9E-3D2A-4E8B-9A61-7B0C2D4E8F13}"  # fixed: the importer finds the part by it
PREFIX = "_pb_"
_T = qn("w:t")


@dataclass(frozen=True)
class SourceMark:
    """One bookmark: its name, the field its text came from, and a hash of that text."""

    name: str
    origin: Origin
    part: int
    text_hash: str


class SourceMarks:
    """Names the source bookmarks of a document and keeps the map from names to fields."""

    def __init__(self, origins: dict[str, Origin]):
        self.origins = origins
        self.uses: dict[str, int] = {}
        self.marks: list[SourceMark] = []

    def names(self, paragraph: Paragraph, *elements: etree.Element | None) -> list[str]:
        """The bookmark names for a paragraph written from `elements` (their data-source keys, each
        once), recorded with the paragraph's text hash; call it once the paragraph is written."""
        sources = dict.fromkeys(source for element in elements if element is not None
                                for source in (element.get("data-source") or "").split())
        found, keys = [], set()
        text_hash = hashlib.sha256(paragraph_text(paragraph).encode("utf-8")).hexdigest()[:16]
        for source in sources:
            key, _, part = source.partition(":")
            origin = self.origins.get(key)
            if origin is None or key in keys:
                continue
            keys.add(key)
            used = self.uses.get(key, 0)
            self.uses[key] = used + 1
            name = f"{PREFIX}{key}" + (f"_{used}" if used else "")
            self.marks.append(SourceMark(name, origin, int(part) if part.isdigit() else 0, text_hash))
            found.append(name)
        return found

    def map_xml(self, pairing: str, document: str, version: str) -> bytes:
        """The custom XML part: every bookmark and the field it stands for."""
        marks = "".join(
            f"<mark name={quoteattr(mark.name)} kind={quoteattr(mark.origin.kind)} id={quoteattr(mark.origin.id)}"
            f" path={quoteattr(json.dumps(list(mark.origin.path), separators=(',', ':')))}"
            f' part="{mark.part}" text="{mark.text_hash}"/>'
            for mark in self.marks)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sources xmlns="{NAMESPACE}"'
                f" pairing={quoteattr(pairing)} document={quoteattr(document)} version={quoteattr(version)}>"
                f"{marks}</sources>").encode("utf-8")


def paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text as the source map hashes it: its w:t texts, joined, white space
    collapsed (as the importer reads it: a no-break space is a space)."""
    return collapse_whitespace("".join(t.text or "" for t in paragraph._p.iter(_T)))

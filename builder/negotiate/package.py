"""Open a negotiated Word file safely: a zip of limited size, XML without entities or network.

Everything ``playbook import`` reads of the file goes through here; a file that is not a DOCX,
a corrupt or oversized zip, or XML that asks for external entities is refused with a clear
message (exit 2 at the command line), before anything else happens.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB: a zip bomb otherwise
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM_PROPERTIES = "docProps/custom.xml"


class NotPlaybookDocx(Exception):
    """The file cannot be imported: not a DOCX, damaged, hostile, or not built by playbook-builder."""


def safe_parser() -> etree.XMLParser:
    """An XML parser that never expands entities, loads DTDs or reaches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, name: str) -> etree._Element:
    if b"<!ENTITY" in data[:4096] or b"<!DOCTYPE" in data[:4096]:
        raise NotPlaybookDocx(f"{name} declares a DOCTYPE or entities, which Word never writes; refused")
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise NotPlaybookDocx(f"{name} is not well-formed XML ({exc.msg}); the file is damaged") from None


@dataclass
class Package:
    """The parts of a DOCX that the import reads, parsed."""

    path: Path
    document: etree._Element
    properties: dict[str, str] = field(default_factory=dict)
    comments: etree._Element | None = None
    custom_parts: list[etree._Element] = field(default_factory=list)


def open_package(path: Path) -> Package:
    """Read a DOCX for import; NotPlaybookDocx says why it cannot be."""
    if not path.is_file():
        raise NotPlaybookDocx(f"{path}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotPlaybookDocx(f"{path} is not a Word document (.docx): {exc}") from None
    with archive:
        infos = {info.filename: info for info in archive.infolist()}
        if "word/document.xml" not in infos:
            raise NotPlaybookDocx(f"{path} is a zip but not a Word document (no word/document.xml)")
        total = 0
        for info in infos.values():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or \
                    (info.file_size > 1_000_000 and ratio > MAX_RATIO):
                raise NotPlaybookDocx(f"{path}: {info.filename} would unpack to {info.file_size:,} bytes; "
                                      "refused as a possible zip bomb")

        def read(name: str) -> bytes:
            try:
                return archive.read(name)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # a damaged member, a bad CRC
                raise NotPlaybookDocx(f"{path}: cannot read {name} ({exc}); the file is damaged") from None

        package = Package(path, parse_xml(read("word/document.xml"), "word/document.xml"))
        if CUSTOM_PROPERTIES in infos:
            package.properties = _properties(parse_xml(read(CUSTOM_PROPERTIES), CUSTOM_PROPERTIES))
        if "word/comments.xml" in infos:
            package.comments = parse_xml(read("word/comments.xml"), "word/comments.xml")
        for name in sorted(infos):
            if name.startswith("customXml/item") and name.endswith(".xml") and "Props" not in name:
                package.custom_parts.append(parse_xml(read(name), name))
    return package


def _properties(root: etree._Element) -> dict[str, str]:
    """Custom document properties as text (LibreOffice may turn numbers into decimals: text is kept)."""
    values = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            values[name] = (prop[0].text or "").strip()
    return values

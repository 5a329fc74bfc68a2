"""Package parts: document properties (core, app, custom), custom XML data, byte-stable saving."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_APP_XML_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"


def set_app_properties(document: Document, application: str, pages: int | None = None) -> None:
    """Replace docProps/app.xml with a truthful one: the application that made the file, and the
    page count only when it is known. No AppVersion (Office rejects one not shaped like "16.0000",
    and it would claim an Office version); no template, word or line counts that nobody counted."""
    body = f"<Application>{escape(application)}</Application>"
    if pages:
        body += f"<Pages>{int(pages)}</Pages>"
    _set_properties_part(document, "/docProps/app.xml", EXTENDED_PROPERTIES, body, _APP_XML_TYPE,
                         RT.EXTENDED_PROPERTIES)


def _set_properties_part(document: Document, name: str, namespace: str, body: str, content_type: str,
                         relationship: str) -> None:
    """Write a docProps part (a Properties element in `namespace` holding `body`), replacing it if present."""
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<Properties xmlns="{namespace}" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f"{body}</Properties>").encode("utf-8")
    package = document.part.package
    existing = next((part for part in package.iter_parts() if part.partname == name), None)
    if existing is not None:
        existing._blob = xml
    else:
        package.relate_to(Part(PackURI(name), content_type, xml, package), relationship)


def set_core_properties(document: Document, *, title: str, subject: str, author: str,
                        keywords: str, created: dt.date) -> None:
    """Fill docProps/core.xml deterministically: created = modified = `created` 00:00 UTC."""
    stamp = dt.datetime(created.year, created.month, created.day, tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.title, props.subject, props.keywords = title, subject, keywords
    props.author = props.last_modified_by = author
    props.created = props.modified = stamp
    props.revision = 1


CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_CUSTOM_XML_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_ITEM_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_USER_PROPERTY = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of user-defined properties
_TEXT_LIMIT = 255  # Word's dialog, and the binary format, keep no more of a text property


def set_custom_properties(document: Document, properties: Mapping[str, str]) -> None:
    """Write docProps/custom.xml: one text property (vt:lpwstr, which Word and LibreOffice keep as
    they are) per item, in the given order. ValueError for a value over 255 characters."""
    items = []
    for pid, (name, value) in enumerate(properties.items(), start=2):
        if len(value) > _TEXT_LIMIT:
            raise ValueError(f"custom property {name!r} is longer than {_TEXT_LIMIT} characters")
        items.append(f'<property fmtid="{_USER_PROPERTY}" pid="{pid}" name={quoteattr(name)}>'
                     f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>")
    _set_properties_part(document, "/docProps/custom.xml", CUSTOM_PROPERTIES, "".join(items), _CUSTOM_XML_TYPE,
                         RT.CUSTOM_PROPERTIES)


def add_custom_xml(document: Document, xml: bytes, item_id: str, namespace: str) -> None:
    """Add a custom XML data part (customXml/itemN.xml and its itemPropsN.xml with `item_id`, a
    GUID in braces, and `namespace` as its schema reference), as Word keeps data it does not
    own. After a save by Word or LibreOffice find it by namespace or item id: they renumber items."""
    package = document.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    number = next(n for n in range(1, 10_000) if f"/customXml/item{n}.xml" not in taken)
    item = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", xml, package)
    properties = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                  f'<ds:datastoreItem ds:itemID="{item_id}" '
                  'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
                  f"<ds:schemaRefs><ds:schemaRef ds:uri={quoteattr(namespace)}/></ds:schemaRefs>"
                  "</ds:datastoreItem>").encode("utf-8")
    item.relate_to(Part(PackURI(f"/customXml/itemProps{number}.xml"), _ITEM_PROPS_TYPE, properties, package),
                   RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


def save_deterministic(document: Document, path_or_stream: str | os.PathLike[str] | IO[bytes],
                       timestamp: tuple[int, ...] = (2000, 1, 1, 0, 0, 0)) -> None:
    """Save `document` so that the same content always gives the same bytes.

    python-docx writes parts in a stable order and its ids (rsids, w14:docId, rIds,
    our bookmark and numbering ids) come from the template or counters; only the
    zip entries carry the clock, so they are rewritten with a fixed date and mode.
    """
    raw, out = io.BytesIO(), io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=timestamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    if isinstance(path_or_stream, (str, os.PathLike)):
        Path(path_or_stream).write_bytes(out.getvalue())
    else:
        path_or_stream.write(out.getvalue())

"""PDF/A for filing: the output's build manifest entry as an embedded file, and PDF/UA declared
beside PDF/A in the XMP metadata (WeasyPrint's ``pdf_variant`` names only one of them)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from builder.tree import Document

MANIFEST_ATTACHMENT = "manifest.json"

# pdfuaid is not one of the XMP schemas PDF/A predefines, so PDF/A-2 and -3 need it declared
# in a pdfaExtension schema beside the property itself.
PDFUA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>
"""


def manifest_entry_json(document: Document) -> bytes | None:
    """The PDF's own build record, shaped like manifest.json with this one output: builder, options
    and the output's entry (path, inputs, key; not its size and sha256, which it cannot contain).
    None when the document was not made by a build (no provenance for the pdf format)."""
    outputs = document.provenance.get("outputs")
    entry = outputs.get("pdf") if isinstance(outputs, dict) else None
    if not entry:
        return None
    record = {"builder": document.provenance.get("builder"), "options": document.provenance.get("options"),
              "outputs": [entry]}
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")


def manifest_attachment(document: Document, data: bytes) -> Any:
    """A WeasyPrint Attachment of the manifest entry, dated by the document's effective date
    (an Attachment can be written once only: make a new one for every layout)."""
    from weasyprint import Attachment

    stamp = dt.datetime.combine(document.meta.effective_date, dt.time(), dt.timezone.utc)
    return Attachment(string=data, name=MANIFEST_ATTACHMENT, relationship="Data", created=stamp, modified=stamp,
                      description=f"Build manifest entry of this PDF: what {document.meta.title} was built from")


def declare_pdfua(pdf: Any) -> None:
    """Finisher step for PDF/A: list each attachment once in /AF (WeasyPrint 70 lists it twice) and
    add pdfuaid:part=1, with its extension schema, to the XMP metadata."""
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    xmp = b"".join(metadata.stream)
    metadata.stream = [xmp.replace(b"</rdf:RDF>", PDFUA_XMP + b"</rdf:RDF>", 1)]

"""Finish the tag tree WeasyPrint 70 writes, for PDF/UA.

Runs as a ``write_pdf`` finisher, on the pydyf objects before they are serialized:

- table headers get a /Scope (Column in the header row group, Row elsewhere) and their /IDs
  an /IDTree, so that the data cells' /Headers resolve;
- link annotations get a readable /Contents (the link's text) instead of the anchor id;
- running headers and footers (page margin boxes), which WeasyPrint marks as content of
  structure elements it leaves out of the tree, become artifacts.
"""

from __future__ import annotations

from typing import Any, Iterator

import pydyf

Pdf = Any  # pydyf.PDF
LaidOut = Any  # weasyprint.Document: the pages laid out


def finish_tags(document: LaidOut, pdf: Pdf) -> None:
    """Complete the tag tree of a tagged PDF (a no-op for an untagged one)."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    complete_table_headers(pdf)
    describe_links(document)
    margin_boxes_as_artifacts(pdf)


def _object(pdf: Pdf, reference: bytes) -> Any:
    return pdf.objects[int(reference.split()[0])]


def _struct_elements(pdf: Pdf, tag: str) -> Iterator[pydyf.Dictionary]:
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/StructElem" and item.get("S") == tag:
            yield item


def complete_table_headers(pdf: Pdf) -> None:
    """Give every TH a /Scope and register the TH /IDs in the structure tree's /IDTree."""
    ids: dict[bytes, pydyf.Dictionary] = {}
    for header in _struct_elements(pdf, "/TH"):
        group = _object(pdf, _object(pdf, header["P"])["P"])  # TH -> TR -> THead | TBody | TFoot
        header["A"]["Scope"] = "/Column" if group.get("S") == "/THead" else "/Row"
        if "ID" in header:
            ids[bytes(header["ID"].data)] = header
    if ids:
        names = pydyf.Array()
        for key in sorted(ids):  # a name tree's keys are sorted
            names.extend([ids[key]["ID"], ids[key].reference])
        tree = pydyf.Dictionary({"Names": names})
        pdf.add_object(tree)
        _object(pdf, pdf.catalog["StructTreeRoot"])["IDTree"] = tree.reference


def describe_links(document: LaidOut) -> None:
    """A link annotation's /Contents: the words of the link (and its address when it leaves the document)."""
    for page in document.pages:
        for *_, box in page.links:  # (type, target, rectangle, box)
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            text = " ".join("".join(box.element.itertext()).split())
            uri = annotation["A"]["URI"].data if "A" in annotation else None
            if uri is not None and text and text != uri:
                text = f"{text} ({uri})"
            if text:
                annotation["Contents"] = pydyf.String(text)


def margin_boxes_as_artifacts(pdf: Pdf) -> None:
    """Mark the content of structure elements that are not in the tree as /Artifact, page by page,
    and number the remaining marked content of each page again from 0."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    in_tree = _reachable(pdf, root["K"])
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for key, elements in zip(nums[::2], nums[1::2]):
        if not isinstance(elements, pydyf.Array):  # an annotation's entry, not a page's
            continue
        kept = [mcid for mcid, reference in enumerate(elements) if int(reference.split()[0]) in in_tree]
        if len(kept) == len(elements):
            continue
        renumber = {old: new for new, old in enumerate(kept)}
        page = _object(pdf, pdf.page_references[key])
        _rewrite_marked_content(_object(pdf, page["Contents"]).stream, renumber, len(elements) - len(kept))
        if any(old != new for old, new in renumber.items()):  # margin boxes are painted last: rarely needed
            for number in {int(elements[old].split()[0]) for old in kept}:
                element = pdf.objects[number]
                element["K"] = pydyf.Array(renumber[kid] if isinstance(kid, int) else kid for kid in element["K"])
        elements[:] = [elements[old] for old in kept]


def _reachable(pdf: Pdf, kids: list) -> set[int]:
    """Object numbers of the structure elements reachable from ``kids``."""
    seen: set[int] = set()
    stack = [kid for kid in kids if isinstance(kid, bytes)]
    while stack:
        number = int(stack.pop().split()[0])
        if number in seen:
            continue
        seen.add(number)
        element = pdf.objects[number]
        if isinstance(element, dict) and element.get("Type") == "/StructElem":
            stack.extend(kid for kid in element.get("K", ()) if isinstance(kid, bytes))
    return seen


def _rewrite_marked_content(operations: list, renumber: dict[int, int], artifacts: int) -> None:
    """In a content stream, ``/Tag <</MCID n>> BDC`` becomes ``/Artifact BMC`` for the ``artifacts``
    MCIDs outside ``renumber``, and takes its new number otherwise. When nothing is renumbered,
    only the end of the stream is read, back to the first artifact (margin boxes are painted last)."""
    moves = any(old != new for old, new in renumber.items())
    index = len(operations) - 3
    while index >= 0 and (artifacts or moves):
        properties = operations[index + 1]
        if operations[index + 2] == b"BDC" and isinstance(properties, dict) and "MCID" in properties:
            if properties["MCID"] in renumber:
                properties["MCID"] = renumber[properties["MCID"]]
            else:
                operations[index:index + 3] = ["/Artifact", b"BMC"]
                artifacts -= 1
        index -= 1

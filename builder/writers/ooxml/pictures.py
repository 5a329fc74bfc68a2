"""Pictures: a PNG, or an SVG with its PNG fallback (as Word 2016 and later write it), with alt text."""

from __future__ import annotations

import io

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.shared import Length
from docx.text.run import Run

SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # the a:ext that holds Word's svgBlip
_SVG_EXTENSION = (
    '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:ext uri="{uri}">'
    '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="{r_id}"/>'
    "</a:ext></a:extLst>"
)


def add_picture(run: Run, png: bytes, *, svg: bytes = b"", width: Length | None = None,
                height: Length | None = None, description: str = "") -> InlineShape:
    """Add an inline picture to `run`: the PNG, and the SVG when given (Word 2016+ and LibreOffice
    25 show the SVG, older applications the PNG, which also gives the size and aspect ratio).
    `description` is the alternative text. The SVG part is named after the PNG part
    (image3.png -> image3.svg), so part names and ids stay deterministic; a repeated image
    reuses both parts."""
    shape = run.add_picture(io.BytesIO(png), width=width, height=height)
    if description:
        shape._inline.docPr.set("descr", description)
    if svg:
        blip = shape._inline.xpath(".//a:blip")[0]
        part = run.part
        png_part = part.related_parts[blip.get(qn("r:embed"))]
        name = PackURI(str(png_part.partname).rsplit(".", 1)[0] + ".svg")
        svg_part = next((p for p in part.package.iter_parts() if p.partname == name), None) \
            or Part(name, "image/svg+xml", svg, part.package)
        blip.append(parse_xml(_SVG_EXTENSION.format(uri=SVG_BLIP, r_id=part.relate_to(svg_part, RT.IMAGE))))
    return shape

"""HTML writer: the document tree inside the page template, sanitized, figures inlined as SVG."""

from __future__ import annotations

import base64
import copy
import xml.etree.ElementTree as etree
from pathlib import Path

import nh3
from markupsafe import Markup
from markdown.serializers import to_html_string

from builder.render.assemble import Document
from builder.render.figures import Figure
from builder.render.templates import TemplateRenderer

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "p", "span", "strong", "em", "b", "i", "code", "pre", "br", "hr",
    "ul", "ol", "li", "a", "blockquote", "div", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "img", "dl", "dt", "dd", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "data-number", "data-level", "data-target-kind"},
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}


def body_html(document: Document) -> str:
    """The document body as sanitized HTML; figure sources stay ``figure:name`` placeholders."""
    root = copy.deepcopy(document.tree.root)
    _mark_raci_cells(root)
    html = "".join(to_html_string(child) + "\n" for child in root)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"figure", "http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def _mark_raci_cells(root: etree.Element) -> None:
    """Give RACI matrix cells a class per code, so the stylesheet can shade them."""
    for table in root.iter("table"):
        if "raci" not in (table.get("class") or "").split():
            continue
        for cell in table.iter("td"):
            code = "".join(cell.itertext()).strip().replace("/", "")
            if code in {"A", "R", "C", "I", "AR"}:
                cell.set("class", f"raci-{code}")


def inline_figures(html: str, figures: dict[str, Figure]) -> str:
    """Replace ``figure:name`` sources with SVG data URLs."""
    for name, figure in figures.items():
        data = base64.b64encode(figure.svg).decode("ascii")
        html = html.replace(f'src="figure:{name}"', f'src="data:image/svg+xml;base64,{data}"')
    return html


def page_html(document: Document, figures: dict[str, Figure], renderer: TemplateRenderer) -> str:
    """The complete HTML page: cover, contents, body."""
    meta = document.meta
    toc = [entry for entry in document.tree.toc if entry.level <= meta.toc_depth]
    body = inline_figures(body_html(document), figures)
    return renderer.env.get_template("html/page.html").render(
        meta=meta, cover_rows=meta.cover_rows, toc=toc, body=Markup(body),
    )


def write_html(document: Document, figures: dict[str, Figure], renderer: TemplateRenderer, path: Path) -> None:
    """Write the HTML page (the same page the PDF is laid out from)."""
    path.write_text(page_html(document, figures, renderer), encoding="utf-8")

"""HTML writer: the document tree inside the page template, sanitized, figures inlined as SVG.

The same page is what the PDF writer lays out; the redline writer adds its stylesheet and
summary through ``page_html``'s arguments, never by editing the page.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as etree
from html import escape, unescape

import nh3
from markdown.serializers import to_html_string
from markupsafe import Markup

from builder.tree import Document, Figure
from builder.tree.theme import Logo
from builder.tree.tokens import wrapped_long_tokens
from builder.writers.assets import Assets
from builder.writers.theme_css import theme_css
from builder.writers.watermark import watermark_css

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "p", "span", "strong", "em", "b", "i", "code", "pre", "br", "hr",
    "ul", "ol", "li", "a", "blockquote", "div", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "img", "dl", "dt", "dd", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "data-number", "data-level", "data-target-kind", "data-raci"},
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"figure", "http", "https", "mailto"}


def sanitized_html(root: etree.Element, extra_tags: set[str] = frozenset()) -> str:
    """The children of a tree element as sanitized HTML (figure sources stay ``figure:name``)."""
    html = "".join(to_html_string(child) + "\n" for child in root)
    return nh3.clean(html, tags=ALLOWED_TAGS | set(extra_tags), attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


def inline_figures(html: str, figures: dict[str, Figure]) -> str:
    """Replace ``figure:name`` images with SVG data URLs whose alt text describes the figure in words
    (the caption stays the figure's title)."""
    for name, figure in figures.items():
        data = base64.b64encode(figure.svg).decode("ascii")
        image = re.compile(rf'<img\b[^>]*\bsrc="figure:{re.escape(name)}"[^>]*>')
        alt = figure.description or _alt_of(image, html)
        html = image.sub(lambda _: f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(alt, quote=True)}">',
                         html)
    return html


def _alt_of(image: re.Pattern, html: str) -> str:
    found = image.search(html)
    alt = re.search(r'\balt="([^"]*)"', found.group()) if found else None
    return unescape(alt.group(1)) if alt else ""


def data_url(logo: Logo | None) -> str:
    """The logo as a data: URL for the cover ("" without a logo)."""
    if logo is None:
        return ""
    return f"data:{logo.media_type};base64," + base64.b64encode(logo.data).decode("ascii")


def page_html(document: Document, assets: Assets, *, body: str | None = None,
              cover_rows: list[tuple[str, str]] | None = None, stylesheets: tuple[str, ...] = (),
              prelude: str = "") -> str:
    """The complete HTML page: cover, contents, body (the redline passes its own body and rows)."""
    if body is None and not stylesheets and not prelude and "html" in document.memo:
        return str(document.memo["html"])
    meta = document.meta
    toc = [entry for entry in document.tree.toc if entry.level <= meta.toc_depth]
    own_body = sanitized_html(wrapped_long_tokens(document.tree.root)) if body is None else body
    content = inline_figures(own_body, document.figures)
    page = assets.render_page(
        "html/page.html", meta=meta, cover_rows=cover_rows if cover_rows is not None else meta.cover_rows,
        toc=toc, body=Markup(content), theme=document.theme,
        theme_css=Markup(theme_css(document.theme, bool(document.figures))),
        logo_url=data_url(document.theme.logo),
        logo_alt=(document.theme.logo.description if document.theme.logo else "") or f"{meta.sponsor} logo",
        watermark_css=Markup(watermark_css(meta.watermark, document.theme, meta.page_size)),
        stylesheets=stylesheets, prelude=Markup(prelude),
    )
    if body is None and not stylesheets and not prelude:
        document.memo["html"] = page  # the pdf format lays out the same page
    return page


def write(document: Document, assets: Assets) -> bytes:
    """The HTML page the PDF is laid out from."""
    return page_html(document, assets).encode("utf-8")

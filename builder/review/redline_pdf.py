"""Redline PDF: a summary page of the changes, then the new document with insertions
underlined in blue and deletions struck through in red, laid out like the built PDF
(the same page template, print stylesheet and WeasyPrint)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import html
import logging
import os
import re
import xml.etree.ElementTree as etree

import nh3
from markdown.serializers import to_html_string
from markupsafe import Markup

from builder.review.report import FieldStyle, field_text
from builder.review.field_diff import ARROW, FieldChange
from builder.review.redline import Redline, changed_places, classes, has_marks, mark_of
from builder.render.templates import SHIPPED_TEMPLATES, TemplateRenderer
from builder.writers.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, inline_figures

REDLINE_TAGS = ALLOWED_TAGS | {"ins", "del"}
CHANGE_BAR_TAGS = {"p", "h1", "h2", "h3", "h4", "li", "figure", "td", "th"}
INSERT_COLOUR, DELETE_COLOUR = "#0B5394", "#C00000"

REDLINE_CSS = f"""
ins, .rl-ins {{ color: {INSERT_COLOUR}; text-decoration: underline; text-decoration-color: {INSERT_COLOUR}; }}
del, .rl-del {{ color: {DELETE_COLOUR}; text-decoration: line-through; text-decoration-color: {DELETE_COLOUR}; }}
table.data tr.rl-ins td, table.data tr.rl-ins th {{ background: #EAF1FB; }}
table.data tr.rl-del td, table.data tr.rl-del th {{ background: #FBEAEA; }}
figure.rl-ins img {{ outline: 1.5pt solid {INSERT_COLOUR}; }}
figure.rl-del img {{ outline: 1.5pt solid {DELETE_COLOUR}; opacity: 0.55; }}
main td.rl-bar, main th.rl-bar {{ background: #FFF8E1; }}
main p.rl-bar, main h1.rl-bar, main h2.rl-bar, main h3.rl-bar, main h4.rl-bar, main li.rl-bar,
main figure.rl-bar {{ position: relative; }}
main p.rl-bar::before, main h1.rl-bar::before, main h2.rl-bar::before, main h3.rl-bar::before,
main h4.rl-bar::before, main li.rl-bar::before, main figure.rl-bar::before {{ content: ""; position: absolute; left: -5mm; top: 0; bottom: 0;
  border-left: 1.5pt solid {DELETE_COLOUR}; }}
section.rl-summary {{ break-after: page; }}
section.rl-summary .rl-kicker {{ font-size: 9pt; font-weight: bold; letter-spacing: 0.08em;
  text-transform: uppercase; color: {DELETE_COLOUR}; margin: 0 0 4pt 0; }}
section.rl-summary .rl-title {{ font-size: 20pt; font-weight: bold; color: #1F4E79; margin: 0 0 4pt 0;
  bookmark-level: 1; bookmark-label: "Summary of changes"; }}
section.rl-summary .rl-pairing {{ font-size: 12pt; color: #404040; margin: 0 0 12pt 0; }}
section.rl-summary h2 {{ font-size: 12pt; color: #1F4E79; margin: 14pt 0 5pt 0; }}
section.rl-summary table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; }}
section.rl-summary th, section.rl-summary td {{ text-align: left; vertical-align: top;
  padding: 3pt 6pt; border-bottom: 0.5pt solid #D9D9D9; }}
section.rl-summary th {{ width: 22%; color: #404040; }}
section.rl-summary ul {{ margin: 0 0 4pt 0; padding-left: 14pt; font-size: 9.5pt; }}
section.rl-summary li {{ margin: 0 0 2pt 0; }}
section.rl-summary code {{ font-size: 9pt; }}
"""


# -- body --------------------------------------------------------------------------------------
def redline_body_html(redline: Redline) -> str:
    """The merged tree as sanitized HTML, <ins>/<del> kept, changed blocks flagged for a change bar."""
    root = copy.deepcopy(redline.document.tree.root)
    for element in root.iter():
        if element.tag in CHANGE_BAR_TAGS and has_marks(element) and _own_marks(element):
            element.set("class", " ".join([*classes(element), "rl-bar"]))
    _mark_raci_cells(root)
    markup = "".join(to_html_string(child) + "\n" for child in root)
    attributes = {key: set(value) for key, value in ALLOWED_ATTRIBUTES.items()}
    return nh3.clean(markup, tags=REDLINE_TAGS, attributes=attributes,
                     url_schemes={"figure", "http", "https", "mailto"}, link_rel=None, strip_comments=True)


def _own_marks(element: etree.Element) -> bool:
    """Marks in the element itself, not only in a nested list (which gets its own bar)."""
    if mark_of(element):
        return True
    return any(node.tag in ("ins", "del") for child in element if child.tag not in ("ul", "ol")
               for node in child.iter())


def _mark_raci_cells(root: etree.Element) -> None:
    """RACI cells get a class per code, as in the built HTML, so the stylesheet shades them."""
    for table in root.iter("table"):
        if "raci" not in classes(table):
            continue
        for cell in table.iter("td"):
            code = "".join(cell.itertext()).strip().replace("/", "")
            if code in {"A", "R", "C", "I", "AR"}:
                cell.set("class", " ".join([*classes(cell), f"raci-{code}"]))


# -- summary page ------------------------------------------------------------------------------
HTML_STYLE = FieldStyle(
    added="{path} added: <ins>{new}</ins>", removed="{path} removed: <del>{old}</del>",
    reordered="{path} reordered: {old} " + ARROW + " {new}", reworded="{path}: {diff}",
    changed="{path}: <del>{old}</del> <ins>{new}</ins>", deleted=("<del>", "</del>"), inserted=("<ins>", "</ins>"),
    path=lambda text: f"<code>{html.escape(text)}</code>", value=html.escape, escape=html.escape, limit=160,
)


def _field_html(change: FieldChange) -> str:
    return field_text(change, HTML_STYLE)


def _side_html(side) -> str:
    revision = side.revision
    if revision is None:
        return html.escape(side.title)
    return (f"{html.escape(side.label)} (<code>{revision.short}</code>): {html.escape(revision.subject)}<br>"
            f"{html.escape(revision.author)}, {revision.date.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")


def summary_html(redline: Redline) -> str:
    """The first page: what was compared, the content changes behind this document, where it changed."""
    diff, report = redline.diff, redline.report
    pairing = next((p for p in diff.pairings if p.pairing == redline.pairing), None)
    meta = redline.document.meta
    rows = [("From", _side_html(diff.old)), ("To", _side_html(diff.new)),
            ("Changes by", f"{html.escape(redline.author.name)}, {redline.author.stamp}"),
            ("Document", f"{html.escape(meta.title)} ({html.escape(report.status)})")]
    if pairing is not None:
        rows.append(("Version", html.escape(pairing.version_note)))
    rows.append(("Marks", "<ins>inserted text</ins>&#160;&#160;<del>deleted text</del>"))
    parts = ['<section class="rl-summary">', '<p class="rl-kicker">Redline</p>',
             f'<p class="rl-title">Changes to the {html.escape(meta.title)}</p>',
             f'<p class="rl-pairing">{html.escape(meta.pairing_title)}</p>', "<table><tbody>"]
    parts += [f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows]
    parts.append("</tbody></table>")
    changes = [c for c in diff.changes if report.document in c.documents.get(redline.pairing, [])]
    parts.append("<h2>Content changes</h2>")
    if changes:
        parts.append("<ul>")
        for change in changes:
            fields = change.visible.get(redline.pairing, change.fields)
            items = "".join(f"<li>{_field_html(item)}</li>" for item in fields)
            parts.append(f"<li><strong>{html.escape(change.kind)} {html.escape(change.id)}</strong> {change.op}"
                         + (f"<ul>{items}</ul>" if items else "") + "</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>None traced to a single block.</p>")
    places = changed_places(redline.document.tree.root)
    parts.append("<h2>Where the document changed</h2>")
    word = "clause" if report.document == "quality-agreement" else "section"
    if places:
        parts.append("<ul>" + "".join(f"<li>{html.escape(place.label(word))}</li>" for place in places[:60]) + "</ul>")
        if len(places) > 60:
            parts.append(f"<p>… and {len(places) - 60} more places.</p>")
    else:
        parts.append("<p>Only the cover and document control changed.</p>")
    parts.append("</section>")
    return "\n".join(parts)


# -- page and PDF ------------------------------------------------------------------------------
def _cover_rows(redline: Redline) -> list[tuple[str, str]]:
    """Cover rows with changed values shown deleted and inserted."""
    rows = list(redline.document.meta.cover_rows)
    if redline.old is None or redline.new is None:
        return rows
    before = dict(redline.old.meta.cover_rows)
    return [(label, Markup(f"<del>{html.escape(before[label])}</del> <ins>{html.escape(value)}</ins>"))
            if label in before and before[label] != value else (label, value) for label, value in rows]


def redline_page_html(redline: Redline, renderer: TemplateRenderer) -> str:
    """The complete HTML page: summary, cover, contents, marked body."""
    meta = redline.document.meta
    toc = [entry for entry in redline.document.tree.toc if entry.level <= meta.toc_depth]
    body = inline_figures(redline_body_html(redline), redline.figures)  # type: ignore[arg-type]
    page = renderer.env.get_template("html/page.html").render(
        meta=meta, cover_rows=_cover_rows(redline), toc=toc, body=Markup(body),
    )
    style = f"<style>{REDLINE_CSS}</style>\n"
    page = page.replace("</head>", style + "</head>", 1) if "</head>" in page else style + page
    summary = summary_html(redline) + "\n"
    if '<section class="cover">' in page:
        return page.replace('<section class="cover">', summary + '<section class="cover">', 1)
    match = re.search(r"<body[^>]*>", page)
    return page[:match.end()] + summary + page[match.end():] if match else summary + page


def redline_pdf_bytes(redline: Redline, renderer: TemplateRenderer) -> bytes:
    """Lay out the redline page with WeasyPrint, reproducibly."""
    from weasyprint import HTML

    from builder.writers.pdf import TemplateAssetFetcher

    page = redline_page_html(redline, renderer)
    identifier = hashlib.sha256(page.encode("utf-8")).hexdigest()[:32].encode("ascii")
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    effective = dt.datetime.combine(redline.document.meta.effective_date, dt.time(), dt.timezone.utc)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(effective.timestamp()))
    return HTML(string=page, base_url=str(SHIPPED_TEMPLATES) + "/",
                url_fetcher=TemplateAssetFetcher(renderer)).write_pdf(pdf_identifier=identifier, uncompressed_pdf=False)


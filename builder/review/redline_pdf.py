"""Redline PDF: a summary page of the changes, then the new document with insertions
underlined and deletions struck through, laid out by the PDF writer (the same page template,
print stylesheet, asset fetcher and located URL errors) with ``redline.css`` laid over it."""

from __future__ import annotations

import copy
import datetime as dt
import html
import xml.etree.ElementTree as etree

from markupsafe import Markup

from builder.review.field_diff import ARROW, FieldChange
from builder.review.field_text import FieldStyle, field_text
from builder.review.merge import changed_places, classes, has_marks, mark_of
from builder.review.redline import Redline
from builder.tree.tokens import wrapped_long_tokens
from builder.writers.assets import Assets
from builder.writers.html import page_html, sanitized_html
from builder.writers.pdf import layout_pdf

REDLINE_STYLESHEET = "redline.css"
CHANGE_BAR_TAGS = {"p", "h1", "h2", "h3", "h4", "li", "figure", "td", "th"}


# -- body --------------------------------------------------------------------------------------
def redline_body_html(redline: Redline) -> str:
    """The merged tree as sanitized HTML, <ins>/<del> kept, changed blocks flagged for a change bar."""
    root = copy.deepcopy(redline.document.tree.root)
    for element in root.iter():
        if element.tag in CHANGE_BAR_TAGS and has_marks(element) and _own_marks(element):
            element.set("class", " ".join([*classes(element), "rl-bar"]))
    return sanitized_html(wrapped_long_tokens(root), extra_tags={"ins", "del"})


def _own_marks(element: etree.Element) -> bool:
    """Marks in the element itself, not only in a nested list (which gets its own bar)."""
    if mark_of(element):
        return True
    return any(node.tag in ("ins", "del") for child in element if child.tag not in ("ul", "ol")
               for node in child.iter())


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
    word = meta.numbering
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


def page(redline: Redline, assets: Assets) -> str:
    """The complete HTML page: summary, cover, contents, marked body."""
    return page_html(redline.document, assets, body=redline_body_html(redline), cover_rows=_cover_rows(redline),
                     stylesheets=(REDLINE_STYLESHEET,), prelude=summary_html(redline))


def write(redline: Redline, assets: Assets) -> bytes:
    """The redline PDF, laid out by the PDF writer."""
    return layout_pdf(page(redline, assets), redline.document, assets)

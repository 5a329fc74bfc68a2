"""The preview's own HTML: the document page with its toolbar, the index, and error pages.

The document page is the page the PDF is laid out from, unchanged but for what is injected
before ``</head>`` (the preview stylesheet, the sheet's size, the script) and after
``<body>`` (the toolbar). Everything the preview writes itself is escaped here.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from builder.diagnostics import Diagnostic, DiagnosticError, display_path, plural
from builder.serve.state import Page, PreviewState

SCRIPT_URL = "/_serve/preview.js"
STYLESHEET_URL = "/_assets/preview.css"
SHEET_SIZES = {"letter": ("8.5in", "11in"), "a4": ("210mm", "297mm")}
CSS_LENGTH = re.compile(r"^(?:0|\d+(?:\.\d+)?(?:mm|cm|in|pt|pc|px|q))$", re.I)
PAGE_RULE = re.compile(r"@page\s*(?P<name>[a-z][\w-]*)?\s*\{(?P<body>[^{}]*)", re.I)
MARGIN = re.compile(r"(?:^|;)\s*margin\s*:\s*(?P<value>[^;]+)", re.I)
HEAD_END = re.compile(r"</head\s*>", re.I)
BODY_START = re.compile(r"<body\b[^>]*>", re.I)


def document_url(pairing_id: str, document_id: str) -> str:
    return f"/{pairing_id}/{document_id}/"


def pdf_url(pairing_id: str, document_id: str) -> str:
    return f"/{pairing_id}/{document_id}.pdf"


def document_page(state: PreviewState, page: Page) -> str:
    """The document's page with the preview's toolbar; a bare page until it first renders."""
    title = _document_title(state, page)
    toolbar = _toolbar(title, pairing=page.pairing_id, document=page.document_id, version=page.version,
                       pdf=pdf_url(page.pairing_id, page.document_id))
    if not page.html:
        return _shell(title, toolbar + '<main class="pb-empty"><p>This document cannot be shown until '
                      "the problems listed above are fixed.</p></main>")
    head = _head(_sheet_style(state, page))
    return _inject(_inject(page.html, HEAD_END, head, before=True), BODY_START, toolbar, before=False)


def index_page(state: PreviewState) -> str:
    """Every pairing with its documents, and the content's problems."""
    checked = state.checked
    diagnostics = state.template_errors + checked.diagnostics.sorted()
    diagnostics = [d for d in diagnostics if d.level != "note"]
    errors = sum(1 for d in diagnostics if d.level == "error")
    warnings = len(diagnostics) - errors
    rows = []
    for pairing_id in sorted(checked.library.ids("pairing")):
        pairing = checked.library.get("pairing", pairing_id).block
        links = []
        for document_id in state.documents_of(pairing_id):
            declared = state.pipeline.documents.get(document_id) if state.pipeline else None
            name = declared.title if declared else document_id
            links.append(f'<li><a href="{document_url(pairing_id, document_id)}">{escape(name)}</a> '
                         f'<a class="pb-pdf" href="{pdf_url(pairing_id, document_id)}" target="_blank" '
                         f'rel="noopener">PDF</a></li>')
        problems = len(state.pairing_errors(pairing_id))
        note = (f'<span class="pb-bad">{plural(problems, "error")}</span>' if problems else
                '<span class="pb-good">ok</span>' if pairing_id in checked.contexts else
                '<span class="pb-bad">does not compose</span>')
        rows.append(f"<tr><td><strong>{escape(pairing.title)}</strong><br><code>{escape(pairing_id)}</code></td>"
                    f"<td>{escape(pairing.model)}</td><td><ul>{''.join(links) or '<li>none</li>'}</ul></td>"
                    f"<td>{note}</td></tr>")
    table = ("<table class=\"pb-pairings\"><thead><tr><th>Pairing</th><th>Model</th><th>Documents</th><th>Status</th>"
             f"</tr></thead><tbody>{''.join(rows)}</tbody></table>" if rows else
             "<p>The content defines no pairing yet.</p>")
    summary = (f'<p class="pb-summary {"pb-bad" if errors else "pb-good"}" id="pb-diagnostics-count">'
               f'{plural(errors, "error")}, {plural(warnings, "warning")}</p>')
    listing = _diagnostic_list(diagnostics) if diagnostics else ""
    body = (f'<main class="pb-index"><h1>Live preview</h1><p>Content: <code>{escape(display_path(state.content_dir))}'
            f"</code></p>{summary}{listing}<h2>Pairings</h2>{table}</main>")
    title = f"Live preview · {display_path(state.content_dir)}"
    return _shell(title, _toolbar(title, version=state.serial, home_link=False) + body)


def error_page(title: str, diagnostics: list[Diagnostic] | None = None) -> str:
    """A small page for a 404 or a document that cannot be made."""
    listing = _diagnostic_list(diagnostics) if diagnostics else ""
    return _shell(title, _toolbar(title) + f'<main class="pb-index"><h1>{escape(title)}</h1>{listing}'
                  f'<p><a href="/">All documents</a></p></main>')


def _diagnostic_list(diagnostics: list[Diagnostic]) -> str:
    items = "".join(f'<li class="pb-{d.level}">{escape(str(d))}</li>' for d in diagnostics)
    return f'<ul class="pb-diagnostics">{items}</ul>'


def _document_title(state: PreviewState, page: Page) -> str:
    if page.document is not None:
        return f"{page.document.meta.title} · {page.document.meta.pairing_title}"
    declared = state.pipeline.documents.get(page.document_id) if state.pipeline else None
    return f"{declared.title if declared else page.document_id} · {page.pairing_id}"


def _toolbar(title: str, *, pairing: str = "", document: str = "", version: int = 0, pdf: str = "",
             home_link: bool = True) -> str:
    data = f'data-pairing="{escape(pairing)}" data-document="{escape(document)}" data-version="{version}"'
    button = (f'<a class="pb-button" id="pb-pdf" href="{escape(pdf)}" target="_blank" rel="noopener" '
              f'title="The PDF of this document, laid out now">PDF</a>' if pdf else "")
    home = ('<a class="pb-home" href="/" title="Every pairing and its documents">&#8592; All documents</a>'
            if home_link else "")
    return (f'<header class="pb-toolbar" id="pb-toolbar" {data}>{home}'
            f'<span class="pb-title">{escape(title)}</span>'
            f'<span class="pb-status" id="pb-status" role="status" aria-live="polite">Connecting&#8230;</span>'
            f"{button}</header>")


def _head(sheet_style: str = "") -> str:
    style = f'<style id="pb-sheet">{sheet_style}</style>' if sheet_style else ""
    return (f'<link rel="icon" href="data:,"><link rel="stylesheet" href="{STYLESHEET_URL}">{style}'
            f'<script src="{SCRIPT_URL}" defer></script>')


def _shell(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'{_head()}</head><body class="pb-page">{body}</body></html>\n')


def _inject(html: str, anchor: re.Pattern, text: str, *, before: bool) -> str:
    found = anchor.search(html)
    if found is None:
        return text + html if before else html + text
    at = found.start() if before else found.end()
    return html[:at] + text + html[at:]


def _sheet_style(state: PreviewState, page: Page) -> str:
    """The sheet's size and margins as CSS variables, from the page size and print.css's @page rules."""
    size = (page.document.meta.page_size if page.document else "A4").lower()
    width, height = SHEET_SIZES.get(size, SHEET_SIZES["a4"])
    rules = [f"--sheet-width: {width};", f"--sheet-height: {height};"]
    margins = _page_margins(page)
    if "" in margins:
        rules.append(f"--sheet-margin: {margins['']};")
    if "cover" in margins:
        rules.append(f"--cover-margin: {margins['cover']};")
    return ":root { " + " ".join(rules) + " }"


def _page_margins(page: Page) -> dict[str, str]:
    """The margin of each @page rule of the print stylesheet (by page name; '' the default),
    kept only when every part is a plain length, so nothing else reaches the CSS."""
    if page.pipeline is None:
        return {}
    try:
        css = Path(page.pipeline.assets.find("print.css")).read_text(encoding="utf-8")
    except (DiagnosticError, OSError, UnicodeDecodeError):
        return {}
    margins: dict[str, str] = {}
    for rule in PAGE_RULE.finditer(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        found = MARGIN.search(rule.group("body"))
        parts = found.group("value").split() if found else []
        if parts and len(parts) <= 4 and all(CSS_LENGTH.match(part) for part in parts):
            margins.setdefault((rule.group("name") or "").lower(), " ".join(parts))
    return margins



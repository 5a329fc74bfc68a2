"""Render a sample body through templates/html/page.html + templates/print.css to PDF.

A development tool for iterating on the print design without the whole build:

    python tools/preview_print.py /tmp/preview.pdf
    python tools/preview_print.py /tmp/om.pdf --document operating-manual --page-size letter
    python tools/preview_print.py /tmp/final.pdf --status approved --html /tmp/final.html

The body defaults to tests/fixtures/print-sample/body.html. The table of contents
is built from its h1/h2/h3 elements (id + <span class="number">), as the real
HTML writer does. Relative image sources in the body are resolved against the
body's folder, since the page itself is rendered with base_url = templates/.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
DEFAULT_BODY = ROOT / "tests" / "fixtures" / "print-sample" / "body.html"

TITLES = {"quality-agreement": "Quality Agreement", "operating-manual": "Operating Manual"}
STATUS_LABELS = {"draft": "Draft", "in-review": "In review", "approved": "Approved", "superseded": "Superseded"}
WATERMARKS = {"draft": "DRAFT", "in-review": "DRAFT", "approved": "", "superseded": "SUPERSEDED"}


class _TocParser(HTMLParser):
    """Collect (level, number, text, anchor) of the h1-h3 elements that have an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[dict] = []
        self._heading: dict | None = None
        self._in_number = False
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._heading is None:
            if tag in ("h1", "h2", "h3") and attrs.get("id"):
                self._heading = {"level": int(tag[1]), "anchor": attrs["id"], "number": "", "text": ""}
                self._depth = 0
            return
        self._depth += 1
        if tag == "span" and "number" in (attrs.get("class") or "").split():
            self._in_number = True

    def handle_endtag(self, tag):
        if self._heading is None:
            return
        if tag in ("h1", "h2", "h3") and self._depth == 0:
            heading = self._heading
            heading["number"] = heading["number"].strip()
            heading["text"] = " ".join(heading["text"].split())
            self.entries.append(heading)
            self._heading = None
            return
        self._depth -= 1
        self._in_number = False

    def handle_data(self, data):
        if self._heading is not None:
            self._heading["number" if self._in_number else "text"] += data


def build_toc(body: str) -> list[dict]:
    parser = _TocParser()
    parser.feed(body)
    parser.close()
    return parser.entries


def absolutize_images(body: str, folder: Path) -> str:
    """Point relative <img src> at files next to the body (base_url is templates/)."""

    def repl(match: re.Match) -> str:
        src = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("/"):
            return match.group(0)
        return f'{match.group(1)}{(folder / src).resolve().as_uri()}"'

    return re.sub(r'(<img\b[^>]*?\bsrc=")([^"]+)"', repl, body)


def sample_context(body: str, document_id: str, status: str, page_size: str) -> dict:
    sponsor = "Northwind Therapeutics Ltd"
    provider = "Meridian Clinical Research GmbH"
    title = TITLES[document_id]
    pairing_title = "Northwind Therapeutics – Meridian Clinical Research: Phase III oncology programme"
    meta = {
        "title": title,
        "document_id": document_id,
        "pairing_title": pairing_title,
        "sponsor": sponsor,
        "provider": provider,
        "version": "1.2.0",
        "status": status,
        "status_label": STATUS_LABELS[status],
        "effective": "15 January 2027",
        "owner": "Sponsor Head of Clinical Quality",
        "author": f"{sponsor}; {provider}",
        "subject": f"{title} – {pairing_title}",
        "keywords": "quality agreement, clinical outsourcing, GCP, oncology, Northwind, Meridian",
        "lang": "en",
        "page_size": page_size,
        "confidentiality": "Confidential",
        "watermark": WATERMARKS[status],
    }
    cover_rows = [
        ("Version", meta["version"]),
        ("Status", meta["status_label"]),
        ("Effective date", meta["effective"]),
        ("Owner", meta["owner"]),
        ("Approvers", "Sponsor Head of Clinical Quality; Provider Head of Quality Assurance"),
        ("Master agreement", "Master Services Agreement NWT-MCR-2025-014 dated 3 March 2025"),
        ("Review cycle", "12 months"),
    ]
    return {"meta": meta, "cover_rows": cover_rows, "toc": build_toc(body), "body": Markup(body)}


def render_html(context: dict) -> str:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
    )
    return env.get_template("html/page.html").render(**context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path, help="output PDF path")
    parser.add_argument("--body", type=Path, default=DEFAULT_BODY, help="HTML fragment for <main>")
    parser.add_argument("--document", choices=sorted(TITLES), default="quality-agreement")
    parser.add_argument("--status", choices=sorted(STATUS_LABELS), default="draft")
    parser.add_argument("--page-size", choices=["A4", "letter"], default="A4")
    parser.add_argument("--html", type=Path, help="also write the rendered HTML here")
    args = parser.parse_args(argv)

    from weasyprint import HTML  # imported late: slow, and not needed for --help

    # fontTools complains about Carlito's 'created' timestamp on every subset.
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    body = absolutize_images(args.body.read_text(encoding="utf-8"), args.body.parent)
    html = render_html(sample_context(body, args.document, args.status, args.page_size))
    if args.html:
        args.html.write_text(html, encoding="utf-8")
    args.pdf.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(args.pdf))
    print(args.pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())

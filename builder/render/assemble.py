"""Assemble one document of a pairing: metadata, the rendered Markdown, and its numbered tree."""

from __future__ import annotations

from builder.compose.context import Context
from builder.diagnostics import Diagnostic, DiagnosticError, suggest
from builder.render.document_rules import Checked, document_rules, terms_shown
from builder.render.documents import DocumentType
from builder.render.figures import FIGURES, available_figures
from builder.render.source_search import locate_text
from builder.render.templates import TemplateRenderer, long_date
from builder.tree import Document, DocumentMeta, DocumentTree, Theme, parse_document
from builder.tree.markdown_parse import ChapterCache
from builder.tree.marks import recording_origins, strip_marks

STATUS_LABELS = {"draft": "Draft", "in-review": "In review", "approved": "Approved", "superseded": "Superseded"}
MODEL_LABELS = {
    "full-service": "full-service outsourcing",
    "functional": "functional service provision",
    "hybrid": "hybrid outsourcing",
    "specialty": "specialty services",
    "contractor": "independent contractor services",
}


def _role_title(context: Context, role_id: str) -> str:
    return context.role(role_id).title if context.has_role(role_id) else role_id


def document_meta(context: Context, document: DocumentType) -> DocumentMeta:
    """The metadata of one document of a pairing."""
    pairing = context.pairing
    control = pairing.control.for_document(document.id)
    owner = _role_title(context, control.owner)
    sponsor, provider = context.sponsor.title, context.provider.title
    approvers = "; ".join(_role_title(context, a) for a in control.approvers if context.has_role(a))
    rows = (
        ("Document", document.title),
        ("Sponsor", context.sponsor.legal_name),
        ("Provider", context.provider.legal_name),
        ("Programme", pairing.scope.programme),
        ("Outsourcing model", MODEL_LABELS[pairing.model].capitalize()),
        ("Version", control.version),
        ("Status", STATUS_LABELS[control.status]),
        ("Effective date", long_date(control.effective)),
        ("Review cycle", f"Every {control.review_cycle_months} months"),
        ("Document owner", owner),
        ("Approvers", approvers),
        ("Master agreement", pairing.master_agreement),
    )
    return DocumentMeta(
        document_id=document.id,
        pairing_id=pairing.id,
        title=document.title,
        pairing_title=pairing.title,
        sponsor=sponsor,
        provider=provider,
        version=control.version,
        status=control.status,
        status_label=STATUS_LABELS[control.status],
        effective_date=control.effective,
        effective=long_date(control.effective),
        owner=owner,
        author=context.sponsor.legal_name,
        subject=f"{document.title} between {context.sponsor.legal_name} and {context.provider.legal_name}: "
                f"{pairing.scope.programme}",
        keywords=", ".join([document.title, sponsor, provider, pairing.scope.programme,
                            MODEL_LABELS[pairing.model], document.kicker.lower()]),
        page_size=pairing.page_size,
        master_agreement=pairing.master_agreement,
        kicker=document.kicker,
        watermark="" if control.status == "approved" else STATUS_LABELS[control.status].upper(),
        toc_depth=document.toc_depth,
        chapter_breaks=document.chapter_breaks,
        numbering=document.numbering,
        cover_rows=rows,
    )


def assemble_document(context: Context, document: DocumentType, renderer: TemplateRenderer,
                      theme: Theme | None = None, chapters: ChapterCache | None = None) -> Document:
    """Render the document's template and parse it into its numbered tree (``chapters``: the
    trees of chapters parsed before, see markdown_parse)."""
    meta = document_meta(context, document)
    control = context.pairing.control.for_document(document.id)
    with recording_origins() as origins:
        marked = renderer.render(document.template, ctx=context, meta=meta, control=control)
    marked = "\n".join(line.rstrip() for line in marked.splitlines()).strip() + "\n"
    tree = parse_document(marked, document.numbering, origins, chapters)
    markdown_text = strip_marks(marked)
    problems = _tree_problems(tree, context, renderer, document.id)
    if document.text_rules != "off":
        found = document_rules(Checked(document.id, document.title, tree, context, renderer), document.commercial)
        problems += [problem if document.text_rules == "error" or problem.level != "error" else
                     Diagnostic(problem.location, "warning", problem.code, problem.message) for problem in found]
    errors = [problem for problem in problems if problem.level == "error"]
    if errors:
        raise DiagnosticError(errors)
    return Document(meta=meta, markdown=markdown_text, tree=tree, theme=theme or Theme(),
                    sources=dict(context.sources), warnings=[p for p in problems if p.level != "error"],
                    terms_shown=terms_shown(tree))


def _allowed_url(url: str, what: str) -> bool:
    """Images come only from the builder's figures; links stay in the document or go to the web."""
    if what == "image":
        return url.startswith("figure:")
    return url.startswith(("#", "https://", "http://", "mailto:"))


def _tree_problems(tree: DocumentTree, context: Context, renderer: TemplateRenderer,
                   document_id: str) -> list[Diagnostic]:
    """Cross-references to nothing and figures that cannot be drawn, located at their source."""
    fallback = f"{document_id} of pairing {context.pairing.id}"
    problems = []
    for ref in dict.fromkeys(tree.unresolved):
        problems.append(Diagnostic(
            locate_text(f"[@{ref}]", context, renderer, fallback), "error", "unknown-xref",
            f"cross-reference [@{ref}] points to nothing in the {document_id}{suggest(ref, tree.targets)}",
        ))
    for element in tree.root.iter():
        url, what = (element.get("src"), "image") if element.tag == "img" else (element.get("href"), "link")
        if url is None or element.tag not in ("img", "a") or _allowed_url(url, what):
            continue
        allowed = "only the builder's own figures (figure:name)" if what == "image" else \
            "links within the document (#id) or to http(s) and mailto addresses"
        problems.append(Diagnostic(locate_text(url, context, renderer, fallback), "error", "refused-url",
                                   f"{what} '{url[:80]}' is refused: documents may use {allowed}"))
    drawable = available_figures(context)
    for name in dict.fromkeys(tree.figures):
        if name not in FIGURES:
            message = f"unknown figure 'figure:{name}'{suggest(name, FIGURES)}; figures are: {', '.join(FIGURES)}"
        elif name not in drawable:
            message = f"figure 'figure:{name}' needs content that pairing '{context.pairing.id}' does not include"
        else:
            continue
        problems.append(Diagnostic(locate_text(f"figure:{name}", context, renderer, fallback),
                                   "error", "unknown-figure", message))
    return problems

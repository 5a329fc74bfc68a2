"""A redline of one document: the merged tree wrapped as a Document, with who changed it and when."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from builder.engine.pipeline import Pipeline
from builder.review.analysis import DiffReport, DocumentReport
from builder.review.merge import merge_trees
from builder.review.revisions import FOLDER_AUTHOR
from builder.tree import Document, DocumentTree


@dataclass(frozen=True)
class RedlineAuthor:
    """Who tracked changes are attributed to, and when."""

    name: str
    date: dt.datetime

    @property
    def stamp(self) -> str:
        """The w:date form: UTC, seconds, 'Z'."""
        return self.date.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Redline:
    """Everything a redline writer needs for one document of one pairing."""

    pairing: str
    document_id: str
    document: Document  # the new document (or the old one if the document was removed) with the merged tree
    old: Document | None
    new: Document | None
    author: RedlineAuthor
    report: DocumentReport
    diff: DiffReport


def build_redline(report: DocumentReport, diff: DiffReport, author: RedlineAuthor, pipeline: Pipeline,
                  formats: tuple[str, ...] = ("docx", "pdf")) -> Redline:
    """Draw both sides' figures, merge the trees and wrap the result as a Document."""
    old_doc, new_doc = report.old, report.new
    if old_doc is not None and report.old_context is not None:
        pipeline.draw(old_doc, report.old_context, formats)
    if new_doc is not None and report.new_context is not None:
        pipeline.draw(new_doc, report.new_context, formats)
    old_figs = old_doc.figures if old_doc else {}
    new_figs = new_doc.figures if new_doc else {}
    root = merge_trees(old_doc.tree if old_doc else None, new_doc.tree if new_doc else None,
                       {n: _figure_key(f) for n, f in old_figs.items()},
                       {n: _figure_key(f) for n, f in new_figs.items()})
    base = new_doc or old_doc
    assert base is not None
    tree = DocumentTree(root=root, toc=list(base.tree.toc) if new_doc else [],
                        targets=dict(new_doc.tree.targets) if new_doc else {},
                        figures=list(base.tree.figures),
                        origins={**(old_doc.tree.origins if old_doc else {}), **(new_doc.tree.origins if new_doc else {})})
    figures = {**{f"old-{n}": f for n, f in old_figs.items()}, **new_figs}
    templates = pipeline.renderer.user_dir
    document = Document(meta=base.meta, markdown=base.markdown, tree=tree, theme=base.theme, figures=figures,
                        sources=dict(base.sources),
                        provenance={"options": {"templates": templates.as_posix() if templates else None}})
    return Redline(report.pairing, report.document, document, old_doc, new_doc, author, report, diff)


def _figure_key(figure) -> str:
    return hashlib.sha256(figure.svg or figure.png).hexdigest()


def redline_author(diff: DiffReport, report: DocumentReport) -> RedlineAuthor:
    """The NEW revision's commit author and date; for folders, playbook-builder on the effective date."""
    revision = diff.new.revision
    if revision is not None:
        return RedlineAuthor(revision.author or FOLDER_AUTHOR, revision.date)
    base = report.new or report.old
    assert base is not None
    return RedlineAuthor(FOLDER_AUTHOR, dt.datetime.combine(base.meta.effective_date, dt.time(), dt.timezone.utc))

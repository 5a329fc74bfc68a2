"""``playbook import``: bring the changes made to a built Word document back into the content.

Reads top to bottom: open the file safely -> which pairing, document and build it came from ->
tracked changes still pending are listed, never guessed -> the document as the content renders
it now -> every paragraph matched to its content field through its source bookmark -> edited
fields written as overrides in the pairing (or into the blocks) on a copy of the content, which
must validate -> the files written all at once (or shown as a diff). Whatever cannot be brought
back is listed with where it is and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from builder.authoring.yaml_files import write_all
from builder.compose.check import check_content
from builder.content.file_blocks import FileBlocks
from builder.diagnostics import Diagnostic, display_path
from builder.engine.pipeline import Pipeline
from builder.negotiate.apply import Plan, plan_changes
from builder.negotiate.changes import MARK_PREFIX, Comparison, Mark, Matcher, NotAbsorbed
from builder.negotiate.package import NotPlaybookDocx, Package, open_package
from builder.negotiate.paragraphs import Comment, TrackedChange, WordParagraph, comments, read_paragraphs, \
    tracked_changes
from builder.tree import Document
from builder.tree.origins import Origin
from builder.writers.ooxml import make_bookmark_name

SOURCES_NAMESPACE = "urn:playbook-builder:sources:1"


@dataclass
class ImportOptions:
    """What to import and how."""

    file: Path
    content: Path = Path("content")
    decision: str | None = None  # accept | reject: what to do with tracked changes
    into: str = "pairing"  # pairing | library
    dry_run: bool = False
    templates: Path | None = None  # default: the templates the file records it was built with


@dataclass
class ImportResult:
    """What the import found and did."""

    pairing: str = ""
    document: str = ""
    built_version: str = ""
    pending: list[TrackedChange] = field(default_factory=list)
    comments: list[tuple[Comment, str]] = field(default_factory=list)
    comparison: Comparison = field(default_factory=Comparison)
    plan: Plan | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def not_absorbed(self) -> list[NotAbsorbed]:
        refused = [NotAbsorbed(edit.where, str(edit.new), why) for edit, why in (self.plan.refused if self.plan else [])]
        return self.comparison.not_absorbed + refused

    @property
    def ok(self) -> bool:
        """Everything absorbed, nothing pending, the content still valid."""
        return not self.pending and not self.not_absorbed and not any(d.level == "error" for d in self.diagnostics)


def run_import(options: ImportOptions) -> ImportResult:
    """Import a negotiated document; NotPlaybookDocx for a file that cannot be imported at all."""
    package = open_package(options.file)
    pairing_id = package.properties.get("playbook.pairing", "")
    document_id = package.properties.get("playbook.document", "")
    if not pairing_id or not document_id:
        raise NotPlaybookDocx(f"{display_path(options.file)} was not built by playbook-builder (it has no "
                              "playbook.pairing and playbook.document properties)")
    result = ImportResult(pairing_id, document_id, package.properties.get("playbook.version", ""))
    pipeline = Pipeline.load(_templates(package, options))
    files = FileBlocks()
    checked = check_content(options.content, documents=pipeline.documents.requirements(), load=files)
    if pairing_id not in checked.library.ids("pairing"):
        raise NotPlaybookDocx(f"{display_path(options.file)} is a document of pairing '{pairing_id}', which the "
                              f"content in {display_path(options.content)} does not have")
    if not checked.ok or pairing_id not in checked.contexts:
        result.diagnostics = [d for d in checked.diagnostics if d.level == "error"]
        return result
    context = checked.contexts[pairing_id]
    if document_id not in context.pairing.documents:
        raise NotPlaybookDocx(f"{display_path(options.file)} is a {document_id}, which pairing '{pairing_id}' does "
                              "not list in its documents")
    document = pipeline.assemble(context, document_id)
    changes = tracked_changes(package)
    if changes and options.decision is None:
        result.pending = changes
    paragraphs = read_paragraphs(package, options.decision or "accept", _targets(document))
    result.comments = [(comment, _paragraph_label(paragraphs, comment.paragraph)) for comment in comments(package)]
    if result.pending:
        return result
    marks = _marks(package, document)
    result.comparison = Matcher(document.tree, context, marks, _known_texts(document)).compare(paragraphs)
    if not result.comparison.edits:
        return result
    pairing_file = Path(context.sources[("pairing", pairing_id)])
    result.plan = plan_changes(result.comparison.edits, context, context.sources, pairing_file, options.into)
    files.stand_ins = {path.resolve(): text for path, text in result.plan.texts.items()}
    # Overrides in the pairing's file reach no other pairing; a change of a block may reach them all.
    recheck = check_content(options.content, [pairing_id] if options.into == "pairing" else None,
                            documents=pipeline.documents.requirements(), load=files)
    result.diagnostics = [d for d in recheck.diagnostics if d.level == "error"]
    if any(d.level == "error" for d in result.diagnostics) or options.dry_run:
        return result
    result.written = write_all(result.plan.texts, replace=True)
    return result


def _templates(package: Package, options: ImportOptions) -> Path | None:
    """The templates the file was built with (--templates of the build), to render it the same way."""
    if options.templates is not None:
        return options.templates
    recorded = package.properties.get("playbook.templates")
    if recorded and Path(recorded).is_dir():
        return Path(recorded)
    return None


def _targets(document: Document) -> dict[str, str]:
    """Word bookmark names of the document's headings, clauses, tables and figures -> their anchors."""
    return {make_bookmark_name(anchor): anchor for anchor in document.tree.targets}


def _marks(package: Package, document: Document) -> dict[str, Mark]:
    """The source bookmarks: from the file's own map when it kept it, else from the current rendering
    (the n-th paragraph a field marks is that field's n-th element in the tree)."""
    for part in package.custom_parts:
        if etree.QName(part).namespace == SOURCES_NAMESPACE:
            marks = {}
            for mark in part:
                try:
                    path = tuple(json.loads(mark.get("path") or "[]"))
                except ValueError:
                    continue
                origin = Origin(mark.get("kind") or "", mark.get("id") or "", path)
                name = mark.get("name") or ""
                marks[name] = Mark(name, origin, int(mark.get("part") or 0), mark.get("text"))
            if marks:
                return marks
    marks = {}
    seen: dict[str, int] = {}
    for element in document.tree.root.iter():
        for label in (element.get("data-source") or "").split():
            key, _, part = label.partition(":")
            origin = document.tree.origins.get(key)
            if origin is None:
                continue
            count = seen.get(key, 0)
            seen[key] = count + 1
            name = f"{MARK_PREFIX}{key}" + (f"_{count}" if count else "")
            marks[name] = Mark(name, origin, int(part))
    return marks


def _known_texts(document: Document) -> set[str]:
    """Every text the document holds without a source (template text): unmarked paragraphs that
    equal one of them are not edits."""
    from builder.negotiate.changes import element_plain

    meta = document.meta
    texts = {element_plain(element) for element in document.tree.root.iter()}
    texts |= {meta.title, meta.pairing_title, meta.kicker, meta.confidentiality, document.theme.address, "Contents",
              f"Sponsor: {meta.sponsor} Provider: {meta.provider}"}
    texts |= {value for row in meta.cover_rows for value in row}
    texts |= {f"{entry.number} {entry.text}".strip() for entry in document.tree.toc}
    return {" ".join(text.split()) for text in texts if text}


def _paragraph_label(paragraphs: list[WordParagraph], index: int | None) -> str:
    if index is None or index >= len(paragraphs):
        return "the document"
    text = paragraphs[index].text
    return f"paragraph {index + 1} ('{text[:60]}{'…' if len(text) > 60 else ''}')"

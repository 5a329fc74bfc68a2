"""Which blocks changed between two checked content libraries, and what that does to the documents.

Each block change is traced to the pairings that use it and to the documents whose text it changes:
both sides' documents are rendered with a recording context that notes which block fields
each document reads. From the changes it proposes each pairing's next version.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from builder.compose.check import CheckResult
from builder.compose.context import Context
from builder.diagnostics import Diagnostic, DiagnosticError, Diagnostics, Location, suggest
from builder.content.library import Library
from builder.content.model import INCLUDE_GROUPS, KIND_MODELS, BlockBase, group_of
from builder.content.model.common import field_alias
from builder.engine.pipeline import Pipeline
from builder.review.field_diff import ARROW, FieldChange, diff_values
from builder.review.merge import clause_changes, merge_trees
from builder.review.revisions import ContentSide
from builder.tree import Document

BUMPS = ("none", "patch", "minor", "major")


# -- block changes -----------------------------------------------------------------------------
@dataclass
class BlockChange:
    """A block added, removed or changed, and the pairings and documents it affects."""

    kind: str
    id: str
    op: str  # added | removed | changed
    old_file: str | None = None
    new_file: str | None = None
    moved: bool = False  # the block's file has another path inside the content folder
    fields: list[FieldChange] = field(default_factory=list)
    pairings: list[str] = field(default_factory=list)  # pairings that use the block (either side)
    documents: dict[str, list[str]] = field(default_factory=dict)  # pairing -> documents it changes
    visible: dict[str, list[FieldChange]] = field(default_factory=dict)  # pairing -> fields not overridden

    @property
    def name(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def file(self) -> str:
        return self.new_file or self.old_file or ""

    def bump(self, pairing: str | None = None) -> str:
        """The version bump this change asks of a pairing (document control asks for none)."""
        if self.op != "changed":
            return "minor"
        return max((f.bump for f in self.relevant(pairing)), key=BUMPS.index, default="none")

    def relevant(self, pairing: str | None = None) -> list[FieldChange]:
        """Changed fields that can show in a pairing's documents: not overridden, not document control."""
        fields = self.visible.get(pairing, self.fields) if pairing else self.fields
        return [f for f in fields if not (self.kind == "pairing" and f.path[:1] == ("control",))]

    def to_json(self) -> dict:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id, "change": self.op}
        if self.old_file:
            data["old_file"] = self.old_file
        if self.new_file:
            data["new_file"] = self.new_file
        if self.moved:
            data["moved"] = True
        data["fields"] = [f.to_json() for f in self.fields]
        data["affects"] = [{"pairing": p, "documents": self.documents.get(p, [])} for p in self.pairings]
        return data


def diff_libraries(old: Library, new: Library, old_side: ContentSide, new_side: ContentSide) -> list[BlockChange]:
    """Blocks added, removed or changed, by kind (in the content model's order) then id."""
    changes: list[BlockChange] = []
    for kind in KIND_MODELS:
        old_blocks, new_blocks = old.entries.get(kind, {}), new.entries.get(kind, {})
        for block_id in sorted(set(old_blocks) | set(new_blocks)):
            before, after = old_blocks.get(block_id), new_blocks.get(block_id)
            old_file = old_side.show(before.source.file) if before else None
            new_file = new_side.show(after.source.file) if after else None
            if before is None:
                changes.append(BlockChange(kind, block_id, "added", None, new_file))
            elif after is None:
                changes.append(BlockChange(kind, block_id, "removed", old_file, None))
            else:
                fields = diff_values(before.source.data, after.source.data)
                moved = old_side.relative(before.source.file) != new_side.relative(after.source.file)
                if fields or moved:
                    changes.append(BlockChange(kind, block_id, "changed", old_file, new_file, moved, fields))
    return changes


# -- recording which block fields a document reads ---------------------------------------------
Reads = dict[tuple[str, str], set[str]]


class _Recorder:
    """Stands in for a block while a document renders, noting each field read."""

    __slots__ = ("_block", "_reads")

    def __init__(self, block: BlockBase, reads: Reads):
        object.__setattr__(self, "_block", block)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str) -> Any:
        block = object.__getattribute__(self, "_block")
        if name not in ("id", "kind"):
            object.__getattribute__(self, "_reads").setdefault((block.kind, block.id), set()).add(field_alias(name))
        return getattr(block, name)

    def __eq__(self, other: object) -> bool:
        mine = object.__getattribute__(self, "_block")
        return mine == (object.__getattribute__(other, "_block") if isinstance(other, _Recorder) else other)

    def __hash__(self) -> int:
        return id(object.__getattribute__(self, "_block"))

    def __str__(self) -> str:
        return str(object.__getattribute__(self, "_block"))

    def __repr__(self) -> str:
        return repr(object.__getattribute__(self, "_block"))


def recording_context(context: Context, reads: Reads) -> Context:
    """A copy of ``context`` whose blocks note the fields the templates read into ``reads``."""
    proxies: dict[int, _Recorder] = {}

    def wrap(value: Any) -> Any:
        if isinstance(value, BlockBase):
            return proxies.setdefault(id(value), _Recorder(value, reads))
        if isinstance(value, list):
            return [wrap(item) for item in value]
        if isinstance(value, dict):
            return {key: wrap(item) for key, item in value.items()}
        return value

    return dataclasses.replace(context, **{f.name: wrap(getattr(context, f.name))
                                           for f in dataclasses.fields(context) if f.name != "sources"})


@dataclass
class Rendered:
    """One side of one document: the document (None if it does not exist) and what it read."""

    document: Document | None = None
    reads: Reads = field(default_factory=dict)
    failed: bool = False


def render_side(context: Context | None, document_id: str, pipeline: Pipeline,
                side: ContentSide, diagnostics: Diagnostics, level: str) -> Rendered:
    """Assemble a document while recording its reads; problems are relabelled and reported."""
    if context is None or document_id not in context.pairing.documents:
        return Rendered()
    reads: Reads = {}
    try:
        document = _assemble_recording(context, document_id, pipeline, reads)
    except DiagnosticError as exc:
        for problem in relabel(exc.diagnostics, side):
            if level == "warning":
                message = f"cannot render the {document_id} of pairing '{context.pairing.id}' at {side.title}: {problem.message}"
                diagnostics.warning(problem.location, problem.code, message)
            else:
                diagnostics.items.append(problem)
        return Rendered(None, {key: {"*"} for key in context.sources}, failed=True)
    return Rendered(document, reads)


def _assemble_recording(context: Context, document_id: str, pipeline: Pipeline, reads: Reads) -> Document:
    """Assemble with the recording context; a template that cannot take it is rendered plainly
    (and then counts as reading every field of every block the pairing uses)."""
    try:
        return pipeline.assemble(recording_context(context, reads), document_id)
    except DiagnosticError:
        raise
    except Exception:  # noqa: BLE001 - the recorder must never be why a diff fails
        reads.clear()
        reads.update({key: {"*"} for key in context.sources})
        return pipeline.assemble(context, document_id)


def relabel(items: Iterable[Diagnostic], side: ContentSide) -> list[Diagnostic]:
    """Diagnostics about a materialised revision, with its files named ``REV:content/...``."""
    from builder.diagnostics import display_path

    roots = {str(side.content_dir.resolve()), display_path(side.content_dir)}
    result = []
    for item in items:
        message = item.message
        for root in sorted(roots, key=len, reverse=True):
            if root not in (".", side.display_root):
                message = message.replace(root + "/", side.display_root + "/")
        location = Location(side.show(item.location.file), item.location.line, item.location.column)
        result.append(Diagnostic(location, item.level, item.code, message))
    return result


# -- documents and pairings --------------------------------------------------------------------
@dataclass
class DocumentReport:
    """One document of one pairing on both sides."""

    pairing: str
    document: str
    status: str  # added | removed | changed | unchanged
    old: Document | None = None
    new: Document | None = None
    old_context: Context | None = None
    new_context: Context | None = None
    old_reads: Reads = field(default_factory=dict)
    new_reads: Reads = field(default_factory=dict)
    clauses_added: list[str] = field(default_factory=list)
    clauses_removed: list[str] = field(default_factory=list)
    contract: bool = False  # a document of numbered clauses: a clause added or removed is a major change

    def snapshot_diff(self, old_label: str, new_label: str, context_lines: int = 1) -> str:
        """The unified diff of the review snapshots (the rendered Markdown)."""
        old_lines = self.old.markdown.splitlines() if self.old else []
        new_lines = self.new.markdown.splitlines() if self.new else []
        name = f"{self.pairing}/{self.document}.md"
        return "\n".join(difflib.unified_diff(old_lines, new_lines, f"{old_label}/{name}", f"{new_label}/{name}",
                                              n=context_lines, lineterm=""))

    def to_json(self) -> dict:
        data: dict[str, Any] = {"document": self.document, "status": self.status}
        if self.contract and (self.clauses_added or self.clauses_removed):
            data["clauses_added"] = self.clauses_added
            data["clauses_removed"] = self.clauses_removed
        return data


@dataclass
class VersionProposal:
    """A document's own version before and after, and the next one proposed."""

    old: str | None = None
    new: str | None = None
    bump: str = "none"
    proposed: str | None = None
    reason: str = ""

    @property
    def note(self) -> str:
        if self.bump == "none" or self.proposed is None:
            return f"version {self.new or self.old}: no change proposed"
        if self.old and self.new and self.new != self.old:
            verdict = "ok" if _version_tuple(self.new) >= _version_tuple(self.proposed) else \
                f"lower than the proposed {self.proposed}"
            return f"version {self.old} {ARROW} {self.new} ({verdict}; {self.bump}: {self.reason})"
        return f"version {self.old or '-'} {ARROW} {self.proposed} proposed ({self.bump}: {self.reason})"

    def to_json(self) -> dict:
        return {"old": self.old, "new": self.new, "bump": self.bump, "proposed": self.proposed, "reason": self.reason}


@dataclass
class PairingReport:
    """A pairing's changed documents and its proposed next version."""

    pairing: str
    status: str  # added | removed | changed | unchanged
    documents: list[DocumentReport] = field(default_factory=list)
    old_context: Context | None = None
    new_context: Context | None = None
    old_version: str | None = None
    new_version: str | None = None
    bump: str = "none"
    proposed: str | None = None
    reason: str = ""
    own_versions: dict[str, VersionProposal] = field(default_factory=dict)  # documents with a version of their own

    @property
    def changed_documents(self) -> list[DocumentReport]:
        return [d for d in self.documents if d.status != "unchanged"]

    @property
    def verdict(self) -> str:
        """For a version already changed: 'ok' if it is at least the proposal, else 'lower'; '' otherwise."""
        if self.bump == "none" or not self.proposed or not self.old_version or self.new_version in (None, self.old_version):
            return ""
        return "ok" if _version_tuple(self.new_version) >= _version_tuple(self.proposed) else "lower"

    @property
    def version_note(self) -> str:
        """'1.0.0 -> 1.1.0 proposed (minor: ...)', or that the new version already covers it."""
        if self.status in ("added", "removed"):
            return f"{self.reason} (version {self.new_version or self.old_version})"
        if self.bump == "none" or self.proposed is None:
            return f"version {self.new_version or self.old_version}: no change proposed"
        if self.verdict:
            verdict = "ok" if self.verdict == "ok" else f"lower than the proposed {self.proposed}"
            return f"version {self.old_version} {ARROW} {self.new_version} ({verdict}; {self.bump}: {self.reason})"
        return f"version {self.old_version or '-'} {ARROW} {self.proposed} proposed ({self.bump}: {self.reason})"

    @property
    def versions_note(self) -> str:
        """The shared version's note, then each document's own ("quality-agreement: version ...")."""
        notes = [self.version_note] + [f"{document}: {proposal.note}" for document, proposal in self.own_versions.items()]
        return "; ".join(notes)

    def to_json(self) -> dict:
        documents = []
        for document in self.documents:
            data = document.to_json()
            if document.document in self.own_versions:
                data["version"] = self.own_versions[document.document].to_json()
            documents.append(data)
        return {
            "pairing": self.pairing, "status": self.status,
            "documents": documents,
            "version": {"old": self.old_version, "new": self.new_version, "bump": self.bump,
                        "proposed": self.proposed, "reason": self.reason},
        }


@dataclass
class DiffReport:
    """Everything ``playbook diff`` reports."""

    old: ContentSide
    new: ContentSide
    changes: list[BlockChange] = field(default_factory=list)
    pairings: list[PairingReport] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def changed_documents(self) -> list[DocumentReport]:
        return [d for p in self.pairings for d in p.changed_documents]

    def counts(self) -> dict[str, int]:
        return {op: sum(1 for c in self.changes if c.op == op) for op in ("added", "removed", "changed")}


def bump_version(version: str, bump: str) -> str:
    """Semantic-version arithmetic: 1.2.3 + minor -> 1.3.0."""
    major, minor, patch = _version_tuple(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def _version_tuple(version: str) -> tuple[int, int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", version.split("-")[0].split("+")[0])[:3]]
    return tuple(numbers + [0] * (3 - len(numbers)))  # type: ignore[return-value]


# -- analysis ----------------------------------------------------------------------------------
def analyse(old_side: ContentSide, old: CheckResult, new_side: ContentSide, new: CheckResult,
            pipeline: Pipeline, only: Sequence[str] = ()) -> DiffReport:
    """Compare two checked libraries: block and field changes, affected pairings and documents."""
    report = DiffReport(old_side, new_side)
    all_pairings = sorted(set(old.contexts) | set(new.contexts))
    for pairing_id in dict.fromkeys(only):
        if pairing_id not in all_pairings:
            report.diagnostics.error(Location(new_side.display_root), "unknown-pairing",
                                     f"no pairing '{pairing_id}' in {old_side.title} or {new_side.title}"
                                     f"{suggest(pairing_id, all_pairings)}")
    selected = [p for p in all_pairings if not only or p in only]
    changes = diff_libraries(old.library, new.library, old_side, new_side)
    for change in changes:
        change.pairings = [p for p in selected if _uses(old.contexts.get(p), change) or _uses(new.contexts.get(p), change)]
    report.changes = [c for c in changes if c.pairings or not only]
    affected = sorted({p for c in report.changes for p in c.pairings})
    for pairing_id in affected:
        pairing = _pairing_report(pairing_id, old.contexts.get(pairing_id), new.contexts.get(pairing_id),
                                  pipeline, old_side, new_side, report.diagnostics)
        _attribute(pairing, [c for c in report.changes if pairing_id in c.pairings])
        _propose_version(pairing, [c for c in report.changes if pairing_id in c.documents])
        report.pairings.append(pairing)
    return report


def _uses(context: Context | None, change: BlockChange) -> bool:
    if context is None:
        return False
    return (change.kind, change.id) in context.sources or (change.kind == "pairing" and change.id == context.pairing.id)


def _pairing_report(pairing_id: str, old: Context | None, new: Context | None, pipeline: Pipeline,
                    old_side: ContentSide, new_side: ContentSide, diagnostics: Diagnostics) -> PairingReport:
    """Render both sides' documents of a pairing and classify each as added, removed, changed or unchanged."""
    status = "added" if old is None else "removed" if new is None else "changed"
    result = PairingReport(pairing_id, status, old_context=old, new_context=new,
                           old_version=old.pairing.control.version if old else None,
                           new_version=new.pairing.control.version if new else None)
    wanted = set(old.pairing.documents if old else []) | set(new.pairing.documents if new else [])
    for document_id in pipeline.documents.ordered(wanted):
        declared = pipeline.documents.get(document_id)
        before = render_side(old, document_id, pipeline, old_side, diagnostics, "warning")
        after = render_side(new, document_id, pipeline, new_side, diagnostics, "error")
        doc = DocumentReport(pairing_id, document_id, "unchanged", before.document, after.document, old, new,
                             before.reads, after.reads,
                             contract=declared is not None and declared.versioning == "contract")
        exists_before = before.document is not None or before.failed
        exists_after = after.document is not None or after.failed
        if not exists_before:
            doc.status = "added"
        elif not exists_after:
            doc.status = "removed"
        elif before.failed or after.failed or _differs(before.document, after.document):
            doc.status = "changed"
        if doc.status == "changed" and doc.contract and doc.old and doc.new:
            merged = merge_trees(doc.old.tree if doc.old else None, doc.new.tree if doc.new else None)
            doc.clauses_added, doc.clauses_removed = clause_changes(merged)
        result.documents.append(doc)
    if status == "changed" and not result.changed_documents:
        result.status = "unchanged"
    return result


def _differs(old: Document, new: Document) -> bool:
    return old.markdown != new.markdown or old.meta != new.meta


def _attribute(pairing: PairingReport, changes: list[BlockChange]) -> None:
    """Give each change the pairing's changed documents that read what it changed.

    A changed document that no change accounts for (a template reading something
    indirectly) is given to every change of the pairing, so nothing goes unreported.
    """
    explained: set[str] = set()
    for change in changes:
        change.visible[pairing.pairing] = [f for f in change.fields if not _overridden(change, f, pairing)]
        documents = [d.document for d in pairing.changed_documents if _touches(change, d, pairing.pairing)]
        change.documents[pairing.pairing] = documents
        explained.update(documents)
    unexplained = {d.document for d in pairing.changed_documents} - explained
    if unexplained:
        for change in changes:
            mine = set(change.documents[pairing.pairing]) | unexplained
            change.documents[pairing.pairing] = [d.document for d in pairing.changed_documents if d.document in mine]


def _overridden(change: BlockChange, item: FieldChange, pairing: PairingReport) -> bool:
    """Whether the pairing's overrides replace this field on both sides (so the change cannot show)."""
    kind = group_of(change.kind)
    group = kind.group if kind else None
    contexts = [c for c in (pairing.old_context, pairing.new_context) if c is not None]
    if group is None or not item.path or not contexts:
        return False
    for context in contexts:
        node: Any = context.pairing.overrides.get(group, {}).get(change.id)
        for step in item.path:
            if not isinstance(node, dict) or step not in node:
                return False
            node = node[step]
            if not isinstance(node, dict):
                break
    return True


def _touches(change: BlockChange, doc: DocumentReport, pairing_id: str) -> bool:
    """Whether the document read, on either side, a field the change changed."""
    if doc.status in ("added", "removed") and change.kind == "pairing" and change.id == pairing_id:
        return True
    reads = [doc.old_reads, doc.new_reads] if change.op == "changed" else \
        [doc.new_reads] if change.op == "added" else [doc.old_reads]
    keys = _read_keys(change, change.visible.get(pairing_id, change.fields))
    return any(_read(reads, kind, block_id, name) for kind, block_id, name in keys)


def _read(reads: list[Reads], kind: str, block_id: str, name: str | None) -> bool:
    for side in reads:
        fields = side.get((kind, block_id))
        if fields and (name is None or name in fields or "*" in fields):
            return True
    return False


def _read_keys(change: BlockChange, fields: list[FieldChange]) -> list[tuple[str, str, str | None]]:
    """(kind, id, field or None for any) that a document must read to show this change."""
    if change.op != "changed":
        return [(change.kind, change.id, None)]
    keys: list[tuple[str, str, str | None]] = []
    for item in fields:
        top = str(item.path[0]) if item.path else None
        if change.kind == "pairing" and top == "overrides" and len(item.path) >= 3:
            included = INCLUDE_GROUPS.get(str(item.path[1]))
            if included:
                names = [str(item.path[3])] if len(item.path) > 3 else \
                    [str(k) for v in (item.old, item.new) if isinstance(v, dict) for k in v] or [None]
                keys.extend((included.name, str(item.path[2]), n) for n in names)
                continue
        if change.kind == "pairing" and top == "include" and len(item.path) >= 2:
            included = INCLUDE_GROUPS.get(str(item.path[1]))
            if included:
                keys.extend((included.name, block_id, None) for block_id in _strings(item.old) + _strings(item.new))
                continue
        keys.append((change.kind, change.id, top))
    return keys


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _propose_version(pairing: PairingReport, changes: list[BlockChange]) -> None:
    """Propose each version: the pairing's shared one, for the documents that use it, and every
    document's own (a signed contract keeps its own). major: a document added or removed, or a
    contract's clause; minor: a value; patch: wording."""
    old, new = pairing.old_context, pairing.new_context
    own = {d.document for d in pairing.documents
           for context in (old, new) if context and context.pairing.control.documents.get(d.document)
           and context.pairing.control.documents[d.document].version}
    shared = [d for d in pairing.documents if d.document not in own]
    pairing.bump, pairing.reason = _bump(pairing, shared, changes)
    base = pairing.old_version or pairing.new_version
    pairing.proposed = bump_version(base, pairing.bump) if base and pairing.bump != "none" else base
    for document in pairing.documents:
        if document.document not in own:
            continue
        versions = [c.pairing.control.for_document(document.document).version if c else None for c in (old, new)]
        proposal = VersionProposal(*versions)
        proposal.bump, proposal.reason = _bump(pairing, [document], changes)
        proposal.proposed = bump_version(proposal.old or proposal.new or "0.0.0", proposal.bump) \
            if proposal.bump != "none" else proposal.old or proposal.new
        pairing.own_versions[document.document] = proposal


def _bump(pairing: PairingReport, documents: list[DocumentReport], changes: list[BlockChange]) -> tuple[str, str]:
    """The bump some documents of a pairing ask for, and why."""
    names = {d.document for d in documents}
    contracts = [d for d in documents if d.contract and (d.clauses_added or d.clauses_removed)]
    whole = [d for d in documents if d.status in ("added", "removed")]
    if pairing.status in ("added", "removed"):
        return "none", f"the pairing was {pairing.status}"
    if whole:
        return "major", "; ".join(f"the {d.document} was {d.status}" for d in whole)
    if contracts:
        what = [f"clause {c.split()[0]} added" for d in contracts for c in d.clauses_added] + \
            [f"old clause {c.split()[0]} removed" for d in contracts for c in d.clauses_removed]
        titles = " and ".join(dict.fromkeys(d.new.meta.title if d.new else d.document for d in contracts))
        return "major", f"a {titles} clause was added or removed: " + "; ".join(what[:3]) + \
            ("; …" if len(what) > 3 else "")
    name = pairing.pairing
    visible = [c for c in changes if names & set(c.documents.get(name, []))]
    ranked = sorted(visible, key=lambda c: -BUMPS.index(c.bump(name)))
    if not ranked or ranked[0].bump(name) == "none":
        return "none", ""
    bump = ranked[0].bump(name)
    examples = [_example(c, name) for c in ranked if c.bump(name) == bump]
    kind = "wording changed" if bump == "patch" else "a value changed"
    return bump, f"{kind}: " + "; ".join(examples[:3]) + ("; …" if len(examples) > 3 else "")


def _example(change: BlockChange, pairing: str) -> str:
    if change.op != "changed":
        return f"{change.name} {change.op}"
    fields = [f.dotted for f in change.relevant(pairing) if f.bump == change.bump(pairing)]
    return f"{change.name} {', '.join(fields[:2])}" + (" …" if len(fields) > 2 else "")

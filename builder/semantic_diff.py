"""What changed between two checked content libraries, in the content's own terms.

Blocks are compared by kind and id (their source data, field by field), then each change
is traced to the pairings that use the block and to the documents whose text it changes:
both sides' documents are rendered with a recording context that notes which block fields
each document reads. From the changes it proposes each pairing's next version.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Iterable, Sequence

from builder.check import CheckResult
from builder.compose import Context
from builder.diagnostics import Diagnostic, DiagnosticError, Diagnostics, Location, suggest
from builder.document import Document, assemble_document
from builder.library import Library
from builder.model import DOCUMENT_IDS, INCLUDE_KINDS, KIND_MODELS, BlockBase
from builder.model.common import field_alias
from builder.render import TemplateRenderer
from builder.revisions import ContentSide

BUMPS = ("none", "patch", "minor", "major")
ARROW = "->"


# -- field changes -----------------------------------------------------------------------------
class ItemId(str):
    """A list item found by its ``id`` (shown as ``[id]`` in a field path)."""


PathStep = str | int | ItemId


@dataclass(frozen=True)
class FieldChange:
    """One field of a block that differs: added, removed, changed or reordered."""

    path: tuple[PathStep, ...]
    op: str  # changed | added | removed | reordered
    old: Any = None
    new: Any = None

    @property
    def dotted(self) -> str:
        """``thresholds.red``, ``activities[sae-processing].task``, ``qualifications[0]``."""
        text = ""
        for step in self.path:
            if isinstance(step, ItemId) or isinstance(step, int):
                text += f"[{step}]"
            else:
                text += ("." if text else "") + str(step)
        return text or "(block)"

    @property
    def bump(self) -> str:
        """patch for wording (prose reworded, its numbers unchanged), minor for any other value."""
        return "patch" if self.is_wording and _numbers(self.old) == _numbers(self.new) else "minor"

    @property
    def is_wording(self) -> bool:
        """Prose replaced by prose (shown word by word)."""
        return (self.op == "changed" and isinstance(self.old, str) and isinstance(self.new, str)
                and _is_prose(self.old) and _is_prose(self.new))

    def to_json(self) -> dict:
        data: dict[str, Any] = {"path": self.dotted, "change": self.op}
        if self.op != "added":
            data["old"] = self.old
        if self.op != "removed":
            data["new"] = self.new
        return data


def _is_prose(text: str) -> bool:
    return bool(re.search(r"\s", text.strip()))


def _numbers(text: str) -> list[str]:
    """The numbers in a text: '20 business days' and '15 business days' differ in value."""
    return re.findall(r"\d+(?:[.,]\d+)*", text)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def diff_values(old: Any, new: Any, path: tuple[PathStep, ...] = ()) -> list[FieldChange]:
    """Field-level differences of two YAML values: mappings by key, lists by id or position."""
    if isinstance(old, dict) and isinstance(new, dict):
        return _diff_mappings(old, new, path)
    if isinstance(old, list) and isinstance(new, list):
        if old and new and _keyed(old) and _keyed(new):
            return _diff_keyed(old, new, path)
        return _diff_positional(old, new, path)
    return [] if _same(old, new) else [FieldChange(path, "changed", old, new)]


def _diff_mappings(old: dict, new: dict, path: tuple[PathStep, ...]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key, value in old.items():
        if key in new:
            changes.extend(diff_values(value, new[key], path + (key,)))
        else:
            changes.append(FieldChange(path + (key,), "removed", value, None))
    changes.extend(FieldChange(path + (key,), "added", None, value) for key, value in new.items() if key not in old)
    return changes


def _keyed(items: list) -> bool:
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    return all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids)


def _diff_keyed(old: list[dict], new: list[dict], path: tuple[PathStep, ...]) -> list[FieldChange]:
    old_by = {item["id"]: item for item in old}
    new_by = {item["id"]: item for item in new}
    changes: list[FieldChange] = []
    for item_id, item in old_by.items():
        step = path + (ItemId(item_id),)
        if item_id in new_by:
            changes.extend(diff_values(item, new_by[item_id], step))
        else:
            changes.append(FieldChange(step, "removed", item, None))
    changes.extend(FieldChange(path + (ItemId(i),), "added", None, item) for i, item in new_by.items() if i not in old_by)
    old_order = [i for i in old_by if i in new_by]
    new_order = [i for i in new_by if i in old_by]
    if old_order != new_order:
        changes.append(FieldChange(path, "reordered", old_order, new_order))
    return changes


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _diff_positional(old: list, new: list, path: tuple[PathStep, ...]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    matcher = SequenceMatcher(None, [_canonical(v) for v in old], [_canonical(v) for v in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(paired):
            changes.extend(diff_values(old[i1 + k], new[j1 + k], path + (j1 + k,)))
        changes.extend(FieldChange(path + (i,), "removed", old[i], None) for i in range(i1 + paired, i2))
        changes.extend(FieldChange(path + (j,), "added", None, new[j]) for j in range(j1 + paired, j2))
    return changes


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
        return value

    return dataclasses.replace(context, **{f.name: wrap(getattr(context, f.name))
                                           for f in dataclasses.fields(context) if f.name != "sources"})


@dataclass
class Rendered:
    """One side of one document: the document (None if it does not exist) and what it read."""

    document: Document | None = None
    reads: Reads = field(default_factory=dict)
    failed: bool = False


def render_side(context: Context | None, document_id: str, renderer: TemplateRenderer,
                side: ContentSide, diagnostics: Diagnostics, level: str) -> Rendered:
    """Assemble a document while recording its reads; problems are relabelled and reported."""
    if context is None or document_id not in context.pairing.documents:
        return Rendered()
    reads: Reads = {}
    try:
        document = _assemble_recording(context, document_id, renderer, reads)
    except DiagnosticError as exc:
        for problem in relabel(exc.diagnostics, side):
            if level == "warning":
                message = f"cannot render the {document_id} of pairing '{context.pairing.id}' at {side.title}: {problem.message}"
                diagnostics.warning(problem.location, problem.code, message)
            else:
                diagnostics.items.append(problem)
        return Rendered(None, {key: {"*"} for key in context.sources}, failed=True)
    return Rendered(document, reads)


def _assemble_recording(context: Context, document_id: str, renderer: TemplateRenderer, reads: Reads) -> Document:
    """Assemble with the recording context; a template that cannot take it is rendered plainly
    (and then counts as reading every field of every block the pairing uses)."""
    try:
        return assemble_document(recording_context(context, reads), document_id, renderer)
    except DiagnosticError:
        raise
    except Exception:  # noqa: BLE001 - the recorder must never be why a diff fails
        reads.clear()
        reads.update({key: {"*"} for key in context.sources})
        return assemble_document(context, document_id, renderer)


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

    def snapshot_diff(self, old_label: str, new_label: str, context_lines: int = 1) -> str:
        """The unified diff of the review snapshots (the rendered Markdown)."""
        old_lines = self.old.markdown.splitlines() if self.old else []
        new_lines = self.new.markdown.splitlines() if self.new else []
        name = f"{self.pairing}/{self.document}.md"
        return "\n".join(difflib.unified_diff(old_lines, new_lines, f"{old_label}/{name}", f"{new_label}/{name}",
                                              n=context_lines, lineterm=""))

    def to_json(self) -> dict:
        data: dict[str, Any] = {"document": self.document, "status": self.status}
        if self.document == "quality-agreement" and (self.clauses_added or self.clauses_removed):
            data["clauses_added"] = self.clauses_added
            data["clauses_removed"] = self.clauses_removed
        return data


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

    def to_json(self) -> dict:
        return {
            "pairing": self.pairing, "status": self.status,
            "documents": [d.to_json() for d in self.documents],
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
            renderer: TemplateRenderer, only: Sequence[str] = ()) -> DiffReport:
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
                                  renderer, old_side, new_side, report.diagnostics)
        _attribute(pairing, [c for c in report.changes if pairing_id in c.pairings])
        _propose_version(pairing, [c for c in report.changes if pairing_id in c.documents])
        report.pairings.append(pairing)
    return report


def _uses(context: Context | None, change: BlockChange) -> bool:
    if context is None:
        return False
    return (change.kind, change.id) in context.sources or (change.kind == "pairing" and change.id == context.pairing.id)


def _pairing_report(pairing_id: str, old: Context | None, new: Context | None, renderer: TemplateRenderer,
                    old_side: ContentSide, new_side: ContentSide, diagnostics: Diagnostics) -> PairingReport:
    """Render both sides' documents of a pairing and classify each as added, removed, changed or unchanged."""
    from builder.redline import clause_changes, merge_trees

    status = "added" if old is None else "removed" if new is None else "changed"
    result = PairingReport(pairing_id, status, old_context=old, new_context=new,
                           old_version=old.pairing.control.version if old else None,
                           new_version=new.pairing.control.version if new else None)
    wanted = set(old.pairing.documents if old else []) | set(new.pairing.documents if new else [])
    for document_id in [d for d in DOCUMENT_IDS if d in wanted]:
        before = render_side(old, document_id, renderer, old_side, diagnostics, "warning")
        after = render_side(new, document_id, renderer, new_side, diagnostics, "error")
        doc = DocumentReport(pairing_id, document_id, "unchanged", before.document, after.document, old, new,
                             before.reads, after.reads)
        exists_before = before.document is not None or before.failed
        exists_after = after.document is not None or after.failed
        if not exists_before:
            doc.status = "added"
        elif not exists_after:
            doc.status = "removed"
        elif before.failed or after.failed or _differs(before.document, after.document):
            doc.status = "changed"
        if doc.status == "changed" and document_id == "quality-agreement" and doc.old and doc.new:
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
    group = next((g for g, k in INCLUDE_KINDS.items() if k == change.kind), None)
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
            kind = INCLUDE_KINDS.get(str(item.path[1]))
            if kind:
                names = [str(item.path[3])] if len(item.path) > 3 else \
                    [str(k) for v in (item.old, item.new) if isinstance(v, dict) for k in v] or [None]
                keys.extend((kind, str(item.path[2]), n) for n in names)
                continue
        if change.kind == "pairing" and top == "include" and len(item.path) >= 2:
            kind = INCLUDE_KINDS.get(str(item.path[1]))
            if kind:
                keys.extend((kind, block_id, None) for block_id in _strings(item.old) + _strings(item.new))
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
    """major: a Quality Agreement clause added or removed; minor: a value; patch: wording."""
    visible = [c for c in changes if pairing.pairing in c.documents and c.documents[pairing.pairing]]
    bump, reason = "none", ""
    qa = next((d for d in pairing.documents if d.document == "quality-agreement"), None)
    whole = [d for d in pairing.documents if d.status in ("added", "removed")]
    if pairing.status in ("added", "removed"):
        reason = f"the pairing was {pairing.status}"
    elif whole:
        bump, reason = "major", "; ".join(f"the {d.document} was {d.status}" for d in whole)
    elif qa is not None and (qa.clauses_added or qa.clauses_removed):
        what = [f"clause {c.split()[0]} added" for c in qa.clauses_added] + \
            [f"old clause {c.split()[0]} removed" for c in qa.clauses_removed]
        bump, reason = "major", "a Quality Agreement clause was added or removed: " + "; ".join(what[:3]) + \
            ("; …" if len(what) > 3 else "")
    else:
        name = pairing.pairing
        ranked = sorted(visible, key=lambda c: -BUMPS.index(c.bump(name)))
        if ranked and ranked[0].bump(name) != "none":
            bump = ranked[0].bump(name)
            examples = [_example(c, name) for c in ranked if c.bump(name) == bump]
            kind = "wording changed" if bump == "patch" else "a value changed"
            reason = f"{kind}: " + "; ".join(examples[:3]) + ("; …" if len(examples) > 3 else "")
    pairing.bump = bump
    base = pairing.old_version or pairing.new_version
    pairing.proposed = bump_version(base, bump) if base and bump != "none" else base
    pairing.reason = reason


def _example(change: BlockChange, pairing: str) -> str:
    if change.op != "changed":
        return f"{change.name} {change.op}"
    fields = [f.dotted for f in change.relevant(pairing) if f.bump == change.bump(pairing)]
    return f"{change.name} {', '.join(fields[:2])}" + (" …" if len(fields) > 2 else "")


# -- rendering: values -------------------------------------------------------------------------
_BARE = re.compile(r"[\w.@/+:%-]+")


def flow(value: Any, limit: int = 80) -> str:
    """A value on one line, YAML-flow style: 95, monthly, "two words", [a, b], {amber: 97}."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = json.dumps(value)
    elif isinstance(value, str):
        folded = " ".join(value.split())
        if len(folded) > limit:
            folded = folded[:limit - 3] + "…"
        text = folded if _BARE.fullmatch(folded) else json.dumps(folded, ensure_ascii=False)
    elif isinstance(value, list):
        text = "[" + ", ".join(flow(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {flow(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = json.dumps(str(value), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def word_diff(old: str, new: str, deleted: tuple[str, str], inserted: tuple[str, str],
              escape=lambda s: s, context: int = 4) -> str:
    """Words of two texts with only the changes marked, long unchanged stretches elided."""
    a, b = old.split(), new.split()
    pieces: list[str] = []
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            keep_head = [] if first else words[:context]
            keep_tail = [] if last else words[-context:]
            if len(words) > len(keep_head) + len(keep_tail):
                pieces.extend(escape(w) for w in keep_head)
                pieces.append("…")
                pieces.extend(escape(w) for w in keep_tail)
            else:
                pieces.extend(escape(w) for w in words)
            continue
        if i2 > i1:
            pieces.append(deleted[0] + escape(" ".join(a[i1:i2])) + deleted[1])
        if j2 > j1:
            pieces.append(inserted[0] + escape(" ".join(b[j1:j2])) + inserted[1])
    return " ".join(pieces)


def field_line(change: FieldChange) -> str:
    """``thresholds.red 95 -> 94``, ``definition reworded: … [-24-]{+48+} hours``."""
    path = change.dotted
    if change.op == "added":
        return f"{path} added {flow(change.new)}"
    if change.op == "removed":
        return f"{path} removed {flow(change.old)}"
    if change.op == "reordered":
        return f"{path} reordered {flow(change.old)} {ARROW} {flow(change.new)}"
    if change.is_wording:
        return f"{path} reworded: " + word_diff(change.old, change.new, ("[-", "-]"), ("{+", "+}"))
    return f"{path} {flow(change.old)} {ARROW} {flow(change.new)}"


def _affects_text(change: BlockChange) -> str:
    if not change.pairings:
        return "used by no pairing"
    shown = [f"{p}: {', '.join(change.documents[p])}" for p in change.pairings if change.documents.get(p)]
    quiet = [p for p in change.pairings if not change.documents.get(p)]
    parts = []
    if shown:
        parts.append("affects " + "; ".join(shown))
    if quiet:
        parts.append(f"used by {', '.join(quiet)} without changing {'its' if len(quiet) == 1 else 'their'} documents")
    return "; ".join(parts)


def _summary_line(report: DiffReport) -> str:
    counts = report.counts()
    total = sum(counts.values())
    documents = report.changed_documents()
    pairings = {d.pairing for d in documents}
    return (f"{total} block{'s' * (total != 1)} changed ({counts['added']} added, {counts['removed']} removed, "
            f"{counts['changed']} changed); {len(documents)} document{'s' * (len(documents) != 1)} changed "
            f"in {len(pairings)} pairing{'s' * (len(pairings) != 1)}")


def _document_status(doc: DocumentReport) -> str:
    text = f"{doc.document} {doc.status}"
    extra = [f"clause {c.split()[0]} added" for c in doc.clauses_added] + \
        [f"old clause {c.split()[0]} removed" for c in doc.clauses_removed]
    if len(extra) > 4:
        extra = extra[:4] + [f"{len(extra) - 4} more"]
    return text + (f" ({'; '.join(extra)})" if extra else "")


# -- rendering: formats ------------------------------------------------------------------------
def render_text(report: DiffReport) -> str:
    """The report for a terminal: one line per block and field change, then documents and versions."""
    lines = [f"playbook diff: {report.old.title} {ARROW} {report.new.title}", ""]
    if not report.changes:
        lines.append("no content changes")
        return "\n".join(lines) + "\n"
    for change in report.changes:
        where = change.new_file if change.op != "removed" else f"was in {change.old_file}"
        if change.moved:
            where = f"moved from {change.old_file} to {change.new_file}"
        lines.append(f"{change.name}: {change.op} ({where})")
        lines.extend(f"{change.name}: {field_line(item)}" for item in change.fields)
        lines.append(f"  {_affects_text(change)}")
    if report.pairings:
        lines += ["", "Documents"]
        for pairing in report.pairings:
            documents = ", ".join(_document_status(d) for d in pairing.documents) or "no documents"
            lines.append(f"  {pairing.pairing}: {documents}; {pairing.version_note}")
    lines += ["", _summary_line(report)]
    return "\n".join(lines) + "\n"


def render_json(report: DiffReport, snapshot_diffs: bool = True) -> dict:
    """The report as JSON-ready data (stable key order)."""
    return {
        "ok": report.diagnostics.ok,
        "old": report.old.to_json(),
        "new": report.new.to_json(),
        "summary": {**report.counts(), "documents_changed": len(report.changed_documents())},
        "changes": [c.to_json() for c in report.changes],
        "pairings": [
            {**p.to_json(), "documents": [
                {**d.to_json(), **({"snapshot_diff": d.snapshot_diff("a", "b")} if snapshot_diffs and d.status != "unchanged" else {})}
                for d in p.documents]}
            for p in report.pairings
        ],
        "diagnostics": [d.to_json() for d in report.diagnostics.sorted()],
    }


_MD_SPECIALS = re.compile(r"([\\`*_\[\]<>|#~])")
MARKDOWN_SNAPSHOT_LINES = 120
MARKDOWN_BUDGET = 60_000


def md(text: str) -> str:
    """Text that Markdown shows as written (one line)."""
    return _MD_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def code(text: str) -> str:
    """An inline code span that survives backticks in the text."""
    text = " ".join(str(text).split())
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _field_markdown(change: FieldChange) -> str:
    path = code(change.dotted)
    if change.op == "added":
        return f"{path} added: {code(flow(change.new))}"
    if change.op == "removed":
        return f"{path} removed: ~~{code(flow(change.old))}~~"
    if change.op == "reordered":
        return f"{path} reordered: {code(flow(change.old))} → {code(flow(change.new))}"
    if change.is_wording:
        return f"{path} reworded: " + word_diff(change.old, change.new, ("~~", "~~"), ("**", "**"), escape=md)
    return f"{path}: {code(flow(change.old))} → **{code(flow(change.new))}**"


def _side_markdown(side: ContentSide) -> str:
    if side.revision is not None:
        return f"{code(side.label)} ({side.revision.short})" if side.label != side.revision.short else code(side.label)
    return md(side.title) if side.label == "working tree" else f"folder {code(side.label)}"


def render_markdown(report: DiffReport) -> str:
    """A pull-request description: summary, changes with their effects, documents and versions."""
    lines = [f"### Playbook changes: {_side_markdown(report.old)} → {_side_markdown(report.new)}", ""]
    if not report.changes:
        lines.append("No content changes.")
        return "\n".join(lines) + "\n"
    lines += [f"**{md(_summary_line(report))}**", "", "#### Content changes", ""]
    for change in report.changes:
        file = change.new_file if change.op != "removed" else change.old_file
        lines.append(f"- **{md(change.kind)} {code(change.id)}** {change.op} ({code(file or '')})")
        lines.extend(f"  - {_field_markdown(item)}" for item in change.fields)
        lines.append(f"  - {md(_affects_text(change))}")
    if report.pairings:
        lines += ["", "#### Documents and versions", "",
                  "| Pairing | Documents | Version | Proposed |", "|---|---|---|---|"]
        for pairing in report.pairings:
            documents = "<br>".join(md(_document_status(d)) for d in pairing.documents) or "none"
            version = md(pairing.new_version or pairing.old_version or "")
            if pairing.old_version and pairing.new_version and pairing.old_version != pairing.new_version:
                version = f"{md(pairing.old_version)} → {md(pairing.new_version)}"
            proposed = f"**{md(pairing.proposed)}** ({pairing.bump}: {md(pairing.reason)})" if pairing.bump != "none" \
                else md(pairing.version_note)
            if pairing.verdict == "lower":
                proposed += f" ⚠️ {md(pairing.new_version)} is lower"
            elif pairing.verdict == "ok":
                proposed += " ✓"
            lines.append(f"| {code(pairing.pairing)} | {documents} | {version} | {proposed} |")
    lines += _snapshot_markdown(report)
    return "\n".join(lines) + "\n"


def _snapshot_markdown(report: DiffReport) -> list[str]:
    """Each changed document's review-snapshot diff, folded, within GitHub's comment size."""
    lines: list[str] = []
    budget = MARKDOWN_BUDGET
    for doc in report.changed_documents():
        diff_lines = doc.snapshot_diff("a", "b").splitlines()
        if not diff_lines:
            continue
        shown = diff_lines[:MARKDOWN_SNAPSHOT_LINES]
        body = "\n".join(shown)
        if len(body) > budget:
            lines += ["", f"_Review snapshot diffs left out: too long for a comment; run `playbook diff` locally._"]
            break
        budget -= len(body)
        fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
        more = len(diff_lines) - len(shown)
        lines += ["", f"<details><summary>Review snapshot diff: {md(doc.pairing)}/{md(doc.document)}.md</summary>", "",
                  f"{fence}diff", body, fence]
        if more:
            lines.append(f"_… {more} more lines_")
        lines += ["", "</details>"]
    return lines

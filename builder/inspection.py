"""What the library holds and what a pairing resolves to: the data behind ``playbook list`` and
``playbook show``, as plain dicts (printed as text or JSON by the command line)."""

from __future__ import annotations

from typing import Any

from builder.compose.check import CheckResult
from builder.compose.context import Context
from builder.content.model import INCLUDE_GROUPS, BlockBase
from builder.engine.pipeline import Pipeline


def list_pairings(checked: CheckResult) -> list[dict[str, Any]]:
    """Every pairing: id, title, parties, model, documents, and whether it composes."""
    rows = []
    for pairing_id in checked.library.ids("pairing"):
        entry = checked.library.get("pairing", pairing_id)
        pairing = entry.block
        rows.append({"id": pairing.id, "title": pairing.title, "sponsor": pairing.sponsor,
                     "provider": pairing.provider, "model": pairing.model, "documents": list(pairing.documents),
                     "standard_sets": list(pairing.standard_sets), "file": str(entry.source.location),
                     "composes": pairing_id in checked.contexts})
    return rows


def list_blocks(checked: CheckResult) -> list[dict[str, Any]]:
    """Every block: kind, id, title, where it is written, and how many pairings use it."""
    users: dict[tuple[str, str], list[str]] = {}
    for pairing_id, context in checked.contexts.items():
        for key in context.sources:
            users.setdefault(key, []).append(pairing_id)
    rows = []
    for entry in checked.library.all():
        block = entry.block
        rows.append({"kind": block.kind, "id": block.id, "title": block.title, "file": str(entry.source.location),
                     "specific_to": block.specific_to, "pairings": sorted(users.get((block.kind, block.id), []))})
    return rows


def list_documents(pipeline: Pipeline) -> list[dict[str, Any]]:
    """Every declared document: id, title and how it is laid out."""
    return [{"id": d.id, "title": d.title, "numbering": d.numbering, "toc_depth": d.toc_depth,
             "clauses": d.clauses, "signed": d.signed, "versioning": d.versioning, "folder": str(d.folder)}
            for d in pipeline.documents]


def _documents_showing(context: Context, pipeline: Pipeline, kind: str, block_id: str) -> list[str]:
    """The documents of a pairing whose text comes (in part) from the block."""
    shown = []
    for document_id in context.pairing.documents:
        if pipeline.documents.get(document_id) is None:
            continue
        tree = pipeline.assemble(context, document_id).tree
        if any(origin.kind == kind and origin.id == block_id for origin in tree.origins.values()):
            shown.append(document_id)
    return shown


def show_block(checked: CheckResult, pipeline: Pipeline, kind: str, block_id: str) -> dict[str, Any]:
    """A block with its file, its fields as written, and every pairing and document that uses it."""
    entry = checked.library.get(kind, block_id)
    uses = []
    for pairing_id, context in sorted(checked.contexts.items()):
        if (kind, block_id) not in context.sources:
            continue
        how = "included"
        if any(k == kind and i == block_id for k, i, _ in context.pulled_in):
            how = "pulled in"
        group = next((g for g in INCLUDE_GROUPS.values() if g.name == kind), None)
        overridden = bool(group and block_id in context.pairing.overrides.get(group.group or "", {}))
        uses.append({"pairing": pairing_id, "how": how, "overridden": overridden,
                     "documents": _documents_showing(context, pipeline, kind, block_id)})
    return {"kind": kind, "id": block_id, "title": entry.block.title, "file": str(entry.source.location),
            "fields": entry.source.data, "used_by": uses}


def _block_summary(context: Context, block: BlockBase) -> dict[str, Any]:
    source = context.sources.get((block.kind, block.id), "")
    return {"id": block.id, "title": str(block.title), "file": source}


def show_pairing(checked: CheckResult, pairing_id: str) -> dict[str, Any]:
    """A pairing with everything it resolves to: parties, blocks by group (overrides applied), what was
    pulled in or left out, and each document's control."""
    context = checked.contexts[pairing_id]
    pairing = context.pairing
    entry = checked.library.get("pairing", pairing_id)
    groups: dict[str, list[dict[str, Any]]] = {}
    for kind in INCLUDE_GROUPS.values():
        blocks = context.blocks.get(kind.name, [])
        overrides = pairing.overrides.get(kind.group or "", {})
        rows = []
        for block in blocks:
            row = _block_summary(context, block)
            if block.id in overrides:
                row["overrides"] = _override_values(checked, kind.name, block.id, overrides[block.id])
            rows.append(row)
        if rows:
            groups[kind.group or kind.name] = rows
    control = {}
    for document_id in pairing.documents:
        own = pairing.control.for_document(document_id)
        control[document_id] = {"version": own.version, "status": own.status, "effective": own.effective.isoformat(),
                                "owner": own.owner, "approvers": list(own.approvers)}
    return {
        "id": pairing.id, "title": str(pairing.title), "file": str(entry.source.location), "model": pairing.model,
        "sponsor": {"id": context.sponsor.id, "name": str(context.sponsor.title)},
        "provider": {"id": context.provider.id, "name": str(context.provider.title)},
        "third_parties": [{"id": org.id, "name": str(org.title)} for org in context.other_providers],
        "documents": control, "standard_sets": list(pairing.standard_sets), "conditions": sorted(context.conditions),
        "blocks": groups,
        "pulled_in": [{"kind": kind, "id": block_id, "named_by": named_by} for kind, block_id, named_by in context.pulled_in],
        "left_out": [{"kind": kind, "what": what, "requires": missing} for kind, what, missing in context.left_out],
    }


def _override_values(checked: CheckResult, kind: str, block_id: str, override: dict) -> list[dict[str, Any]]:
    """Each overridden value: its path, the library's value and the pairing's."""
    base = checked.library.get(kind, block_id).source.data
    changes = []

    def walk(value: Any, library: Any, path: tuple) -> None:
        if isinstance(value, dict) and isinstance(library, dict):
            for key, item in value.items():
                walk(item, library.get(key), path + (key,))
            return
        changes.append({"path": ".".join(str(step) for step in path), "library": library, "pairing": value})

    walk(override, base, ())
    return changes

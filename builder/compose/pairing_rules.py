"""Rules only a composed pairing can check: what its blocks name, its sponsor's policy, approvers."""

from __future__ import annotations

from typing import Mapping, Sequence

from builder.compose.context import Context
from builder.content.library import Library
from builder.content.loader import SourceBlock
from builder.content.rules import transition_months
from builder.content.typewalk import iter_references
from builder.content.model import INCLUDE_GROUPS
from builder.diagnostics import Diagnostics, suggest

Path_ = tuple[str | int, ...]


def check_pairing_rules(context: Context, source: SourceBlock, library: Library, diagnostics: Diagnostics,
                        documents: Mapping[str, Sequence[str]] | None = None) -> None:
    """Report what the pairing's blocks need but the pairing lacks, and its document-control rules."""
    if documents is not None:
        _check_documents(context, source, documents, diagnostics)
    _check_named_blocks(context, source, library, diagnostics)
    _check_transition_length(context, source, library, diagnostics)
    _check_approvers(context, source, diagnostics)


def _check_documents(context: Context, source: SourceBlock, documents: Mapping[str, Sequence[str]],
                     diagnostics: Diagnostics) -> None:
    """Every listed document is declared, and the pairing fills the include groups it needs."""
    for index, document_id in enumerate(context.pairing.documents):
        if document_id not in documents:
            diagnostics.error(source.locate(("documents", index)), "unknown-document",
                              f"no document '{document_id}' is declared in the templates"
                              f"{suggest(document_id, documents)}; documents are: {', '.join(documents)} "
                              "(a --templates folder may declare more: templates/<id>/document.yaml)")
            continue
        for group in documents[document_id]:
            kind = INCLUDE_GROUPS.get(group)
            if kind is not None and not context.blocks.get(kind.name):
                diagnostics.error(source.locate(("include",)), "empty-pairing",
                                  f"the {document_id} needs {group} in 'include'")


def _pairing_at(context: Context, source: SourceBlock) -> str:
    return f"pairing '{context.pairing.id}' ({source.location})"


def _check_named_blocks(context: Context, source: SourceBlock, library: Library, diagnostics: Diagnostics) -> None:
    """Metrics and governance bodies named by the pairing's blocks must be the pairing's own."""
    available = {"metric": {m.id for m in context.metrics}, "governance": {g.id for g in context.governance}}
    groups = {"metric": "metrics", "governance": "governance"}
    labels = {"metric": "metric", "governance": "governance body"}
    for kind in ("metric", "governance", "risk", "provision", "escalation", "communication", "transition"):
        for block in context.blocks.get(kind, []):
            for path, target, ref, _ in iter_references(block):
                if target not in available or ref in available[target] or library.get(target, ref) is None:
                    continue
                entry = library.get(block.kind, block.id)
                location = entry.source.locate(path) if entry else source.location
                diagnostics.error(
                    location, f"pairing-missing-{target}",
                    f"{block.kind} '{block.id}' names {labels[target]} '{ref}', which "
                    f"{_pairing_at(context, source)} does not include in '{groups[target]}'"
                    f"{suggest(ref, available[target])}",
                )


def _check_transition_length(context: Context, source: SourceBlock, library: Library,
                             diagnostics: Diagnostics) -> None:
    if context.transition is None:
        return
    policy = context.sponsor.policy
    minimum = policy.minimum_transition_months if policy else 6
    months = transition_months(context.transition)
    if months < minimum:
        entry = library.get("transition", context.transition.id)
        diagnostics.error(
            entry.source.locate(("phases",)), "transition-too-short",
            f"transition '{context.transition.id}' reaches steady state after {months:g} months; "
            f"{context.sponsor.title}'s policy sets at least {minimum} months "
            f"(used by {_pairing_at(context, source)})",
        )


def _check_approvers(context: Context, source: SourceBlock, diagnostics: Diagnostics) -> None:
    control = context.pairing.control
    parties = {context.role(r).party for r in control.approvers if context.has_role(r)}
    if parties and parties != {"sponsor", "provider"}:
        missing = ({"sponsor", "provider"} - parties).pop()
        diagnostics.error(source.locate(("control", "approvers")), "approvers-parties",
                          f"approvers must include the {missing}: both parties approve the documents")

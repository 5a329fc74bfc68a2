"""Rules only a composed pairing can check: what its blocks name, its sponsor's policy, who owns,
approves and signs each document, and meeting frequencies stated in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from builder.compose.context import Context
from builder.compose.prose_rules import check_borrowed_clocks, check_prose_frequencies
from builder.compose.text_rules import check_conditional_mentions, check_leaks
from builder.compose.timeline_rules import check_deadline_chains
from builder.content.library import Library
from builder.content.loader import SourceBlock
from builder.content.model import INCLUDE_GROUPS
from builder.content.rules import transition_months
from builder.content.typewalk import iter_references
from builder.diagnostics import Diagnostics, suggest

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class DocumentNeeds:
    """What a declared document asks of the pairings that list it."""

    requires: tuple[str, ...] = ()  # include groups it needs filled
    signed: bool = False  # signed by both parties: own version and history, signatories among approvers
    title: str = ""  # what its text calls it ("Quality Agreement"): an activity that maintains it names it


def check_pairing_rules(context: Context, source: SourceBlock, library: Library, diagnostics: Diagnostics,
                        documents: Mapping[str, DocumentNeeds] | None = None) -> None:
    """Report what the pairing's blocks need but the pairing lacks, and its document-control rules."""
    if documents is not None:
        _check_documents(context, source, documents, diagnostics)
    _check_named_blocks(context, source, library, diagnostics)
    _check_transition_length(context, source, library, diagnostics)
    _check_control(context, source, documents or {}, diagnostics)
    _check_document_owners(context, source, documents or {}, diagnostics)
    _check_meeting_frequencies(context, diagnostics)
    check_leaks(context, library, diagnostics)
    check_conditional_mentions(context, diagnostics)
    check_deadline_chains(context, diagnostics)
    check_borrowed_clocks(context, diagnostics)
    check_prose_frequencies(context, diagnostics)


def _pairing_at(context: Context, source: SourceBlock) -> str:
    return f"pairing '{context.pairing.id}' ({source.location})"


def _check_documents(context: Context, source: SourceBlock, documents: Mapping[str, DocumentNeeds],
                     diagnostics: Diagnostics) -> None:
    """Every listed document is declared, listed once, and the pairing fills the groups it needs."""
    seen: set[str] = set()
    for index, document_id in enumerate(context.pairing.documents):
        if document_id in seen:
            diagnostics.error(source.locate(("documents", index)), "duplicate-id",
                              f"document '{document_id}' is listed twice")
        seen.add(document_id)
        if document_id not in documents:
            diagnostics.error(source.locate(("documents", index)), "unknown-document",
                              f"no document '{document_id}' is declared in the templates"
                              f"{suggest(document_id, documents)}; documents are: {', '.join(documents)} "
                              "(a --templates folder may declare more: templates/<id>/document.yaml)")
            continue
        for group in documents[document_id].requires:
            kind = INCLUDE_GROUPS.get(group)
            if kind is not None and not context.blocks.get(kind.name):
                diagnostics.error(source.locate(("include",)), "empty-pairing",
                                  f"the {document_id} needs {group} in 'include'")


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
                locator = context.locators.get((block.kind, block.id))
                location = locator.locate(path) if locator else source.location
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


def _check_control(context: Context, source: SourceBlock, documents: Mapping[str, DocumentNeeds],
                   diagnostics: Diagnostics) -> None:
    """Approvers of both parties, listed once; signed documents with their own version and history,
    and signatories among their approvers."""
    pairing = context.pairing
    control = pairing.control
    for document_id in control.documents:
        if document_id not in pairing.documents:
            diagnostics.error(source.locate(("control", "documents", document_id), key=True), "unknown-document",
                              f"control for '{document_id}', which the pairing does not list in 'documents'"
                              f"{suggest(document_id, pairing.documents)}")
    for document_id in pairing.documents:
        own = control.documents.get(document_id)
        where = ("control", "documents", document_id) if own and own.approvers else ("control",)
        approvers = control.for_document(document_id).approvers
        _check_approver_list(context, source, approvers, where + ("approvers",), document_id, diagnostics)
        if not documents.get(document_id, DocumentNeeds()).signed:
            continue
        if own is None or own.version is None or own.history is None:
            diagnostics.error(source.locate(("control",)), "signed-document-version",
                              f"the {document_id} is signed on its own: give it its own version and history under "
                              f"control.documents.{document_id}, so that editing another document never changes "
                              "the version of what was signed")
        for party in ("sponsor", "provider"):
            signatory = getattr(pairing.signatories, party)
            at = source.locate(("signatories", party, "role"))
            if signatory.role not in approvers:
                diagnostics.error(at, "signatory-not-approver",
                                  f"{signatory.name} signs the {document_id} for the {party} as '{signatory.role}', "
                                  f"which is not among its approvers ({', '.join(approvers)}); "
                                  "signatories must be approvers of what they sign")
            elif context.has_role(signatory.role) and context.role(signatory.role).party != party:
                diagnostics.error(at, "signatory-party",
                                  f"'{signatory.role}' is a {context.role(signatory.role).party} role, "
                                  f"but signs for the {party}")


def _check_approver_list(context: Context, source: SourceBlock, approvers: list[str], where: Path_,
                         document_id: str, diagnostics: Diagnostics) -> None:
    seen: set[str] = set()
    for index, role_id in enumerate(approvers):
        if role_id in seen:
            diagnostics.error(source.locate(where + (index,)), "duplicate-approver",
                              f"approver '{role_id}' is listed twice")
        seen.add(role_id)
    parties = {context.role(r).party for r in approvers if context.has_role(r)}
    if parties and parties != {"sponsor", "provider"}:
        missing = ({"sponsor", "provider"} - parties).pop()
        diagnostics.error(source.locate(where), "approvers-parties",
                          f"approvers of the {document_id} must include the {missing}: both parties approve it")


def _check_document_owners(context: Context, source: SourceBlock, documents: Mapping[str, DocumentNeeds],
                           diagnostics: Diagnostics) -> None:
    """The role accountable for maintaining a document is its owner: a RACI activity with
    ``document:``, or one whose task is to maintain, update or revise a document it names."""
    claimed: dict[str, tuple[str, str]] = {}
    for block in context.responsibilities:
        for index, activity in enumerate(block.activities):
            document = activity.document or _maintained_document(activity.task, context, documents)
            if document is None or document not in context.pairing.documents:
                continue
            said = "" if activity.document else f" (its task names the {documents[document].title})"
            accountable = [role for role, code in activity.raci.items() if code in ("A", "A/R")]
            owner = context.pairing.control.for_document(document).owner
            locator = context.locators.get((block.kind, block.id), source)
            at = locator.locate(("activities", index, "raci"))
            if accountable and accountable[0] != owner:
                diagnostics.error(at, "document-owner",
                                  f"activity '{activity.id}' makes '{accountable[0]}' accountable for maintaining the "
                                  f"{document}{said}, but pairing '{context.pairing.id}' names '{owner}' its owner "
                                  f"({source.locate(('control', 'owner'))}); one owner per document")
            first = claimed.setdefault(document, (block.id, activity.id))
            if first != (block.id, activity.id):
                diagnostics.error(at, "document-owner",
                                  f"activity '{activity.id}' also maintains the {document}{said} "
                                  f"(so does '{first[1]}' of '{first[0]}'); one activity, one owner per document")


MAINTAINS = re.compile(r"^\W*(maintain|update|revise|own|keep)\w*\b", re.IGNORECASE)


def _maintained_document(task: str, context: Context, documents: Mapping[str, DocumentNeeds]) -> str | None:
    """The document of the pairing that a task such as 'Maintain the Quality Agreement' keeps up."""
    if not MAINTAINS.search(task):
        return None
    for document_id in context.pairing.documents:
        title = documents[document_id].title if document_id in documents else ""
        if title and re.search(rf"\b{re.escape(title)}\b", task, re.IGNORECASE):
            return document_id
    return None


def _check_meeting_frequencies(context: Context, diagnostics: Diagnostics) -> None:
    """A governance body's meeting frequency is stated once, in its charter: a communication item for
    its meetings either omits the frequency or states the same one."""
    bodies = {body.id: body for body in context.governance}
    plan = context.communication
    if plan is None:
        return
    locator = context.locators.get(("communication", plan.id))
    for index, item in enumerate(plan.items):
        body = bodies.get(item.forum or "")
        if body is None or item.frequency is None or item.frequency == body.frequency:
            continue
        body_locator = context.locators.get(("governance", body.id))
        diagnostics.error(
            locator.locate(("items", index, "frequency")) if locator else body_locator.locate(("frequency",)),
            "frequency-mismatch",
            f"'{item.item}' says {body.title} meets {item.frequency}, but its charter says {body.frequency} "
            f"({body_locator.locate(('frequency',)) if body_locator else body.id}); state it once: remove "
            "'frequency' here, the charter's is used")


def check_listed_terms_shown(context: Context, source: SourceBlock, shown: frozenset[str],
                             diagnostics: Diagnostics) -> None:
    """A term the pairing lists in include.terms that none of its documents shows (each document
    lists only the terms its text uses) is dead weight: a warning at the entry. ``shown`` is every
    term the pairing's documents show, so call this only when all of them were rendered. Documents
    that show no term at all have no glossary (templates of a user's own): nothing to check."""
    if not shown:
        return
    for index, term_id in enumerate(context.pairing.include.terms):
        if term_id in shown:
            continue
        term = context.by_id("term").get(term_id)
        if term is None:
            continue  # left out by a condition: validate notes it
        title = f"'{term.title}'" + (f" ('{term.abbreviation}')" if term.abbreviation else "")
        diagnostics.warning(source.locate(("include", "terms", index)), "term-unused",
                            f"pairing '{context.pairing.id}' lists the term {title}, but no glossary of its "
                            f"documents ({', '.join(context.pairing.documents)}) shows it, as none of them uses it: "
                            "remove it from include.terms, or use it")


"""``playbook new pairing``: a new sponsor-provider pairing started from the model's standard set.

It writes the provider's organization block (when the library does not have it yet) and a
pairing file that uses the standard set of the outsourcing model, with every value a person
must decide marked ``DECIDE`` in a comment. The result validates and builds at once, and names
no other provider: shared blocks name the parties through ``<<provider>>`` and ``<<sponsor>>``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from builder.authoring.yaml_files import MODELINE, dump
from builder.content.library import Library
from builder.content.model import Organization, StandardSet
from builder.content.model.common import SLUG_PATTERN
from builder.diagnostics import suggest

PROVIDER_TYPES = {
    "full-service": "full-service-cro",
    "functional": "functional-service-provider",
    "hybrid": "full-service-cro",
    "specialty": "specialty-provider",
    "contractor": "independent-contractor",
}
MODEL_WORDS = {
    "full-service": "a full-service CRO",
    "functional": "a functional service provider",
    "hybrid": "a provider in a hybrid model",
    "specialty": "a specialty provider",
    "contractor": "an independent contractor",
}
TO_DECIDE = "To be decided"


class NewError(Exception):
    """Why ``playbook new`` cannot do what was asked (nothing is written)."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


@dataclass
class NewPairing:
    """The files a new pairing needs, and what was decided for the user."""

    files: dict[Path, str] = field(default_factory=dict)
    provider_id: str = ""
    provider_is_new: bool = True
    standard_set: str = ""
    sponsor_id: str = ""


def slugify(name: str) -> str:
    """An id from a name: 'Müller & O'Brien Clinical' -> 'muller-o-brien-clinical'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")


def _decide(mapping: CommentedMap, key: str, note: str) -> None:
    mapping.yaml_add_eol_comment(f"DECIDE: {note}", key)


def choose_sponsor(library: Library, sponsor_id: str | None) -> Organization:
    sponsors = [entry.block for entry in library.entries["organization"].values() if entry.block.type == "sponsor"]
    if sponsor_id:
        found = next((org for org in sponsors if org.id == sponsor_id), None)
        if found is None:
            raise NewError(f"no sponsor '{sponsor_id}' in the content{suggest(sponsor_id, [s.id for s in sponsors])}; "
                           f"sponsors are: {', '.join(s.id for s in sponsors) or 'none'}", usage=True)
        return found
    if len(sponsors) == 1:
        return sponsors[0]
    if not sponsors:
        raise NewError("the content has no sponsor organization; add one (kind: organization, type: sponsor) "
                       "or start a library with 'playbook new library DIR'")
    raise NewError(f"the content has several sponsors ({', '.join(s.id for s in sponsors)}): say which with --sponsor",
                   usage=True)


def choose_set(library: Library, model: str) -> StandardSet:
    sets = sorted((entry.block for entry in library.entries.get("standard-set", {}).values()), key=lambda s: s.id)
    for standard_set in sets:
        if standard_set.model == model:
            return standard_set
    available = ", ".join(f"{s.id} ({s.model})" for s in sets) or "none"
    raise NewError(f"the library has no standard set for the {model} model (kind: standard-set, model: {model}); "
                   f"standard sets are: {available}")


def _provider(library: Library, name: str, model: str) -> tuple[str, bool, CommentedMap]:
    """The provider's id, whether it is new, and its organization block (if new)."""
    for entry in library.entries["organization"].values():
        if name.strip().casefold() in (entry.block.title.casefold(), entry.block.legal_name.casefold()):
            if entry.block.type == "sponsor":
                raise NewError(f"'{name}' is a sponsor of the library ({entry.block.id}), not a provider", usage=True)
            return entry.block.id, False, CommentedMap()
    base = slugify(name)
    if not base:
        raise NewError(f"cannot make an id from the provider name {name!r}: use letters or digits", usage=True)
    provider_id, n = base, 2
    while library.get("organization", provider_id) is not None:
        provider_id, n = f"{base}-{n}", n + 1
    block = CommentedMap()
    block["id"] = provider_id
    block["kind"] = "organization"
    block["title"] = name
    block["type"] = PROVIDER_TYPES[model]
    block["legal-name"] = name
    _decide(block, "legal-name", "the provider's legal name as the contract writes it")
    block["description"] = f"{name} is {MODEL_WORDS[model]} to <<sponsor>>."
    _decide(block, "description", "what the provider is and does, in two or three sentences")
    block.yaml_set_start_comment(f"{MODELINE}\nThe provider's own block: facts about {name} (its systems, its "
                                 "subcontractors) belong here or in the pairing, not in shared blocks.")
    return provider_id, True, block


def document_owners(library: Library, standard_set: StandardSet) -> dict[str, str]:
    """Document id -> the role the set's responsibilities make accountable for maintaining it."""
    owners: dict[str, str] = {}
    for responsibility_id in standard_set.include.responsibilities:
        entry = library.get("responsibility", responsibility_id)
        for activity in entry.block.activities if entry else []:
            accountable = [role for role, code in activity.raci.items() if code in ("A", "A/R")]
            if activity.document and accountable:
                owners.setdefault(activity.document, accountable[0])
    return owners


def _control(standard_set: StandardSet, documents: list[str], signed: set[str], today: dt.date,
             owners: dict[str, str] | None = None) -> CommentedMap:
    control = CommentedMap()
    control["version"] = "0.1.0"
    control["status"] = "draft"
    effective = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    control["effective"] = effective.isoformat()
    _decide(control, "effective", "the date the documents take effect")
    control["review-cycle-months"] = 12
    control["owner"] = standard_set.owner
    control["approvers"] = CommentedSeq(standard_set.approvers)
    history = CommentedSeq([_revision(standard_set, today)])
    control["history"] = history
    own = [d for d in documents if d in signed]
    if own:
        per_document = CommentedMap()
        for document_id in own:
            entry = CommentedMap()
            entry["version"] = "0.1.0"
            owner = (owners or {}).get(document_id)
            if owner and owner != standard_set.owner:  # the role accountable for maintaining it
                entry["owner"] = owner
            entry["history"] = CommentedSeq([_revision(standard_set, today)])
            per_document[document_id] = entry
        control["documents"] = per_document
        control.yaml_set_comment_before_after_key(
            "documents", before="A signed document keeps its own version and history.", indent=2)
    return control


def _revision(standard_set: StandardSet, today: dt.date) -> CommentedMap:
    revision = CommentedMap()
    revision["version"] = "0.1.0"
    revision["date"] = today.isoformat()
    revision["author"] = "playbook new"
    revision["summary"] = f"First draft from the {standard_set.title}"
    return revision


def new_pairing(library: Library, content_dir: Path, pairing_id: str, provider_name: str, model: str,
                sponsor_id: str | None, signed_documents: set[str], today: dt.date | None = None) -> NewPairing:
    """The files of a new pairing (nothing is written here)."""
    today = today or dt.date.today()
    if not re.fullmatch(SLUG_PATTERN, pairing_id) or len(pairing_id) > 80:
        raise NewError(f"'{pairing_id}' is not an id: use lowercase letters, digits and hyphens "
                       f"(for example '{slugify(pairing_id) or 'sponsor-provider-study'}')", usage=True)
    if library.get("pairing", pairing_id) is not None:
        raise NewError(f"a pairing '{pairing_id}' exists already ({library.get('pairing', pairing_id).source.file}); "
                       "choose another id")
    if not provider_name.strip():
        raise NewError("--provider-name is empty", usage=True)
    sponsor = choose_sponsor(library, sponsor_id)
    standard_set = choose_set(library, model)
    provider_id, is_new, provider_block = _provider(library, provider_name.strip(), model)
    result = NewPairing(provider_id=provider_id, provider_is_new=is_new, standard_set=standard_set.id,
                        sponsor_id=sponsor.id)
    if is_new:
        result.files[content_dir / "organizations" / f"{provider_id}.yaml"] = dump(provider_block)
    pairing = CommentedMap()
    pairing["id"] = pairing_id
    pairing["kind"] = "pairing"
    pairing["title"] = f"{sponsor.title} and {provider_name.strip()}"
    _decide(pairing, "title", "the title on every cover, e.g. with the programme")
    pairing["sponsor"] = sponsor.id
    pairing["provider"] = provider_id
    pairing["model"] = model
    pairing["rationale"] = (f"<<sponsor>> works with <<provider>> as {MODEL_WORDS[model]}. {TO_DECIDE}: why this "
                            "model and this provider, and what the sponsor keeps in-house.")
    _decide(pairing, "rationale", "why this outsourcing model and this provider")
    pairing["scope"] = _scope(standard_set)
    pairing["master-agreement"] = "Master Services Agreement between <<sponsor.legal>> and <<provider.legal>>"
    _decide(pairing, "master-agreement", "its reference and date")
    pairing["documents"] = CommentedSeq(standard_set.documents)
    pairing["standard-sets"] = CommentedSeq([standard_set.id])
    pairing.yaml_set_comment_before_after_key(
        "standard-sets", before=f"The {standard_set.title}: its roles, RACI, metrics, escalation ladder, governance, "
                                "transition plan and clauses.\nAdd this provider's own blocks under 'include', leave "
                                "out what does not apply under 'exclude',\nand change values for this provider "
                                "under 'overrides' (see README, 'Reusing the library').")
    pairing["include"] = CommentedMap()
    pairing["exclude"] = CommentedMap()
    pairing["overrides"] = CommentedMap()
    pairing["control"] = _control(standard_set, list(standard_set.documents), signed_documents, today,
                                  document_owners(library, standard_set))
    pairing["signatories"] = _signatories(standard_set)
    pairing.yaml_set_start_comment(f"{MODELINE}\nMade by 'playbook new pairing'. Settle every line marked DECIDE, "
                                   "then run 'playbook validate'.")
    result.files[content_dir / "pairings" / f"{pairing_id}.yaml"] = dump(pairing)
    return result


def _scope(standard_set: StandardSet) -> CommentedMap:
    scope = CommentedMap()
    scope["programme"] = TO_DECIDE
    _decide(scope, "programme", "the programme or compound")
    scope["description"] = f"What <<provider>> delivers for <<sponsor>>. {TO_DECIDE}."
    study = CommentedMap()
    study["protocol"] = TO_DECIDE
    study["title"] = TO_DECIDE
    study["phase"] = "II"
    study["therapeutic-area"] = TO_DECIDE
    study["indication"] = TO_DECIDE
    study["regions"] = CommentedSeq([TO_DECIDE])
    study.yaml_add_eol_comment("DECIDE: the study in scope (add more studies as needed)", "protocol")
    scope["studies"] = CommentedSeq([study])
    scope["services"] = CommentedSeq(standard_set.services or [f"Services of {MODEL_WORDS[standard_set.model]}"])
    _decide(scope, "services", "the services of the contract")
    return scope


def _signatories(standard_set: StandardSet) -> CommentedMap:
    signatories = CommentedMap()
    for party in ("sponsor", "provider"):
        person = CommentedMap()
        person["role"] = getattr(standard_set.signatories, party)
        person["name"] = TO_DECIDE
        _decide(person, "name", f"who signs for the {party}")
        signatories[party] = person
    return signatories

"""Rules on the text a pairing's documents will show: no other company named (leaks), and no
boilerplate about what the pairing does not have (QTL clauses without a QTL, oncology staffing
for a non-oncology study, CRAs in a laboratory's manual). Other conditions (blinded, investigational-product...) are only
applied where text declares them with ``requires``: their words also occur where they apply."""

from __future__ import annotations

import re

from builder.compose.context import Context
from builder.compose.textrefs import locate_in_value
from builder.content.library import Library
from builder.content.model import BlockBase, Organization
from builder.content.typewalk import walk_strings
from builder.diagnostics import Diagnostics, Location

Path_ = tuple[str | int, ...]

# What unconditional shared text may not mention when the pairing lacks the condition.
CONDITIONAL_TERMS = {
    "qtl": (re.compile(r"\b(quality tolerance limits?|QTLs?)\b"),
            "measures no quality tolerance limit (no QTL metric)"),
    "therapeutic-area.oncology": (re.compile(r"\b([Oo]ncology|[Tt]umou?rs?|RECIST)\b"),
                                  "has no oncology study"),
    # requirements on the provider's monitors (a text whose subject is its CRAs), and tasks of site
    # monitoring: a laboratory or a data provider has no CRAs and does not classify the sites'
    # protocol deviations (other text may still mention the CRAs of the study)
    "site-monitoring": (re.compile(r"^(?:(?:All|Each|Every|The provider's|<<provider>>'s)\s+)?"
                                   r"(?:CRAs?|[Cc]linical research associates?)\b(?!\s+(?:and|or)\b)|"
                                   r"\b[Cc]lassif(?:y|ies|ying|ication of)\b[^.;]{0,30}?\bprotocol deviations?\b"),
                        "has no site monitoring in its scope (no service in scope.services monitors the sites)"),
}


def organization_names(org: Organization) -> list[str]:
    """The names a document could call an organization by."""
    names = [org.title, org.legal_name] + ([org.short_name] if org.short_name else [])
    return sorted({name.strip() for name in names if name and len(name.strip()) >= 3}, key=len, reverse=True)


def pairing_texts(context: Context, shared_only: bool = False) -> list[tuple[BlockBase, Path_, str]]:
    """Every text field of the composed pairing's blocks, read once for all the rules that read them."""
    if "texts" not in context.memo:
        blocks = [context.pairing, context.provider, *context.other_providers,
                  *(block for group in context.blocks.values() for block in group)]
        context.memo["texts"] = [(block, path, text) for block in blocks for path, text in walk_strings(block)]
    texts: list[tuple[BlockBase, Path_, str]] = context.memo["texts"]
    if not shared_only:
        return texts
    parties = {id(context.pairing), id(context.provider), *(id(org) for org in context.other_providers)}
    return [item for item in texts if id(item[0]) not in parties]


def where_in(context: Context, block: BlockBase, path: Path_, needle: str) -> Location:
    locator = context.locators.get((block.kind, block.id))
    if locator is None:
        return Location(block.id)
    return locate_in_value(locator, path, needle)


def check_leaks(context: Context, library: Library, diagnostics: Diagnostics) -> None:
    """No document of the pairing names an organization of the library that is not one of its
    parties or declared third parties (``other-providers``)."""
    allowed = {context.sponsor.id, context.provider.id, *(org.id for org in context.other_providers)}
    others = [entry.block for entry in library.entries.get("organization", {}).values() if entry.block.id not in allowed]
    if not others:
        return
    allowed_names = {name for org in (context.sponsor, context.provider, *context.other_providers)
                     for name in organization_names(org)}
    patterns = [(org, re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in organization_names(org)) + r")(?![\w-])"))
                for org in others if organization_names(org)]
    if not patterns:
        return
    # most texts name no organization at all: one search for any of the names passes them by
    any_name = re.compile("|".join(pattern.pattern for _, pattern in patterns))
    reported: set[tuple[str, str, Path_]] = set()
    for block, path, text in pairing_texts(context):
        if any_name.search(text) is None:
            continue
        for org, pattern in patterns:
            match = pattern.search(text)
            if match is None or any(match.group(0) in name for name in allowed_names):
                continue
            if (block.id, org.id, path) in reported:
                continue
            reported.add((block.id, org.id, path))
            diagnostics.error(
                where_in(context, block, path, match.group(0)), "names-another-organization",
                f"'{match.group(0)}' ({org.legal_name}) is not a party of pairing '{context.pairing.id}', whose "
                f"documents would name it; write <<provider>> or <<sponsor>> in shared text, or declare it in the "
                "pairing's other-providers if the pairing works with it")


def check_conditional_mentions(context: Context, diagnostics: Diagnostics) -> None:
    """Shared text about something the pairing does not have should say so: ``requires: [...]``."""
    for condition, (pattern, lack) in CONDITIONAL_TERMS.items():
        if condition in context.conditions:
            continue
        for block, path, text in pairing_texts(context, shared_only=True):
            if block.kind == "term":  # a glossary entry is shown only where a document uses the term
                continue
            match = pattern.search(text)
            if match is None:
                continue
            diagnostics.error(
                where_in(context, block, path, match.group(0)), "condition-not-met",
                f"{block.kind} '{block.id}' mentions '{match.group(0)}', but pairing '{context.pairing.id}' {lack}: "
                f"give the text (or the block) 'requires: [{condition}]', or leave it out of this pairing")

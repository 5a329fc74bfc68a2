"""Rules on a rendered document's text, located at the content field (or template) that wrote it.

- A document declared ``commercial: false`` (the Quality Agreement) carries no business terms:
  pricing, invoices, fees, bonus or penalty, budgets, payment, liability, unless the sentence
  refers the matter to the master agreement.
- Defined terms: a term the document defines in quotes ("the Sponsor") is written the same way
  everywhere, and by no second name ("Master services agreement" for the "Master Agreement"); a glossary term the document defines but never uses is reported; so is an
  abbreviation it uses but never defines (a warning: some need no definition).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Callable, Iterator

from builder.compose.context import Context
from builder.compose.textrefs import locate_in_value
from builder.diagnostics import Diagnostic, Location
from builder.render.source_search import locate_text
from builder.render.templates import TemplateRenderer
from builder.tree import DocumentTree, element_text

# Business terms a quality agreement leaves to the master agreement ("limited liability", the
# form of a company, is a name, not a term of business).
COMMERCIAL = re.compile(r"\b(invoic\w*|fees?|pric(?:e|es|ing)|bonus(?:es)?|penalt(?:y|ies)|budgets?|payments?|"
                        r"service credits?|(?<!limited )liabilit(?:y|ies)|contract value|risk[- ]share|"
                        r"(?:key[- ])?staff turnover|turnover of (?:key )?staff)\b", re.IGNORECASE)
REFERRAL = re.compile(r"\b(master (?:services )?agreement|commercial agreement)\b", re.IGNORECASE)
QUOTED_DEFINITION = re.compile(r"\((?:the )?[\"“]([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)[\"”]\)")
ABBREVIATION = re.compile(r"\b([A-Z]{3,6})s?\b")
WELL_KNOWN = {"USA", "FDA", "EMA", "ICH", "CFR", "ISO", "PDF", "III", "IIIB", "HIPAA", "GDPR", "MHRA", "PMDA",
              "CDISC", "ALCOA", "WHO", "USD", "EUR", "GBP", "CHF", "JPY", "DNA", "RNA", "KRAS", "PhD"}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
BODY_TAGS = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "caption", "figcaption", "dd")


@dataclass
class Checked:
    """What the rules need of one rendered document."""

    document_id: str
    title: str
    tree: DocumentTree
    context: Context
    renderer: TemplateRenderer


def _blocks(root: etree.Element) -> Iterator[tuple[etree.Element, str]]:
    """Innermost text blocks with their text (no nested block counted twice)."""
    for element in root.iter():
        if element.tag in BODY_TAGS and not any(child.tag in BODY_TAGS for child in element.iter() if child is not element):
            text = element_text(element)
            if text:
                yield element, text


def _locate(checked: Checked, element: etree.Element, needle: str) -> Location:
    """Where the text holding ``needle`` is written: its content field, else a template."""
    for label in (element.get("data-source") or "").split():
        origin = checked.tree.origins.get(label.split(":")[0])
        if origin is None:
            continue
        raw = _field_text(checked.context, origin)
        if raw is not None and needle.lower() in raw.lower():
            locator = checked.context.locators.get((origin.kind, origin.id))
            if locator is not None:
                start = raw.lower().index(needle.lower())
                return locate_in_value(locator, origin.path, raw[start:start + len(needle)])
    fallback = f"{checked.document_id} of pairing {checked.context.pairing.id}"
    return locate_text(needle, checked.context, checked.renderer, fallback)


def _field_text(context: Context, origin) -> str | None:
    if origin.raw is not None:
        return origin.raw
    for block in context.all_blocks():
        if block.kind == origin.kind and block.id == origin.id:
            value = block
            for step in origin.path:
                value = value[step] if isinstance(value, (list, dict)) else getattr(
                    value, str(step).replace("-", "_"), None)
                if value is None:
                    return None
            return str(value)
    return None


def check_commercial_terms(checked: Checked) -> list[Diagnostic]:
    """Business terms belong to the master agreement, not to this document."""
    problems = []
    for element, text in _blocks(checked.tree.root):
        for sentence in SENTENCE_END.split(text):
            match = COMMERCIAL.search(sentence)
            if match is None or REFERRAL.search(sentence):
                continue
            problems.append(Diagnostic(
                _locate(checked, element, match.group(0)), "error", "commercial-term",
                f"the {checked.title} of pairing '{checked.context.pairing.id}' says '{match.group(0)}' "
                f"(\"{sentence[:90]}\"): pricing, invoices, bonus and penalty, budgets, staffing turnover and "
                "liability belong in the master agreement or the Operating Manual; FDA's quality-agreement "
                "guidance keeps them out"))
    return problems


def check_defined_terms(checked: Checked) -> list[Diagnostic]:
    """Quoted defined terms written one way; glossary terms used; abbreviations defined."""
    problems: list[Diagnostic] = []
    blocks = list(_blocks(checked.tree.root))
    defined = sorted({m.group(1) for _, text in blocks for m in QUOTED_DEFINITION.finditer(text)}, key=len, reverse=True)
    folded = [" ".join(text.split()).lower() for _, text in blocks]  # to skip texts without the words at once
    for term in defined:
        other = re.compile(r"(?<![\w\"“])(" + r"\s+".join(re.escape(word) for word in term.split()) + r")(?![\w\"”])",
                           re.IGNORECASE)
        found = _first_use(blocks, folded, term, [" ".join(term.split()).lower()], other,
                           lambda text, m: m.group(1) != term and not _starts_sentence(text, m))
        if found:
            element, written = found
            problems.append(Diagnostic(
                _locate(checked, element, written), "error", "term-spelling",
                f"'{written}' in the {checked.title}: the document defines \"{term}\"; write it the same way "
                "everywhere (a defined term in another spelling reads as a different thing)"))
    problems += _second_names(checked, blocks, folded, defined)
    glossary = [term for term in checked.context.terms]
    defining = {id(element) for element, _ in blocks if _defines_term(checked, element)}
    used_text = " ".join(text for element, text in blocks if id(element) not in defining)
    used_lower = used_text.lower()  # a word absent from it needs no search (most terms: one scan each)
    entries: dict[str, etree.Element] = {}  # term id -> the text that defines it (its own entry)
    for element, _ in blocks:
        for term_id in _terms_of(checked.tree, element):
            entries.setdefault(term_id, element)
    for term in glossary:
        element = entries.get(term.id)
        if element is None:
            continue  # the document does not define this term (another term's definition may name it)
        words = [term.title] + ([term.abbreviation] if term.abbreviation else [])
        if not any((word.lower() if word == term.title else word) in (used_lower if word == term.title else used_text)
                   and re.search(r"(?<!\w)" + re.escape(word) + r"s?(?!\w)", used_text,
                                 re.IGNORECASE if word == term.title else 0) for word in words):
            problems.append(Diagnostic(
                _locate(checked, element, term.title), "warning", "term-unused",
                f"the {checked.title} defines '{term.title}' but never uses it; leave the term out of this pairing "
                "or use it"))
    known = {term.abbreviation for term in glossary if term.abbreviation} | WELL_KNOWN
    known |= {word for term in defined for word in term.split() if word.isupper()}
    organizations = (checked.context.sponsor, checked.context.provider, *checked.context.other_providers)
    known |= {word.strip(".,()") for org in organizations for name in (org.title, org.legal_name)
              for word in name.split()}  # "Good CRO Ltd": a name, not an abbreviation
    reported: set[str] = set()
    for element, text in blocks:
        for match in ABBREVIATION.finditer(text):
            word = match.group(1)
            if word in known or word in reported or _inside_name(text, match):
                continue
            reported.add(word)
            problems.append(Diagnostic(
                _locate(checked, element, word), "warning", "term-undefined",
                f"the {checked.title} uses '{word}' but does not define it: include a term (kind: term) with "
                f"abbreviation '{word}', or write it out"))
    return problems


def _second_names(checked: Checked, blocks: list[tuple[etree.Element, str]], folded: list[str],
                  defined: list[str]) -> list[Diagnostic]:
    """A defined term of several words written with words added ("Master services agreement" where
    the document defines "Master Agreement"): a second name for the same thing. A name followed by
    its identifier, its parties or its date ("Master Services Agreement NWT-MSA-2025-014", "... between
    A and B") is the thing's own title."""
    problems = []
    for term in defined:
        words = term.split()
        if len(words) < 2:
            continue
        variant = re.compile(rf"(?<![\w\"“])({re.escape(words[0])}(?:\s+[\w-]+){{1,2}}?\s+{re.escape(words[-1])})"
                             rf"(?![\w\"”])(?!\s+(?:\S*\d|between\b|dated\b))", re.IGNORECASE)
        found = _first_use(blocks, folded, term, [words[0].lower(), words[-1].lower()], variant,
                           lambda text, m: len(m.group(1).split()) > len(words)
                           and " ".join(m.group(1).split()).lower() != term.lower())
        if found:
            element, written = found
            problems.append(Diagnostic(
                _locate(checked, element, written), "error", "term-spelling",
                f"'{written}' in the {checked.title} is a second name for what the document defines as "
                f"\"{term}\": call it \"{term}\" throughout (two names read as two things)"))
    return problems


def _first_use(blocks: list[tuple[etree.Element, str]], folded: list[str], term: str, needles: list[str],
               pattern: re.Pattern, accept: Callable[[str, re.Match], bool]) -> tuple[etree.Element, str] | None:
    """The first text, and its words, where ``pattern`` finds a use of a defined term that ``accept``
    takes; texts lacking any of the (lower-case) needles are skipped unsearched, and so is the
    term's defining sentence ("This quality agreement (the "Quality Agreement")")."""
    defining = re.compile(r"[\"“]" + re.escape(term) + r"[\"”]")
    for (element, text), lowered in zip(blocks, folded):
        if not all(needle in lowered for needle in needles) or defining.search(text):
            continue
        match = next((m for m in pattern.finditer(text) if accept(text, m)), None)
        if match is not None:
            return element, match.group(1)
    return None


def _defines_term(checked: Checked, element: etree.Element) -> bool:
    return bool(_terms_of(checked.tree, element))


def _terms_of(tree: DocumentTree, element: etree.Element) -> list[str]:
    """The ids of the terms whose fields this text shows (a glossary entry, a definition clause)."""
    found = []
    for label in (element.get("data-source") or "").split():
        origin = tree.origins.get(label.split(":")[0])
        if origin is not None and origin.kind == "term" and origin.id not in found:
            found.append(origin.id)
    return found


def terms_shown(tree: DocumentTree) -> frozenset[str]:
    """The ids of the glossary terms a document shows (an entry, a definition clause)."""
    return frozenset(term_id for element in tree.root.iter() for term_id in _terms_of(tree, element))


def _starts_sentence(text: str, match: re.Match) -> bool:
    """A lower-case defined term capitalised only because a sentence starts with it is fine, and so
    is the title case of a heading-like start."""
    before = text[:match.start()].rstrip()
    return not before or before[-1] in ".:;!?"


def _inside_name(text: str, match: re.Match) -> bool:
    """Abbreviation-like words inside codes and protocol numbers (NWT-204-301, G12C) are not abbreviations."""
    start, end = match.start(), match.end()
    return (start > 0 and text[start - 1] in "-/") or (end < len(text) and text[end:end + 1] in "-/0123456789")


def document_rules(checked: Checked, commercial: bool) -> list[Diagnostic]:
    """Every text rule that applies to this document."""
    problems = [] if commercial else check_commercial_terms(checked)
    return problems + check_defined_terms(checked)

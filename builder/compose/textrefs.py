"""Party references in content text: ``<<sponsor>>``, ``<<provider.short>>``, ``<<role:cro-safety-lead>>``.

Shared blocks name the parties of the pairing they are built for through these references,
resolved when a pairing is composed, so that one block serves every provider. A reference
names something of the pairing:

- ``<<sponsor>>``, ``<<provider>>``: the organization's name; ``.short`` its short name, ``.legal``
  its legal name;
- ``<<role:ID>>``: a role's title (``.short``: its short title);
- ``<<governance:ID>>``: a governance body's name;
- ``<<work-order>>``, ``<<master-agreement>>``, ``<<programme>>``: what the pairing's contract
  calls a study order, the master agreement, the programme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from builder.content.library import Library
from builder.content.typewalk import walk_strings
from builder.content.validation import Locator
from builder.diagnostics import Diagnostics, Location, suggest

Path_ = tuple[str | int, ...]
REFERENCE = re.compile(r"<<(?P<body>[^<>\n]{0,120})>>")
BODY = re.compile(r"^\s*(?P<name>[a-z][a-z-]*)(?::(?P<id>[a-z0-9][a-z0-9-]*))?(?:\.(?P<attribute>[a-z-]+))?\s*$")
PARTIES = ("sponsor", "provider")
PARTY_ATTRIBUTES = ("short", "legal")
BLOCK_REFERENCES = {"role": ("short",), "governance": ()}
PAIRING_VALUES = ("work-order", "master-agreement", "programme")
NAMES = (*PARTIES, *BLOCK_REFERENCES, *PAIRING_VALUES)
HELP = ("<<sponsor>>, <<provider>> (.short, .legal), <<role:ID>> (.short), <<governance:ID>>, "
        "<<work-order>>, <<master-agreement>>, <<programme>>")


@dataclass(frozen=True)
class TextReference:
    """One ``<<...>>`` in a text."""

    text: str  # as written, with the brackets
    name: str
    id: str | None = None
    attribute: str | None = None


def parse_reference(text: str, body: str) -> TextReference | str:
    """The reference, or a message saying what is wrong with it."""
    match = BODY.match(body)
    if not match:
        return f"'{text}' is not a reference; references are {HELP}"
    name, block_id, attribute = match.group("name"), match.group("id"), match.group("attribute")
    if name not in NAMES:
        return f"unknown reference '{text}'{suggest(name, NAMES)}; references are {HELP}"
    if name in BLOCK_REFERENCES:
        if block_id is None:
            return f"'{text}' needs an id: <<{name}:ID>>"
        if attribute and attribute not in BLOCK_REFERENCES[name]:
            allowed = ", ".join(f".{a}" for a in BLOCK_REFERENCES[name]) or "none"
            return f"'{text}': unknown part '.{attribute}' (allowed: {allowed})"
    elif block_id is not None:
        return f"'{text}': <<{name}>> takes no id"
    elif attribute and (name not in PARTIES or attribute not in PARTY_ATTRIBUTES):
        allowed = ", ".join(f".{a}" for a in PARTY_ATTRIBUTES) if name in PARTIES else "none"
        return f"'{text}': unknown part '.{attribute}'{suggest(attribute, PARTY_ATTRIBUTES)} (allowed: {allowed})"
    return TextReference(text, name, block_id, attribute)


def references_in(text: str) -> Iterator[tuple[str, TextReference | str]]:
    """Every ``<<...>>`` of a text: (as written, the reference or an error message)."""
    for match in REFERENCE.finditer(text):
        yield match.group(0), parse_reference(match.group(0), match.group("body"))


def check_text_references(data: dict, locator: Locator, library: Library, diagnostics: Diagnostics) -> None:
    """Located errors for malformed or unknown references in a block's text, and for ids that
    do not exist (whether the pairing has them is checked when it is composed)."""
    for path, text in walk_strings(data):
        if "<<" not in text:
            continue
        for written, reference in references_in(text):
            location = locate_in_value(locator, path, written)
            if isinstance(reference, str):
                diagnostics.error(location, "text-reference", reference)
            elif reference.id is not None and library.get(reference.name, reference.id) is None:
                other = library.kinds_of(reference.id)
                hint = f" ('{reference.id}' is a {other[0]})" if other else suggest(reference.id,
                                                                                  library.ids(reference.name))
                diagnostics.error(location, "unknown-reference",
                                  f"'{written}': unknown {reference.name} '{reference.id}'{hint}")


def locate_in_value(locator: Locator, path: Path_, needle: str) -> Location:
    """Where ``needle`` is written inside the value at ``path``: its own line and column when the
    file can be read, else the value's start."""
    start = locator.locate(path)
    if not start.line:
        return start
    try:
        with open(start.file, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return start
    for number in range(start.line - 1, min(len(lines), start.line + 400)):
        column = lines[number].find(needle, start.column - 1 if number == start.line - 1 else 0)
        if column >= 0:
            return Location(start.file, number + 1, column + 1)
    return start


Lookup = Callable[[TextReference], str | None]


def resolve_text(text: str, lookup: Lookup) -> tuple[str, list[TextReference]]:
    """The text with every reference replaced; the references the lookup could not resolve."""
    if "<<" not in text:
        return text, []
    missing: list[TextReference] = []

    def replace(match: re.Match) -> str:
        reference = parse_reference(match.group(0), match.group("body"))
        if isinstance(reference, str):
            return match.group(0)
        value = lookup(reference)
        if value is None:
            missing.append(reference)
            return match.group(0)
        return value

    return REFERENCE.sub(replace, text), missing


def pairing_lookup(context) -> Lookup:
    """How a composed pairing resolves each reference (its parties, roles, bodies and contract names)."""
    roles = {role.id: role for role in context.roles}
    bodies = {body.id: body for body in context.governance}
    parties = {"sponsor": context.sponsor, "provider": context.provider}
    pairing = context.pairing

    def lookup(reference: TextReference) -> str | None:
        if reference.name in parties:
            org = parties[reference.name]
            if reference.attribute == "legal":
                return str(org.legal_name)
            if reference.attribute == "short":
                return str(org.short_name or org.title)
            return str(org.title)
        if reference.name == "role":
            role = roles.get(reference.id or "")
            if role is None:
                return None
            return str(role.short_title or role.title) if reference.attribute == "short" else str(role.title)
        if reference.name == "governance":
            body = bodies.get(reference.id or "")
            return str(body.title) if body else None
        return {"work-order": pairing.work_order, "master-agreement": pairing.master_agreement,
                "programme": pairing.scope.programme}.get(reference.name)

    return lookup


def unresolve_text(text: str, raw: str, lookup: Lookup) -> str:
    """Put back the references of ``raw`` into ``text`` (its edited, resolved form): each name a
    reference of ``raw`` resolves to is written as the reference again."""
    replacements: dict[str, str] = {}
    for written, reference in references_in(raw):
        if isinstance(reference, TextReference):
            value = lookup(reference)
            if value:
                replacements.setdefault(value, written)
    for value in sorted(replacements, key=len, reverse=True):
        text = re.sub(r"(?<![\w<])" + re.escape(value) + r"(?![\w>])", replacements[value], text)
    return text

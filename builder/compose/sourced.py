"""Values that remember the content field they came from, so rendered text can be traced back.

Composition wraps every text and number of a pairing's blocks; the template filters carry the
origin into the Markdown as invisible marks, the tree turns the marks into each paragraph's and
cell's source, and ``playbook import`` maps edited Word paragraphs back to fields through it.
"""

from __future__ import annotations

from builder.tree.origins import Origin


class SourcedText(str):
    """A str that knows its content field."""

    origin: Origin

    def __new__(cls, value: str, origin: Origin) -> "SourcedText":
        text = super().__new__(cls, value)
        text.origin = origin
        return text

    def __reduce__(self):
        return (SourcedText, (str(self), self.origin))


class SourcedInt(int):
    """An int that knows its content field."""

    origin: Origin

    def __new__(cls, value: int, origin: Origin) -> "SourcedInt":
        number = super().__new__(cls, value)
        number.origin = origin
        return number

    def __reduce__(self):
        return (SourcedInt, (int(self), self.origin))


class SourcedFloat(float):
    """A float that knows its content field."""

    origin: Origin

    def __new__(cls, value: float, origin: Origin) -> "SourcedFloat":
        number = super().__new__(cls, value)
        number.origin = origin
        return number

    def __reduce__(self):
        return (SourcedFloat, (float(self), self.origin))


def origin_of(value: object) -> Origin | None:
    """The content field a value came from, or None for text a template wrote."""
    return getattr(value, "origin", None) if isinstance(value, (SourcedText, SourcedInt, SourcedFloat)) else None


def sourced(value: object, origin: Origin) -> object:
    """Wrap a text or number (not a bool) with its origin; other values are returned as they are."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return SourcedText(value, origin)
    if isinstance(value, int):
        return SourcedInt(value, origin)
    if isinstance(value, float):
        return SourcedFloat(value, origin)
    return value

"""Values that remember the content field they came from, so rendered text can be traced back.

Composition wraps every text and number of a pairing's blocks; the template filters carry the
origin into the Markdown as invisible marks, the tree turns the marks into each paragraph's and
cell's source, and ``playbook import`` maps edited Word paragraphs back to fields through it.
"""

from __future__ import annotations

from builder.tree.origins import Origin


class _Sourced:
    """A value that knows its content field: made with ``Cls(value, origin)``."""

    origin: Origin
    _plain: type

    def __new__(cls, value, origin: Origin):
        made = super().__new__(cls, value)  # type: ignore[call-arg]
        made.origin = origin
        return made

    def __reduce__(self):
        return (type(self), (self._plain(self), self.origin))


class SourcedText(_Sourced, str):
    """A str that knows its content field."""

    _plain = str


class SourcedInt(_Sourced, int):
    """An int that knows its content field."""

    _plain = int


class SourcedFloat(_Sourced, float):
    """A float that knows its content field."""

    _plain = float


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

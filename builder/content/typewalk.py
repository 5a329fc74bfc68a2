"""Walk the content models' type hints: field names by path, and the references a block holds."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Iterator, Union

from pydantic import BaseModel

from builder.content.model.common import Ref, field_alias

Path_ = tuple[str | int, ...]


@functools.cache
def model_hints(model_cls: type[BaseModel]) -> dict[str, Any]:
    """Type hints of a model's fields keyed by their YAML key, metadata kept."""
    hints = typing.get_type_hints(model_cls, include_extras=True)
    return {field_alias(name): hints[name] for name in model_cls.model_fields}


_STRIPPED: dict[int, tuple[Any, Any, list[Any]]] = {}


def _strip(hint: Any) -> tuple[Any, list[Any]]:
    """Remove Annotated and Optional wrappers, returning the bare type and gathered metadata."""
    cached = _STRIPPED.get(id(hint))
    if cached is not None and cached[0] is hint:
        return cached[1], cached[2]
    bare, metadata = _strip_uncached(hint)
    _STRIPPED[id(hint)] = (hint, bare, metadata)
    return bare, metadata


def _strip_uncached(hint: Any) -> tuple[Any, list[Any]]:
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(hint)
        if origin is typing.Annotated:
            metadata.extend(hint.__metadata__)
            hint = typing.get_args(hint)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(args) != 1:
                return hint, metadata
            hint = args[0]
        else:
            return hint, metadata


def known_fields(model_cls: type[BaseModel], path: Path_) -> list[str]:
    """The YAML keys allowed in the mapping at ``path`` of a block, or [] when not a model."""
    hint: Any = model_cls
    for step in path:
        hint, _ = _strip(hint)
        origin = typing.get_origin(hint)
        if isinstance(hint, type) and issubclass(hint, BaseModel):
            hint = model_hints(hint).get(str(step))
            if hint is None:
                return []
        elif origin is list:
            hint = typing.get_args(hint)[0]
        elif origin is dict:
            hint = typing.get_args(hint)[1]
        else:
            return []
    hint, _ = _strip(hint)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return list(model_hints(hint))
    return []


def _holds_references(hint: Any, seen: frozenset = frozenset()) -> bool:
    """Whether a value of this type can contain a reference anywhere inside it."""
    bare, metadata = _strip(hint)
    if any(isinstance(m, Ref) for m in metadata):
        return True
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        if bare in seen:
            return False
        return any(_holds_references(h, seen | {bare}) for h in model_hints(bare).values())
    return any(_holds_references(arg, seen) for arg in typing.get_args(bare) if arg is not type(None))


@functools.cache
def _reference_fields(model_cls: type[BaseModel]) -> tuple[tuple[str, str, Any], ...]:
    """(attribute, YAML key, hint) of the fields of a model that can hold references."""
    hints = model_hints(model_cls)
    return tuple((name, field_alias(name), hints[field_alias(name)]) for name in model_cls.model_fields
                 if _holds_references(hints[field_alias(name)]))


def walk_strings(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every text inside a block (a model, or plain data as loaded), with its YAML path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk_strings(getattr(value, name), path + (field_alias(name),))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, path + (index,))


def iter_references(value: Any, hint: Any = None, path: Path_ = ()) -> Iterator[tuple[Path_, str, str, bool]]:
    """Yield ``(path, target kind, id, is_key)`` for every reference held by a model instance."""
    if hint is None:
        hint = type(value)
    bare, metadata = _strip(hint)
    refs = [m for m in metadata if isinstance(m, Ref)]
    if refs and isinstance(value, str):
        yield path, refs[0].kind, value, False
        return
    if value is None:
        return
    if isinstance(bare, type) and issubclass(bare, BaseModel) and isinstance(value, BaseModel):
        for name, key, field_hint in _reference_fields(type(value)):
            yield from iter_references(getattr(value, name), field_hint, path + (key,))
        return
    origin = typing.get_origin(bare)
    if origin is list and isinstance(value, list):
        (item_hint,) = typing.get_args(bare)
        for index, item in enumerate(value):
            yield from iter_references(item, item_hint, path + (index,))
    elif origin is dict and isinstance(value, dict):
        key_hint, value_hint = typing.get_args(bare)
        _, key_meta = _strip(key_hint)
        key_refs = [m for m in key_meta if isinstance(m, Ref)]
        for key, item in value.items():
            if key_refs:
                yield path + (key,), key_refs[0].kind, key, True
            yield from iter_references(item, value_hint, path + (key,))

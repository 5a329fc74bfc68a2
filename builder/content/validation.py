"""Check one block's data against its model and turn pydantic's errors into located diagnostics."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from builder.diagnostics import Diagnostic, Diagnostics, Location, suggest
from builder.content.model import KIND_MODELS, BlockBase
from builder.content.typewalk import known_fields

Path_ = tuple[str | int, ...]


class Locator(Protocol):
    """Anything that can say where a value of a block came from."""

    def locate(self, path: Path_, *, key: bool = False) -> Location: ...


def model_for_kind(data: dict[str, Any], locator: Locator, diagnostics: Diagnostics) -> type[BlockBase] | None:
    """The model of a block's ``kind``, or a located error when it is missing or unknown."""
    kind = data.get("kind")
    if kind is None:
        diagnostics.error(
            locator.locate(()), "missing-field",
            f"block has no 'kind' (one of: {', '.join(KIND_MODELS)})",
        )
        return None
    if not isinstance(kind, str) or kind not in KIND_MODELS:
        diagnostics.error(
            locator.locate(("kind",)), "unknown-kind",
            f"unknown kind '{kind}'{suggest(str(kind), KIND_MODELS)}; "
            f"kinds are: {', '.join(KIND_MODELS)}",
        )
        return None
    return KIND_MODELS[kind]


def validate_model(
    model_cls: type[BaseModel], data: dict[str, Any], locator: Locator, diagnostics: Diagnostics
) -> BaseModel | None:
    """Validate ``data`` as ``model_cls``; every problem becomes a located diagnostic."""
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            diagnostics.items.append(describe_error(error, model_cls, data, locator))
        return None


def _clean_loc(loc: tuple) -> tuple[Path_, bool]:
    path: list[str | int] = []
    is_key = False
    for step in loc:
        if step == "[key]":
            is_key = True
            continue
        if isinstance(step, str) and ("[" in step or step.startswith("function-")):
            continue  # pydantic's names for union members and validators
        path.append(step)
    return tuple(path), is_key


def follow(data: Any, path: Path_) -> tuple[Any, int]:
    """Walk ``path`` into nested mappings and lists: the value reached and how many steps were taken."""
    for depth, step in enumerate(path):
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, dict) and isinstance(step, int) and str(step) in data:
            data = data[str(step)]  # an override of one list item, by its index
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return data, depth
    return data, len(path)


def _value_at(data: Any, path: Path_) -> Any:
    value, depth = follow(data, path)
    return value if depth == len(path) else None


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return repr(value)


_TYPE_NAMES = {
    "float_type": "a number", "int_type": "a whole number", "int_from_float": "a whole number",
    "string_type": "text", "bool_type": "true or false", "list_type": "a list",
    "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
    "date_type": "a date (YYYY-MM-DD)",
}


def describe_error(error: dict, model_cls: type[BaseModel], data: dict, locator: Locator) -> Diagnostic:
    """One pydantic error as a diagnostic with a location and a plain-language message."""
    path, is_key = _clean_loc(error["loc"])
    kind = error["type"]
    names = [step for step in path if isinstance(step, str)]
    name = names[-1] if names else "block"
    if path and isinstance(path[-1], int):
        name = f"{name}[{path[-1] + 1}]" if names else f"item {path[-1] + 1}"
    value = error.get("input")
    if kind == "missing":
        parent = path[:-1]
        if not parent:
            where = f" in {data.get('kind', 'block')} '{data.get('id', '?')}'"
        else:
            where = f" in '{parent[-1]}'" if isinstance(parent[-1], str) else ""
        return Diagnostic(locator.locate(parent), "error", "missing-field",
                          f"missing required field '{name}'{where}")
    if kind == "extra_forbidden":
        known = known_fields(model_cls, path[:-1])
        hint = suggest(name, known)
        return Diagnostic(locator.locate(path, key=True), "error", "unknown-field",
                          f"unknown field '{name}'{hint}")
    location = locator.locate(path, key=is_key)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = [part.strip(" '") for part in expected.replace(" or ", ",").split(",") if part.strip(" '")]
        return Diagnostic(location, "error", "invalid-value",
                          f"'{name}' is {_describe_value(value)}; expected one of: "
                          f"{', '.join(options)}{suggest(str(value), options)}")
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if "a-z0-9" in pattern:
            message = (f"{_describe_value(value)} is not a valid id: use lowercase letters, "
                       "digits and single hyphens (for example 'sae-reporting-timeliness')")
        elif r"\d+\.\d+\.\d+" in pattern:
            message = f"'{name}' is {_describe_value(value)}; expected a version like 1.2.0"
        else:
            message = f"'{name}' is {_describe_value(value)}; it must match {pattern}"
        return Diagnostic(location, "error", "invalid-value", message)
    if kind in _TYPE_NAMES:
        return Diagnostic(location, "error", "wrong-type",
                          f"'{name}' must be {_TYPE_NAMES[kind]}, not {_describe_value(value)}")
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        code = "invalid-date" if "real date" in message else "invalid-value"
        return Diagnostic(location, "error", code,
                          f"'{name}': {message}" if path else message)
    actual = _value_at(data, path)
    return Diagnostic(location, "error", "invalid-value",
                      f"'{name}' is {_describe_value(actual)}: {error['msg'][0].lower()}{error['msg'][1:]}")

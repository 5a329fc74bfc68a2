"""A JSON Schema of content files, generated from the models, for editors.

Overrides are typed: under ``overrides.<group>.<id>`` an editor checks and completes the fields
of that group's block kind, every field optional (an override sets only what differs).
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter

from builder.content.model import INCLUDE_GROUPS, KIND_MODELS

SCHEMA_ID = "https://playbook-builder.invalid/schema/playbook.schema.json"
PARTIAL = "Partial"


def content_schema() -> dict[str, Any]:
    """Schema of a content file: one block of any kind, or a list of blocks."""
    block = Annotated[Union[tuple(KIND_MODELS.values())], Field(discriminator="kind")]
    adapter = TypeAdapter(Union[block, list[block]])
    schema = adapter.json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "playbook-builder content file"
    schema["description"] = (
        "A YAML file of playbook-builder content: one block (organization, role, metric, "
        "pairing, ...) or a list of blocks."
    )
    _type_overrides(schema)
    return schema


def _type_overrides(schema: dict[str, Any]) -> None:
    """Replace the pairing's open ``overrides`` object by one property per include group whose
    entries are partial blocks of the group's kind."""
    definitions = schema["$defs"]
    partials = {name: _partial(definition) for name, definition in definitions.items()}
    for name, definition in partials.items():
        definitions[PARTIAL + name] = definition
    groups = {}
    for group, kind in INCLUDE_GROUPS.items():
        model_name = kind.model.__name__
        groups[group] = {"type": "object", "description": f"Overrides of the {kind.name} blocks the pairing uses, "
                                                          "by id: only the fields that differ.",
                         "propertyNames": {"pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
                         "additionalProperties": {"$ref": f"#/$defs/{PARTIAL}{model_name}"}}
    overrides = definitions["Pairing"]["properties"]["overrides"]
    overrides.clear()
    overrides.update({"type": "object", "title": "Overrides", "default": {}, "properties": groups,
                      "additionalProperties": False,
                      "description": "Values of included blocks that differ for this pairing, by include group "
                                     "and id; mappings are merged, lists replaced."})


def _partial(definition: dict[str, Any]) -> dict[str, Any]:
    """A definition with nothing required, whose references point at partial definitions too."""
    partial = copy.deepcopy(definition)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("required", None)
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
                node["$ref"] = "#/$defs/" + PARTIAL + node["$ref"].removeprefix("#/$defs/")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(partial)
    for name, prop in list(partial.get("properties", {}).items()):
        partial["properties"][name] = _or_items(prop)
    partial.get("properties", {}).pop("id", None)
    partial.get("properties", {}).pop("kind", None)
    return partial


def _or_items(prop: dict[str, Any]) -> dict[str, Any]:
    """A list field may also be overridden item by item: ``{2: new item}``."""
    arrays = [option for option in prop.get("anyOf", [prop]) if option.get("type") == "array" and "items" in option]
    if not arrays:
        return prop
    by_index = {"type": "object", "propertyNames": {"pattern": "^[0-9]+$"},
                "additionalProperties": arrays[0]["items"],
                "description": "Items that differ, by their index (0 is the first)."}
    options = prop.get("anyOf", [{k: v for k, v in prop.items() if k not in ("title", "description", "default")}])
    kept = {k: v for k, v in prop.items() if k in ("title", "description", "default")}
    return {**kept, "anyOf": [*options, by_index]}

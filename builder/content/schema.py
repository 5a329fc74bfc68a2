"""A JSON Schema of content files, generated from the models, for editors."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter

from builder.content.model import KIND_MODELS

SCHEMA_ID = "https://playbook-builder.invalid/schema/playbook.schema.json"


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
    return schema

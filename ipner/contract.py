"""The output contract as JSON Schema: ``ipner/resources/schema/`` holds the schema of a ``predict``
record and of a fact (draft 2020-12; docs/SCHEMA.md in words). The record refers to the fact by its
``$id``; both are resolved from the files shipped with ipner, never over the network.

>>> from ipner.contract import validate_record
>>> validate_record({"id": "a.txt", "entities": [], "relations": [], "facts": []})
"""
from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from ipner.resources import RESOURCES

__all__ = ["SCHEMA_DIR", "SCHEMA_NAMES", "load_schema", "validator", "validate_record", "validate_fact"]

#: Where the JSON Schemas ship (inside the package, as package data).
SCHEMA_DIR = RESOURCES / "schema"
#: The schemas by name: ``<name>.schema.json`` in :data:`SCHEMA_DIR`.
SCHEMA_NAMES: tuple[str, ...] = ("predict_record", "fact")


def _file_name(name: str) -> str:
    stem = name.removesuffix(".json").removesuffix(".schema")
    if stem not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r}: expected one of {', '.join(SCHEMA_NAMES)}")
    return f"{stem}.schema.json"


@lru_cache(maxsize=None)
def _read(file_name: str) -> dict[str, Any]:
    import json

    return json.loads((SCHEMA_DIR / file_name).read_text(encoding="utf-8"))


def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``name`` (``"predict_record"`` or ``"fact"``; ``"fact.schema.json"`` works too), as a fresh dict."""
    return copy.deepcopy(_read(_file_name(name)))


@lru_cache(maxsize=1)
def _registry():
    from referencing import Registry, Resource

    # No ``retrieve`` function: a reference to anything but these files fails instead of going online.
    return Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in (_read(_file_name(n)) for n in SCHEMA_NAMES)
    )


@lru_cache(maxsize=None)
def _validator(file_name: str):
    from jsonschema import Draft202012Validator

    schema = _read(file_name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry())


def validator(name: str):
    """A ``jsonschema`` draft 2020-12 validator of the schema ``name``, with the shipped schemas as its registry."""
    return _validator(_file_name(name))


def validate_record(record: dict[str, Any]) -> None:
    """Check one ``predict`` record (a JSON-lines line, parsed); raises ``jsonschema.ValidationError``."""
    validator("predict_record").validate(record)


def validate_fact(fact: dict[str, Any]) -> None:
    """Check one fact (``Fact.to_dict()``); raises ``jsonschema.ValidationError``."""
    validator("fact").validate(fact)

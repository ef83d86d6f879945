"""The exported SDL matches the code, keeps the contract, and documents everything."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

from coopgraph.graph.schema import build_schema as build_app_schema
from coopgraph.graph.schema import schema_sdl

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = (
    resources.files("coopgraph.graph").joinpath("contract", "schema.graphql").read_text("utf-8")
)


def test_schema_file_matches_the_code() -> None:
    assert (ROOT / "schema.graphql").read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is stale: run `coopgraph export-schema > schema.graphql`"
    )


def test_export_schema_prints_the_sdl() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "coopgraph", "export-schema"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    assert printed == schema_sdl()


def test_no_breaking_or_dangerous_change_against_the_contract() -> None:
    contract, ours = build_schema(CONTRACT), build_schema(schema_sdl())
    assert [change.description for change in find_breaking_changes(contract, ours)] == []
    assert [change.description for change in find_dangerous_changes(contract, ours)] == []


def _undocumented() -> list[str]:
    schema = build_app_schema()._schema
    missing: list[str] = []
    for name, named in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if name != "Query" and not named.description:
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(named, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in named.values.items()
                if not value.description
            )
        if isinstance(named, GraphQLUnionType) and not named.description:
            missing.append(name)
    return missing


def test_every_type_field_argument_and_enum_value_has_a_description() -> None:
    assert _undocumented() == []

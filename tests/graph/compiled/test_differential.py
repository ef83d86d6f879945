"""The compiled path answers with the standard executor's bytes, or leaves it to it."""

from __future__ import annotations

import base64
from importlib import resources
from typing import Any

import pytest

from coopgraph.graph.graphiql.page import example_queries
from tests.graph.compiled.conftest import ServerPair

CONTRACT = resources.files("coopgraph.graph").joinpath("contract", "queries")
#: Contract queries the planner does not handle (search ranks in Python).
NOT_COMPILED = {"search.graphql"}


def gid(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "name", sorted(p.name for p in CONTRACT.iterdir() if p.name.endswith(".graphql"))
)
def test_contract_query(server_pair: ServerPair, name: str) -> None:
    answer = server_pair.compare(CONTRACT.joinpath(name).read_text("utf-8"))
    assert "errors" not in answer.body
    assert answer.execution == ("standard" if name in NOT_COMPILED else "compiled")


@pytest.mark.parametrize("example", example_queries(), ids=lambda example: example.name)
def test_graphiql_example(server_pair: ServerPair, example: Any) -> None:
    answer = server_pair.compare(example.query)
    assert answer.execution in ("compiled", "standard")
    assert "errors" not in answer.body


AU, ASIA, ENERGY = gid("Country:AU"), gid("Continent:asia"), gid("Field:energy")
NIH, EDITION = gid("Institution:us.nih"), gid("Edition:2020")
PRIORITY, DIRECTION = (
    gid("Priority:2020.au.advanced-materials.1"),
    gid("Direction:advanced-materials.materials-creation"),
)

EVERY_TYPE = """
  __typename
  ... on Node { id }
  ... on Edition { year title sourceName sourceSha256 priorityCount }
  ... on Continent { name nameEn countryCount fields { name } }
  ... on Country { name nameEn isoCode continent { name } priorityCount }
  ... on Field { name nameEn priorityCount countryCount directions { name } }
  ... on Direction { name nameEn field { name } priorityCount countries { isoCode } }
  ... on Institution { name acronym kind aliases fieldCount priorityCount countries { name } }
  ... on Priority { sourceLine sourceText directionsText continent { name } edition { year } }
"""

#: (query, variables, which path must answer)
CASES: dict[str, tuple[str, dict[str, Any] | None, str | None]] = {
    "aliases": (
        "{ a: continents { n: name name cs: countries { isoCode i: id } } b: fields { id } }",
        None,
        "compiled",
    ),
    "named fragments": (
        "query { continents { ...C } } fragment C on Continent { name countries { ...K } }"
        " fragment K on Country { name isoCode continent { ...D } } fragment D on Continent"
        " { nameEn countryCount }",
        None,
        "compiled",
    ),
    "inline fragments and merged fields": (
        "{ continents { ... on Continent { name countries { name } } ... { nameEn countries"
        " { isoCode } } name } }",
        None,
        "compiled",
    ),
    "include and skip, true": (
        "query($a: Boolean!, $b: Boolean = false) { continents { name @include(if: $a)"
        " nameEn @skip(if: $b) countries @include(if: $a) { name ...F @skip(if: $a) } } }"
        " fragment F on Country { isoCode }",
        {"a": True},
        "compiled",
    ),
    "include and skip, false": (
        "query($a: Boolean!, $b: Boolean = false) { continents { name @include(if: $a)"
        " nameEn @skip(if: $b) countries @include(if: $a) { name ...F @skip(if: $a) } } }"
        " fragment F on Country { isoCode }",
        {"a": False, "b": True},
        "compiled",
    ),
    "typename at every level": (
        "{ __typename continents { __typename countries { __typename priorities { __typename"
        " edition { __typename year } } } } }",
        None,
        "compiled",
    ),
    "null acronyms and blank directions": (
        "{ priorities(first: 100) { edges { node { directionsText directions { name }"
        " institutions { acronym kind } } } } }",
        None,
        "compiled",
    ),
    "node of every type": (
        "query($ids: [ID!]!) { nodes(ids: $ids) {" + EVERY_TYPE + "} }",
        {
            "ids": [
                AU,
                ASIA,
                ENERGY,
                NIH,
                EDITION,
                PRIORITY,
                DIRECTION,
                gid("Country:zz"),
                gid("Unknown:1"),
                gid("Edition:twenty"),
                AU,
            ]
        },
        "compiled",
    ),
    "node": ("query($id: ID!) { node(id: $id) {" + EVERY_TYPE + "} }", {"id": NIH}, "compiled"),
    "node unknown": (
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": gid("Field:x")},
        "compiled",
    ),
    "node malformed": ('{ node(id: "%%%") { id } }', None, "standard"),
    "country by ISO code": ('{ country(isoCode: " au ") { name isoCode } }', None, "compiled"),
    "country by English name": ('{ country(name: "australia") { name } }', None, "compiled"),
    "country by Chinese name": ('{ country(name: "澳大利亚") { name } }', None, "compiled"),
    "country unknown": ('{ country(isoCode: "ZZ") { name } }', None, "compiled"),
    "country without arguments": ("{ country { name } }", None, "standard"),
    "country by names users type": (
        "query($a: String, $b: String, $c: String, $d: String, $e: String, $f: String,"
        " $g: String, $h: String) { a: country(name: $a) { name } b: country(name: $b) { name }"
        " c: country(name: $c) { name } d: country(name: $d) { name } e: country(name: $e)"
        " { name } f: country(name: $f) { name } g: country(name: $g) { name isoCode }"
        " h: country(name: $h) { name } }",
        {
            "a": "UK",
            "b": "U.S.",
            "c": "Macau",
            "d": "中國台灣",
            "e": "Russian Federation",
            "f": "EU",
            "g": "РОССИЯ",
            "h": "ＵＳＡ",
        },
        "compiled",
    ),
    "country by every name users type": (
        '{ a: country(name: "America") { name } b: country(name: "Hong Kong") { name }'
        ' c: country(name: "台湾") { name } d: country(name: "Taiwan") { name }'
        ' e: country(name: "Macao") { name } f: country(name: "United States of America")'
        ' { name } g: country(name: "Britain") { name } h: country(name: "臺灣") { name } }',
        None,
        "compiled",
    ),
    "country by a romanisation or an institution's alias": (
        '{ a: country(name: "rb") { name } b: country(name: "Tsinghua") { name } }',
        None,
        "compiled",
    ),
    "country by agreeing code and name": (
        '{ country(isoCode: "GB", name: "UK") { name isoCode } }',
        None,
        "standard",
    ),
    "country by conflicting code and name": (
        '{ country(isoCode: "JP", name: "Australia") { name } }',
        None,
        "standard",
    ),
    "edition": (
        "{ edition(year: 2020) { id title } none: edition(year: 1999) { id } }",
        None,
        "compiled",
    ),
    "directions of a field": (
        "query($f: ID) { directions(field: $f) { name field { name } } }",
        {"f": ENERGY},
        "compiled",
    ),
    "directions of an unknown field": (
        "query($f: ID) { directions(field: $f) { name } }",
        {"f": gid("Field:nope")},
        "standard",
    ),
    "directions with another type's ID": (
        "query($f: ID) { directions(field: $f) { name } }",
        {"f": AU},
        "standard",
    ),
    "shared institutions, all kinds": (
        "{ sharedInstitutions(minFields: 3, kinds: [ORGANIZATION, GROUP, CATEGORY])"
        " { name fieldCount fields { name } } }",
        None,
        "compiled",
    ),
    "shared institutions, kinds null": (
        "{ sharedInstitutions(kinds: null, minFields: null) { name kind } }",
        None,
        "compiled",
    ),
    "shared institutions, minFields 0": (
        "{ sharedInstitutions(minFields: 0) { name } }",
        None,
        "standard",
    ),
    "institutions of kinds": (
        "query($k: [InstitutionKind!]) { fields { name institutions(kinds: $k) { name kind }"
        " all: institutions { name } } countries(first: 100) { edges { node { institutions"
        "(kinds: []) { name } categories: institutions(kinds: [CATEGORY]) { name } } } } }",
        {"k": ["GROUP", "ORGANIZATION"]},
        "compiled",
    ),
    "everything about institutions": (
        "{ institutions(first: 100) { totalCount edges { cursor node { id name nameEn"
        " acronym kind aliases fieldCount priorityCount country { name } countries { name }"
        " fields { name } priorities { sourceLine field { name } } } } } }",
        None,
        "compiled",
    ),
    "directions and their relations": (
        "{ directions { name field { name } priorities { sourceLine } priorityCount"
        " countries { name } } }",
        None,
        "compiled",
    ),
    "priorities and their relations": (
        "{ editions { priorityCount priorities { continent { name } country { name } field"
        " { name } edition { year } directions { name } institutions { name } } } }",
        None,
        "compiled",
    ),
    "counts": (
        "{ continents { countryCount fields { name priorityCount countryCount } countries"
        " { priorityCount fields { name } } } }",
        None,
        "compiled",
    ),
    "countries page by continent": (
        "query($c: ID) { countries(first: 5, filter: {continent: $c}) { __typename totalCount"
        " pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor } edges"
        " { __typename cursor node { name } } } }",
        {"c": ASIA},
        "compiled",
    ),
    "countries second page": (
        "query($after: String) { countries(first: 3, after: $after) { pageInfo { hasNextPage"
        " hasPreviousPage startCursor endCursor } edges { node { name } } } }",
        {"after": base64.b64encode(b"Country@3").decode()},
        "compiled",
    ),
    "countries by name and field": (
        '{ countries(filter: {nameContains: " A ", field: "' + ENERGY + '"}) { totalCount'
        " edges { node { name } } } }",
        None,
        "standard",  # name filters match as search does, on the standard path only
    ),
    "countries, first null": (
        "{ countries(first: null) { totalCount edges { node { name } } } }",
        None,
        "compiled",
    ),
    "countries, wildcard in nameContains": (
        '{ countries(filter: {nameContains: "%"}) { totalCount } }',
        None,
        "standard",  # name filters match as search does, on the standard path only
    ),
    "institutions filtered": (
        '{ institutions(filter: {kinds: [ORGANIZATION], minFieldCount: 2, nameContains: "大学"})'
        " { totalCount edges { node { name } } } }",
        None,
        "standard",  # name filters match as search does, on the standard path only
    ),
    "institutions of a country and field": (
        '{ institutions(filter: {country: "' + AU + '", field: "' + ENERGY + '"}) { totalCount'
        " pageInfo { endCursor } } }",
        None,
        "compiled",
    ),
    "priorities filtered": (
        "query($f: ID, $d: ID, $i: ID) { a: priorities(filter: {year: 2020, field: $f}) {"
        " totalCount } b: priorities(filter: {direction: $d}) { totalCount edges { node"
        ' { sourceLine } } } c: priorities(filter: {institution: $i, continent: "'
        + gid("Continent:north-america")
        + '"}) { totalCount } d: priorities(filter: {year: 1999}) { totalCount pageInfo'
        " { startCursor } edges { cursor } } }",
        {"f": ENERGY, "d": DIRECTION, "i": NIH},
        "compiled",
    ),
    # Root lists without arguments hold every row of their table, and so do the
    # levels of whole relations under them: those statements read the relation
    # without a list of parent keys. These reach every kind of relation from such
    # levels, and levels that are not whole under them.
    "whole levels": (
        "{ editions { year priorityCount priorities { sourceLine country { isoCode"
        " institutions { name kind aliases fieldCount fields { name } } } field { name"
        " countryCount directions { name priorities { sourceLine } countries { isoCode } } }"
        " directions { name field { name } } institutions { name countries { name } } } }"
        " fields { name directions { key: name field { name } priorityCount } priorities"
        " { continent { name } edition { year } } countries { isoCode } institutions("
        "kinds: [ORGANIZATION]) { name } } continents { name countryCount fields { name }"
        " countries { name continent { name } institutions(kinds: [ORGANIZATION, GROUP])"
        " { name country { name } priorities { sourceLine } } priorities { id directions"
        " { name } } } } directions { name priorities { sourceLine } } }",
        None,
        "compiled",
    ),
    "filtered root list under whole-looking relations": (
        "query($f: ID) { directions(field: $f) { name field { name directions { name } }"
        " priorities { country { name priorities { sourceLine } } } } sharedInstitutions"
        " { name country { name institutions { name } } } }",
        {"f": ENERGY},
        "compiled",
    ),
    "first out of range": ("{ priorities(first: 101) { totalCount } }", None, "standard"),
    "first zero": ("{ priorities(first: 0) { totalCount } }", None, "standard"),
    "malformed cursor": ('{ priorities(after: "garbage") { totalCount } }', None, "standard"),
    "cursor of another connection": (
        "query($a: String) { countries(after: $a) { totalCount } }",
        {"a": base64.b64encode(b"Institution@3").decode()},
        "standard",
    ),
    "unknown filter ID": (
        "query($c: ID) { countries(filter: {continent: $c}) { totalCount } }",
        {"c": gid("Continent:atlantis")},
        "standard",
    ),
    "variables that do not coerce": (
        "query($a: Boolean!) { continents { name @include(if: $a) } }",
        {},
        None,  # a request error of the pipeline, before either path runs
    ),
    "mentions are not planned": (
        "{ priorities(first: 2) { edges { node { mentions { text } } } } }",
        None,
        "standard",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hand_written(server_pair: ServerPair, case: str) -> None:
    query, variables, expected = CASES[case]
    answer = server_pair.compare(query, variables)
    assert answer.execution == expected, answer.body


def test_names_users_type_resolve_alike_on_both_paths(server_pair: ServerPair) -> None:
    for case in ("country by names users type", "country by every name users type"):
        query, variables, _ = CASES[case]
        answer = server_pair.compare(query, variables)
        assert answer.execution == "compiled"
        names = {
            alias: country and country["name"] for alias, country in answer.body["data"].items()
        }
        assert names == (
            {"a": "英国", "b": "美国", "c": "中国澳门", "d": "中国台湾", "e": "俄罗斯", "f": "欧盟",
             "g": "俄罗斯", "h": "美国"}
            if case == "country by names users type"
            else {"a": "美国", "b": "中国香港", "c": "中国台湾", "d": "中国台湾", "e": "中国澳门",
                  "f": "美国", "g": "英国", "h": "中国台湾"}
        )  # fmt: skip
    query, _, _ = CASES["country by conflicting code and name"]
    answer = server_pair.compare(query)
    assert [error["extensions"]["code"] for error in answer.body["errors"]] == ["BAD_USER_INPUT"]


def test_operation_name_selects_the_operation(server_pair: ServerPair) -> None:
    body = {"query": "query A { fields { name } } query B { continents { name } }"}
    answers = [
        client.post("/graphql", json={**body, "operationName": "B"}).json()
        for client in (server_pair.compiled, server_pair.standard)
    ]
    assert answers[0]["extensions"]["execution"] == "compiled"
    assert answers[0]["data"] == answers[1]["data"]
    assert list(answers[0]["data"]) == ["continents"]

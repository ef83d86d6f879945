"""Relay object identification: global IDs, ``node`` and ``nodes``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.graph.queries import (
    Row,
    curation,
    decode_id,
    encode_id,
    error_codes,
    gql,
    gql_errors,
    post,
)

#: The fields that identify an object of each type, asked of node and of the lists alike.
IDENTIFYING = """
fragment Identifying on Node {
  __typename
  id
  ... on Edition { year title }
  ... on Continent { name nameEn }
  ... on Country { name isoCode }
  ... on Field { name nameEn }
  ... on Direction { name field { name } }
  ... on Institution { name country { name } }
  ... on Priority { sourceLine sourceText country { name } }
}
"""

LISTS = (
    IDENTIFYING
    + """
query {
  editions { ...Identifying }
  continents { ...Identifying }
  fields { ...Identifying }
  directions { ...Identifying }
  countries(first: 100) { edges { node { ...Identifying } } }
}
"""
)


def paged(client: httpx.Client, connection: str) -> list[dict[str, Any]]:
    """Every node of a root connection, 100 a page."""
    query = (
        IDENTIFYING
        + f"""
        query($after: String) {{
          {connection}(first: 100, after: $after) {{
            pageInfo {{ hasNextPage endCursor }}
            edges {{ node {{ ...Identifying }} }}
          }}
        }}
        """
    )
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = gql(client, query, {"after": after})[connection]
        nodes.extend(edge["node"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def every_object(client: httpx.Client) -> list[dict[str, Any]]:
    """Every object of every Node type, as the root lists and connections give them."""
    lists = gql(client, LISTS)
    return [
        *lists["editions"],
        *lists["continents"],
        *lists["fields"],
        *lists["directions"],
        *(edge["node"] for edge in lists["countries"]["edges"]),
        *paged(client, "institutions"),
        *paged(client, "priorities"),
    ]


@pytest.fixture
def objects(http_client: httpx.Client) -> list[dict[str, Any]]:
    return every_object(http_client)


def test_every_node_type_is_listed(objects: list[dict[str, Any]]) -> None:
    assert Counter(o["__typename"] for o in objects) == {
        "Edition": 1,
        "Continent": 7,
        "Country": 44,
        "Field": 9,
        "Direction": 14,
        "Institution": 102,
        "Priority": 115,
    }
    assert len({o["id"] for o in objects}) == len(objects)


def test_every_id_resolves_through_node_to_the_same_object(
    http_client: httpx.Client, objects: list[dict[str, Any]]
) -> None:
    # 25 aliases a query: within the server's alias limit (30 by default).
    for start in range(0, len(objects), 25):
        batch = objects[start : start + 25]
        fields = "\n".join(
            f'n{n}: node(id: "{o["id"]}") {{ ...Identifying }}' for n, o in enumerate(batch)
        )
        data = gql(http_client, IDENTIFYING + f"query {{ {fields} }}")
        assert [data[f"n{n}"] for n in range(len(batch))] == batch


def test_every_id_resolves_through_nodes_in_order(
    http_client: httpx.Client, objects: list[dict[str, Any]]
) -> None:
    query = IDENTIFYING + "query($ids: [ID!]!) { nodes(ids: $ids) { ...Identifying } }"
    reversed_objects = objects[::-1]
    # 100 IDs a request: the server's limit on list arguments.
    for start in range(0, len(objects), 100):
        batch = objects[start : start + 100]
        ids = [o["id"] for o in batch]
        assert gql(http_client, query, {"ids": ids})["nodes"] == batch
        batch = reversed_objects[start : start + 100]
        ids = [o["id"] for o in batch]
        assert gql(http_client, query, {"ids": ids})["nodes"] == batch


def test_nodes_keeps_order_and_gives_null_for_unknown_ids(http_client: httpx.Client) -> None:
    query = """
        query($ids: [ID!]!) { nodes(ids: $ids) {
            __typename ... on Country { name } ... on Field { name } ... on Edition { year } } }
    """
    ids = [
        encode_id("Field:energy"),
        encode_id("Country:XX"),
        encode_id("Country:JP"),
        encode_id("Edition:1999"),
        encode_id("Edition:2020"),
        encode_id("Country:JP"),
    ]
    assert gql(http_client, query, {"ids": ids})["nodes"] == [
        {"__typename": "Field", "name": "能源领域"},
        None,
        {"__typename": "Country", "name": "日本"},
        None,
        {"__typename": "Edition", "year": 2020},
        {"__typename": "Country", "name": "日本"},
    ]


def test_nodes_of_no_ids_is_empty(http_client: httpx.Client) -> None:
    assert gql(http_client, "{ nodes(ids: []) { id } }") == {"nodes": []}


# ---------------------------------------------------------------------------------------
# Stable IDs: natural keys, never row numbers


def test_the_id_of_japan_is_base64_of_its_iso_code(http_client: httpx.Client) -> None:
    japan = gql(http_client, '{ country(isoCode: "JP") { id } }')["country"]
    assert decode_id(japan["id"]) == "Country:JP"
    assert japan["id"] == "Q291bnRyeTpKUA=="


def test_ids_name_natural_keys(objects: list[dict[str, Any]], rows: list[Row]) -> None:
    iso = {o["name"]: o["isoCode"] for o in objects if o["__typename"] == "Country"}
    field_keys = {row["name"]: row["key"] for row in curation("fields")}
    per_pair: Counter[tuple[str, str]] = Counter()
    priority_keys = {}
    for row in rows:
        per_pair[row.country, row.field] += 1
        priority_keys[row.source_line] = (
            f"2020.{iso[row.country].lower()}.{field_keys[row.field]}.{per_pair[row.country, row.field]}"
        )
    expected_keys: dict[str, Callable[[dict[str, Any]], str]] = {
        "Edition": lambda o: str(o["year"]),
        "Continent": lambda o: {r["name"]: r["key"] for r in curation("continents")}[o["name"]],
        "Country": lambda o: o["isoCode"],
        "Field": lambda o: field_keys[o["name"]],
        "Direction": lambda o: (
            f"{field_keys[o['field']['name']]}."
            + {(r["field"], r["name"]): r["key"] for r in curation("directions")}[
                o["field"]["name"], o["name"]
            ]
        ),
        "Priority": lambda o: priority_keys[o["sourceLine"]],
    }
    for o in objects:
        type_name, _, key = decode_id(o["id"]).partition(":")
        assert type_name == o["__typename"]
        if type_name == "Institution":
            assert key.startswith(f"{iso[o['country']['name']].lower()}."), key
        else:
            assert key == expected_keys[type_name](o), o


@pytest.mark.parametrize(
    ("decoded", "typename", "name"),
    [
        ("Continent:latin-america", "Continent", "拉丁美洲"),
        ("Field:ocean", "Field", "海洋领域"),
        ("Direction:life-health.biodiversity", "Direction", "生物多样性"),
        ("Country:HK", "Country", "中国香港"),
        ("Institution:us.doe", "Institution", "美国能源部"),
    ],
)
def test_a_saved_id_keeps_resolving(
    http_client: httpx.Client, decoded: str, typename: str, name: str
) -> None:
    query = """
        query($id: ID!) { node(id: $id) { __typename id
            ... on Continent { name } ... on Field { name } ... on Direction { name }
            ... on Country { name } ... on Institution { name } } }
    """
    node = gql(http_client, query, {"id": encode_id(decoded)})["node"]
    assert node == {"__typename": typename, "id": encode_id(decoded), "name": name}


def test_a_priority_id_names_its_country_field_and_ordinal(http_client: httpx.Client) -> None:
    query = 'query { node(id: "%s") { ... on Priority { sourceLine sourceText } } }'
    node = gql(http_client, query % encode_id("Priority:2020.us.energy.1"))["node"]
    assert node == {"sourceLine": 217, "sourceText": "美国能源部（DOE）、top50大学"}
    node = gql(http_client, query % encode_id("Priority:2020.cl.optoelectronics-space.1"))["node"]
    assert node["sourceLine"] == 366


# ---------------------------------------------------------------------------------------
# Unknown and malformed IDs

NODE = "query($id: ID!) { node(id: $id) { id } }"


@pytest.mark.parametrize(
    "decoded",
    [
        "Country:XX",
        "Continent:atlantis",
        "Field:cooking",
        "Direction:energy.coal",
        "Institution:jp.nobody",
        "Priority:2020.jp.energy.9",
        "Edition:1999",
        "Edition:twenty",
        "Spaceship:enterprise",
    ],
)
def test_an_unknown_well_formed_id_is_null(http_client: httpx.Client, decoded: str) -> None:
    assert gql(http_client, NODE, {"id": encode_id(decoded)}) == {"node": None}


@pytest.mark.parametrize(
    "value",
    [
        "hello",
        "!!!",
        "Country:JP",
        "////",
        "",
        encode_id("Country"),
        encode_id("Country:"),
        encode_id(":JP"),
    ],
)
def test_a_malformed_id_is_bad_user_input(http_client: httpx.Client, value: str) -> None:
    result = post(http_client, NODE, {"id": value})
    assert result["data"] == {"node": None}
    assert error_codes(result["errors"]) == ["BAD_USER_INPUT"]
    assert result["errors"][0]["path"] == ["node"]


def test_nodes_with_a_malformed_id_is_bad_user_input(http_client: httpx.Client) -> None:
    errors = gql_errors(
        http_client,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [encode_id("Country:JP"), "not an id"]},
    )
    assert error_codes(errors) == ["BAD_USER_INPUT"]

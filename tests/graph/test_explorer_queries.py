"""The explorer's queries (web/src/explorer/views/*.graphql) against the API, on both backends.

The explorer sends each view's file verbatim, so these tests pin what each view gets
from the document without a browser; bench/explorer_views.py times the same files.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.graph.queries import Row, encode_id, gql
from tests.seed.facts import ENTITY_COUNTS

VIEWS = Path(__file__).resolve().parents[2] / "web" / "src" / "explorer" / "views"


def view_query(name: str) -> str:
    return (VIEWS / f"{name}.graphql").read_text(encoding="utf-8")


def run(client: httpx.Client, name: str, variables: dict[str, Any] | None = None) -> Any:
    return gql(client, view_query(name), variables)


def test_every_view_has_one_named_operation() -> None:
    files = sorted(VIEWS.glob("*.graphql"))
    assert [file.stem for file in files] == [
        "country", "crossref", "institution", "map", "overview", "priorities", "search",
    ]  # fmt: skip
    for file in files:
        assert file.read_text(encoding="utf-8").count("\nquery Explorer") == 1


def test_overview_cells_add_up_to_the_document(http_client: httpx.Client, rows: list[Row]) -> None:
    data = run(http_client, "overview")
    field_names = {item["field"]["id"]: item["field"]["name"] for item in data["totalsByField"]}
    continent_names = {
        item["continent"]["id"]: item["continent"]["name"] for item in data["totalsByContinent"]
    }
    cells = {
        (field_names[cell["field"]["id"]], continent_names[cell["continent"]["id"]]): cell[
            "priorityCount"
        ]
        for cell in data["totalsByFieldAndContinent"]
    }
    assert cells == dict(Counter((row.field, row.continent) for row in rows))


def test_priorities_of_a_cell_carry_their_document_lines(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    data = run(
        http_client,
        "priorities",
        {
            "filter": {
                "field": encode_id("Field:energy"),
                "continent": encode_id("Continent:europe"),
            }
        },
    )
    expected = [row for row in rows if row.field == "能源领域" and row.continent == "欧洲"]
    nodes = [edge["node"] for edge in data["priorities"]["edges"]]
    assert data["priorities"]["totalCount"] == len(expected)
    assert [(node["sourceLine"], node["country"]["name"]) for node in nodes] == [
        (row.source_line, row.country) for row in expected
    ]


def test_map_lists_every_country_with_its_priorities(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    data = run(http_client, "map")
    countries = {
        country["name"]: country["priorityCount"]
        for continent in data["continents"]
        for country in continent["countries"]
    }
    assert len(countries) == ENTITY_COUNTS["countries"]
    assert countries == dict(Counter(row.country for row in rows))


def test_country_page_of_australia(http_client: httpx.Client, rows: list[Row]) -> None:
    country = run(http_client, "country", {"isoCode": "AU"})["country"]
    australia = [row for row in rows if row.country == "澳大利亚"]
    assert country["priorityCount"] == len(australia)
    assert [(p["sourceLine"], p["sourceText"]) for p in country["priorities"]] == [
        (row.source_line, row.source_text) for row in australia
    ]
    field_counts = {item["name"]: item["fieldCount"] for item in country["institutions"]}
    assert field_counts["G8大学"] == 8


def test_institution_page_of_g8(http_client: httpx.Client) -> None:
    node = run(http_client, "institution", {"id": encode_id("Institution:au.go8")})["node"]
    assert node["name"] == "G8大学"
    assert node["aliases"] == ["澳大利亚G8大学", "G8大学"]
    assert len(node["fields"]) == 8
    others = {other["name"] for field in node["fields"] for other in field["institutions"]} - {
        "G8大学"
    }
    assert {"联邦科工组织", "澳大利亚核科学与技术组织", "top50大学"} <= others


def test_cross_reference_and_search(http_client: httpx.Client) -> None:
    shared = run(http_client, "crossref", {"minFields": 2, "kinds": ["ORGANIZATION", "GROUP"]})
    first = shared["sharedInstitutions"][0]
    assert (first["name"], first["kind"], len(first["fields"])) == ("G8大学", "GROUP", 8)
    assert len(shared["fields"]) == ENTITY_COUNTS["fields"]

    hits = run(http_client, "search", {"text": "rb"})["search"]
    assert (hits[0]["result"]["name"], hits[0]["matchedBy"], hits[0]["match"]) == (
        "日本",
        "INITIALS",
        "EXACT",
    )


@pytest.mark.parametrize("name", ["country", "institution"])
def test_unknown_keys_answer_null_not_errors(http_client: httpx.Client, name: str) -> None:
    variables = {"isoCode": "ZZ"} if name == "country" else {"id": encode_id("Institution:zz.x")}
    data = run(http_client, name, variables)
    assert next(iter(data.values())) is None

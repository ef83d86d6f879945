"""Counts: the totals for charts and the ``…Count`` fields of each type."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx

from tests.graph.queries import Row, expected_mentions, gql, ordered_unique
from tests.seed.facts import ROWS_PER_FIELD

CONTINENTS = {
    "亚洲": (6, 28),
    "非洲": (2, 4),
    "美洲": (2, 11),
    "大洋洲": (2, 10),
    "拉丁美洲": (12, 17),
    "欧洲": (17, 30),
    "港澳台": (3, 15),
}  # countries, priorities

TOTALS = "countryCount priorityCount institutionCount continent { name } field { name }"


def totals_of(rows: list[Row]) -> dict[str, int]:
    """Countries, priorities and distinct institutions of some rows."""
    return {
        "countryCount": len({row.country for row in rows}),
        "priorityCount": len(rows),
        "institutionCount": len({m.institution for row in rows for m in expected_mentions(row)}),
    }


def counts(cell: dict[str, Any]) -> dict[str, int]:
    return {key: cell[key] for key in ("countryCount", "priorityCount", "institutionCount")}


# ---------------------------------------------------------------------------------------
# totalsByContinent, totalsByField, totalsByFieldAndContinent


def test_totals_by_continent(http_client: httpx.Client, rows: list[Row]) -> None:
    totals = gql(http_client, f"{{ totalsByContinent {{ {TOTALS} }} }}")["totalsByContinent"]
    assert [t["continent"]["name"] for t in totals] == list(CONTINENTS)
    assert all(t["field"] is None for t in totals)
    assert {t["continent"]["name"]: (t["countryCount"], t["priorityCount"]) for t in totals} == (
        CONTINENTS
    )
    for total in totals:
        name = total["continent"]["name"]
        assert counts(total) == totals_of([row for row in rows if row.continent == name]), name


def test_totals_by_field(http_client: httpx.Client, rows: list[Row]) -> None:
    totals = gql(http_client, f"{{ totalsByField {{ {TOTALS} }} }}")["totalsByField"]
    assert [t["field"]["name"] for t in totals] == ordered_unique(row.field for row in rows)
    assert all(t["continent"] is None for t in totals)
    assert {t["field"]["name"]: t["priorityCount"] for t in totals} == ROWS_PER_FIELD
    for total in totals:
        name = total["field"]["name"]
        assert counts(total) == totals_of([row for row in rows if row.field == name]), name


def test_totals_by_field_and_continent(http_client: httpx.Client, rows: list[Row]) -> None:
    cells = gql(http_client, f"{{ totalsByFieldAndContinent {{ {TOTALS} }} }}")[
        "totalsByFieldAndContinent"
    ]
    assert sum(cell["priorityCount"] for cell in cells) == 115
    pairs = Counter((row.field, row.continent) for row in rows)
    found = {(cell["field"]["name"], cell["continent"]["name"]): cell for cell in cells}
    assert len(found) == len(cells), "one cell per pair"
    assert set(found) == set(pairs), "exactly the pairs that have priorities"
    for (field, continent), cell in found.items():
        in_cell = [row for row in rows if (row.field, row.continent) == (field, continent)]
        assert counts(cell) == totals_of(in_cell), (field, continent)


def test_a_heatmap_cell(http_client: httpx.Client) -> None:
    cells = gql(http_client, f"{{ totalsByFieldAndContinent {{ {TOTALS} }} }}")[
        "totalsByFieldAndContinent"
    ]
    (cell,) = [
        c
        for c in cells
        if (c["field"]["name"], c["continent"]["name"]) == ("生命与健康领域", "拉丁美洲")
    ]
    # 巴西, 阿根廷, 古巴, 墨西哥 ×2, 哥伦比亚, 秘鲁, 玻利维亚, 哥斯达黎加, 厄瓜多尔, 乌拉圭
    assert (cell["countryCount"], cell["priorityCount"]) == (10, 11)


# ---------------------------------------------------------------------------------------
# The …Count fields


def test_edition_counts_its_priorities(http_client: httpx.Client) -> None:
    data = gql(
        http_client,
        "{ editions { year title priorityCount priorities { sourceLine } }"
        " edition(year: 2020) { priorityCount } none: edition(year: 2019) { year } }",
    )
    (edition,) = data["editions"]
    assert (edition["year"], edition["title"]) == (2020, "2020年度对外合作重点项目资助重点")
    assert edition["priorityCount"] == len(edition["priorities"]) == 115
    assert data["edition"]["priorityCount"] == 115
    assert data["none"] is None


def test_continent_counts(http_client: httpx.Client, rows: list[Row]) -> None:
    continents = gql(
        http_client, "{ continents { name countryCount countries { name } fields { name } } }"
    )["continents"]
    field_order = ordered_unique(row.field for row in rows)
    for continent in continents:
        in_continent = [row for row in rows if row.continent == continent["name"]]
        assert continent["countryCount"] == CONTINENTS[continent["name"]][0]
        assert [c["name"] for c in continent["countries"]] == ordered_unique(
            row.country for row in in_continent
        )
        own = {row.field for row in in_continent}
        assert [f["name"] for f in continent["fields"]] == [f for f in field_order if f in own]


def test_field_counts(http_client: httpx.Client, rows: list[Row]) -> None:
    fields = gql(
        http_client,
        "{ fields { name priorityCount countryCount countries { name }"
        " priorities { sourceLine } } }",
    )["fields"]
    country_order = ordered_unique(row.country for row in rows)
    for field in fields:
        in_field = [row for row in rows if row.field == field["name"]]
        assert field["priorityCount"] == ROWS_PER_FIELD[field["name"]] == len(in_field)
        assert [p["sourceLine"] for p in field["priorities"]] == [r.source_line for r in in_field]
        countries = {row.country for row in in_field}
        assert field["countryCount"] == len(countries) == len(field["countries"])
        assert [c["name"] for c in field["countries"]] == [
            c for c in country_order if c in countries
        ]


def test_country_counts(http_client: httpx.Client, rows: list[Row]) -> None:
    data = gql(
        http_client,
        "{ countries(first: 100) { edges { node { name priorityCount"
        " priorities { sourceLine } fields { name } } } } }",
    )
    per_country = Counter(row.country for row in rows)
    field_order = ordered_unique(row.field for row in rows)
    nodes = [edge["node"] for edge in data["countries"]["edges"]]
    assert {n["name"]: n["priorityCount"] for n in nodes} == per_country
    for node in nodes:
        lines = [p["sourceLine"] for p in node["priorities"]]
        assert lines == [row.source_line for row in rows if row.country == node["name"]]
        assert lines == sorted(lines), "document order"
        assert len(lines) == node["priorityCount"]
        own = {row.field for row in rows if row.country == node["name"]}
        assert [f["name"] for f in node["fields"]] == [f for f in field_order if f in own]


def test_direction_counts(http_client: httpx.Client, rows: list[Row]) -> None:
    directions = gql(
        http_client,
        "{ directions { name priorityCount field { name } countries { name }"
        " priorities { sourceLine } } }",
    )["directions"]
    assert [d["name"] for d in directions] == ordered_unique(
        d for row in rows for d in row.directions
    )
    country_order = ordered_unique(row.country for row in rows)
    for direction in directions:
        naming = [row for row in rows if direction["name"] in row.directions]
        assert direction["priorityCount"] == len(naming) == len(direction["priorities"])
        assert [p["sourceLine"] for p in direction["priorities"]] == [r.source_line for r in naming]
        assert {row.field for row in naming} == {direction["field"]["name"]}
        countries = {row.country for row in naming}
        assert [c["name"] for c in direction["countries"]] == [
            c for c in country_order if c in countries
        ]
    biodiversity = next(d for d in directions if d["name"] == "生物多样性")
    assert biodiversity["priorityCount"] == 6


def test_institution_counts(http_client: httpx.Client, rows: list[Row]) -> None:
    query = """
        query($after: String) { institutions(first: 100, after: $after) {
            pageInfo { endCursor hasNextPage }
            edges { node {
                name priorityCount country { name } countries { name } priorities { sourceLine }
            } } } }
    """
    first = gql(http_client, query)["institutions"]
    rest = gql(http_client, query, {"after": first["pageInfo"]["endCursor"]})["institutions"]
    nodes = [edge["node"] for edge in first["edges"] + rest["edges"]]
    assert len(nodes) == 102
    naming: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        for mention in expected_mentions(row):
            key = (mention.institution.country, mention.institution.name)
            naming.setdefault(key, []).append(row.source_line)
    for node in nodes:
        lines = naming[node["country"]["name"], node["name"]]
        assert node["priorityCount"] == len(lines), node["name"]
        assert [p["sourceLine"] for p in node["priorities"]] == lines
        assert node["countries"] == [node["country"]]
    g8 = next(n for n in nodes if n["name"] == "G8大学")
    assert g8["priorityCount"] == 8

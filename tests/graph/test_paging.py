"""The paged root connections: page sizes, cursors, pageInfo, totalCount and filters."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.graph.queries import (
    Row,
    curation,
    encode_id,
    error_codes,
    gql,
    gql_errors,
    ordered_unique,
)

CONNECTIONS = {"countries": 44, "institutions": 102, "priorities": 115}


def page(
    client: httpx.Client, connection: str, node: str = "id", **arguments: object
) -> dict[str, Any]:
    """One page of a connection; arguments are passed as GraphQL variables."""
    types = {"first": "Int", "after": "String"}
    filter_type = {
        "countries": "CountryFilter",
        "institutions": "InstitutionFilter",
        "priorities": "PriorityFilter",
    }[connection]
    types["filter"] = filter_type
    declared = ", ".join(f"${name}: {types[name]}" for name in arguments)
    passed = ", ".join(f"{name}: ${name}" for name in arguments)
    query = f"""
        query{f"({declared})" if declared else ""} {{
          {connection}{f"({passed})" if passed else ""} {{
            totalCount
            pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
            edges {{ cursor node {{ {node} }} }}
          }}
        }}
    """
    page: dict[str, Any] = gql(client, query, dict(arguments))[connection]
    return page


def every_node(
    client: httpx.Client, connection: str, node: str = "id", **arguments: object
) -> list[Any]:
    """Every node of a filtered connection, paging 100 at a time."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        current = page(client, connection, node, first=100, after=after, **arguments)
        nodes.extend(edge["node"] for edge in current["edges"])
        if not current["pageInfo"]["hasNextPage"]:
            assert current["totalCount"] == len(nodes)
            return nodes
        after = current["pageInfo"]["endCursor"]


# ---------------------------------------------------------------------------------------
# Page size


@pytest.mark.parametrize("connection", CONNECTIONS)
@pytest.mark.parametrize("first", [0, 101, -1, 1000])
def test_a_page_size_outside_1_to_100_is_refused(
    http_client: httpx.Client, connection: str, first: int
) -> None:
    errors = gql_errors(
        http_client,
        f"query($first: Int) {{ {connection}(first: $first) {{ totalCount }} }}",
        {"first": first},
    )
    assert error_codes(errors) == ["BAD_USER_INPUT"]
    message = errors[0]["message"]
    assert re.search(r"\b1\b", message), message
    assert re.search(r"\b100\b", message), message


@pytest.mark.parametrize("connection", CONNECTIONS)
def test_a_page_of_100_is_accepted(http_client: httpx.Client, connection: str) -> None:
    current = page(http_client, connection, first=100)
    assert len(current["edges"]) == min(100, CONNECTIONS[connection])
    assert current["pageInfo"]["hasNextPage"] is (CONNECTIONS[connection] > 100)


@pytest.mark.parametrize("connection", CONNECTIONS)
def test_the_default_page_size_is_50(http_client: httpx.Client, connection: str) -> None:
    assert len(page(http_client, connection)["edges"]) == min(50, CONNECTIONS[connection])
    assert len(page(http_client, connection, first=None)["edges"]) == min(
        50, CONNECTIONS[connection]
    )


@pytest.mark.parametrize("connection", CONNECTIONS)
@pytest.mark.parametrize("first", [1, 7, 50, 100])
def test_total_count_does_not_depend_on_the_page_size(
    http_client: httpx.Client, connection: str, first: int
) -> None:
    current = page(http_client, connection, first=first)
    assert current["totalCount"] == CONNECTIONS[connection]
    assert len(current["edges"]) == min(first, CONNECTIONS[connection])


# ---------------------------------------------------------------------------------------
# Cursors and pageInfo


def test_page_info_of_the_first_page(http_client: httpx.Client) -> None:
    current = page(http_client, "priorities", first=10)
    info = current["pageInfo"]
    assert info["hasNextPage"] is True
    assert info["hasPreviousPage"] is False
    assert info["startCursor"] == current["edges"][0]["cursor"]
    assert info["endCursor"] == current["edges"][-1]["cursor"]


def test_page_info_of_the_next_and_the_last_page(http_client: httpx.Client) -> None:
    first = page(http_client, "priorities", first=100)
    rest = page(http_client, "priorities", first=100, after=first["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == 15
    info = rest["pageInfo"]
    assert info["hasNextPage"] is False
    assert info["hasPreviousPage"] is True
    assert info["startCursor"] == rest["edges"][0]["cursor"]
    assert info["endCursor"] == rest["edges"][-1]["cursor"]
    assert rest["totalCount"] == 115


def test_a_page_that_ends_exactly_at_the_last_row_has_no_next_page(
    http_client: httpx.Client,
) -> None:
    current = page(http_client, "countries", first=44)
    assert len(current["edges"]) == 44
    assert current["pageInfo"]["hasNextPage"] is False
    assert page(http_client, "countries", first=43)["pageInfo"]["hasNextPage"] is True


def test_a_page_after_the_last_row_is_empty(http_client: httpx.Client) -> None:
    last = page(http_client, "countries", first=100)["pageInfo"]["endCursor"]
    empty = page(http_client, "countries", first=10, after=last)
    assert empty["edges"] == []
    assert empty["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }
    assert empty["totalCount"] == 44


@pytest.mark.parametrize("connection", CONNECTIONS)
def test_small_pages_visit_every_row_once_in_order(
    http_client: httpx.Client, connection: str
) -> None:
    whole = [node["id"] for node in every_node(http_client, connection)]
    paged: list[str] = []
    after = None
    for _ in range(100):
        current = page(http_client, connection, first=7, after=after)
        paged.extend(edge["node"]["id"] for edge in current["edges"])
        if not current["pageInfo"]["hasNextPage"]:
            break
        after = current["pageInfo"]["endCursor"]
    assert paged == whole
    assert len(paged) == CONNECTIONS[connection]


def test_small_pages_of_a_filtered_connection(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row]
) -> None:
    filter = {"field": ids["生命与健康领域"]}
    lines: list[int] = []
    after = None
    for _ in range(10):
        current = page(http_client, "priorities", "sourceLine", first=5, after=after, filter=filter)
        assert current["totalCount"] == 28
        lines.extend(edge["node"]["sourceLine"] for edge in current["edges"])
        if not current["pageInfo"]["hasNextPage"]:
            break
        after = current["pageInfo"]["endCursor"]
    assert lines == [row.source_line for row in rows if row.field == "生命与健康领域"]


def test_every_priority_carries_its_source_line_and_text(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    nodes = every_node(
        http_client,
        "priorities",
        "sourceLine sourceText directionsText country { name } field { name }",
    )
    assert [n["sourceLine"] for n in nodes] == [row.source_line for row in rows]
    assert [n["sourceText"] for n in nodes] == [row.source_text for row in rows]
    assert [n["directionsText"] for n in nodes] == [row.directions_text for row in rows]
    assert [(n["country"]["name"], n["field"]["name"]) for n in nodes] == [
        (row.country, row.field) for row in rows
    ]


@pytest.mark.parametrize(
    ("line", "text"),
    [(17, "国立研究机构、大学"), (223, "国家标准技术研究院（NIST)、DOE、top50大学")],
)
def test_source_lines_point_into_the_document(
    http_client: httpx.Client, document_lines: list[str], line: int, text: str
) -> None:
    nodes = every_node(http_client, "priorities", "sourceLine sourceText")
    (found,) = [n for n in nodes if n["sourceLine"] == line]
    assert found["sourceText"] == text == document_lines[line - 1].removeprefix("\t")


@pytest.mark.parametrize(
    ("source", "target"),
    [("countries", "institutions"), ("institutions", "priorities"), ("priorities", "countries")],
)
def test_a_cursor_of_another_connection_is_refused(
    http_client: httpx.Client, source: str, target: str
) -> None:
    cursor = page(http_client, source, first=3)["pageInfo"]["endCursor"]
    errors = gql_errors(
        http_client,
        f"query($after: String) {{ {target}(after: $after) {{ totalCount }} }}",
        {"after": cursor},
    )
    assert error_codes(errors) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "cursor", ["garbage", "!!!", encode_id("Country@-1"), encode_id("Country@x")]
)
def test_a_malformed_cursor_is_refused(http_client: httpx.Client, cursor: str) -> None:
    errors = gql_errors(
        http_client,
        "query($after: String) { countries(after: $after) { totalCount } }",
        {"after": cursor},
    )
    assert error_codes(errors) == ["BAD_USER_INPUT"]


# ---------------------------------------------------------------------------------------
# Country filters


@pytest.fixture
def ids(http_client: httpx.Client) -> dict[str, str]:
    """The IDs of every continent, field, direction and country, by Chinese name."""
    data = gql(
        http_client,
        "{ continents { id name } fields { id name } directions { id name }"
        " countries(first: 100) { edges { node { id name } } } }",
    )
    found = {
        o["name"]: o["id"] for key in ("continents", "fields", "directions") for o in data[key]
    }
    found.update({e["node"]["name"]: e["node"]["id"] for e in data["countries"]["edges"]})
    return found


def country_names(client: httpx.Client, filter: dict[str, Any]) -> list[str]:
    return [n["name"] for n in every_node(client, "countries", "name", filter=filter)]


@pytest.mark.parametrize(
    ("continent", "count"),
    [
        ("亚洲", 6),
        ("非洲", 2),
        ("美洲", 2),
        ("大洋洲", 2),
        ("拉丁美洲", 12),
        ("欧洲", 17),
        ("港澳台", 3),
    ],
)
def test_countries_of_a_continent(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row], continent: str, count: int
) -> None:
    expected = ordered_unique(row.country for row in rows if row.continent == continent)
    assert len(expected) == count
    assert country_names(http_client, {"continent": ids[continent]}) == expected


def test_countries_with_a_priority_in_a_field(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row]
) -> None:
    order = ordered_unique(row.country for row in rows)
    for field in ordered_unique(row.field for row in rows):
        in_field = {row.country for row in rows if row.field == field}
        assert country_names(http_client, {"field": ids[field]}) == [
            c for c in order if c in in_field
        ], field
    assert country_names(http_client, {"field": ids["重大科技基础设施平台"]}) == ["日本"]


def test_countries_of_a_continent_and_a_field(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row]
) -> None:
    wanted = {
        row.country for row in rows if row.continent == "欧洲" and row.field == "先进材料领域"
    }
    # Countries keep their own order (of first appearance), not the field's.
    expected = [c for c in ordered_unique(row.country for row in rows) if c in wanted]
    assert expected == ["葡萄牙", "白俄罗斯", "乌克兰", "保加利亚"]
    assert (
        country_names(http_client, {"continent": ids["欧洲"], "field": ids["先进材料领域"]})
        == expected
    )


@pytest.mark.parametrize("text", ["land", "LAND", "an", "ia", "K", "日", "中国", "us"])
def test_countries_whose_names_contain(http_client: httpx.Client, text: str) -> None:
    every = every_node(http_client, "countries", "name nameEn isoCode")
    expected = [
        c["name"]
        for c in every
        if any(text.casefold() in (value or "").casefold() for value in c.values())
    ]
    assert expected, "choose a text that matches something"
    assert country_names(http_client, {"nameContains": text}) == expected


def test_countries_containing_land_are_new_zealand(http_client: httpx.Client) -> None:
    assert country_names(http_client, {"nameContains": "land"}) == ["新西兰"]


@pytest.mark.parametrize("text", ["%", "_", "%an", "J_", "\\"])
def test_a_like_wildcard_matches_itself_only(http_client: httpx.Client, text: str) -> None:
    assert country_names(http_client, {"nameContains": text}) == []
    assert every_node(http_client, "institutions", filter={"nameContains": text}) == []


def test_a_filter_id_of_the_wrong_type_is_bad_user_input(
    http_client: httpx.Client, ids: dict[str, str]
) -> None:
    errors = gql_errors(
        http_client,
        "query($f: CountryFilter) { countries(filter: $f) { totalCount } }",
        {"f": {"continent": ids["能源领域"]}},
    )
    assert error_codes(errors) == ["BAD_USER_INPUT"]


def test_a_filter_id_that_names_nothing_is_an_error(http_client: httpx.Client) -> None:
    errors = gql_errors(
        http_client,
        "query($f: PriorityFilter) { priorities(filter: $f) { totalCount } }",
        {"f": {"country": encode_id("Country:XX")}},
    )
    assert error_codes(errors) == ["NOT_FOUND"]


# ---------------------------------------------------------------------------------------
# Institution filters


def institutions(client: httpx.Client, filter: dict[str, Any]) -> list[dict[str, Any]]:
    return every_node(
        client, "institutions", "name kind fieldCount country { name }", filter=filter
    )


@pytest.mark.parametrize(
    "kinds", [["ORGANIZATION"], ["GROUP"], ["CATEGORY"], ["GROUP", "CATEGORY"]]
)
def test_institutions_of_kinds(http_client: httpx.Client, kinds: list[str]) -> None:
    expected = {(r["country"], r["name"]) for r in curation("institutions") if r["kind"] in kinds}
    found = institutions(http_client, {"kinds": kinds})
    assert {i["kind"] for i in found} == set(kinds)
    assert {(i["country"]["name"], i["name"]) for i in found} == expected
    assert len(found) == len(expected)


def test_institutions_of_a_country(http_client: httpx.Client, ids: dict[str, str]) -> None:
    assert [i["name"] for i in institutions(http_client, {"country": ids["日本"]})] == [
        "国立研究机构",
        "大学",
        "企业",
    ]
    found = institutions(http_client, {"country": ids["美国"], "kinds": ["ORGANIZATION"]})
    assert {i["name"] for i in found} == {
        r["name"]
        for r in curation("institutions")
        if r["country"] == "美国" and r["kind"] == "ORGANIZATION"
    }


def test_institutions_of_a_field(http_client: httpx.Client, ids: dict[str, str]) -> None:
    found = institutions(http_client, {"field": ids["重大科技基础设施平台"]})
    assert [(i["country"]["name"], i["name"]) for i in found] == [
        ("日本", "国立研究机构"),
        ("日本", "大学"),
    ]
    ocean = {i["name"] for i in institutions(http_client, {"field": ids["海洋领域"]})}
    assert {"国家大气海洋局", "斯克里普斯海洋研究所", "G8大学", "葡萄牙亚速尔大学"} <= ocean
    assert "美国能源部" not in ocean


@pytest.mark.parametrize("least", [1, 2, 3, 5, 8, 9])
def test_institutions_with_a_least_field_count(http_client: httpx.Client, least: int) -> None:
    every = institutions(http_client, {})
    found = institutions(http_client, {"minFieldCount": least})
    assert found == [i for i in every if i["fieldCount"] >= least]
    if least == 8:
        assert [i["name"] for i in found] == ["G8大学"]


@pytest.mark.parametrize("text", ["大学", "NOAA", "noaa", "university", "Academy", "科学院"])
def test_institutions_whose_names_contain(http_client: httpx.Client, text: str) -> None:
    expected = {
        (r["country"], r["name"])
        for r in curation("institutions")
        if any(text.casefold() in r[key].casefold() for key in ("name", "name_en", "acronym"))
    }
    assert expected
    found = institutions(http_client, {"nameContains": text})
    assert {(i["country"]["name"], i["name"]) for i in found} == expected


# ---------------------------------------------------------------------------------------
# Priority filters


def source_lines(client: httpx.Client, filter: dict[str, Any]) -> list[int]:
    return [n["sourceLine"] for n in every_node(client, "priorities", "sourceLine", filter=filter)]


def test_priorities_of_a_year(http_client: httpx.Client, rows: list[Row]) -> None:
    assert source_lines(http_client, {"year": 2020}) == [row.source_line for row in rows]
    assert source_lines(http_client, {"year": 2019}) == []


def test_priorities_of_each_continent(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row]
) -> None:
    counts = {}
    for continent in ordered_unique(row.continent for row in rows):
        lines = source_lines(http_client, {"continent": ids[continent]})
        assert lines == [row.source_line for row in rows if row.continent == continent]
        counts[continent] = len(lines)
    assert counts == {
        "亚洲": 28, "非洲": 4, "美洲": 11, "大洋洲": 10, "拉丁美洲": 17, "欧洲": 30, "港澳台": 15,
    }  # fmt: skip


def test_priorities_of_each_country_are_in_document_order(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row]
) -> None:
    for country in ordered_unique(row.country for row in rows):
        lines = source_lines(http_client, {"country": ids[country]})
        assert lines == [row.source_line for row in rows if row.country == country]
        assert lines == sorted(lines)


def test_priorities_of_each_field(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row]
) -> None:
    counts = Counter(row.field for row in rows)
    for field, count in counts.items():
        lines = source_lines(http_client, {"field": ids[field]})
        assert lines == [row.source_line for row in rows if row.field == field]
        assert len(lines) == count


def test_priorities_of_each_direction(
    http_client: httpx.Client, ids: dict[str, str], rows: list[Row]
) -> None:
    for direction in ordered_unique(d for row in rows for d in row.directions):
        lines = source_lines(http_client, {"direction": ids[direction]})
        assert lines == [row.source_line for row in rows if direction in row.directions]
    biodiversity = source_lines(http_client, {"direction": ids["生物多样性"]})
    assert biodiversity == [390, 402, 408, 414, 420, 426]


def test_priorities_of_a_country_and_a_field(
    http_client: httpx.Client, ids: dict[str, str]
) -> None:
    assert source_lines(
        http_client, {"country": ids["墨西哥"], "field": ids["生命与健康领域"]}
    ) == [
        390,
        396,
    ]
    assert source_lines(http_client, {"country": ids["日本"], "field": ids["海洋领域"]}) == []


def test_priorities_naming_an_institution(http_client: httpx.Client, rows: list[Row]) -> None:
    query = """
        query($name: String) { institutions(first: 100, filter: { nameContains: $name }) {
            edges { node { id name country { name } } } } }
    """
    by_name = {
        (e["node"]["country"]["name"], e["node"]["name"]): e["node"]["id"]
        for text in ("大学", "研究", "企业")
        for e in gql(http_client, query, {"name": text})["institutions"]["edges"]
    }
    assert source_lines(http_client, {"institution": by_name["澳大利亚", "G8大学"]}) == [
        row.source_line for row in rows if row.country == "澳大利亚"
    ]
    assert source_lines(http_client, {"institution": by_name["日本", "国立研究机构"]}) == [
        row.source_line for row in rows if row.country == "日本"
    ]
    assert source_lines(http_client, {"institution": by_name["日本", "企业"]}) == [23, 29, 41, 53]
    assert source_lines(http_client, {"institution": by_name["中国台湾", "台湾大学"]}) == [
        693,
        699,
        705,
        711,
    ]

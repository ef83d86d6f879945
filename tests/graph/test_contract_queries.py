"""The contract queries of graph/contract/queries, run as written, checked against the document.

What the API should answer is derived here from the document's text and the curated
tables (seed/curation), not from the seeding code: the expected institutions of a
row come from a small resolver of the tests' own.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx
import pytest

from tests.graph.queries import (
    Curated,
    Row,
    contract_query,
    curation,
    error_codes,
    expected_mentions,
    fields_of_institutions,
    gql,
    gql_errors,
    ordered_unique,
)


def rows_of(rows: list[Row], country: str) -> list[Row]:
    return [row for row in rows if row.country == country]


def test_the_tests_read_the_document_as_described(rows: list[Row]) -> None:
    assert len(rows) == 115
    assert len({row.country for row in rows}) == 44
    assert len({m.institution for row in rows for m in expected_mentions(row)}) == 102


# ---------------------------------------------------------------------------------------
# full_tree


def expected_tree(rows: list[Row]) -> list[dict[str, Any]]:
    tree: dict[str, dict[str, list[Row]]] = {}
    for row in rows:
        tree.setdefault(row.continent, {}).setdefault(row.country, []).append(row)
    return [
        {
            "name": continent,
            "countries": [
                {
                    "name": country,
                    "priorities": [
                        {
                            "field": {"name": row.field},
                            "directions": [{"name": d} for d in row.directions],
                            "institutions": [
                                {"name": m.institution.name} for m in expected_mentions(row)
                            ],
                        }
                        for row in country_rows
                    ],
                }
                for country, country_rows in countries.items()
            ],
        }
        for continent, countries in tree.items()
    ]


@pytest.mark.parametrize("variables", [None, {}], ids=["no-variables", "empty-variables"])
def test_full_tree_is_the_document_nested(
    http_client: httpx.Client, rows: list[Row], variables: dict[str, Any] | None
) -> None:
    data = gql(http_client, contract_query("full_tree"), variables)
    assert data["continents"] == expected_tree(rows)


def test_full_tree_counts_per_continent_and_country(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    data = gql(http_client, contract_query("full_tree"))
    continents = data["continents"]
    assert [c["name"] for c in continents] == [
        "亚洲", "非洲", "美洲", "大洋洲", "拉丁美洲", "欧洲", "港澳台",
    ]  # fmt: skip
    assert [len(c["countries"]) for c in continents] == [6, 2, 2, 2, 12, 17, 3]
    per_country = {
        country["name"]: len(country["priorities"])
        for continent in continents
        for country in continent["countries"]
    }
    expected: defaultdict[str, int] = defaultdict(int)
    for row in rows:
        expected[row.country] += 1
    assert per_country == expected
    assert sum(per_country.values()) == 115


def test_full_tree_field_names_per_country_in_row_order(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    data = gql(http_client, contract_query("full_tree"))
    japan = data["continents"][0]["countries"][0]
    assert japan["name"] == "日本"
    assert [p["field"]["name"] for p in japan["priorities"]] == [
        "基础前沿交叉领域", "先进材料领域", "能源领域", "生命与健康领域", "信息领域",
        "重大科技基础设施平台", "资源生态环境领域",
    ]  # fmt: skip
    for continent in data["continents"]:
        for country in continent["countries"]:
            assert [p["field"]["name"] for p in country["priorities"]] == [
                row.field for row in rows_of(rows, country["name"])
            ], country["name"]


# ---------------------------------------------------------------------------------------
# country_page

AUSTRALIA_291 = [
    {"name": "澳大利亚核科学与技术组织", "acronym": "ANSTO", "kind": "ORGANIZATION"},
    {"name": "G8大学", "acronym": "Go8", "kind": "GROUP"},
    {"name": "联邦科工组织", "acronym": "CSIRO", "kind": "ORGANIZATION"},
]


@pytest.mark.parametrize("variables", [None, {"isoCode": "AU"}], ids=["default", "explicit"])
def test_country_page_of_australia(
    http_client: httpx.Client,
    rows: list[Row],
    field_order: list[str],
    variables: dict[str, Any] | None,
) -> None:
    country = gql(http_client, contract_query("country_page"), variables)["country"]
    assert (country["name"], country["nameEn"], country["isoCode"]) == (
        "澳大利亚",
        "Australia",
        "AU",
    )
    assert country["continent"]["name"] == "大洋洲"
    assert country["continent"]["nameEn"] == "Oceania"
    expected_rows = rows_of(rows, "澳大利亚")
    assert len(country["priorities"]) == len(expected_rows) == 8
    assert [p["sourceLine"] for p in country["priorities"]] == [
        r.source_line for r in expected_rows
    ]
    assert [p["field"]["name"] for p in country["priorities"]] == [r.field for r in expected_rows]
    own_fields = {r.field for r in expected_rows}
    assert [f["name"] for f in country["fields"]] == [f for f in field_order if f in own_fields]


def test_country_page_institutions_of_australias_energy_row(http_client: httpx.Client) -> None:
    country = gql(http_client, contract_query("country_page"))["country"]
    (row,) = [p for p in country["priorities"] if p["sourceLine"] == 291]
    assert row["field"]["name"] == "能源领域"
    assert [
        {key: i[key] for key in ("name", "acronym", "kind")} for i in row["institutions"]
    ] == AUSTRALIA_291
    assert (
        row["institutions"][0]["nameEn"] == "Australian Nuclear Science and Technology Organisation"
    )


@pytest.mark.parametrize("iso_code", ["US", "us"])
def test_country_page_of_the_united_states(
    http_client: httpx.Client, rows: list[Row], iso_code: str
) -> None:
    country = gql(http_client, contract_query("country_page"), {"isoCode": iso_code})["country"]
    assert (country["name"], country["nameEn"], country["isoCode"]) == (
        "美国",
        "United States",
        "US",
    )
    assert country["continent"]["name"] == "美洲"
    assert len(country["priorities"]) == 6
    assert [p["sourceLine"] for p in country["priorities"]] == [
        r.source_line for r in rows_of(rows, "美国")
    ]
    first = country["priorities"][0]
    assert [(i["name"], i["acronym"]) for i in first["institutions"]] == [
        ("国立卫生研究院", "NIH"),
        ("top50大学", None),
    ]


def test_country_page_every_priority_matches_its_row(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    for iso_code, name in [("JP", "日本"), ("BR", "巴西"), ("TW", "中国台湾"), ("EU", "欧盟")]:
        country = gql(http_client, contract_query("country_page"), {"isoCode": iso_code})["country"]
        assert country["name"] == name
        for priority, row in zip(country["priorities"], rows_of(rows, name), strict=True):
            assert priority["sourceLine"] == row.source_line
            assert [d["name"] for d in priority["directions"]] == list(row.directions)
            assert [(i["name"], i["acronym"], i["kind"]) for i in priority["institutions"]] == [
                (m.institution.name, m.institution.acronym, m.institution.kind)
                for m in expected_mentions(row)
            ]


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ('name: "澳大利亚"', "澳大利亚"),
        ('name: "Australia"', "澳大利亚"),
        ('name: "australia"', "澳大利亚"),
        ('isoCode: "eu"', "欧盟"),
        ('isoCode: "HK"', "中国香港"),
        ('isoCode: "TW", name: "中国台湾"', "中国台湾"),
        ('isoCode: "TW", name: "臺灣"', "中国台湾"),
        ('name: "Atlantis"', None),
    ],
)
def test_country_looked_up_by_code_or_name(
    http_client: httpx.Client, arguments: str, name: str | None
) -> None:
    country = gql(http_client, f"{{ country({arguments}) {{ name }} }}")["country"]
    assert (country and country["name"]) == name


def test_country_lookup_needs_a_code_or_a_name(http_client: httpx.Client) -> None:
    errors = gql_errors(http_client, "{ country { name } }")
    assert error_codes(errors) == ["BAD_USER_INPUT"]


def test_each_countrys_institutions_in_order_of_first_mention(
    http_client: httpx.Client, institution_order: list[Curated]
) -> None:
    query = """
        { countries(first: 100) { edges { node {
            name
            institutions { name kind }
            named: institutions(kinds: [ORGANIZATION, GROUP]) { name }
        } } } }
    """
    for edge in gql(http_client, query)["countries"]["edges"]:
        country = edge["node"]
        own = [i for i in institution_order if i.country == country["name"]]
        assert [(i["name"], i["kind"]) for i in country["institutions"]] == [
            (i.name, i.kind) for i in own
        ]
        assert [i["name"] for i in country["named"]] == [
            i.name for i in own if i.kind != "CATEGORY"
        ]


def test_country_page_of_an_unknown_code_is_null(http_client: httpx.Client) -> None:
    assert gql(http_client, contract_query("country_page"), {"isoCode": "XX"}) == {"country": None}


# ---------------------------------------------------------------------------------------
# search


@pytest.mark.parametrize("variables", [None, {"text": "能源"}], ids=["default", "explicit"])
def test_search_for_energy_in_chinese(
    http_client: httpx.Client, variables: dict[str, Any] | None
) -> None:
    hits = gql(http_client, contract_query("search"), variables)["search"]
    first = hits[0]
    assert first["result"]["__typename"] == "Direction"
    assert first["result"]["name"] == "能源"
    assert first["result"]["field"]["name"] == "能源领域"
    assert first["matched"] == "能源"
    assert ("Field", "能源领域") in [(h["result"]["__typename"], h["result"]["name"]) for h in hits]
    assert ("Institution", "美国能源部") in [
        (h["result"]["__typename"], h["result"]["name"]) for h in hits
    ]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all("能源" in h["matched"] for h in hits)


# ---------------------------------------------------------------------------------------
# institutions_page


def curated_of_kind(kind: str) -> set[tuple[str, str]]:
    return {
        (row["country"], row["name"]) for row in curation("institutions") if row["kind"] == kind
    }


def page_through_institutions(
    client: httpx.Client, variables: dict[str, Any]
) -> list[dict[str, Any]]:
    pages = []
    after = None
    while True:
        page = gql(client, contract_query("institutions_page"), {**variables, "after": after})
        pages.append(page["institutions"])
        if not page["institutions"]["pageInfo"]["hasNextPage"]:
            return pages
        after = page["institutions"]["pageInfo"]["endCursor"]
        assert len(pages) < 20, "paging does not end"


@pytest.mark.parametrize(
    ("variables", "kind"),
    [
        ({}, "ORGANIZATION"),
        ({"kinds": ["ORGANIZATION"]}, "ORGANIZATION"),
        ({"kinds": ["GROUP"]}, "GROUP"),
    ],
)
def test_institutions_page_visits_every_institution_once(
    http_client: httpx.Client, variables: dict[str, Any], kind: str
) -> None:
    expected = curated_of_kind(kind)
    pages = page_through_institutions(http_client, variables)
    assert {page["totalCount"] for page in pages} == {len(expected)}
    sizes = [len(page["edges"]) for page in pages]
    assert sizes[:-1] == [20] * (len(pages) - 1)
    assert 1 <= sizes[-1] <= 20
    nodes = [edge["node"] for page in pages for edge in page["edges"]]
    seen = [(node["country"]["name"], node["name"]) for node in nodes]
    assert len(seen) == len(set(seen)) == len({node["id"] for node in nodes})
    assert set(seen) == expected
    for page in pages:
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]


def test_institutions_page_counts_organizations_of_the_curated_table(
    http_client: httpx.Client,
) -> None:
    data = gql(http_client, contract_query("institutions_page"))["institutions"]
    assert data["totalCount"] == len(curated_of_kind("ORGANIZATION")) == 73
    assert len(data["edges"]) == 20
    assert data["pageInfo"]["hasNextPage"] is True


def test_institutions_page_is_in_document_order_of_first_mention(
    http_client: httpx.Client, institution_order: list[Curated]
) -> None:
    pages = page_through_institutions(http_client, {"kinds": ["ORGANIZATION", "GROUP", "CATEGORY"]})
    nodes = [edge["node"] for page in pages for edge in page["edges"]]
    assert [(n["country"]["name"], n["name"]) for n in nodes] == [
        (i.country, i.name) for i in institution_order
    ]


def test_institutions_page_field_counts_follow_the_document(
    http_client: httpx.Client, rows: list[Row], field_order: list[str]
) -> None:
    fields_of = {(i.country, i.name): f for i, f in fields_of_institutions(rows).items()}
    pages = page_through_institutions(http_client, {})
    for node in (edge["node"] for page in pages for edge in page["edges"]):
        expected = fields_of[node["country"]["name"], node["name"]]
        assert node["fieldCount"] == len(expected), node["name"]
        assert [f["name"] for f in node["fields"]] == [f for f in field_order if f in expected]


# ---------------------------------------------------------------------------------------
# shared_institutions


def expected_shared(
    rows: list[Row], institution_order: list[Curated], min_fields: int, kinds: set[str]
) -> list[tuple[str, str, int]]:
    fields_of = fields_of_institutions(rows)
    kept = [i for i in institution_order if i.kind in kinds and len(fields_of[i]) >= min_fields]
    kept.sort(key=lambda i: -len(fields_of[i]))  # stable: document order breaks ties
    return [(i.country, i.name, len(fields_of[i])) for i in kept]


def shared(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(i["country"]["name"], i["name"], i["fieldCount"]) for i in data["sharedInstitutions"]]


@pytest.mark.parametrize("variables", [None, {"minFields": 2}], ids=["default", "explicit"])
def test_shared_institutions_default(
    http_client: httpx.Client,
    rows: list[Row],
    institution_order: list[Curated],
    variables: dict[str, Any] | None,
) -> None:
    data = gql(http_client, contract_query("shared_institutions"), variables)
    first = data["sharedInstitutions"][0]
    assert (first["name"], first["fieldCount"], first["kind"]) == ("G8大学", 8, "GROUP")
    assert first["country"] == {"name": "澳大利亚", "isoCode": "AU"}
    assert all(i["kind"] != "CATEGORY" for i in data["sharedInstitutions"])
    assert all(len(i["fields"]) == i["fieldCount"] for i in data["sharedInstitutions"])
    assert shared(data) == expected_shared(rows, institution_order, 2, {"ORGANIZATION", "GROUP"})


@pytest.mark.parametrize("min_fields", [1, 3, 5, 8, 9])
def test_shared_institutions_with_min_fields(
    http_client: httpx.Client, rows: list[Row], institution_order: list[Curated], min_fields: int
) -> None:
    data = gql(http_client, contract_query("shared_institutions"), {"minFields": min_fields})
    assert shared(data) == expected_shared(
        rows, institution_order, min_fields, {"ORGANIZATION", "GROUP"}
    )


def test_shared_institutions_of_kind_category(
    http_client: httpx.Client, rows: list[Row], institution_order: list[Curated]
) -> None:
    query = """
        query { sharedInstitutions(kinds: [CATEGORY]) {
            name kind fieldCount country { name isoCode } } }
    """
    data = gql(http_client, query)
    assert {i["kind"] for i in data["sharedInstitutions"]} == {"CATEGORY"}
    assert shared(data) == expected_shared(rows, institution_order, 2, {"CATEGORY"})
    japan = {
        i["name"]: i["fieldCount"]
        for i in data["sharedInstitutions"]
        if i["country"]["name"] == "日本"
    }
    assert japan["国立研究机构"] == len({r.field for r in rows_of(rows, "日本")}) == 7


# ---------------------------------------------------------------------------------------
# field_overview


def test_field_overview(http_client: httpx.Client, rows: list[Row], field_order: list[str]) -> None:
    fields = gql(http_client, contract_query("field_overview"))["fields"]
    assert [f["name"] for f in fields] == field_order
    country_order = ordered_unique(row.country for row in rows)
    continent_of = {row.country: row.continent for row in rows}
    by_name = {row["name"]: row for row in curation("fields")}
    for field in fields:
        in_field = [row for row in rows if row.field == field["name"]]
        assert field["nameEn"] == by_name[field["name"]]["name_en"]
        assert [d["name"] for d in field["directions"]] == ordered_unique(
            d for row in in_field for d in row.directions
        )
        countries = {row.country for row in in_field}
        assert [(c["name"], c["continent"]["name"]) for c in field["countries"]] == [
            (c, continent_of[c]) for c in country_order if c in countries
        ]


def test_field_overview_institutions(
    http_client: httpx.Client, rows: list[Row], institution_order: list[Curated]
) -> None:
    fields = gql(http_client, contract_query("field_overview"))["fields"]
    for field in fields:
        named = {
            m.institution
            for row in rows
            if row.field == field["name"]
            for m in expected_mentions(row)
        }
        assert [(i["country"]["name"], i["name"], i["acronym"]) for i in field["institutions"]] == [
            (i.country, i.name, i.acronym)
            for i in institution_order
            if i in named and i.kind in {"ORGANIZATION", "GROUP"}
        ], field["name"]


def test_directions_of_each_field(http_client: httpx.Client, rows: list[Row]) -> None:
    fields = gql(http_client, "{ fields { id name directions { name } } }")["fields"]
    for field in fields:
        alone = gql(
            http_client,
            "query($field: ID) { directions(field: $field) { name field { name } } }",
            {"field": field["id"]},
        )["directions"]
        assert [d["name"] for d in alone] == [d["name"] for d in field["directions"]]
        assert all(d["field"]["name"] == field["name"] for d in alone)
        assert [d["name"] for d in alone] == ordered_unique(
            d for row in rows if row.field == field["name"] for d in row.directions
        )


def test_field_overview_of_energy(http_client: httpx.Client) -> None:
    fields = gql(http_client, contract_query("field_overview"))["fields"]
    (energy,) = [f for f in fields if f["name"] == "能源领域"]
    assert energy["nameEn"] == "Energy"
    assert [d["name"] for d in energy["directions"]] == ["能源"]
    institutions = [i["name"] for i in energy["institutions"]]
    assert {"美国能源部", "澳大利亚核科学与技术组织", "联邦科工组织", "德国马普学会"} <= set(
        institutions
    )
    assert "国立研究机构" not in institutions  # a CATEGORY, left out by kinds


# ---------------------------------------------------------------------------------------
# Every row's mentions, and institution resolution visible through the API

MENTIONS = """
query($after: String) {
  priorities(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      sourceLine
      country { name }
      mentions { text andOthers institution { name country { name } } }
    } }
  }
}
"""

INSTITUTION = """
query($name: String!) {
  institutions(first: 100, filter: { nameContains: $name }) {
    edges { node {
      id name nameEn acronym kind priorityCount
      country { name }
      priorities { sourceLine }
    } }
  }
}
"""


def all_priorities_with_mentions(client: httpx.Client) -> list[dict[str, Any]]:
    first = gql(client, MENTIONS)["priorities"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = gql(client, MENTIONS, {"after": first["pageInfo"]["endCursor"]})["priorities"]
    assert rest["pageInfo"]["hasNextPage"] is False
    return [edge["node"] for edge in first["edges"] + rest["edges"]]


def test_every_priority_links_to_its_country_continent_field_and_edition(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    query = """
        query($after: String) { priorities(first: 100, after: $after) {
            pageInfo { endCursor }
            edges { node {
                sourceLine
                edition { year }
                country { name continent { name } }
                continent { name }
                field { name }
                directions { name field { name } }
            } } } }
    """
    first = gql(http_client, query)["priorities"]
    rest = gql(http_client, query, {"after": first["pageInfo"]["endCursor"]})["priorities"]
    nodes = [edge["node"] for edge in first["edges"] + rest["edges"]]
    assert [
        (
            n["sourceLine"],
            n["edition"]["year"],
            n["country"]["name"],
            n["continent"]["name"],
            n["country"]["continent"]["name"],
            n["field"]["name"],
            tuple(d["name"] for d in n["directions"]),
        )
        for n in nodes
    ] == [
        (r.source_line, 2020, r.country, r.continent, r.continent, r.field, r.directions)
        for r in rows
    ]
    for node in nodes:
        assert all(d["field"]["name"] == node["field"]["name"] for d in node["directions"])


def test_every_rows_mentions_resolve_as_the_curated_table_says(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    priorities = all_priorities_with_mentions(http_client)
    assert [p["sourceLine"] for p in priorities] == [row.source_line for row in rows]
    for priority, row in zip(priorities, rows, strict=True):
        assert [
            (
                m["text"],
                m["andOthers"],
                m["institution"]["name"],
                m["institution"]["country"]["name"],
            )
            for m in priority["mentions"]
        ] == [
            (m.text, m.and_others, m.institution.name, m.institution.country)
            for m in expected_mentions(row)
        ], row.source_line


def institutions_named(client: httpx.Client, name: str) -> list[dict[str, Any]]:
    edges = gql(client, INSTITUTION, {"name": name})["institutions"]["edges"]
    return [edge["node"] for edge in edges if edge["node"]["name"] == name]


def test_doe_is_one_institution(http_client: httpx.Client) -> None:
    (doe,) = institutions_named(http_client, "美国能源部")
    assert doe["acronym"] == "DOE"
    assert doe["nameEn"] == "United States Department of Energy"
    assert doe["country"]["name"] == "美国"
    assert [p["sourceLine"] for p in doe["priorities"]] == [217, 223]
    assert doe["priorityCount"] == 2


def test_noaa_is_one_institution(http_client: httpx.Client) -> None:
    (noaa,) = institutions_named(http_client, "国家大气海洋局")
    assert noaa["acronym"] == "NOAA"
    assert [p["sourceLine"] for p in noaa["priorities"]] == [229, 235]


def test_canadas_u15_group(http_client: httpx.Client) -> None:
    (u15,) = institutions_named(http_client, "U15大学")
    assert u15["kind"] == "GROUP"
    assert u15["country"]["name"] == "加拿大"
    assert u15["priorityCount"] == 5
    assert [p["sourceLine"] for p in u15["priorities"]] == [247, 253, 259, 265, 271]


def test_catholic_university_is_two_institutions(http_client: httpx.Client) -> None:
    catholic = institutions_named(http_client, "天主教大学")
    assert [i["country"]["name"] for i in catholic] == ["智利", "厄瓜多尔"]
    assert len({i["id"] for i in catholic}) == 2
    assert [[p["sourceLine"] for p in i["priorities"]] for i in catholic] == [[366], [426]]


def test_scipps_is_the_scripps_institution(http_client: httpx.Client) -> None:
    (scripps,) = [
        edge["node"]
        for edge in gql(http_client, INSTITUTION, {"name": "Scripps"})["institutions"]["edges"]
        if edge["node"]["country"]["name"] == "美国"
    ]
    assert scripps["nameEn"] == "Scripps Institution of Oceanography"
    assert [p["sourceLine"] for p in scripps["priorities"]] == [229]


ALIASES = """
query($name: String!) {
  institutions(first: 100, filter: { nameContains: $name }) {
    edges { node { name aliases country { name } } }
  }
}
"""


@pytest.mark.parametrize(
    ("name", "country", "aliases"),
    [
        ("美国能源部", "美国", ["美国能源部（DOE）", "DOE"]),
        ("国家大气海洋局", "美国", ["国家大气海洋局（NOAA)", "NOAA"]),
        ("U15大学", "加拿大", ["U15大学", "加拿大U15大学"]),
        ("斯克里普斯海洋研究所", "美国", ["Scipps"]),
        ("台湾大学", "中国台湾", ["台大"]),
        ("天主教大学", "智利", ["天主教大学"]),
    ],
)
def test_aliases_are_the_spellings_in_order_of_first_appearance(
    http_client: httpx.Client,
    name: str,
    country: str,
    aliases: list[str],
) -> None:
    edges = gql(http_client, ALIASES, {"name": name})["institutions"]["edges"]
    (found,) = [
        e["node"]
        for e in edges
        if (e["node"]["name"], e["node"]["country"]["name"]) == (name, country)
    ]
    assert found["aliases"] == aliases


def test_aliases_of_every_institution_are_its_mentions(
    http_client: httpx.Client, rows: list[Row]
) -> None:
    spellings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        for mention in expected_mentions(row):
            spellings[mention.institution.country, mention.institution.name].append(mention.text)
    query = """
        query($after: String) { institutions(first: 100, after: $after) {
            pageInfo { endCursor }
            edges { node { name aliases country { name } } } } }
    """
    first = gql(http_client, query)["institutions"]
    rest = gql(http_client, query, {"after": first["pageInfo"]["endCursor"]})["institutions"]
    found = {
        (e["node"]["country"]["name"], e["node"]["name"]): e["node"]["aliases"]
        for e in first["edges"] + rest["edges"]
    }
    assert len(found) == 102
    assert found == {key: ordered_unique(texts) for key, texts in spellings.items()}


def test_mentions_of_line_253(http_client: httpx.Client) -> None:
    priorities = all_priorities_with_mentions(http_client)
    (row,) = [p for p in priorities if p["sourceLine"] == 253]
    assert [(m["text"], m["andOthers"], m["institution"]["name"]) for m in row["mentions"]] == [
        ("国家研究理事会（NRC）", False, "国家研究理事会"),
        ("多伦多大学", True, "多伦多大学"),
        ("U15大学", False, "U15大学"),
    ]

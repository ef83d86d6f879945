"""Cross-reference questions: shared institutions, common fields, recurring names."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.graph.queries import (
    Curated,
    Row,
    encode_id,
    error_codes,
    fields_of_institutions,
    gql,
    gql_errors,
    institutions_in_order,
    ordered_unique,
)


def fields_of(rows: list[Row], country: str) -> set[str]:
    return {row.field for row in rows if row.country == country}


@pytest.fixture
def country_ids(http_client: httpx.Client) -> dict[str, str]:
    data = gql(http_client, "{ countries(first: 100) { edges { node { id name isoCode } } } }")
    ids = {}
    for edge in data["countries"]["edges"]:
        ids[edge["node"]["name"]] = ids[edge["node"]["isoCode"]] = edge["node"]["id"]
    return ids


# ---------------------------------------------------------------------------------------
# sharedInstitutions

SHARED = """
query($minFields: Int, $kinds: [InstitutionKind!]) {
  sharedInstitutions(minFields: $minFields, kinds: $kinds) {
    name kind fieldCount
    country { name }
    fields { name }
    priorities { field { name } }
  }
}
"""


def expected_shared(rows: list[Row], least: int, kinds: set[str]) -> list[tuple[str, str, int]]:
    fields = fields_of_institutions(rows)
    kept: list[Curated] = [
        i for i in institutions_in_order(rows) if i.kind in kinds and len(fields[i]) >= least
    ]
    kept.sort(key=lambda i: -len(fields[i]))  # sorting is stable: document order breaks ties
    return [(i.country, i.name, len(fields[i])) for i in kept]


def shared(client: httpx.Client, variables: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = gql(client, SHARED, variables)["sharedInstitutions"]
    return found


def test_institutions_shared_by_three_fields(http_client: httpx.Client, rows: list[Row]) -> None:
    found = shared(http_client, {"minFields": 3})
    assert [(i["country"]["name"], i["name"], i["fieldCount"]) for i in found] == expected_shared(
        rows, 3, {"ORGANIZATION", "GROUP"}
    )
    assert [(i["name"], i["fieldCount"]) for i in found[:2]] == [
        ("G8大学", 8),
        ("top50大学", 6),
    ]
    assert all(i["fieldCount"] >= 3 for i in found)


def test_shared_fields_are_the_fields_of_the_institutions_priorities(
    http_client: httpx.Client, field_order: list[str]
) -> None:
    for institution in shared(http_client, {"minFields": 2}):
        really = {p["field"]["name"] for p in institution["priorities"]}
        assert [f["name"] for f in institution["fields"]] == [f for f in field_order if f in really]
        assert institution["fieldCount"] == len(really) >= 2


def test_shared_institutions_are_most_fields_first(http_client: httpx.Client) -> None:
    counts = [i["fieldCount"] for i in shared(http_client, {"minFields": 1})]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize(
    ("variables", "kinds"),
    [
        ({}, {"ORGANIZATION", "GROUP"}),
        ({"minFields": None, "kinds": None}, {"ORGANIZATION", "GROUP"}),
        ({"kinds": ["CATEGORY"]}, {"CATEGORY"}),
        ({"kinds": ["ORGANIZATION", "GROUP", "CATEGORY"]}, {"ORGANIZATION", "GROUP", "CATEGORY"}),
    ],
)
def test_shared_institutions_defaults_and_kinds(
    http_client: httpx.Client, rows: list[Row], variables: dict[str, Any], kinds: set[str]
) -> None:
    found = shared(http_client, variables)
    assert {i["kind"] for i in found} <= kinds
    assert [(i["country"]["name"], i["name"], i["fieldCount"]) for i in found] == expected_shared(
        rows, 2, kinds
    )


@pytest.mark.parametrize("least", [0, -1])
def test_shared_institutions_need_at_least_one_field(http_client: httpx.Client, least: int) -> None:
    errors = gql_errors(http_client, SHARED, {"minFields": least})
    assert error_codes(errors) == ["BAD_USER_INPUT"]


# ---------------------------------------------------------------------------------------
# commonFields

COMMON = "query($countries: [ID!]!) { commonFields(countries: $countries) { name } }"


@pytest.mark.parametrize(
    "countries",
    [
        ["日本", "韩国"],
        ["韩国", "日本"],
        ["美国", "澳大利亚"],
        ["日本", "韩国", "印度"],
        ["澳大利亚", "中国台湾", "中国香港"],
        ["埃及", "古巴"],
        ["日本", "日本", "韩国"],
    ],
)
def test_common_fields_are_the_fields_all_have(
    http_client: httpx.Client,
    rows: list[Row],
    field_order: list[str],
    country_ids: dict[str, str],
    countries: list[str],
) -> None:
    shared_fields = set.intersection(*(fields_of(rows, c) for c in countries))
    found = gql(http_client, COMMON, {"countries": [country_ids[c] for c in countries]})
    assert [f["name"] for f in found["commonFields"]] == [
        f for f in field_order if f in shared_fields
    ]


def test_common_fields_of_japan_and_korea(
    http_client: httpx.Client, country_ids: dict[str, str]
) -> None:
    found = gql(http_client, COMMON, {"countries": [country_ids["JP"], country_ids["KR"]]})
    assert [f["name"] for f in found["commonFields"]] == [
        "基础前沿交叉领域", "先进材料领域", "生命与健康领域", "资源生态环境领域",
    ]  # fmt: skip


@pytest.mark.parametrize("countries", [["JP"], ["JP", "JP"], []])
def test_common_fields_need_two_different_countries(
    http_client: httpx.Client, country_ids: dict[str, str], countries: list[str]
) -> None:
    errors = gql_errors(http_client, COMMON, {"countries": [country_ids[c] for c in countries]})
    assert error_codes(errors) == ["BAD_USER_INPUT"]


def test_common_fields_refuse_an_id_of_another_type(
    http_client: httpx.Client, country_ids: dict[str, str]
) -> None:
    errors = gql_errors(
        http_client, COMMON, {"countries": [country_ids["JP"], encode_id("Field:energy")]}
    )
    assert error_codes(errors) == ["BAD_USER_INPUT"]


def test_common_fields_of_an_unknown_country_is_an_error(
    http_client: httpx.Client, country_ids: dict[str, str]
) -> None:
    errors = gql_errors(
        http_client, COMMON, {"countries": [country_ids["JP"], encode_id("Country:XX")]}
    )
    assert error_codes(errors) == ["NOT_FOUND"]


# ---------------------------------------------------------------------------------------
# countriesSharingFields

SHARING = """
query($country: ID!, $minShared: Int!) {
  countriesSharingFields(country: $country, minShared: $minShared) {
    country { name }
    sharedFields { name }
    sharedFieldCount
  }
}
"""


def expected_overlaps(
    rows: list[Row], field_order: list[str], country_order: list[str], country: str, least: int
) -> list[tuple[str, list[str]]]:
    own = fields_of(rows, country)
    overlaps = [
        (other, [f for f in field_order if f in own & fields_of(rows, other)])
        for other in country_order
        if other != country
    ]
    kept = [(other, fields) for other, fields in overlaps if len(fields) >= least]
    kept.sort(key=lambda overlap: -len(overlap[1]))  # stable: country order breaks ties
    return kept


@pytest.mark.parametrize(
    ("country", "least"), [("日本", 1), ("日本", 4), ("日本", 7), ("澳大利亚", 1), ("埃及", 1)]
)
def test_countries_sharing_fields(
    http_client: httpx.Client,
    rows: list[Row],
    field_order: list[str],
    country_order: list[str],
    country_ids: dict[str, str],
    country: str,
    least: int,
) -> None:
    found = gql(http_client, SHARING, {"country": country_ids[country], "minShared": least})[
        "countriesSharingFields"
    ]
    assert [(o["country"]["name"], [f["name"] for f in o["sharedFields"]]) for o in found] == (
        expected_overlaps(rows, field_order, country_order, country, least)
    )
    assert all(o["sharedFieldCount"] == len(o["sharedFields"]) >= least for o in found)
    assert country not in [o["country"]["name"] for o in found]


def test_countries_sharing_fields_with_japan_most_shared_first(
    http_client: httpx.Client, rows: list[Row], country_ids: dict[str, str]
) -> None:
    found = gql(http_client, SHARING, {"country": country_ids["JP"], "minShared": 1})[
        "countriesSharingFields"
    ]
    counts = [o["sharedFieldCount"] for o in found]
    assert counts == sorted(counts, reverse=True)
    japan = fields_of(rows, "日本")
    for overlap in found:
        other = fields_of(rows, overlap["country"]["name"])
        assert {f["name"] for f in overlap["sharedFields"]} == japan & other
    # 澳大利亚 and 中国台湾 share six of Japan's seven fields; 澳大利亚 comes first in the document.
    assert [(o["country"]["name"], o["sharedFieldCount"]) for o in found[:2]] == [
        ("澳大利亚", 6),
        ("中国台湾", 6),
    ]
    # Every country with a priority in a field Japan has, and no other.
    assert {o["country"]["name"] for o in found} == {
        row.country for row in rows if row.field in japan and row.country != "日本"
    }


def test_countries_sharing_fields_need_a_positive_minimum(
    http_client: httpx.Client, country_ids: dict[str, str]
) -> None:
    errors = gql_errors(http_client, SHARING, {"country": country_ids["JP"], "minShared": 0})
    assert error_codes(errors) == ["BAD_USER_INPUT"]


# ---------------------------------------------------------------------------------------
# institutionsAcrossCountries

ACROSS = """
query($minCountries: Int!, $kinds: [InstitutionKind!]) {
  institutionsAcrossCountries(minCountries: $minCountries, kinds: $kinds) {
    name nameEn kinds countryCount
    countries { name }
    institutions { name kind country { name } }
  }
}
"""


def expected_groups(rows: list[Row], least: int, kinds: set[str]) -> list[tuple[str, list[str]]]:
    by_name: dict[str, list[Curated]] = {}
    for institution in institutions_in_order(rows):
        if institution.kind in kinds:
            by_name.setdefault(institution.name, []).append(institution)
    order = ordered_unique(row.country for row in rows)
    groups = [
        (name, sorted((i.country for i in found), key=order.index))
        for name, found in by_name.items()
        if len(found) >= least
    ]
    groups.sort(key=lambda group: -len(group[1]))  # stable: first mention breaks ties
    return groups


@pytest.mark.parametrize(
    ("least", "kinds"),
    [
        (2, {"ORGANIZATION", "GROUP", "CATEGORY"}),
        (3, {"ORGANIZATION", "GROUP", "CATEGORY"}),
        (7, {"ORGANIZATION", "GROUP", "CATEGORY"}),
        (8, {"ORGANIZATION", "GROUP", "CATEGORY"}),
        (2, {"ORGANIZATION"}),
        (2, {"CATEGORY"}),
        (1, {"GROUP"}),
    ],
)
def test_institution_names_across_countries(
    http_client: httpx.Client, rows: list[Row], least: int, kinds: set[str]
) -> None:
    variables: dict[str, Any] = {"minCountries": least, "kinds": sorted(kinds)}
    found = gql(http_client, ACROSS, variables)["institutionsAcrossCountries"]
    assert [(g["name"], [c["name"] for c in g["countries"]]) for g in found] == expected_groups(
        rows, least, kinds
    )
    for group in found:
        assert group["countryCount"] == len(group["countries"]) >= least
        assert {i["name"] for i in group["institutions"]} == {group["name"]}
        assert [i["country"]["name"] for i in group["institutions"]] == [
            c["name"] for c in group["countries"]
        ]
        assert set(group["kinds"]) == {i["kind"] for i in group["institutions"]} <= kinds


def test_national_research_institutes_recur_in_seven_countries(
    http_client: httpx.Client,
) -> None:
    found = gql(
        http_client,
        "{ institutionsAcrossCountries { name nameEn kinds countryCount countries { name } } }",
    )["institutionsAcrossCountries"]
    by_name = {g["name"]: g for g in found}
    institutes = by_name["国立研究机构"]
    assert institutes["countryCount"] == 7
    assert [c["name"] for c in institutes["countries"]] == [
        "日本", "韩国", "印度", "以色列", "新加坡", "埃及", "南非",
    ]  # fmt: skip
    assert institutes["kinds"] == ["CATEGORY"]
    assert institutes["nameEn"] == "National research institutes"
    catholic = by_name["天主教大学"]
    assert [c["name"] for c in catholic["countries"]] == ["智利", "厄瓜多尔"]
    assert catholic["kinds"] == ["ORGANIZATION"]
    # Two different universities: no single English name describes both.
    assert catholic["nameEn"] is None
    assert all(g["countryCount"] >= 2 for g in found)


def test_university_categories_are_counted_in_every_row(http_client: httpx.Client) -> None:
    # 大学: the seven 国立研究机构、大学 countries, plus 布宜诺斯艾利斯大学等大学 (line 360) and
    # 智利大学、天主教大学等大学 (line 366). 相关大学: 玻利维亚相关大学 (414), 巴拿马相关大学 (438),
    # INPE及相关大学 (342), 亚马逊研究所及相关大学 (408).
    found = gql(
        http_client,
        "{ institutionsAcrossCountries(kinds: [CATEGORY]) "
        "{ name nameEn countryCount countries { name } } }",
    )["institutionsAcrossCountries"]
    by_name = {g["name"]: g for g in found}
    assert [c["name"] for c in by_name["大学"]["countries"]] == [
        "日本", "韩国", "印度", "以色列", "新加坡", "埃及", "南非", "阿根廷", "智利",
    ]  # fmt: skip
    assert by_name["大学"]["countryCount"] == 9
    assert [c["name"] for c in by_name["相关大学"]["countries"]] == [
        "巴西", "秘鲁", "玻利维亚", "巴拿马",
    ]  # fmt: skip
    assert by_name["相关大学"]["nameEn"] == "Related universities"
    assert found[0]["name"] == "大学"


def test_institution_names_across_countries_need_a_positive_minimum(
    http_client: httpx.Client,
) -> None:
    errors = gql_errors(http_client, ACROSS, {"minCountries": 0})
    assert error_codes(errors) == ["BAD_USER_INPUT"]

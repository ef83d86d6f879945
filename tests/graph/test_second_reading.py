"""The second reading of the document, served: partners, inferred identifications, names."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.graph.queries import gql

INSTITUTION = """
query($text: String!) {
  search(text: $text, first: 5) {
    matched
    matchedBy
    result {
      ... on Institution {
        name nameEn acronym inferred inferredBasis aliases
        otherNames { name kind }
        country { name }
      }
    }
  }
}
"""


def first_hit(client: httpx.Client, text: str) -> dict[str, Any]:
    hits: list[dict[str, Any]] = gql(client, INSTITUTION, {"text": text})["search"]
    assert hits, text
    return hits[0]


def test_egypt_ministries_qualify_the_category_and_are_no_partners(
    http_client: httpx.Client,
) -> None:
    # Line 186: 教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构、大学.
    row = gql(
        http_client,
        '{ country(isoCode: "EG") { institutions { name kind } priorities { sourceLine '
        "mentions { text andOthers qualifiedBy { name nameEn } institution { name kind } } } } }",
    )["country"]
    assert row["institutions"] == [
        {"name": "国立研究机构", "kind": "CATEGORY"},
        {"name": "大学", "kind": "CATEGORY"},
    ]
    (priority,) = row["priorities"]
    assert priority["sourceLine"] == 186
    assert priority["mentions"] == [
        {
            "text": "教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构",
            "andOthers": False,
            "qualifiedBy": [
                {
                    "name": "教育科研部",
                    "nameEn": "Ministry of Higher Education and Scientific Research",
                },
                {"name": "农业部", "nameEn": "Ministry of Agriculture and Land Reclamation"},
                {"name": "水资源与灌溉部", "nameEn": "Ministry of Water Resources and Irrigation"},
            ],
            "institution": {"name": "国立研究机构", "kind": "CATEGORY"},
        },
        {
            "text": "大学",
            "andOthers": False,
            "qualifiedBy": [],
            "institution": {"name": "大学", "kind": "CATEGORY"},
        },
    ]


@pytest.mark.parametrize(
    ("text", "matched_by"),
    [("农业部", "QUALIFIER"), ("水资源与灌溉部", "QUALIFIER"), ("Ministry of Water", "QUALIFIER")],
)
def test_a_search_for_a_qualifying_ministry_finds_the_category(
    http_client: httpx.Client, text: str, matched_by: str
) -> None:
    hit = first_hit(http_client, text)
    assert hit["result"]["name"] == "国立研究机构"
    assert hit["result"]["country"] == {"name": "埃及"}
    assert hit["matchedBy"] == matched_by


@pytest.mark.parametrize(
    ("text", "name", "country", "matched_by"),
    [
        ("坎特伯雷大学", "基督城大学", "新西兰", "OTHER_NAME"),  # line 327
        ("中研院", "台湾中央研究院", "中国台湾", "OTHER_NAME"),  # line 693
        ("工研院", "台湾工业技术研究院", "中国台湾", "OTHER_NAME"),  # line 681
        ("國立清華大學", "台湾清华大学", "中国台湾", "OTHER_NAME"),  # line 693
        ("CRI", "新西兰皇家研究院", "新西兰", "ACRONYM"),  # line 327
        ("FhG", "德国弗朗霍夫协会", "德国", "ACRONYM"),  # line 589
        ("Institut Pasteur", "法国巴斯德研究所", "法国", "OTHER_NAME"),  # line 469
    ],
)
def test_names_users_type_find_the_institution(
    http_client: httpx.Client, text: str, name: str, country: str, matched_by: str
) -> None:
    hit = first_hit(http_client, text)
    assert (hit["result"]["name"], hit["result"]["country"]["name"]) == (name, country)
    assert hit["matchedBy"] == matched_by


def test_aliases_stay_the_document_spellings(http_client: httpx.Client) -> None:
    canterbury = first_hit(http_client, "基督城大学")["result"]
    assert canterbury["aliases"] == ["基督城大学"]
    assert canterbury["otherNames"] == [{"name": "坎特伯雷大学", "kind": "STANDARD_NAME"}]
    tsinghua = first_hit(http_client, "清华")["result"]
    assert tsinghua["name"] == "台湾清华大学"
    assert tsinghua["aliases"] == ["清华"]
    assert {"name": "清大", "kind": "SHORT_FORM"} in tsinghua["otherNames"]


@pytest.mark.parametrize(
    ("text", "inferred"),
    [
        ("里约热内卢大学", True),  # line 348
        ("基督城大学", True),  # line 327
        ("法国农业科学研究院", True),  # line 457
        ("科威特科学研究院", False),  # line 167
        ("澳门大学", False),  # line 657
    ],
)
def test_inferred_identifications_are_marked_with_their_basis(
    http_client: httpx.Client, text: str, inferred: bool
) -> None:
    result = first_hit(http_client, text)["result"]
    assert result["inferred"] is inferred
    assert (result["inferredBasis"] is not None) is inferred
    if text == "法国农业科学研究院":
        assert result["acronym"] == "INRAE"
        assert "1 January 2020" in result["inferredBasis"]


def test_northern_america_is_the_m49_name(http_client: httpx.Client) -> None:
    continents = gql(http_client, "{ continents { name nameEn countries { name } } }")["continents"]
    america = next(c for c in continents if c["name"] == "美洲")
    assert america == {
        "name": "美洲",
        "nameEn": "Northern America",
        "countries": [{"name": "美国"}, {"name": "加拿大"}],
    }


def test_the_edition_carries_the_field_basis(http_client: httpx.Client) -> None:
    edition = gql(http_client, "{ edition(year: 2020) { title fieldBasis } }")["edition"]
    assert edition == {"title": "2020年度对外合作重点项目资助重点", "fieldBasis": "以8+2为依据"}

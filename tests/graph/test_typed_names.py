"""Names users type: the curated search aliases, found first by search and by country(name:).

Each pair names the entity of the document a user means by the text; the same table
(seed/curation/search_aliases.csv, with pycountry's names and the document's own) feeds
both look-ups, on each database.
"""

from __future__ import annotations

import httpx
import pytest

from tests.graph.queries import error_codes, gql, gql_errors
from tests.graph.test_search import found, search

#: (what a user types, the country of the document it means)
COUNTRY_NAMES = [
    ("UK", "英国"),
    ("U.K.", "英国"),
    ("Britain", "英国"),
    ("Great Britain", "英国"),
    ("United Kingdom", "英国"),
    ("USA", "美国"),
    ("U.S.", "美国"),
    ("U.S.A.", "美国"),
    ("US", "美国"),
    ("America", "美国"),
    ("United States", "美国"),
    ("United States of America", "美国"),
    ("Macau", "中国澳门"),
    ("Macao", "中国澳门"),
    ("澳門", "中国澳门"),
    ("Taiwan", "中国台湾"),
    ("台湾", "中国台湾"),
    ("台灣", "中国台湾"),
    ("臺灣", "中国台湾"),
    ("中國台灣", "中国台湾"),
    ("Hong Kong", "中国香港"),
    ("香港", "中国香港"),
    ("Russian Federation", "俄罗斯"),
    ("Russia", "俄罗斯"),
    ("EU", "欧盟"),
    ("European Union", "欧盟"),
]

COUNTRY_BY_NAME = "query($name: String) { country(name: $name) { name isoCode } }"


@pytest.mark.parametrize(("text", "country"), COUNTRY_NAMES)
def test_search_finds_the_country_first(http_client: httpx.Client, text: str, country: str) -> None:
    best = search(http_client, text)[0]
    assert found(best) == ("Country", country)
    assert best["match"] == "EXACT"


@pytest.mark.parametrize(("text", "country"), COUNTRY_NAMES)
def test_country_by_name_resolves_what_search_finds(
    http_client: httpx.Client, text: str, country: str
) -> None:
    answer = gql(http_client, COUNTRY_BY_NAME, {"name": text})["country"]
    assert answer is not None, text
    assert answer["name"] == country


def test_uk_is_the_united_kingdom_before_ukraine(http_client: httpx.Client) -> None:
    hits = [found(hit) for hit in search(http_client, "UK", first=20)]
    assert hits[0] == ("Country", "英国")
    # Ukraine is still found, by the prefix of its English name, below.
    assert ("Country", "乌克兰") in hits[1:]


def test_macau_is_the_region_before_its_universities(http_client: httpx.Client) -> None:
    hits = search(http_client, "Macau", first=20)
    assert found(hits[0]) == ("Country", "中国澳门")
    universities = [h for h in hits if h["result"]["__typename"] == "Institution"]
    assert universities, "the University of Macau is still found"
    assert all(h["score"] < hits[0]["score"] for h in universities)


@pytest.mark.parametrize("text", ["Tsinghua", "tsinghua", "Tsing Hua", "清华", "清華"])
def test_tsinghua_is_the_documents_qinghua(http_client: httpx.Client, text: str) -> None:
    # The document's 清华 (lines 693-711, 中国台湾 rows) is National Tsing Hua University;
    # Beijing's Tsinghua University is not in the document.
    best = search(http_client, text)[0]
    assert found(best) == ("Institution", "台湾清华大学")
    assert best["result"]["nameEn"] == "National Tsing Hua University"
    assert best["result"]["country"]["name"] == "中国台湾"
    assert best["match"] == "EXACT"


@pytest.mark.parametrize(
    ("text", "country"), [("ＵＫ", "英国"), ("uSa", "美国"), ("  macau ", "中国澳门")]
)
def test_typed_names_fold_width_case_and_spacing(
    http_client: httpx.Client, text: str, country: str
) -> None:
    answer = gql(http_client, COUNTRY_BY_NAME, {"name": text})["country"]
    assert answer is not None
    assert answer["name"] == country
    assert found(search(http_client, text)[0]) == ("Country", country)


@pytest.mark.parametrize("text", ["ri ben", "rb", "Tsinghua", "Ukr", "Atlantis"])
def test_country_by_name_takes_names_not_prefixes_romanisations_or_institutions(
    http_client: httpx.Client, text: str
) -> None:
    # Pinyin and initials are type-ahead spellings, a prefix is not a name, and an
    # institution's alias names no country.
    assert gql(http_client, COUNTRY_BY_NAME, {"name": text})["country"] is None


@pytest.mark.parametrize(
    ("text", "country"),
    [("Россия", "俄罗斯"), ("РОССИЯ", "俄罗斯"), ("Ελλάδα", "希腊"), ("ΕΛΛΆΔΑ", "希腊")],
)
def test_country_by_name_folds_case_beyond_ascii(
    http_client: httpx.Client, text: str, country: str
) -> None:
    # SQLite's lower() folds ASCII letters only, so comparing it with Python's lower()
    # missed these; the key is folded once, in Python, at seed time and for the argument.
    answer = gql(http_client, COUNTRY_BY_NAME, {"name": text})["country"]
    assert answer is not None
    assert answer["name"] == country
    assert found(search(http_client, text)[0]) == ("Country", country)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ('isoCode: "JP", name: "Australia"', "JP"),
        ('isoCode: "GB", name: "USA"', "USA"),
        ('isoCode: "TW", name: "日本"', "日本"),
        ('isoCode: "JP", name: "Atlantis"', "Atlantis"),
    ],
)
def test_conflicting_arguments_are_refused(
    http_client: httpx.Client, arguments: str, message: str
) -> None:
    errors = gql_errors(http_client, f"{{ country({arguments}) {{ name }} }}")
    assert error_codes(errors) == ["BAD_USER_INPUT"]
    assert message in errors[0]["message"]


@pytest.mark.parametrize(
    ("arguments", "name"),
    [
        ('isoCode: "GB", name: "UK"', "英国"),
        ('isoCode: "mo", name: "Macau"', "中国澳门"),
        ('isoCode: "TW", name: "中國台灣"', "中国台湾"),
        ('isoCode: "ZZ", name: "Atlantis"', None),
    ],
)
def test_agreeing_arguments_answer_the_country(
    http_client: httpx.Client, arguments: str, name: str | None
) -> None:
    country = gql(http_client, f"{{ country({arguments}) {{ name }} }}")["country"]
    assert (country and country["name"]) == name

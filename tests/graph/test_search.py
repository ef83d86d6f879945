"""The search box: Chinese (simplified and traditional), English, acronyms and pinyin."""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx
import pytest

from tests.graph.queries import (
    error_codes,
    gql,
    gql_errors,
)

SEARCH = """
query($text: String!, $first: Int) {
  search(text: $text, first: $first) {
    matched
    score
    match
    matchedBy
    result {
      __typename
      ... on Continent { id name nameEn }
      ... on Country { id name nameEn isoCode }
      ... on Field { id name nameEn }
      ... on Direction { id name nameEn }
      ... on Institution { id name nameEn acronym country { name } }
    }
  }
}
"""

CLASSES = {"EXACT": 3, "PREFIX": 2, "SUBSTRING": 1}


def search(client: httpx.Client, text: str, first: int | None = None) -> list[dict[str, Any]]:
    variables: dict[str, object] = {"text": text}
    if first is not None:
        variables["first"] = first
    hits: list[dict[str, Any]] = gql(client, SEARCH, variables)["search"]
    return hits


def found(hit: dict[str, Any]) -> tuple[str, str]:
    return hit["result"]["__typename"], hit["result"]["name"]


def fold(text: str) -> str:
    """Width, case and spacing folded, as the search compares (for texts without 繁体)."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@pytest.mark.parametrize(
    ("text", "result", "matched", "match", "matched_by"),
    [
        ("臺灣", ("Country", "中国台湾"), "台湾", "EXACT", "ALIAS"),
        ("riben", ("Country", "日本"), "ri ben", "EXACT", "PINYIN"),
        ("ri ben", ("Country", "日本"), "ri ben", "EXACT", "PINYIN"),
        ("RiBen", ("Country", "日本"), "ri ben", "EXACT", "PINYIN"),
        ("rb", ("Country", "日本"), "rb", "EXACT", "INITIALS"),
        ("Japan", ("Country", "日本"), "Japan", "EXACT", "NAME_EN"),
        ("jp", ("Country", "日本"), "JP", "EXACT", "ACRONYM"),
        ("Max Planck", ("Institution", "德国马普学会"), "Max Planck Society", "PREFIX", "NAME_EN"),
        ("energy", ("Field", "能源领域"), "Energy", "EXACT", "NAME_EN"),
        ("能源", ("Direction", "能源"), "能源", "EXACT", "NAME"),
        ("doe", ("Institution", "美国能源部"), "DOE", "EXACT", "ACRONYM"),
        ("Ｄｏｅ", ("Institution", "美国能源部"), "DOE", "EXACT", "ACRONYM"),
        ("NIST", ("Institution", "国家标准技术研究院"), "NIST", "EXACT", "ACRONYM"),
        ("Scipps", ("Institution", "斯克里普斯海洋研究所"), "Scipps", "EXACT", "ALIAS"),
        ("大洋", ("Continent", "大洋洲"), "大洋洲", "PREFIX", "NAME"),
    ],
)
def test_the_best_hit(
    http_client: httpx.Client,
    text: str,
    result: tuple[str, str],
    matched: str,
    match: str,
    matched_by: str,
) -> None:
    best = search(http_client, text)[0]
    assert found(best) == result
    assert (best["matched"], best["match"], best["matchedBy"]) == (matched, match, matched_by)


def test_energy_in_english_finds_the_field_then_the_direction(http_client: httpx.Client) -> None:
    hits = search(http_client, "energy")
    assert [found(h) for h in hits[:2]] == [("Field", "能源领域"), ("Direction", "能源")]
    assert ("Institution", "美国能源部") in [found(h) for h in hits]
    doe = next(h for h in hits if found(h) == ("Institution", "美国能源部"))
    assert (doe["matched"], doe["match"]) == ("United States Department of Energy", "SUBSTRING")


def test_energy_in_chinese_ranks_exact_then_prefix_then_substring(
    http_client: httpx.Client,
) -> None:
    hits = search(http_client, "能源")
    assert [(found(h), h["match"]) for h in hits] == [
        (("Direction", "能源"), "EXACT"),
        (("Field", "能源领域"), "PREFIX"),
        (("Institution", "美国能源部"), "SUBSTRING"),
    ]


@pytest.mark.parametrize(
    "text", ["能源", "energy", "doe", "NIST", "land", "大学", "university", "rb", "中国", "an"]
)
def test_every_hit_says_truly_what_matched_and_how(http_client: httpx.Client, text: str) -> None:
    hits = search(http_client, text, first=100)
    assert hits
    needle = fold(text)
    for hit in hits:
        spelling = fold(hit["matched"])
        expected_match = (
            "EXACT"
            if spelling == needle
            else "PREFIX"
            if spelling.startswith(needle)
            else "SUBSTRING"
        )
        assert needle in spelling, hit
        assert hit["match"] == expected_match, hit
        assert hit["score"] == pytest.approx(
            CLASSES[expected_match] + len(needle) / len(spelling), abs=1e-3
        ), hit


@pytest.mark.parametrize("text", ["能源", "energy", "land", "大学", "university", "中国", "an"])
def test_scores_never_increase(http_client: httpx.Client, text: str) -> None:
    hits = search(http_client, text, first=100)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    classes = [CLASSES[h["match"]] for h in hits]
    assert classes == sorted(classes, reverse=True)


@pytest.mark.parametrize("text", ["大学", "university", "an", "中国"])
def test_each_entity_is_found_once(http_client: httpx.Client, text: str) -> None:
    hits = search(http_client, text, first=100)
    keys = [(h["result"]["__typename"], h["result"]["id"]) for h in hits]
    assert len(keys) == len(set(keys))


def test_the_matched_spelling_is_one_of_the_results(http_client: httpx.Client) -> None:
    for text in ("能源", "energy", "doe", "NIST", "大学", "university", "Scipps", "台大"):
        for hit in search(http_client, text, first=100):
            result = hit["result"]
            by = hit["matchedBy"]
            if by == "NAME":
                assert hit["matched"] == result["name"]
            elif by == "NAME_EN":
                assert hit["matched"] == result["nameEn"]
            elif by == "ACRONYM":
                assert hit["matched"] in (result.get("acronym"), result.get("isoCode"))


def test_an_institution_matched_by_alias_has_that_alias(http_client: httpx.Client) -> None:
    query = SEARCH.replace("acronym country", "acronym aliases country")
    for text in ("Scipps", "台大", "美国能源部（", "加拿大U15"):
        hits = gql(http_client, query, {"text": text, "first": 100})["search"]
        aliased = [h for h in hits if h["matchedBy"] == "ALIAS"]
        assert aliased, text
        for hit in aliased:
            if hit["result"]["__typename"] == "Institution":
                assert hit["matched"] in hit["result"]["aliases"], hit


def test_every_institution_named_daxue_is_found(http_client: httpx.Client) -> None:
    hits = search(http_client, "大学", first=100)
    exact = [h for h in hits if h["match"] == "EXACT"]
    assert {h["result"]["country"]["name"] for h in exact} == {
        "日本", "韩国", "印度", "以色列", "新加坡", "埃及", "南非", "阿根廷", "智利",
    }  # fmt: skip
    assert all(h["result"]["name"] == "大学" for h in exact)


@pytest.mark.parametrize("first", [1, 3, 7])
def test_first_limits_the_hits(http_client: httpx.Client, first: int) -> None:
    assert len(search(http_client, "大学", first=first)) == first


def test_ten_hits_by_default(http_client: httpx.Client) -> None:
    assert len(search(http_client, "大学")) == 10


@pytest.mark.parametrize("first", [0, -1, 101])
def test_first_outside_1_to_100_is_refused(http_client: httpx.Client, first: int) -> None:
    errors = gql_errors(http_client, SEARCH, {"text": "大学", "first": first})
    assert error_codes(errors) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_text_is_refused(http_client: httpx.Client, text: str) -> None:
    errors = gql_errors(http_client, SEARCH, {"text": text})
    assert error_codes(errors) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("text", ["%", "_", "%%", "__", "a%", "%学", "大_", "\\"])
def test_like_wildcards_match_themselves_only(http_client: httpx.Client, text: str) -> None:
    assert search(http_client, text, first=100) == []


def test_text_that_matches_nothing_finds_nothing(http_client: httpx.Client) -> None:
    assert search(http_client, "zzzqqq") == []


def test_romanisations_match_from_their_start_only(http_client: httpx.Client) -> None:
    # "daxue" (大学) is inside the pinyin of every ...大学, but only 大学 itself starts with it.
    hits = gql(
        http_client,
        '{ search(text: "daxue", first: 100) { matchedBy result { ... on Institution { name } } } }',
    )["search"]
    assert hits
    assert {hit["result"]["name"] for hit in hits} == {"大学"}
    assert {hit["matchedBy"] for hit in hits} == {"PINYIN"}
    first = gql(
        http_client, '{ search(text: "aoke") { matchedBy result { ... on Institution { name } } } }'
    )["search"][0]
    assert first == {"matchedBy": "PINYIN", "result": {"name": "奥克兰大学"}}


# Search that reads words.


@pytest.mark.parametrize(
    ("text", "name", "matched", "match"),
    [
        ("university macau", "澳门大学", "University of Macau", "WORDS"),  # line 657
        (
            "Macau University",
            "澳门科技大学",
            "Macau University of Science and Technology",
            "PREFIX",
        ),
        ("nat taiw univ", "台湾大学", "National Taiwan University", "WORDS"),  # line 693
        ("canterbury university", "基督城大学", "University of Canterbury", "WORDS"),  # line 327
        ("council canada research", "国家研究理事会", "National Research Council Canada", "WORDS"),
        ("acores", "葡萄牙亚速尔大学", "Universidade dos Açores", "WORDS"),  # line 481
    ],
)
def test_english_words_in_any_order_and_their_prefixes(
    http_client: httpx.Client, text: str, name: str, matched: str, match: str
) -> None:
    best = search(http_client, text)[0]
    assert found(best) == ("Institution", name)
    assert (best["matched"], best["match"]) == (matched, match)


@pytest.mark.parametrize(
    ("text", "name", "matched"),
    [
        ("canterbery", "基督城大学", "University of Canterbury"),
        ("univeristy of canterbury", "基督城大学", "University of Canterbury"),
        ("fraunhofr", "德国弗朗霍夫协会", "Fraunhofer Society"),
    ],
)
def test_one_typo_in_a_long_word_still_finds_it(
    http_client: httpx.Client, text: str, name: str, matched: str
) -> None:
    best = search(http_client, text)[0]
    assert found(best) == ("Institution", name)
    assert (best["matched"], best["match"]) == (matched, "FUZZY")
    assert best["score"] < 0.5


def test_a_typo_ranks_below_every_exact_hit(http_client: httpx.Client) -> None:
    # "centre" is a word of CNRS and CNES (lines 451, 463); "center" (NCAR, line 235) and
    # "centro" (Cinvestav's own name, line 384) are one edit from it, and rank below.
    hits = search(http_client, "centre", first=100)
    by_name = {found(h)[1]: h["match"] for h in hits}
    assert by_name["法国科研中心"] != "FUZZY"
    assert by_name["法国空间研究中心"] != "FUZZY"
    assert by_name["国家大气研究中心"] == "FUZZY"
    assert by_name["墨西哥高等研究中心"] == "FUZZY"
    matches = [h["match"] for h in hits]
    assert matches.index("FUZZY") == len(matches) - matches.count("FUZZY")
    assert max(h["score"] for h in hits if h["match"] == "FUZZY") < min(
        h["score"] for h in hits if h["match"] != "FUZZY"
    )
    typo = search(http_client, "lincon", first=100)
    assert [(found(h), h["match"]) for h in typo] == [(("Institution", "林肯大学"), "FUZZY")]
    # Short words are not corrected: one edit of "doe" is another word.
    assert search(http_client, "dod") == []


def test_chinese_inside_a_name_matches_as_a_substring(http_client: httpx.Client) -> None:
    hits = search(http_client, "科学研究", first=100)
    names = {found(h) for h in hits}
    assert ("Institution", "科威特科学研究院") in names  # line 167
    assert all(h["match"] in {"EXACT", "PREFIX", "SUBSTRING"} for h in hits)


NAME_FILTERS = """
query($text: String!) {
  countries(filter: {nameContains: $text}) { totalCount edges { node { name } } }
  institutions(filter: {nameContains: $text}) { totalCount edges { node { name } } }
}
"""


@pytest.mark.parametrize(
    ("text", "countries", "institutions"),
    [
        (
            "臺灣",
            ["中国台湾"],
            ["台湾工业技术研究院", "台湾中央研究院", "台湾大学", "台湾清华大学"],
        ),
        ("ＭＡＣＡＵ", [], ["澳门大学", "澳门科技大学"]),
        ("macao", ["中国澳门"], []),
        ("中研院", [], ["台湾中央研究院"]),
        ("max planck", [], ["德国马普学会"]),
    ],
)
def test_name_filters_normalise_as_search_does(
    http_client: httpx.Client, text: str, countries: list[str], institutions: list[str]
) -> None:
    data = gql(http_client, NAME_FILTERS, {"text": text})
    assert [e["node"]["name"] for e in data["countries"]["edges"]] == countries
    assert [e["node"]["name"] for e in data["institutions"]["edges"]] == institutions
    assert search(http_client, text)

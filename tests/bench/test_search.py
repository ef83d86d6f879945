"""The search benchmark's scaled data: what it adds, and that search still ranks well on it.

Each lookup reads a bounded number of candidates, the shortest spellings that match
(``db.queries.search.candidates``). On thirty times the institutions, ten hits read from
forty candidates must be as good as the first ten of a hundred read from four hundred:
the same match classes and scores, hit by hit. (Among hits of equal score, which ones
make the ten depends on which candidates were read.)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bench.search import TEXTS, add_synthetic_copies
from coopgraph.db.engine import create_api_engine, create_session_factory
from coopgraph.db.models import SearchTerm
from coopgraph.db.queries.postings import Driver, candidates_from_postings, choose_driver
from coopgraph.db.queries.search import (
    CANDIDATE_COLUMNS,
    EXACT,
    PREFIX,
    SearchMatch,
    postgres_words_match,
    search_terms,
    text_groups,
)
from coopgraph.db.text import search_words
from testbed.databases import drop_postgres_database
from tests.db.tables import rows

COPIES = 30
#: Short prefixes, whose range of whole spellings is wide, beside the benchmark's texts.
PREFIXES = ("n", "g", "t", "institute of")


def quality(hit: SearchMatch) -> tuple[int, float]:
    return hit.match, hit.score


async def top_hits(url: str, limit: int) -> dict[str, list[SearchMatch]]:
    engine = create_api_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return {text: await search_terms(session, text, limit) for text in TEXTS + PREFIXES}
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def scaled_url(
    seeded_url: str,
    copy_seeded: Callable[[str, Path], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The document with its institutions' spellings copied thirty times, per backend."""
    url = copy_seeded(make_url(seeded_url).get_backend_name(), tmp_path_factory.mktemp("scaled"))
    add_synthetic_copies(url, COPIES)
    yield url
    if url.startswith("postgresql"):
        drop_postgres_database(url)


def test_each_copy_adds_the_spellings_of_every_institution(scaled_url: str) -> None:
    # 542 a copy: the document's institution spellings without its aliases, plus the
    # romanisations of the copies' names; the curated aliases users type
    # (seed/curation/search_aliases.csv, 12 of them) name the document's entities only.
    # At x1000 the benchmark searches 1,003 + 999 * 542 = 542,461 spellings.
    assert rows(scaled_url, "SELECT count(*) FROM search_terms") == [(1003 + (COPIES - 1) * 542,)]
    # Copy 1 of 澳门大学: its name with 南东, its English name with the word kakalo.
    [(copy_id,)] = rows(
        scaled_url, "SELECT entity_id FROM search_terms WHERE term = '澳门大学南东'"
    )
    assert rows(
        scaled_url,
        "SELECT term, source FROM search_terms WHERE entity_id = :id AND source = 'nameEn'",
        id=copy_id,
    ) == [("University of Macau kakalo", "nameEn")]


def test_ten_hits_from_forty_candidates_are_the_best_ten(scaled_url: str) -> None:
    ten = asyncio.run(top_hits(scaled_url, 10))
    hundred = asyncio.run(top_hits(scaled_url, 100))
    for searched, hits in ten.items():
        assert hits, searched
        best = hundred[searched][:10]
        assert [quality(h) for h in hits] == [quality(h) for h in best], searched
    # 大学 alone names nine institutions of the document; their copies are 大学 and two
    # characters more, so the nine exact hits come first.
    assert [(hit.term, hit.match) for hit in ten["大学"][:10]] == [("大学", EXACT)] * 9 + [
        (ten["大学"][9].term, PREFIX)
    ]


#: Texts for PostgreSQL's postings beside the benchmark's: words of two scripts, a Han
#: phrase rarer than its characters, prefixes that begin several words of one spelling
#: (res, fo) and a letter the English names hold in many words.
POSTINGS_TEXTS = (*TEXTS, *PREFIXES, "大学 university", "tokyo 大学", "研究所", "res", "fo", "α")
#: Typo corrections stand in for a group as exact words.
CORRECTED = {"canterbery": {0: ["canterbury"]}, "univ centers": {1: ["centre", "center"]}}


async def postgres_candidates(
    url: str, cases: dict[str, dict[int, list[str]]]
) -> dict[str, tuple[Sequence[Any], Sequence[Any], Driver | None]]:
    """For each text: the GIN index's 40 first candidates, the postings' and the driver."""
    engine = create_api_engine(url)
    found = {}
    try:
        async with create_session_factory(engine)() as session:
            for text, alternatives in cases.items():
                groups = text_groups(search_words(text))
                matches = postgres_words_match(groups, alternatives)
                driver = await choose_driver(session, groups, alternatives)
                gin = select(*CANDIDATE_COLUMNS).where(matches).order_by(SearchTerm.rank)
                by_gin = (await session.execute(gin.limit(40))).all()
                by_postings: Sequence[Any] = []
                if driver is not None and driver.words:
                    postings = candidates_from_postings(driver, CANDIDATE_COLUMNS, matches).limit(
                        40
                    )
                    by_postings = (await session.execute(postings)).all()
                found[text] = (by_gin, by_postings, driver)
    finally:
        await engine.dispose()
    return found


@pytest.mark.parametrize("seeded_url", ["postgresql"], indirect=True)
def test_postgresql_postings_find_what_its_gin_index_finds(scaled_url: str) -> None:
    cases: dict[str, dict[int, list[str]]] = {searched: {} for searched in POSTINGS_TEXTS}
    driven = 0
    for searched, (by_gin, by_postings, driver) in asyncio.run(
        postgres_candidates(scaled_url, cases | CORRECTED)
    ).items():
        if driver is None:
            continue  # every group a prefix of many words: the GIN index answers
        driven += 1
        assert by_postings == by_gin, searched
        assert len(set(by_postings)) == len(by_postings), searched
    assert driven >= 15


@pytest.mark.parametrize("seeded_url", ["postgresql"], indirect=True)
def test_postgresql_walks_the_postings_of_a_common_word_and_stops(scaled_url: str) -> None:
    """大学 is in thousands of spellings here: the plan walks its postings, it sorts none."""

    async def plan() -> str:
        engine = create_api_engine(scaled_url)
        try:
            async with create_session_factory(engine)() as session:
                groups = text_groups(search_words("大学"))
                driver = await choose_driver(session, groups, {})
                assert driver == Driver(("大学",))
                query = candidates_from_postings(
                    driver, CANDIDATE_COLUMNS, postgres_words_match(groups, {})
                )
                compiled = query.limit(40).compile(
                    dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
                )
                explained = await session.execute(text(f"EXPLAIN (FORMAT JSON) {compiled}"))
                return json.dumps(explained.scalar())
        finally:
            await engine.dispose()

    shape = plan_nodes(json.loads(asyncio.run(plan())))
    assert "Sort" not in shape
    assert "Index Only Scan" in shape or "Index Scan" in shape
    assert shape[:2] == ["Limit", "Unique"]


def plan_nodes(explained: Any) -> list[str]:
    """The node types of an EXPLAIN (FORMAT JSON) plan, depth first."""
    nodes: list[str] = []
    pending = [explained[0]["Plan"]]
    while pending:
        node = pending.pop(0)
        nodes.append(node["Node Type"])
        pending[:0] = node.get("Plans", [])
    return nodes

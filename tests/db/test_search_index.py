"""The text index as the seed leaves it: spellings shortest first, ready to be read."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest
from sqlalchemy import text

from coopgraph.db.engine import create_sync_engine
from coopgraph.db.models import SearchTerm
from coopgraph.db.text import is_han
from coopgraph.seed.curation import load_curation
from coopgraph.seed.search_terms import Term, shortest_first, stored_terms
from tests.db.tables import rows


@pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)
def test_sqlite_rowids_run_shortest_first(seeded_url: str) -> None:
    # FTS5 walks its matches in rowid order and stops at the limit: this order is what
    # makes the candidates a search reads the shortest ones.
    stored = read_terms(seeded_url, stored_terms().order_by(text("rowid")))
    assert len(stored) > 900
    assert stored == sorted(stored, key=shortest_first)
    # 埃及's initials, then Argentina's and Australia's codes: two letters, by code point.
    assert [(t.term, t.source) for t in stored[:3]] == [
        ("aj", "initials"),
        ("AR", "acronym"),
        ("AU", "acronym"),
    ]


def test_ranks_run_shortest_first(seeded_url: str) -> None:
    stored = read_terms(seeded_url, stored_terms().order_by(SearchTerm.rank))
    assert stored == sorted(stored, key=shortest_first)
    ranks = [rank for (rank,) in rows(seeded_url, "SELECT rank FROM search_terms ORDER BY rank")]
    assert ranks == list(range(1, len(stored) + 1))


@pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)
def test_the_sqlite_text_index_holds_every_spelling_in_one_segment(seeded_url: str) -> None:
    engine = create_sync_engine(seeded_url)
    with engine.connect() as connection:
        # Raises if FTS5's index and search_terms disagree in any row.
        connection.execute(
            text(
                "INSERT INTO search_terms_fts(search_terms_fts, rank) VALUES ('integrity-check', 1)"
            )
        )
        # The seed merged the segments its batches wrote into one.
        segments = connection.scalar(text("SELECT count(DISTINCT segid) FROM search_terms_fts_idx"))
        assert segments == 1
    engine.dispose()


@pytest.mark.parametrize("seeded_url", ["postgresql"], indirect=True)
def test_postgresql_stores_the_word_vector_under_an_index_without_pending_list(
    seeded_url: str,
) -> None:
    assert rows(
        seeded_url,
        "SELECT count(*) FROM search_terms "
        "WHERE words_vector IS DISTINCT FROM to_tsvector('simple'::regconfig, words)",
    ) == [(0,)]
    assert rows(
        seeded_url,
        "SELECT reloptions FROM pg_class WHERE relname = 'ix_search_terms_words_fts'",
    ) == [(["fastupdate=off"],)]
    # The seed vacuumed the postings after it committed: every page is marked all-visible,
    # so the planner reads them by index-only scans.
    [(pages, visible)] = rows(
        seeded_url,
        "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'search_postings'",
    )
    assert pages > 0
    assert visible == pages
    # The seed analysed the table it rewrote: the planner counts the rows there are.
    [(planned, stored)] = rows(
        seeded_url,
        "SELECT reltuples::bigint, (SELECT count(*) FROM search_terms) "
        "FROM pg_class WHERE relname = 'search_terms'",
    )
    assert planned == stored


def read_terms(url: str, query: object) -> list[Term]:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            return [Term(*row) for row in connection.execute(query)]  # type: ignore[call-overload]
    finally:
        engine.dispose()


@pytest.mark.parametrize("seeded_url", ["postgresql"], indirect=True)
def test_postgresql_posts_each_word_and_each_pair_of_han_neighbours(seeded_url: str) -> None:
    expected: set[tuple[str, int]] = set()
    for words, rank in rows(seeded_url, "SELECT words, rank FROM search_terms"):
        listed = (words or "").split()
        expected |= {(word, rank) for word in listed}
        expected |= {(a + b, rank) for a, b in pairwise(listed) if is_han(a) and is_han(b)}
    posted = set(rows(seeded_url, "SELECT word, rank FROM search_postings"))
    assert posted == expected
    [(macau,)] = rows(
        seeded_url,
        "SELECT rank FROM search_terms WHERE term = '澳门大学' AND source = 'name'",
    )
    assert {word for word, rank in posted if rank == macau} == {
        "澳", "门", "大", "学", "澳门", "门大", "大学",
    }  # fmt: skip
    counted = Counter(word for word, _ in expected)
    assert set(rows(seeded_url, "SELECT word, spellings FROM search_words")) == set(counted.items())


def test_the_seed_stores_every_curated_spelling_users_type(seeded_url: str) -> None:
    stored = set(
        rows(
            seeded_url,
            "SELECT c.name, NULL, t.term FROM search_terms t "
            "JOIN countries c ON t.entity_type = 'Country' AND t.entity_id = c.id "
            "WHERE t.source = 'alias' "
            "UNION SELECT c.name, i.name, t.term FROM search_terms t "
            "JOIN institutions i ON t.entity_type = 'Institution' AND t.entity_id = i.id "
            "JOIN countries c ON c.id = i.country_id WHERE t.source = 'alias'",
        )
    )
    curated = {
        (entry.country, entry.institution, entry.alias)
        for entries in load_curation().search_aliases.values()
        for entry in entries
    }
    assert len(curated) == 12
    assert curated <= stored
    assert ("英国", None, "UK") in stored
    assert ("中国台湾", "台湾清华大学", "Tsinghua") in stored


def test_no_two_countries_share_a_name(seeded_url: str) -> None:
    # country(name:) resolves any stored spelling but romanisations: each must name one
    # country, or the look-up would answer whichever comes first.
    shared = rows(
        seeded_url,
        "SELECT normalized FROM search_terms WHERE entity_type = 'Country' "
        "AND source NOT IN ('pinyin', 'initials') "
        "GROUP BY normalized HAVING count(DISTINCT entity_id) > 1",
    )
    assert shared == []
    names = rows(
        seeded_url,
        "SELECT count(*) FROM search_terms WHERE entity_type = 'Country' "
        "AND source NOT IN ('pinyin', 'initials')",
    )
    assert names[0][0] > 44 * 3

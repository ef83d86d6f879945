"""The database objects of the text index that the models cannot declare.

SQLite reads ``search_terms.words`` through an FTS5 table kept in step by triggers
(migration 0003), and walks its matches in rowid order, which the seed makes the
spellings' ``rank``. PostgreSQL's GIN index answers only bitmap scans, which find every
match before the first is read, so PostgreSQL keeps its own postings (migration 0005):
``search_postings`` holds (word, rank) for each word of each spelling and each pair of
neighbouring Han characters, in a b-tree that a search reads in rank order and stops;
``search_words`` counts the spellings of each word, to choose the rarest word to read
and to expand a typed prefix into words. The GIN index on the stored ``words_vector``
stays for prefixes too short to expand, and as the filter of every candidate. A
C-collated index on ``normalized`` serves prefix ranges (0003). Alembic's comparison
skips all of these by name.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, column, table, text
from sqlalchemy.exc import DBAPIError

from coopgraph.db.text import HAN_CHARACTER

log = logging.getLogger(__name__)

#: The FTS5 table and the shadow tables SQLite makes for it.
SQLITE_FTS_TABLE = "search_terms_fts"
SQLITE_OBJECTS = frozenset(
    {SQLITE_FTS_TABLE}
    | {f"{SQLITE_FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")}
)
POSTGRES_INDEXES = frozenset({"ix_search_terms_words_fts", "ix_search_terms_normalized_c"})
#: The generated column the GIN index reads; queries name it, the models do not.
POSTGRES_WORDS_VECTOR = "words_vector"
#: (word, rank) for every word and Han pair of every spelling; primary key (word, rank).
search_postings = table("search_postings", column("word"), column("rank"))
#: How many spellings hold each word of ``search_postings``.
search_words = table("search_words", column("word"), column("spellings"))
POSTGRES_TABLES = frozenset({"search_postings", "search_words"})
UNMODELLED = SQLITE_OBJECTS | POSTGRES_INDEXES | POSTGRES_TABLES | {POSTGRES_WORDS_VECTOR}

_POSTINGS = text(
    "INSERT INTO search_postings (word, rank) "
    "SELECT lexeme, rank FROM search_terms, unnest(tsvector_to_array(words_vector)) AS lexeme "
    "UNION "
    "SELECT pair, rank FROM ("
    " SELECT rank, word || lead(word) OVER next AS pair,"
    " word ~ :han AND lead(word) OVER next ~ :han AS both_han"
    " FROM search_terms, unnest(string_to_array(words, ' ')) WITH ORDINALITY AS w(word, n)"
    " WINDOW next AS (PARTITION BY rank ORDER BY n)"
    ") AS pairs WHERE both_han"
)


def is_modelled(name: str | None) -> bool:
    """Whether Alembic should compare a table or index of this name with the models."""
    return name not in UNMODELLED


def refresh_search_index(connection: Connection) -> None:
    """Ready the text index for searching after a bulk write of spellings.

    SQLite: merge FTS5's segments into one b-tree, so a lookup reads one doclist per
    word instead of one per batch written. PostgreSQL: rebuild the postings and the word
    counts from the stored word vectors, then refresh the planner's statistics of the
    rewritten tables, which no autovacuum has seen yet. Both run in the caller's
    transaction; a rollback undoes them, except PostgreSQL's row estimates
    (``pg_class.reltuples``), which ANALYZE writes in place: planner arithmetic only.
    """
    if connection.dialect.name == "sqlite":
        connection.execute(
            text("INSERT INTO search_terms_fts(search_terms_fts) VALUES ('optimize')")
        )
        return
    connection.execute(text("DELETE FROM search_postings"))
    connection.execute(_POSTINGS, {"han": f"^{HAN_CHARACTER}$"})
    connection.execute(text("DELETE FROM search_words"))
    connection.execute(
        text(
            "INSERT INTO search_words (word, spellings) "
            "SELECT word, count(*) FROM search_postings GROUP BY word"
        )
    )
    connection.execute(
        text("ANALYZE search_terms, search_postings, search_words, search_word_keys")
    )


def vacuum_search_index(engine: Engine) -> None:
    """After a seed commits, on PostgreSQL: VACUUM the rewritten search tables.

    ANALYZE inside the seed gives the planner row counts, but only VACUUM sets the
    visibility map that makes an index-only scan of ``search_postings`` cheap; without
    it the planner sorts every posting of a common word (25 ms for 大学 at x1000, 0.2 ms
    after). VACUUM cannot run in a transaction, hence a separate step; autovacuum would
    get there too, later.
    """
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE) search_terms, search_postings, search_words"))
    except DBAPIError as error:
        # The seed has committed: its data stands, and autovacuum will get there.
        log.warning("search tables not vacuumed after the seed: %s", error.orig)

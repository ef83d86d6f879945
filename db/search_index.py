"""The database objects of the text index that the models cannot declare.

SQLite reads ``search_terms.words`` through an FTS5 table kept in step by triggers
(migration 0003). PostgreSQL reads it through a GIN index on a stored ``words_vector``
column (migration 0005), and ``normalized`` through a C-collated index for prefix ranges
(0003). Alembic's comparison skips them by these names.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

#: The FTS5 table and the shadow tables SQLite makes for it.
SQLITE_FTS_TABLE = "search_terms_fts"
SQLITE_OBJECTS = frozenset(
    {SQLITE_FTS_TABLE}
    | {f"{SQLITE_FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")}
)
POSTGRES_INDEXES = frozenset({"ix_search_terms_words_fts", "ix_search_terms_normalized_c"})
#: The generated column the GIN index reads; queries name it, the models do not.
POSTGRES_WORDS_VECTOR = "words_vector"
UNMODELLED = SQLITE_OBJECTS | POSTGRES_INDEXES | {POSTGRES_WORDS_VECTOR}


def is_modelled(name: str | None) -> bool:
    """Whether Alembic should compare a table or index of this name with the models."""
    return name not in UNMODELLED


def refresh_search_index(connection: Connection) -> None:
    """Ready the text index for searching after a bulk write of spellings.

    SQLite: merge FTS5's segments into one b-tree, so a lookup reads one doclist per
    word instead of one per batch written. PostgreSQL: refresh the planner's statistics,
    from which it chooses between the GIN index (a rare word) and the shortest-first
    walk (a common one); stale statistics pick the wrong one at scale.
    """
    if connection.dialect.name == "sqlite":
        connection.execute(
            text("INSERT INTO search_terms_fts(search_terms_fts) VALUES ('optimize')")
        )
    else:
        connection.execute(text("ANALYZE search_terms, search_word_keys"))

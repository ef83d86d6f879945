"""The database objects of the text index that the models cannot declare.

SQLite reads ``search_terms.words`` through an FTS5 table kept in step by triggers;
PostgreSQL through a GIN index on ``to_tsvector('simple', words)``, and a C-collated
index on ``normalized`` for prefix ranges. Migration 0003 creates them; Alembic's
comparison skips them by these names.
"""

from __future__ import annotations

#: The FTS5 table and the shadow tables SQLite makes for it.
SQLITE_FTS_TABLE = "search_terms_fts"
SQLITE_OBJECTS = frozenset(
    {SQLITE_FTS_TABLE}
    | {f"{SQLITE_FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config")}
)
POSTGRES_INDEXES = frozenset({"ix_search_terms_words_fts", "ix_search_terms_normalized_c"})
UNMODELLED = SQLITE_OBJECTS | POSTGRES_INDEXES


def is_modelled(name: str | None) -> bool:
    """Whether Alembic should compare a table or index of this name with the models."""
    return name not in UNMODELLED

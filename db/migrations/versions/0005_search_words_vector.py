"""search: a stored word vector under a GIN index without a pending list

Revision ID: 0005
Revises: 0004

Searching tests the word vector of every spelling its GIN index matched, to order them
shortest first; computing ``to_tsvector`` again for each of them cost more than the
index lookup at a thousand times the data, so PostgreSQL now stores it. ``fastupdate``
is off because the seed is the only writer: a pending list would make every search scan
it, unsorted, until the next vacuum.

SQLite needs nothing here: FTS5 walks its matches in rowid order and stops at the limit,
and the seed writes the spellings shortest first (seed.load).
"""

from __future__ import annotations

from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        "ALTER TABLE search_terms ADD COLUMN words_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, words)) STORED"
    )
    op.execute("DROP INDEX ix_search_terms_words_fts")
    op.execute(
        "CREATE INDEX ix_search_terms_words_fts ON search_terms "
        "USING gin (words_vector) WITH (fastupdate = off)"
    )
    op.execute("ANALYZE search_terms")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX ix_search_terms_words_fts")
    op.execute("ALTER TABLE search_terms DROP COLUMN words_vector")
    op.execute(
        "CREATE INDEX ix_search_terms_words_fts ON search_terms "
        "USING gin (to_tsvector('simple'::regconfig, words))"
    )

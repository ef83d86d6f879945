"""search reads the shortest spellings first and stops: rank, word vector, postings

Revision ID: 0005
Revises: 0004

``search_terms.rank`` is a spelling's place in shortest-first order, which the seed
also writes them in. SQLite's FTS5 walks matches in rowid order, so the stored rows are
rewritten in rank order and nothing more is needed. PostgreSQL gets a stored word vector under a GIN index without a pending list (the
seed is the only writer, and a pending list is scanned by every search until a vacuum),
and the postings a search reads in rank order (``db.search_index``). The postings are
filled here from the rows already stored, so a database upgraded without a new seed
searches as a new one does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.search_index import refresh_search_index


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_ORDER = {
    'sqlite': 'length(normalized), normalized, entity_type, entity_id',
    'postgresql': (
        'char_length(normalized), normalized COLLATE "C", entity_type COLLATE "C", entity_id'
    ),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column(
        'search_terms', sa.Column('rank', sa.Integer(), server_default='0', nullable=False)
    )
    op.execute(
        "UPDATE search_terms SET rank = ranked.n FROM ("
        "SELECT entity_type AS t, entity_id AS i, normalized AS m, "
        f"row_number() OVER (ORDER BY {_ORDER[dialect]}) AS n FROM search_terms) AS ranked "
        "WHERE ranked.t = search_terms.entity_type AND ranked.i = search_terms.entity_id "
        "AND ranked.m = search_terms.normalized"
    )
    op.create_index('ix_search_terms_rank', 'search_terms', ['rank'], unique=True)
    if dialect == 'sqlite':
        # Rewritten in rank order, so rowids (which FTS5 walks in) follow rank, as after
        # a seed; the triggers keep FTS5 in step.
        op.execute("CREATE TEMP TABLE ranked_terms AS SELECT * FROM search_terms")
        op.execute("DELETE FROM search_terms")
        op.execute("INSERT INTO search_terms SELECT * FROM ranked_terms ORDER BY rank")
        op.execute("DROP TABLE ranked_terms")
        refresh_search_index(op.get_bind())
    if dialect == 'postgresql':
        op.execute(
            "ALTER TABLE search_terms ADD COLUMN words_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, words)) STORED"
        )
        op.execute("DROP INDEX ix_search_terms_words_fts")
        op.execute(
            "CREATE INDEX ix_search_terms_words_fts ON search_terms "
            "USING gin (words_vector) WITH (fastupdate = off)"
        )
        op.execute(
            'CREATE TABLE search_postings (word text COLLATE "C" NOT NULL, '
            "rank integer NOT NULL, PRIMARY KEY (word, rank))"
        )
        op.execute(
            'CREATE TABLE search_words (word text COLLATE "C" PRIMARY KEY, '
            "spellings integer NOT NULL)"
        )
        refresh_search_index(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TABLE search_words")
        op.execute("DROP TABLE search_postings")
        op.execute("DROP INDEX ix_search_terms_words_fts")
        op.execute("ALTER TABLE search_terms DROP COLUMN words_vector")
        op.execute(
            "CREATE INDEX ix_search_terms_words_fts ON search_terms "
            "USING gin (to_tsvector('simple'::regconfig, words))"
        )
    op.drop_index('ix_search_terms_rank', table_name='search_terms')
    # A plain DROP COLUMN on SQLite too (3.35 and newer): a batch copy of the table would
    # renumber the rowids that FTS5 points at and drop its triggers.
    op.execute("ALTER TABLE search_terms DROP COLUMN rank")

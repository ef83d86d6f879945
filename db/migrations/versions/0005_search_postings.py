"""search reads the shortest spellings first and stops: rank, word vector, postings

Revision ID: 0005
Revises: 0004

``search_terms.rank`` is a spelling's place in shortest-first order, which the seed
also writes them in. SQLite's FTS5 walks matches in rowid order, so the stored rows are
rewritten in rank order and nothing more is needed there. ``rank`` keeps a default of 0
for this upgrade only; every writer sets it, and the unique index refuses a second 0.

PostgreSQL gets a stored word vector under a GIN index without a pending list (the seed
is the only writer, and a pending list is scanned by every search until a vacuum), and
the postings a search reads in rank order (``db.search_index``). The postings are filled
here from the rows already stored, so a database upgraded without a new seed searches
as a new one does. The VACUUM the seed runs after it commits cannot run in a
migration's transaction: until autovacuum's, PostgreSQL may sort a common word's
postings instead of walking them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_COLUMNS = "entity_type, entity_id, normalized, term, source, words"
_ORDER = {
    'sqlite': 'length(normalized), normalized, entity_type, entity_id',
    'postgresql': (
        'char_length(normalized), normalized COLLATE "C", entity_type COLLATE "C", entity_id'
    ),
}
# The postings and word counts as db.search_index.refresh_search_index writes them at
# this revision; copied, so that later changes there do not change this migration.
_HAN_CHARACTER = r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$"
_POSTINGS = (
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
_WORDS = (
    "INSERT INTO search_words (word, spellings) "
    "SELECT word, count(*) FROM search_postings GROUP BY word"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column(
        'search_terms', sa.Column('rank', sa.Integer(), server_default='0', nullable=False)
    )
    # Rows are written again in rank order: on SQLite their rowids, which FTS5 walks in,
    # then follow rank as after a seed (the triggers keep FTS5 in step).
    op.execute(
        f"CREATE TEMP TABLE ranked_terms AS SELECT {_COLUMNS}, "
        f"row_number() OVER (ORDER BY {_ORDER[dialect]}) AS n FROM search_terms"
    )
    op.execute("DELETE FROM search_terms")
    op.execute(
        f"INSERT INTO search_terms ({_COLUMNS}, rank) "
        f"SELECT {_COLUMNS}, n FROM ranked_terms ORDER BY n"
    )
    op.execute("DROP TABLE ranked_terms")
    op.create_index('ix_search_terms_rank', 'search_terms', ['rank'], unique=True)
    if dialect == 'sqlite':
        op.execute("INSERT INTO search_terms_fts(search_terms_fts) VALUES ('optimize')")
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
    op.execute(
        'CREATE TABLE search_postings (word text COLLATE "C" NOT NULL, '
        "rank integer NOT NULL, PRIMARY KEY (word, rank))"
    )
    op.execute(
        'CREATE TABLE search_words (word text COLLATE "C" PRIMARY KEY, '
        "spellings integer NOT NULL)"
    )
    op.get_bind().execute(sa.text(_POSTINGS), {"han": _HAN_CHARACTER})
    op.execute(_WORDS)
    op.execute("ANALYZE search_terms, search_postings, search_words")


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

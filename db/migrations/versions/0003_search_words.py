"""search reads words: words column, text indexes, one-typo keys

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('words', sa.Text(), nullable=True))
    op.create_table('search_word_keys',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('word', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('key', 'word', name=op.f('pk_search_word_keys'))
    )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            "CREATE VIRTUAL TABLE search_terms_fts USING fts5(words, content='search_terms', "
            "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
        )
        op.execute(
            "CREATE TRIGGER search_terms_fts_insert AFTER INSERT ON search_terms BEGIN "
            "INSERT INTO search_terms_fts(rowid, words) VALUES (new.rowid, new.words); END"
        )
        op.execute(
            "CREATE TRIGGER search_terms_fts_delete AFTER DELETE ON search_terms BEGIN "
            "INSERT INTO search_terms_fts(search_terms_fts, rowid, words) "
            "VALUES ('delete', old.rowid, old.words); END"
        )
        op.execute(
            "CREATE TRIGGER search_terms_fts_update AFTER UPDATE ON search_terms BEGIN "
            "INSERT INTO search_terms_fts(search_terms_fts, rowid, words) "
            "VALUES ('delete', old.rowid, old.words); "
            "INSERT INTO search_terms_fts(rowid, words) VALUES (new.rowid, new.words); END"
        )
        op.execute("INSERT INTO search_terms_fts(search_terms_fts) VALUES ('rebuild')")
    else:
        op.execute(
            "CREATE INDEX ix_search_terms_words_fts ON search_terms "
            "USING gin (to_tsvector('simple'::regconfig, words))"
        )
        op.execute(
            'CREATE INDEX ix_search_terms_normalized_c ON search_terms (normalized COLLATE "C")'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER search_terms_fts_{trigger}")
        op.execute("DROP TABLE search_terms_fts")
    else:
        op.execute("DROP INDEX ix_search_terms_normalized_c")
        op.execute("DROP INDEX ix_search_terms_words_fts")
    op.drop_table('search_word_keys')
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.drop_column('words')

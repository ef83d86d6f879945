"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from coopgraph.db.engine import create_sync_engine
from coopgraph.db.migrate import alembic_config, upgrade_to_head
from coopgraph.db.models import Base
from coopgraph.db.search_index import is_modelled
from coopgraph.seed.pipeline import seed_database, shipped_documents
from tests.db.tables import dump_tables, rows


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_sync_engine(database_url)
    try:
        upgrade_to_head(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"include_name": lambda name, _type, _parent: is_modelled(name)},
            )
            differences = compare_metadata(context, Base.metadata)
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_upgrading_twice_is_a_no_op(database_url: str) -> None:
    engine = create_sync_engine(database_url)
    try:
        upgrade_to_head(engine)
        upgrade_to_head(engine)
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    assert revision == "0005"


def test_upgrading_a_seeded_database_ranks_and_posts_its_spellings_as_a_seed_does(
    database_url: str,
) -> None:
    seed_database(database_url, shipped_documents())
    seeded = dump_tables(database_url), postings(database_url)
    engine = create_sync_engine(database_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
            # Rows stored before 0005 came in entity order, not shortest first.
            connection.execute(text("CREATE TEMP TABLE old_terms AS SELECT * FROM search_terms"))
            connection.execute(text("DELETE FROM search_terms"))
            connection.execute(
                text("INSERT INTO search_terms SELECT * FROM old_terms ORDER BY entity_id DESC")
            )
        upgrade_to_head(engine)
    finally:
        engine.dispose()
    assert (dump_tables(database_url), postings(database_url)) == seeded
    if database_url.startswith("sqlite"):
        ranks = [
            rank for (rank,) in rows(database_url, "SELECT rank FROM search_terms ORDER BY rowid")
        ]
        assert ranks == list(range(1, len(ranks) + 1))
    else:
        assert len(seeded[1]) > 3000


def postings(url: str) -> list[tuple[object, ...]]:
    if url.startswith("sqlite"):
        return []
    return rows(url, "SELECT word, rank FROM search_postings ORDER BY word, rank") + rows(
        url, "SELECT word, spellings FROM search_words ORDER BY word"
    )

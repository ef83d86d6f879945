"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.engine import create_sync_engine
from db.migrate import upgrade_to_head
from db.models import Base


def test_migrations_match_the_models(database_url: str) -> None:
    engine = create_sync_engine(database_url)
    try:
        upgrade_to_head(engine)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
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
    assert revision == "0002"

"""Apply the Alembic migrations programmatically.

The migrations ship inside the ``db`` package so an installed coopgraph can migrate a
database without an ``alembic.ini`` in the working directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""
    with engine.begin() as connection:
        upgrade_connection(connection)


def upgrade_connection(connection: Connection) -> None:
    """Migrate in the connection's transaction, so a seed's lock covers the migration too."""
    command.upgrade(alembic_config(connection), "head")


@cache
def head_revision() -> str:
    """The newest migration's revision: the schema the code stores data under."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return head or ""

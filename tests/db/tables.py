"""Read a database back in plain rows, to compare states before and after a seed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select, text

from coopgraph.db.engine import create_sync_engine
from coopgraph.db.search_index import is_modelled

ENTITY_TABLES = ("continents", "countries", "fields", "directions", "institutions", "priorities")


def dump_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (Alembic's included), ordered by primary key.

    The text index's own tables are left out: they are derived from ``search_terms``,
    and FTS5 lays out the same index differently after every rebuild.
    """
    engine = create_sync_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*(table.primary_key.columns or table.columns))
                    )
                ]
                for table in metadata.sorted_tables
                if is_modelled(table.name)
            }
    finally:
        engine.dispose()


def rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def keys_and_positions(url: str) -> dict[str, dict[str, int]]:
    """``key → position`` of every entity table."""
    return {table: dict(rows(url, f"SELECT key, position FROM {table}")) for table in ENTITY_TABLES}

"""What every ``coopgraph serve`` does first: migrate, and seed a database that is empty.

Reading the shipped documents (parsing, resolving, spelling names in pinyin for search)
takes the seed's libraries (~0.7 s to import) and the parse itself, which a database
that is already seeded never needs; each server start paid both before. They are
imported and run here only once the database is found empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopgraph.db.engine import create_seed_engine
from coopgraph.db.locking import DEFAULT_SEED_LOCK_TIMEOUT, seed_transaction
from coopgraph.db.migrate import upgrade_connection
from coopgraph.db.models import Edition
from coopgraph.db.search_index import vacuum_search_index

if TYPE_CHECKING:
    from coopgraph.seed.load import SeedReport


def ensure_seeded(
    database_url: str, lock_timeout: float = DEFAULT_SEED_LOCK_TIMEOUT
) -> SeedReport | None:
    """Migrate, and seed the shipped documents when no edition is stored yet.

    The check and the load share one locked transaction, so servers starting at once on
    an empty database seed it once. A shipped document that fails to read rolls back the
    migration with the rest.
    """
    engine = create_seed_engine(database_url, lock_timeout)
    try:
        with seed_transaction(engine, lock_timeout) as connection:
            upgrade_connection(connection)
            with Session(bind=connection) as session:
                stored = session.scalar(select(func.count()).select_from(Edition)) or 0
                if stored:
                    return None
                # Only an empty database needs the seed's libraries (see the module).
                from coopgraph.seed.load import load_editions  # noqa: PLC0415
                from coopgraph.seed.pipeline import read_editions, shipped_documents  # noqa: PLC0415

                report = load_editions(session, read_editions(shipped_documents()))
                session.flush()
        vacuum_search_index(engine)
        return report
    finally:
        engine.dispose()


__all__ = ["ensure_seeded"]

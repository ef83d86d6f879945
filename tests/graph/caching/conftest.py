"""Apps for the caching tests, counters of the SQL they run, and a Redis to share.

Every test asks queries no other test asks (an alias with a random name), so runs in
parallel, or earlier runs' answers still in Redis, never answer for this one.
"""

from __future__ import annotations

import uuid
from typing import Any

import redis
from sqlalchemy import event

from tests.graph.http.conftest import LiveApp

EDITIONS = "{ editions { year priorityCount } }"


def unique_query(selection: str = "editions { year priorityCount }") -> tuple[str, str]:
    """A query no other request asks, and the alias that makes it so."""
    alias = f"u{uuid.uuid4().hex}"
    return f"{{ {alias}: {selection} }}", alias


class StatementCounter:
    """SQL statements an app ran: through SQLAlchemy's engine and the compiled path's source.

    Both are counted because a cache hit must run neither: the standard path reads
    through the engine, the compiled path through its own sqlite3 or psycopg source.
    """

    def __init__(self, served: LiveApp) -> None:
        self.engine_statements = 0
        self._compiled = served.built.compiled
        self._engine = served.built.engine.sync_engine
        event.listen(self._engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.engine_statements += 1

    @property
    def compiled_statements(self) -> int:
        if self._compiled is None:
            return 0
        statements: int = self._compiled.source.statements
        return statements

    def snapshot(self) -> tuple[int, int]:
        """(engine statements, compiled statements) so far."""
        return self.engine_statements, self.compiled_statements

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._count)


def delete_keys_holding(client: redis.Redis, pattern: str, marker: str) -> int:
    """Delete the keys matching ``pattern`` whose value contains ``marker``; returns how many."""
    deleted = 0
    for key in client.scan_iter(pattern, count=1000):
        value = client.get(key)
        if isinstance(value, bytes) and marker.encode() in value:
            deleted += client.delete(key)
    return deleted

"""How the compiled path's SQL text is spelled for SQLite and for PostgreSQL.

Statements are written once (``?`` for a parameter, ``{in}`` for "is one of a list")
and rendered per dialect when a plan is built, so the text of each statement is fixed
whatever the number of parents: SQLite reads the list from one JSON parameter, and
PostgreSQL from one array parameter. Fixed text keeps sqlite3's statement cache and
psycopg's prepared statements effective, and never approaches SQLite's limit on
parameters however many rows a level has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    placeholder: str
    membership: str
    #: Whether a list parameter is sent as JSON text (SQLite's json_each) or as a list.
    json_lists: bool

    def render(self, sql: str) -> str:
        """The statement in this dialect's parameter style."""
        return sql.replace("?", self.placeholder).replace("{in}", self.membership)

    def values(self, items: Sequence[object]) -> object:
        """A list as the one parameter that ``{in}`` reads."""
        return orjson.dumps(list(items)).decode() if self.json_lists else list(items)


SQLITE = Dialect("sqlite", "?", "IN (SELECT value FROM json_each(?))", json_lists=True)
POSTGRESQL = Dialect("postgresql", "%s", "= ANY(%s)", json_lists=False)

__all__ = ["POSTGRESQL", "SQLITE", "Dialect"]

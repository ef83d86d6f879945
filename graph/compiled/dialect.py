"""How the compiled path's statements are spelled for SQLite and for PostgreSQL.

Statements are SQLAlchemy Core objects, built from the relation registry, and compiled
with SQLAlchemy's own compiler for the driver's parameter style when a plan is built,
never per request: a request only lines up its values in the order the compiled text
reads them. "Is one of a list" reads the list from one parameter (a JSON array through
SQLite's json_each, an array on PostgreSQL), so a statement's text is fixed whatever the
number of parents: sqlite3's statement cache and psycopg's prepared statements stay
effective, and SQLite's limit on parameters is never approached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ClauseElement, ColumnElement, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.dialects.sqlite import pysqlite
from sqlalchemy.engine import Dialect as SqlDialect
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True, slots=True)
class Prepared:
    """A compiled statement and the names of the values it reads, in order."""

    sql: str
    names: tuple[str, ...]
    #: Values SQLAlchemy bound itself (an OFFSET 0), read where a request gives none.
    defaults: Mapping[str, Any]

    def parameters(self, values: Mapping[str, Any]) -> list[Any]:
        """The statement's parameters, in the order its text reads them."""
        return [values[name] if name in values else self.defaults[name] for name in self.names]


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    compiler: SqlDialect
    #: Whether a list parameter is sent as JSON text (SQLite's json_each) or as a list.
    json_lists: bool

    def one_of(self, column: Any, name: str) -> ColumnElement[bool]:
        """``column`` is one of the list passed as parameter ``name``."""
        if self.json_lists:
            listed = func.json_each(bindparam(name)).table_valued("value")
            result: ColumnElement[bool] = column.in_(select(listed.c.value))
            return result
        return column == any_(bindparam(name))  # type: ignore[no-any-return]

    def prepare(self, statement: ClauseElement) -> Prepared:
        compiled = statement.compile(dialect=self.compiler)
        if not isinstance(compiled, SQLCompiler):  # pragma: no cover - statements are SQL
            raise TypeError(type(compiled).__name__)
        names = tuple(compiled.positiontup or ())
        defaults = {name: value for name, value in compiled.params.items() if value is not None}
        return Prepared(compiled.string, names, defaults)

    def values(self, items: Sequence[object]) -> object:
        """A list as the one parameter that ``one_of`` reads."""
        return orjson.dumps(list(items)).decode() if self.json_lists else list(items)


SQLITE = Dialect("sqlite", pysqlite.dialect(), json_lists=True)
# psycopg's positional "%s" style: the compiled path sends parameters as a list.
_PSYCOPG = psycopg.dialect(paramstyle="format")  # type: ignore[no-untyped-call]
POSTGRESQL = Dialect("postgresql", _PSYCOPG, json_lists=False)

__all__ = ["POSTGRESQL", "SQLITE", "Dialect", "Prepared"]

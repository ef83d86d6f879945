"""The root fields' statements, built from the registry's lists and compiled once each.

A root statement's text depends only on which filters a request gives, so each shape
is compiled on first use and kept: a request lines up its values and sends the text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, null, select

from coopgraph.db.relations import lists
from coopgraph.graph.compiled.catalog import ENTITIES, Entity
from coopgraph.graph.compiled.dialect import Dialect, Prepared

#: The parameter names root statements read, besides their filters'.
KEYS, KINDS, AFTER, LIMIT, MIN_FIELDS = "keys", "kinds", "after", "limit", "min_fields"


def _rows(entity: Entity) -> Select[Any]:
    """Every column of the entity's rows, after a NULL where relation rows have their key."""
    return select(null(), *entity.select())


@cache
def listing(dialect: Dialect, type_name: str, filters: tuple[str, ...] = ()) -> Prepared:
    """A root list in its stated order, with the given filters of ``lists.FILTERS``."""
    entity = ENTITIES[type_name]
    conditions = [lists.FILTERS[type_name][name].condition(bindparam(name)) for name in filters]
    query = _rows(entity).where(*conditions)
    return dialect.prepare(query.order_by(lists.root_order(type_name, entity.model)))


@cache
def by_key(dialect: Dialect, type_name: str) -> Prepared:
    """The rows whose natural key (the year for editions) is one of ``keys``."""
    entity = ENTITIES[type_name]
    return dialect.prepare(_rows(entity).where(dialect.one_of(entity.column(entity.key), KEYS)))


@cache
def row_id(dialect: Dialect, type_name: str) -> Prepared:
    """The database ID of the row with the natural key ``keys``."""
    entity = ENTITIES[type_name]
    column = entity.column(entity.key)
    return dialect.prepare(select(entity.column("id")).where(column == bindparam(KEYS)))


@cache
def country(dialect: Dialect, given: tuple[str, ...]) -> Prepared:
    """``country(isoCode:, name:)``: the first country matching the values given."""
    entity = ENTITIES["Country"]
    conditions = lists.country_named({name: bindparam(name) for name in given})
    query = _rows(entity).where(*conditions).order_by(entity.model.position).limit(1)
    return dialect.prepare(query)


@cache
def shared_institutions(dialect: Dialect) -> Prepared:
    entity = ENTITIES["Institution"]
    query = lists.shared_institutions([null(), *entity.select()], bindparam(MIN_FIELDS))
    return dialect.prepare(query.where(dialect.one_of(lists.KIND, KINDS)))


def _filtered(
    dialect: Dialect, entity: Entity, query: Select[Any], filters: tuple[str, ...], kinds: bool
) -> Select[Any]:
    given = lists.FILTERS[entity.type_name]
    query = query.where(*(given[name].condition(bindparam(name)) for name in filters))
    return query.where(dialect.one_of(lists.KIND, KINDS)) if kinds else query


@cache
def page(
    dialect: Dialect, type_name: str, filters: tuple[str, ...], *, kinds: bool, after: bool
) -> Prepared:
    """One page of a connection by keyset: rows after position ``after``, ``limit`` of them."""
    entity = ENTITIES[type_name]
    position = entity.column("position")
    query = _filtered(dialect, entity, _rows(entity), filters, kinds=kinds)
    if after:
        query = query.where(position > bindparam(AFTER))
    return dialect.prepare(query.order_by(position).limit(bindparam(LIMIT)))


@cache
def total(dialect: Dialect, type_name: str, filters: tuple[str, ...], *, kinds: bool) -> Prepared:
    """A connection's ``totalCount``."""
    entity = ENTITIES[type_name]
    query = select(func.count()).select_from(entity.model)
    return dialect.prepare(_filtered(dialect, entity, query, filters, kinds=kinds))


__all__ = [
    "AFTER",
    "KEYS",
    "KINDS",
    "LIMIT",
    "MIN_FIELDS",
    "by_key",
    "country",
    "listing",
    "page",
    "row_id",
    "shared_institutions",
    "total",
]

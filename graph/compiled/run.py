"""Running a plan: the root fields' statements, then one statement per relation and level.

The root fields mirror the resolvers of ``graph.queries``: the same argument checks
(a failing one raises ``Fallback``, and the standard path reports the error), the same
filters and orderings.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from graphql.execution import VariableValues

from graph.compiled.catalog import ENTITIES, FIELD_COUNTS, Entity
from graph.compiled.dialect import Dialect
from graph.compiled.plan import (
    Fallback,
    Fetch,
    ObjectPlan,
    Program,
    RootField,
    Rows,
    Statement,
    Variant,
    arguments_of,
    group,
)
from graph.errors import CoopgraphError
from graph.ids import expect_global_id, from_cursor, from_global_id, parse_number
from graph.queries.crossref import DEFAULT_SHARED_KINDS
from graph.queries.values import DEFAULT_PAGE, MAX_PAGE, check_text

_Pending = list[tuple[ObjectPlan, Rows]]
#: A part of a plan run: yields statements, is sent their rows, returns what it read.
_Steps = Generator[Statement, Rows, Any]
_SHARED_KINDS = [kind.value for kind in DEFAULT_SHARED_KINDS]
_ORDER = {"Edition": "x.year"}


def run(variant: Variant, variables: VariableValues, dialect: Dialect) -> Program:
    """The plan's statements in order; returns the response's ``data``."""
    slots: list[Any] = [None] * variant.slots
    pending: _Pending = []
    states: list[Any] = []
    fetched: list[tuple[Fetch, Rows]] = []
    for field in variant.root:
        state = yield from _root(field, variables, dialect, pending)
        states.append(state)
    index = 0
    while index < len(pending):
        plan, rows = pending[index]
        index += 1
        for fetch in plan.fetches:
            sql = fetch.sql
            parameters: list[Any] = []
            if not fetch.whole:
                keys = list(dict.fromkeys(row[fetch.key_index] for row in rows))
                parameters.append(dialect.values(keys))
            if fetch.arguments is not None:
                kinds = arguments_of(*fetch.arguments, variables).get("kinds")
                if kinds is not None:
                    sql = fetch.sql_with_kinds or sql
                    parameters.append(dialect.values(kinds))
            found = yield sql, parameters
            fetched.append((fetch, found))
            if fetch.child is not None and found:
                pending.append((fetch.child, found))
    try:
        # Bottom up, as a hand-written endpoint builds its answer: a level's objects
        # are built once, from rows whose children are already built, and a parent
        # takes its list of them as it is, with no loop of its own.
        for fetch, found in reversed(fetched):
            child = fetch.child
            build = None if child is None else child.build
            slots[fetch.slot] = group(fetch.relation, found, build, slots)
        return {
            field.key: _value(field, state, slots)
            for field, state in zip(variant.root, states, strict=True)
        }
    except KeyError as error:
        # A foreign key without its row: the standard path reports the inconsistency.
        raise Fallback from error


def _value(field: RootField, state: Any, slots: list[Any]) -> Any:
    if field.name == "__typename":
        return "Query"
    if field.connection is not None:
        return field.connection(state, slots)
    if field.name == "nodes":
        return [
            None if row is None else _build(field.objects[type_name], row, slots)
            for type_name, row in state
        ]
    if field.name == "node":
        return None if state is None else _build(field.objects[state[0]], state[1], slots)
    (plan,) = field.objects.values()
    if field.name in ("country", "edition"):
        return _build(plan, state[0], slots) if state else None
    build = plan.build
    assert build is not None  # noqa: S101 - every planned object selection has a builder
    return [build(row, slots) for row in state]


def _build(plan: ObjectPlan, row: Any, slots: list[Any]) -> Any:
    assert plan.build is not None  # noqa: S101 - every planned object selection has a builder
    return plan.build(row, slots)


def _select(entity: Entity) -> str:
    return f"SELECT NULL, {entity.select('x')} FROM {entity.table} x"


def _root(
    field: RootField, variables: VariableValues, dialect: Dialect, pending: _Pending
) -> _Steps:
    name = field.name
    if name == "__typename":
        return {}
    arguments = arguments_of(field.definition, field.node, variables)
    if name in ("node", "nodes"):
        return (yield from _nodes(field, arguments, dialect, pending))
    if field.connection is not None:
        return (yield from _connection(field, arguments, dialect, pending))
    ((type_name, plan),) = field.objects.items()
    entity = ENTITIES[type_name]
    order = _ORDER.get(type_name, "x.position")
    sql = f"{_select(entity)} ORDER BY {order}"
    parameters: list[Any] = []
    if name == "directions" and arguments.get("field") is not None:
        field_id = yield from _row_id(arguments["field"], "Field", "field", dialect)
        sql, parameters = f"{_select(entity)} WHERE x.field_id = ? ORDER BY x.position", [field_id]
    elif name == "edition":
        sql, parameters = f"{_select(entity)} WHERE x.year = ?", [arguments["year"]]
    elif name == "country":
        sql, parameters = _find_country(entity, arguments)
    elif name == "sharedInstitutions":
        sql, parameters = _shared_institutions(entity, arguments, dialect)
    rows = yield dialect.render(sql), parameters
    pending.append((plan, rows))
    return rows


def _find_country(entity: Entity, arguments: dict[str, Any]) -> Statement:
    iso_code, name = arguments.get("isoCode"), arguments.get("name")
    if iso_code is None and name is None:
        raise Fallback
    try:
        check_text(iso_code, "isoCode")
        check_text(name, "name")
    except CoopgraphError as error:
        raise Fallback from error
    conditions, parameters = [], []
    if iso_code is not None:
        conditions.append("upper(x.iso_code) = ?")
        parameters.append(iso_code.strip().upper())
    if name is not None:
        text = name.strip()
        conditions.append("(x.name = ? OR lower(x.name_en) = ?)")
        parameters += [text, text.lower()]
    where = " AND ".join(conditions)
    return f"{_select(entity)} WHERE {where} ORDER BY x.position LIMIT 1", parameters


def _shared_institutions(entity: Entity, arguments: dict[str, Any], dialect: Dialect) -> Statement:
    min_fields = arguments.get("minFields")
    min_fields = 2 if min_fields is None else min_fields
    if min_fields < 1:
        raise Fallback
    kinds = arguments.get("kinds")
    chosen = _SHARED_KINDS if kinds is None else kinds
    sql = (
        f"{_select(entity)} JOIN ({FIELD_COUNTS}) fc ON fc.institution_id = x.id"
        " WHERE fc.field_count >= ? AND x.kind {in} ORDER BY fc.field_count DESC, x.position"
    )
    return sql, [min_fields, dialect.values(chosen)]


def _row_id(value: str, type_name: str, argument: str, dialect: Dialect) -> _Steps:
    """The database ID of a filter's global ID; ``Fallback`` where the standard path errs."""
    try:
        key = expect_global_id(value, type_name, argument)
    except CoopgraphError as error:
        raise Fallback from error
    entity = ENTITIES[type_name]
    rows = yield dialect.render(f"SELECT x.id FROM {entity.table} x WHERE x.key = ?"), [key]
    if not rows:
        raise Fallback
    return rows[0][0]


def _decode(value: str) -> tuple[str, Any] | None:
    """The type and key an ID names, None where no node can have it."""
    try:
        type_name, key = from_global_id(value)
    except CoopgraphError as error:
        raise Fallback from error
    if type_name not in ENTITIES:
        return None
    if type_name == "Edition":
        year = parse_number(key)
        return None if year is None else (type_name, year)
    return type_name, key


def _nodes(
    field: RootField, arguments: dict[str, Any], dialect: Dialect, pending: _Pending
) -> _Steps:
    single = field.name == "node"
    wanted = [_decode(value) for value in ([arguments["id"]] if single else arguments["ids"])]
    keys_by_type: dict[str, dict[Any, None]] = {}
    for item in wanted:
        if item is not None:
            keys_by_type.setdefault(item[0], {})[item[1]] = None
    found: dict[tuple[str, Any], Any] = {}
    for type_name, keys in keys_by_type.items():
        entity = ENTITIES[type_name]
        column = entity.key
        rows = yield (
            dialect.render(f"{_select(entity)} WHERE x.{column} {{in}}"),
            [dialect.values(list(keys))],
        )
        if rows:
            pending.append((field.objects[type_name], rows))
        index = entity.index(column)
        found.update(((type_name, row[index]), row) for row in rows)
    answers = [None if item is None else (item[0], found.get(item)) for item in wanted]
    if single:
        answer = answers[0]
        return None if answer is None or answer[1] is None else answer
    return [(None, None) if answer is None else answer for answer in answers]


_CONNECTION_FILTERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # (filter field, type of its ID or "" for a plain value, SQL condition)
    "Country": (
        ("continent", "Continent", "x.continent_id = ?"),
        ("field", "Field", "x.id IN (SELECT p.country_id FROM priorities p WHERE p.field_id = ?)"),
    ),
    "Institution": (
        ("country", "Country", "x.country_id = ?"),
        (
            "field",
            "Field",
            "x.id IN (SELECT pi.institution_id FROM priority_institutions pi"
            " JOIN priorities p ON p.id = pi.priority_id WHERE p.field_id = ?)",
        ),
        (
            "minFieldCount",
            "",
            f"x.id IN (SELECT fc.institution_id FROM ({FIELD_COUNTS}) fc"
            " WHERE fc.field_count >= ?)",
        ),
    ),
    "Priority": (
        ("year", "", "x.edition_id IN (SELECT e.id FROM editions e WHERE e.year = ?)"),
        (
            "continent",
            "Continent",
            "x.country_id IN (SELECT c.id FROM countries c WHERE c.continent_id = ?)",
        ),
        ("country", "Country", "x.country_id = ?"),
        ("field", "Field", "x.field_id = ?"),
        (
            "direction",
            "Direction",
            "x.id IN (SELECT pd.priority_id FROM priority_directions pd WHERE pd.direction_id = ?)",
        ),
        (
            "institution",
            "Institution",
            "x.id IN (SELECT pi.priority_id FROM priority_institutions pi"
            " WHERE pi.institution_id = ?)",
        ),
    ),
}


def _connection(
    field: RootField, arguments: dict[str, Any], dialect: Dialect, pending: _Pending
) -> _Steps:
    ((type_name, plan),) = field.objects.items()
    entity = ENTITIES[type_name]
    first = arguments.get("first")
    if first is None:
        first = DEFAULT_PAGE
    elif not 1 <= first <= MAX_PAGE:
        raise Fallback
    given = arguments.get("filter") or {}
    conditions: list[str] = []
    parameters: list[Any] = []
    if type_name == "Institution" and given.get("kinds") is not None:
        conditions.append("x.kind {in}")
        parameters.append(dialect.values(given["kinds"]))
    for name, id_type, condition in _CONNECTION_FILTERS[type_name]:
        value = given.get(name)
        if value is None:
            continue
        if id_type:
            value = yield from _row_id(value, id_type, f"filter.{name}", dialect)
        conditions.append(condition)
        parameters.append(value)
    if given.get("nameContains"):
        # Name filters normalise text as search does (db.queries.base.name_contains,
        # over search_terms); one definition of that matching is kept, there.
        raise Fallback
    after = arguments.get("after")
    try:
        position = None if after is None else from_cursor(after, type_name)
    except CoopgraphError as error:
        raise Fallback from error
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    rows: Rows = []
    has_next = False
    if field.wants_page:
        page_where = where
        page_parameters = list(parameters)
        if position is not None:
            page_where += (" AND " if page_where else " WHERE ") + "x.position > ?"
            page_parameters.append(position)
        sql = f"{_select(entity)}{page_where} ORDER BY x.position LIMIT ?"
        found = yield dialect.render(sql), [*page_parameters, first + 1]
        rows, has_next = found[:first], len(found) > first
        if rows:
            pending.append((plan, rows))
    total = 0
    if field.wants_total:
        counted = yield dialect.render(f"SELECT count(*) FROM {entity.table} x{where}"), parameters
        total = int(counted[0][0])
    return (rows, has_next, after is not None, total)


__all__ = ["run"]

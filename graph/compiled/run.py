"""Running a plan: the root fields' statements, then one statement per relation and level.

The root fields mirror the resolvers of ``graph.queries``: the same argument checks
(a failing one raises ``Fallback``, and the standard path reports the error), and the
same filters and orderings, which both read from ``db.relations.lists``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from graphql.execution import VariableValues

from coopgraph.db.relations import lists
from coopgraph.graph.compiled import roots
from coopgraph.graph.compiled.catalog import ENTITIES
from coopgraph.graph.compiled.dialect import Dialect, Prepared
from coopgraph.graph.compiled.levels import arguments_of, group
from coopgraph.graph.compiled.plan import (
    Fallback,
    Fetch,
    ObjectPlan,
    Program,
    RootField,
    Rows,
    Variant,
)
from coopgraph.graph.compiled.statements import PARENTS
from coopgraph.graph.errors import CoopgraphError
from coopgraph.graph.ids import expect_global_id, from_cursor, from_global_id, parse_number
from coopgraph.graph.queries.values import DEFAULT_PAGE, MAX_PAGE, check_text

_Pending = list[tuple[ObjectPlan, Rows]]
#: A part of a plan run: yields statements, is sent their rows, returns what it read.
_Steps = Generator[tuple[str, list[Any]], Rows, Any]
_SHARED_KINDS = [kind.value for kind in lists.SHARED_KINDS]
_ROOT_TABLES = {"editions", "continents", "fields", "directions"}


def _statement(prepared: Prepared, **values: Any) -> tuple[str, list[Any]]:
    return prepared.sql, prepared.parameters(values)


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
            values: dict[str, Any] = {}
            if not fetch.whole:
                keys = list(dict.fromkeys(row[fetch.key_index] for row in rows))
                values[PARENTS] = dialect.values(keys)
            given: tuple[str, ...] = ()
            if fetch.arguments is not None:
                arguments = arguments_of(*fetch.arguments, variables)
                given = tuple(n for n in fetch.argument_names if arguments.get(n) is not None)
                values.update((name, dialect.values(arguments[name])) for name in given)
            prepared = fetch.prepared[given]
            found = yield prepared.sql, prepared.parameters(values)
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
    return [_build(plan, row, slots) for row in state]


def _build(plan: ObjectPlan, row: Any, slots: list[Any]) -> Any:
    assert plan.build is not None  # noqa: S101 - every planned object selection has a builder
    return plan.build(row, slots)


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
    if name == "directions" and arguments.get("field") is not None:
        field_id = yield from _row_id(arguments["field"], "Field", "field", dialect)
        statement = _statement(roots.listing(dialect, type_name, ("field_id",)), field_id=field_id)
    elif name in _ROOT_TABLES:
        statement = _statement(roots.listing(dialect, type_name))
    elif name == "edition":
        statement = _statement(
            roots.by_key(dialect, type_name), keys=dialect.values([arguments["year"]])
        )
    elif name == "country":
        statement = _find_country(arguments, dialect)
    else:
        statement = _shared_institutions(arguments, dialect)
    rows = yield statement
    pending.append((plan, rows))
    return rows


def _find_country(arguments: dict[str, Any], dialect: Dialect) -> tuple[str, list[Any]]:
    iso_code, name = arguments.get("isoCode"), arguments.get("name")
    if (iso_code is None) == (name is None):
        # Neither is an error, and both must be checked against each other: the
        # standard path answers both.
        raise Fallback
    try:
        check_text(iso_code, "isoCode")
        check_text(name, "name")
    except CoopgraphError as error:
        raise Fallback from error
    values = lists.country_lookup(iso_code, name)
    return _statement(roots.country(dialect, tuple(values)), **values)


def _shared_institutions(arguments: dict[str, Any], dialect: Dialect) -> tuple[str, list[Any]]:
    min_fields = arguments.get("minFields")
    min_fields = 2 if min_fields is None else min_fields
    if min_fields < 1:
        raise Fallback
    kinds = arguments.get("kinds")
    chosen = _SHARED_KINDS if kinds is None else kinds
    return _statement(
        roots.shared_institutions(dialect), min_fields=min_fields, kinds=dialect.values(chosen)
    )


def _row_id(value: str, type_name: str, argument: str, dialect: Dialect) -> _Steps:
    """The database ID of a filter's global ID; ``Fallback`` where the standard path errs."""
    try:
        key = expect_global_id(value, type_name, argument)
    except CoopgraphError as error:
        raise Fallback from error
    rows = yield _statement(roots.row_id(dialect, type_name), keys=key)
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
        prepared = roots.by_key(dialect, type_name)
        rows = yield _statement(prepared, keys=dialect.values(list(keys)))
        if rows:
            pending.append((field.objects[type_name], rows))
        index = entity.index(entity.key)
        found.update(((type_name, row[index]), row) for row in rows)
    answers = [None if item is None else (item[0], found.get(item)) for item in wanted]
    if single:
        answer = answers[0]
        return None if answer is None or answer[1] is None else answer
    return [(None, None) if answer is None else answer for answer in answers]


def _connection(
    field: RootField, arguments: dict[str, Any], dialect: Dialect, pending: _Pending
) -> _Steps:
    ((type_name, plan),) = field.objects.items()
    first = arguments.get("first")
    if first is None:
        first = DEFAULT_PAGE
    elif not 1 <= first <= MAX_PAGE:
        raise Fallback
    given = arguments.get("filter") or {}
    if given.get("nameContains"):
        # Name filters normalise text as search does (db.queries.base.name_contains,
        # over search_terms); one definition of that matching is kept, there.
        raise Fallback
    values: dict[str, Any] = {}
    kinds = type_name == "Institution" and given.get("kinds") is not None
    if kinds:
        values[roots.KINDS] = dialect.values(given["kinds"])
    for name, condition in lists.FILTERS[type_name].items():
        value = given.get(condition.argument)
        if value is None:
            continue
        if condition.id_type is not None:
            argument = f"filter.{condition.argument}"
            value = yield from _row_id(value, condition.id_type, argument, dialect)
        values[name] = value
    filters = tuple(name for name in lists.FILTERS[type_name] if name in values)
    after = arguments.get("after")
    try:
        position = None if after is None else from_cursor(after, type_name)
    except CoopgraphError as error:
        raise Fallback from error
    rows: Rows = []
    has_next = False
    if field.wants_page:
        prepared = roots.page(dialect, type_name, filters, kinds=kinds, after=position is not None)
        found = yield _statement(prepared, **values, after=position, limit=first + 1)
        rows, has_next = found[:first], len(found) > first
        if rows:
            pending.append((plan, rows))
    total = 0
    if field.wants_total:
        counted = yield _statement(roots.total(dialect, type_name, filters, kinds=kinds), **values)
        total = int(counted[0][0])
    return (rows, has_next, after is not None, total)


__all__ = ["run"]

"""The hand-written answers: what a careful engineer writes for each query without GraphQL.

Each plan is a generator that yields SQL statements and receives their rows, then
returns the ``data`` the server answers, key for key and in the same order. Writing
them as generators lets one plan run on a blocking driver (sqlite3, psycopg in a thread)
or an async one (psycopg's ``AsyncConnection``) without being written twice; the cost is
one generator step per statement, microseconds.

The plans are the yardstick, so they are written to be fast, not short: a few
statements per query, one per level of the answer, children fetched for every parent at
once (``IN`` lists, or the whole table when every row is wanted), never a statement per
row. Only what the query selects is read.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from coopgraph.db.text import normalize_search_text

Row = tuple[Any, ...]
Params = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """SQL with ``?`` placeholders, and its parameters."""

    sql: str
    params: Params = ()


#: A plan yields statements, is sent their rows, and returns the response's ``data``.
Plan = Generator[Statement, list[Row], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one database spells a placeholder and a list parameter."""

    name: str

    def in_list(self, column: str, values: Sequence[Any]) -> tuple[str, Params]:
        """``column`` is one of ``values``: one statement text whatever their number on
        PostgreSQL (``= ANY``), and SQLite's ``IN (?, ...)`` otherwise."""
        if self.name == "postgresql":
            return f"{column} = ANY(?)", (list(values),)
        if not values:
            return "0 = 1", ()
        return f"{column} IN ({', '.join('?' * len(values))})", tuple(values)

    def placeholders(self, sql: str) -> str:
        return postgresql_placeholders(sql) if self.name == "postgresql" else sql


@cache
def postgresql_placeholders(sql: str) -> str:
    """psycopg's ``%s`` for ``?`` (the plans' SQL has no literal ``%``)."""
    return sql.replace("?", "%s")


def global_id(type_name: str, key: str) -> str:
    """The API's global ID: base64 of ``Type:key``."""
    return base64.b64encode(f"{type_name}:{key}".encode()).decode("ascii")


def cursor(type_name: str, position: int) -> str:
    return base64.b64encode(f"{type_name}@{position}".encode()).decode("ascii")


def full_tree(_d: Dialect, _variables: dict[str, Any]) -> Plan:
    continents = yield Statement("SELECT id, name FROM continents ORDER BY position")
    countries = yield Statement("SELECT id, continent_id, name FROM countries ORDER BY position")
    priorities = yield Statement(
        "SELECT p.id, p.country_id, f.name FROM priorities p "
        "JOIN fields f ON f.id = p.field_id ORDER BY p.position"
    )
    directions = yield Statement(
        "SELECT pd.priority_id, d.name FROM priority_directions pd "
        "JOIN directions d ON d.id = pd.direction_id ORDER BY pd.priority_id, pd.ordinal"
    )
    institutions = yield Statement(
        "SELECT pi.priority_id, i.name FROM priority_institutions pi "
        "JOIN institutions i ON i.id = pi.institution_id ORDER BY pi.priority_id, pi.ordinal"
    )
    directions_of: dict[int, list[dict[str, Any]]] = {}
    for priority_id, name in directions:
        directions_of.setdefault(priority_id, []).append({"name": name})
    institutions_of: dict[int, list[dict[str, Any]]] = {}
    for priority_id, name in institutions:
        institutions_of.setdefault(priority_id, []).append({"name": name})
    priorities_of: dict[int, list[dict[str, Any]]] = {}
    for priority_id, country_id, field in priorities:
        priorities_of.setdefault(country_id, []).append(
            {
                "field": {"name": field},
                "directions": directions_of.get(priority_id, []),
                "institutions": institutions_of.get(priority_id, []),
            }
        )
    countries_of: dict[int, list[dict[str, Any]]] = {}
    for country_id, continent_id, name in countries:
        countries_of.setdefault(continent_id, []).append(
            {"name": name, "priorities": priorities_of.get(country_id, [])}
        )
    return {
        "continents": [
            {"name": name, "countries": countries_of.get(continent_id, [])}
            for continent_id, name in continents
        ]
    }


def country_page(_d: Dialect, variables: dict[str, Any]) -> Plan:
    iso_code = str(variables.get("isoCode", "AU")).strip().upper()
    found = yield Statement(
        "SELECT c.id, c.key, c.name, c.name_en, c.iso_code, ct.key, ct.name, ct.name_en "
        "FROM countries c JOIN continents ct ON ct.id = c.continent_id "
        "WHERE upper(c.iso_code) = ? ORDER BY c.position LIMIT 1",
        (iso_code,),
    )
    if not found:
        return {"country": None}
    country_id, key, name, name_en, iso, continent_key, continent, continent_en = found[0]
    priorities = yield Statement(
        "SELECT p.id, p.key, p.source_line, f.key, f.name, f.name_en, f.position "
        "FROM priorities p JOIN fields f ON f.id = p.field_id "
        "WHERE p.country_id = ? ORDER BY p.position",
        (country_id,),
    )
    directions = yield Statement(
        "SELECT pd.priority_id, d.key, d.name, d.name_en FROM priority_directions pd "
        "JOIN directions d ON d.id = pd.direction_id "
        "JOIN priorities p ON p.id = pd.priority_id "
        "WHERE p.country_id = ? ORDER BY pd.priority_id, pd.ordinal",
        (country_id,),
    )
    institutions = yield Statement(
        "SELECT pi.priority_id, i.key, i.name, i.name_en, i.acronym, i.kind "
        "FROM priority_institutions pi JOIN institutions i ON i.id = pi.institution_id "
        "JOIN priorities p ON p.id = pi.priority_id "
        "WHERE p.country_id = ? ORDER BY pi.priority_id, pi.ordinal",
        (country_id,),
    )
    directions_of: dict[int, list[dict[str, Any]]] = {}
    for priority_id, d_key, d_name, d_name_en in directions:
        directions_of.setdefault(priority_id, []).append(
            {"id": global_id("Direction", d_key), "name": d_name, "nameEn": d_name_en}
        )
    institutions_of: dict[int, list[dict[str, Any]]] = {}
    for priority_id, i_key, i_name, i_name_en, acronym, kind in institutions:
        institutions_of.setdefault(priority_id, []).append(
            {
                "id": global_id("Institution", i_key),
                "name": i_name,
                "nameEn": i_name_en,
                "acronym": acronym,
                "kind": kind,
            }
        )
    # The country's distinct fields come from its priorities' rows: no statement of their own.
    fields: dict[str, tuple[int, dict[str, Any]]] = {}
    rows = []
    for priority_id, p_key, source_line, f_key, f_name, f_name_en, f_position in priorities:
        field = {"id": global_id("Field", f_key), "name": f_name, "nameEn": f_name_en}
        fields.setdefault(f_key, (f_position, field))
        rows.append(
            {
                "id": global_id("Priority", p_key),
                "field": field,
                "directions": directions_of.get(priority_id, []),
                "institutions": institutions_of.get(priority_id, []),
                "sourceLine": source_line,
            }
        )
    return {
        "country": {
            "id": global_id("Country", key),
            "name": name,
            "nameEn": name_en,
            "isoCode": iso,
            "continent": {
                "id": global_id("Continent", continent_key),
                "name": continent,
                "nameEn": continent_en,
            },
            "fields": [field for _, field in sorted(fields.values(), key=lambda f: f[0])],
            "priorities": rows,
        }
    }


def field_overview(d: Dialect, _variables: dict[str, Any]) -> Plan:
    fields = yield Statement("SELECT id, key, name, name_en FROM fields ORDER BY position")
    directions = yield Statement("SELECT field_id, name, name_en FROM directions ORDER BY position")
    countries = yield Statement(
        "SELECT DISTINCT p.field_id, c.position, c.name, c.iso_code, ct.name "
        "FROM priorities p JOIN countries c ON c.id = p.country_id "
        "JOIN continents ct ON ct.id = c.continent_id ORDER BY p.field_id, c.position"
    )
    kinds, kind_params = d.in_list("i.kind", ["ORGANIZATION", "GROUP"])
    institutions = yield Statement(
        "SELECT DISTINCT p.field_id, i.position, i.name, i.acronym, c.name "
        "FROM priority_institutions pi JOIN priorities p ON p.id = pi.priority_id "
        "JOIN institutions i ON i.id = pi.institution_id "
        f"JOIN countries c ON c.id = i.country_id WHERE {kinds} "
        "ORDER BY p.field_id, i.position",
        kind_params,
    )
    directions_of: dict[int, list[dict[str, Any]]] = {}
    for field_id, name, name_en in directions:
        directions_of.setdefault(field_id, []).append({"name": name, "nameEn": name_en})
    countries_of: dict[int, list[dict[str, Any]]] = {}
    for field_id, _, name, iso_code, continent in countries:
        countries_of.setdefault(field_id, []).append(
            {"name": name, "isoCode": iso_code, "continent": {"name": continent}}
        )
    institutions_of: dict[int, list[dict[str, Any]]] = {}
    for field_id, _, name, acronym, country in institutions:
        institutions_of.setdefault(field_id, []).append(
            {"name": name, "acronym": acronym, "country": {"name": country}}
        )
    return {
        "fields": [
            {
                "id": global_id("Field", key),
                "name": name,
                "nameEn": name_en,
                "directions": directions_of.get(field_id, []),
                "countries": countries_of.get(field_id, []),
                "institutions": institutions_of.get(field_id, []),
            }
            for field_id, key, name, name_en in fields
        ]
    }


def _fields_by_institution(
    d: Dialect, institution_ids: list[int], columns: str
) -> Generator[Statement, list[Row], list[Row]]:
    where, params = d.in_list("pi.institution_id", institution_ids)
    rows = yield Statement(
        f"SELECT DISTINCT pi.institution_id, f.position, {columns} "
        "FROM priority_institutions pi JOIN priorities p ON p.id = pi.priority_id "
        f"JOIN fields f ON f.id = p.field_id WHERE {where} "
        "ORDER BY pi.institution_id, f.position",
        params,
    )
    return rows


def institutions_page(d: Dialect, variables: dict[str, Any]) -> Plan:
    first = 20
    kinds, kind_params = d.in_list("i.kind", sorted(set(variables.get("kinds", ["ORGANIZATION"]))))
    after = variables.get("after")
    keyset = ""
    keyset_params: Params = ()
    if after is not None:
        position = base64.b64decode(after).decode().partition("@")[2]
        keyset, keyset_params = " AND i.position > ?", (int(position),)
    total = yield Statement(f"SELECT count(*) FROM institutions i WHERE {kinds}", kind_params)
    page = yield Statement(
        "SELECT i.id, i.key, i.position, i.name, i.name_en, i.acronym, c.name, c.iso_code "
        "FROM institutions i JOIN countries c ON c.id = i.country_id "
        f"WHERE {kinds}{keyset} ORDER BY i.position LIMIT ?",
        (*kind_params, *keyset_params, first + 1),
    )
    shown = page[:first]
    fields_of: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in shown}
    if shown:
        fields = yield from _fields_by_institution(d, list(fields_of), "f.name")
        for institution_id, _, name in fields:
            fields_of[institution_id].append({"name": name})
    edges = [
        {
            "cursor": cursor("Institution", position),
            "node": {
                "id": global_id("Institution", key),
                "name": name,
                "nameEn": name_en,
                "acronym": acronym,
                "country": {"name": country, "isoCode": iso_code},
                "fieldCount": len(fields_of[institution_id]),
                "fields": fields_of[institution_id],
            },
        }
        for institution_id, key, position, name, name_en, acronym, country, iso_code in shown
    ]
    return {
        "institutions": {
            "totalCount": total[0][0],
            "pageInfo": {
                "hasNextPage": len(page) > first,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
            "edges": edges,
        }
    }


#: The search's match classes and the type order that breaks ties (``db.queries.search``).
EXACT, PREFIX, SUBSTRING = 3, 2, 1
_SEARCH = """
SELECT entity_type, entity_id, term, source, match, length FROM (
  SELECT entity_type, entity_id, term, source,
    CASE WHEN normalized = ? THEN 3 WHEN normalized LIKE ? ESCAPE '\\' THEN 2 ELSE 1 END AS match,
    length(normalized) AS length,
    CASE entity_type WHEN 'Continent' THEN 0 WHEN 'Country' THEN 1 WHEN 'Field' THEN 2
      WHEN 'Direction' THEN 3 WHEN 'Institution' THEN 4 ELSE 5 END AS entity_order,
    row_number() OVER (
      PARTITION BY entity_type, entity_id
      ORDER BY CASE WHEN normalized = ? THEN 3 WHEN normalized LIKE ? ESCAPE '\\' THEN 2 ELSE 1 END
        DESC, length(normalized), normalized
    ) AS best
  FROM search_terms
  WHERE normalized LIKE ? ESCAPE '\\'
    OR (normalized LIKE ? ESCAPE '\\' AND source NOT IN ('pinyin', 'initials'))
) ranked
WHERE best = 1
ORDER BY match DESC, length, entity_order, entity_id
LIMIT ?
"""
#: Per type: the columns its fragment selects, and how a row becomes the result object.
_SEARCH_RESULTS: dict[str, tuple[str, Callable[[Row], dict[str, Any]]]] = {
    "Country": (
        "SELECT id, key, name, name_en, iso_code FROM countries",
        lambda r: {
            "__typename": "Country",
            "id": global_id("Country", r[1]),
            "name": r[2],
            "nameEn": r[3],
            "isoCode": r[4],
        },
    ),
    "Field": (
        "SELECT id, key, name, name_en FROM fields",
        lambda r: {
            "__typename": "Field",
            "id": global_id("Field", r[1]),
            "name": r[2],
            "nameEn": r[3],
        },
    ),
    "Direction": (
        "SELECT d.id, d.key, d.name, f.name FROM directions d JOIN fields f ON f.id = d.field_id",
        lambda r: {
            "__typename": "Direction",
            "id": global_id("Direction", r[1]),
            "name": r[2],
            "field": {"name": r[3]},
        },
    ),
    "Institution": (
        "SELECT i.id, i.key, i.name, i.name_en, i.acronym, c.name "
        "FROM institutions i JOIN countries c ON c.id = i.country_id",
        lambda r: {
            "__typename": "Institution",
            "id": global_id("Institution", r[1]),
            "name": r[2],
            "nameEn": r[3],
            "acronym": r[4],
            "country": {"name": r[5]},
        },
    ),
    "Continent": (
        "SELECT id, key, name, name_en FROM continents",
        lambda r: {
            "__typename": "Continent",
            "id": global_id("Continent", r[1]),
            "name": r[2],
            "nameEn": r[3],
        },
    ),
}
_SEARCH_ID_COLUMN = {"Direction": "d.id", "Institution": "i.id"}


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(d: Dialect, variables: dict[str, Any]) -> Plan:
    needle = normalize_search_text(str(variables.get("text", "能源")))
    if not needle:
        return {"search": []}
    prefix = f"{_like_escaped(needle)}%"
    infix = f"%{prefix}"
    hits = yield Statement(_SEARCH, (needle, prefix, needle, prefix, prefix, infix, 10))
    ids_of: dict[str, list[int]] = {}
    for entity_type, entity_id, *_ in hits:
        ids_of.setdefault(entity_type, []).append(entity_id)
    results: dict[tuple[str, int], dict[str, Any]] = {}
    for entity_type, ids in ids_of.items():
        select, shape = _SEARCH_RESULTS[entity_type]
        where, params = d.in_list(_SEARCH_ID_COLUMN.get(entity_type, "id"), ids)
        rows = yield Statement(f"{select} WHERE {where}", params)
        for row in rows:
            results[entity_type, row[0]] = shape(row)
    return {
        "search": [
            {
                "matched": term,
                "score": round(match + len(needle) / max(length, 1), 4),
                "result": results[entity_type, entity_id],
            }
            for entity_type, entity_id, term, _, match, length in hits
        ]
    }


def shared_institutions(d: Dialect, variables: dict[str, Any]) -> Plan:
    min_fields = int(variables.get("minFields", 2))
    kinds, kind_params = d.in_list("i.kind", ["GROUP", "ORGANIZATION"])
    shared = yield Statement(
        "SELECT i.id, i.key, i.name, i.name_en, i.acronym, i.kind, n.field_count, "
        "c.name, c.iso_code FROM institutions i "
        "JOIN (SELECT pi.institution_id, count(DISTINCT p.field_id) AS field_count "
        "FROM priority_institutions pi JOIN priorities p ON p.id = pi.priority_id "
        "GROUP BY pi.institution_id) n ON n.institution_id = i.id "
        "JOIN countries c ON c.id = i.country_id "
        f"WHERE n.field_count >= ? AND {kinds} ORDER BY n.field_count DESC, i.position",
        (min_fields, *kind_params),
    )
    fields_of: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in shared}
    if shared:
        fields = yield from _fields_by_institution(d, list(fields_of), "f.name, f.name_en")
        for institution_id, _, name, name_en in fields:
            fields_of[institution_id].append({"name": name, "nameEn": name_en})
    return {
        "sharedInstitutions": [
            {
                "id": global_id("Institution", key),
                "name": name,
                "nameEn": name_en,
                "acronym": acronym,
                "kind": kind,
                "fieldCount": field_count,
                "country": {"name": country, "isoCode": iso_code},
                "fields": fields_of[institution_id],
            }
            for institution_id, key, name, name_en, acronym, kind, field_count, country, iso_code in shared
        ]
    }


def first_page(d: Dialect, _variables: dict[str, Any]) -> Plan:
    first = 20
    page = yield Statement(
        "SELECT id, key, position, name FROM countries ORDER BY position LIMIT ?", (first + 1,)
    )
    shown = page[:first]
    priorities_of: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in shown}
    if shown:
        where, params = d.in_list("p.country_id", list(priorities_of))
        rows = yield Statement(
            "SELECT p.country_id, f.name FROM priorities p JOIN fields f ON f.id = p.field_id "
            f"WHERE {where} ORDER BY p.country_id, p.position",
            params,
        )
        for country_id, field in rows:
            priorities_of[country_id].append({"field": {"name": field}})
    edges = [
        {
            "cursor": cursor("Country", position),
            "node": {
                "id": global_id("Country", key),
                "name": name,
                "priorities": priorities_of[country_id],
            },
        }
        for country_id, key, position, name in shown
    ]
    return {
        "countries": {
            "pageInfo": {
                "hasNextPage": len(page) > first,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
            "edges": edges,
        }
    }


def typename(_d: Dialect, _variables: dict[str, Any]) -> Plan:
    # A plan that reads nothing: the return happens before any yield.
    if False:  # pragma: no cover
        yield Statement("")
    return {"__typename": "Query"}


PLANS: dict[str, Callable[[Dialect, dict[str, Any]], Plan]] = {
    "full_tree": full_tree,
    "country_page": country_page,
    "field_overview": field_overview,
    "institutions_page": institutions_page,
    "search": search,
    "shared_institutions": shared_institutions,
    "first_page": first_page,
    "typename": typename,
}


def run_plan(plan: Plan, execute: Callable[[Statement], list[Row]]) -> dict[str, Any]:
    """Drive a plan on a blocking driver."""
    try:
        statement = next(plan)
        while True:
            statement = plan.send(execute(statement))
    except StopIteration as done:
        result: dict[str, Any] = done.value
        return result

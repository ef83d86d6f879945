"""Helpers for the GraphQL API tests: post a query, load a contract query, read the document.

The document reader is deliberately independent of ``seed.parse``: the tests derive
what the API should answer from the text itself, so a parser bug cannot hide behind
a test that shares it.
"""

from __future__ import annotations

import base64
import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_QUERIES = ROOT / "graph" / "contract" / "queries"
CURATION = ROOT / "seed" / "curation"

#: The document's blank-direction marker (an ideographic space in an otherwise empty cell).
BLANK_CELL = "\u3000"


def post(
    client: httpx.Client, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The response body of one GraphQL POST, which must be a well-formed 200 answer."""
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = client.post("/graphql", json=body, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def gql(client: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The ``data`` of a query that must succeed without errors."""
    result = post(client, query, variables)
    assert "errors" not in result, result["errors"]
    return result["data"]


def gql_errors(
    client: httpx.Client, query: str, variables: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The ``errors`` of a query that must fail."""
    result = post(client, query, variables)
    assert result.get("errors"), f"expected errors, got {result}"
    errors: list[dict[str, Any]] = result["errors"]
    return errors


def error_codes(errors: list[dict[str, Any]]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in errors]


def contract_query(name: str) -> str:
    """The text of ``graph/contract/queries/<name>.graphql``."""
    return (CONTRACT_QUERIES / f"{name}.graphql").read_text(encoding="utf-8")


def decode_id(value: str) -> str:
    return base64.b64decode(value + "=" * (-len(value) % 4)).decode("utf-8")


def encode_id(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def curation(name: str) -> list[dict[str, str]]:
    """Rows of ``seed/curation/<name>.csv``."""
    with (CURATION / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Row:
    """One table row of the document, as its text says."""

    continent: str
    country: str
    field: str
    directions: tuple[str, ...]
    directions_text: str | None
    source_line: int
    source_text: str


def read_rows(lines: list[str]) -> list[Row]:
    """The document's table rows, in order.

    A row is a block of lines between blank lines with five cells: continent, country,
    field, directions and institutions. A cell starts with a tab; a line without one
    continues the cell above (the continent names are written one character a line).
    An empty continent or country cell repeats the one above (merged cells).
    """
    rows: list[Row] = []
    continent = country = ""
    number = 0
    header_done = False
    while number < len(lines):
        start = number
        while number < len(lines) and lines[number] != "":
            number += 1
        block = list(range(start, number))
        number += 1
        cells: list[tuple[int, str]] = []  # (0-based line of the cell's first line, text)
        for index in block:
            line = lines[index]
            if line.startswith("\t"):
                cells.append((index, line[1:]))
            elif cells:
                cells[-1] = (cells[-1][0], cells[-1][1] + line)
        if not cells:
            continue
        if not header_done:
            # The title and the two header rows end with the row naming 研究方向.
            header_done = any(text == "研究方向" for _, text in cells)
            continue
        assert len(cells) == 5, f"row at line {start + 1} has {len(cells)} cells"
        continent = cells[0][1] or continent
        country = cells[1][1] or country
        directions_cell = cells[3][1]
        blank = directions_cell.strip(BLANK_CELL + " ") == ""
        rows.append(
            Row(
                continent=continent,
                country=country,
                field=cells[2][1],
                directions=() if blank else tuple(directions_cell.split("、")),
                directions_text=None if blank else directions_cell,
                source_line=cells[4][0] + 1,
                source_text=cells[4][1],
            )
        )
    return rows


def ordered_unique(values: Any) -> list[Any]:
    return list(dict.fromkeys(values))


# ---------------------------------------------------------------------------------------
# Which institutions a row names: the document's cell, resolved with the curated tables


@dataclass(frozen=True)
class Curated:
    """One row of seed/curation/institutions.csv."""

    country: str
    name: str
    name_en: str
    acronym: str | None
    kind: str


@dataclass(frozen=True)
class ExpectedMention:
    text: str
    and_others: bool
    institution: Curated


#: ``name（ACRONYM)``, with brackets of either width on either side.
BRACKETED = re.compile(r"^(.+?)\s*[（(]\s*([^（()）]+?)\s*[)）]$")


def _curated_by_spelling() -> dict[tuple[str, str], Curated]:
    table: dict[tuple[str, str], Curated] = {}
    for row in curation("institutions"):
        curated = Curated(
            row["country"], row["name"], row["name_en"], row["acronym"] or None, row["kind"]
        )
        for spelling in filter(None, [row["name"], row["acronym"], *row["aliases"].split("|")]):
            table.setdefault((row["country"], spelling.casefold()), curated)
    return table


CURATED = _curated_by_spelling()
QUALIFIERS = sorted((row["phrase"] for row in curation("qualifiers")), key=len, reverse=True)


def _lookup(country: str, text: str) -> Curated | None:
    found = CURATED.get((country, text.casefold()))
    if found is None and (bracketed := BRACKETED.match(text)):
        found = CURATED.get((country, bracketed[1].casefold())) or CURATED.get(
            (country, bracketed[2].casefold())
        )
    return found


def _resolve_entry(country: str, text: str) -> list[ExpectedMention]:
    if whole := _lookup(country, text):
        return [ExpectedMention(text, False, whole)]
    for qualifier in QUALIFIERS:  # 里约热内卢大学等, INPE及相关大学
        head = text.removesuffix(qualifier)
        if head != text and (found := _lookup(country, head)):
            return [ExpectedMention(head, True, found)]
    # 多伦多大学等U15大学: Toronto, one of the U15; INPE及相关大学: INPE and related universities.
    for joiner in ("等", "及"):
        head, _, tail = text.partition(joiner)
        if tail and (first := _lookup(country, head)) and (second := _lookup(country, tail)):
            return [
                ExpectedMention(head, joiner == "等", first),
                ExpectedMention(tail, False, second),
            ]
    msg = f"the tests cannot resolve {text!r} of {country}"
    raise AssertionError(msg)


BODIES = {(row["country"], row["name"]) for row in curation("qualifying_bodies")}
#: The last body and the category of 教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构.
UNDER = re.compile(r"^(.+?)等[^等]+?下属(.+)$")


def expected_mentions(row: Row) -> list[ExpectedMention]:
    """The institutions a row's cell names, in the cell's order.

    A run of qualifying bodies ending in ``…等部委下属<category>`` is one mention of the
    category, written as the whole run.
    """
    text = "".join(row.source_text.split("\n"))
    entries = [part.strip() for part in re.split(r"[、，,]", text) if part.strip()]
    mentions: list[ExpectedMention] = []
    bodies: list[str] = []
    for entry in entries:
        if (row.country, entry) in BODIES:
            bodies.append(entry)
            continue
        under = UNDER.match(entry)
        if (
            under
            and (row.country, under[1]) in BODIES
            and (found := _lookup(row.country, under[2]))
        ):
            mentions.append(ExpectedMention("、".join([*bodies, entry]), False, found))
            bodies = []
            continue
        assert not bodies, f"{bodies} qualify nothing in {text!r}"
        mentions.extend(_resolve_entry(row.country, entry))
    return mentions


def institutions_in_order(rows: list[Row]) -> list[Curated]:
    """The curated institutions the rows name, in document order of first mention."""
    return ordered_unique(m.institution for row in rows for m in expected_mentions(row))


def fields_of_institutions(rows: list[Row]) -> dict[Curated, set[str]]:
    """The distinct fields of the rows that name each institution."""
    fields: dict[Curated, set[str]] = {}
    for row in rows:
        for mention in expected_mentions(row):
            fields.setdefault(mention.institution, set()).add(row.field)
    return fields

"""Expectations read from the document itself, shared by the API tests."""

from __future__ import annotations

import pytest

from tests.graph.queries import Curated, Row, institutions_in_order, ordered_unique, read_rows


@pytest.fixture(scope="session")
def rows(document_lines: list[str]) -> list[Row]:
    """The document's 115 rows, read by the tests' own reader (not the project's parser)."""
    return read_rows(document_lines)


@pytest.fixture(scope="session")
def field_order(rows: list[Row]) -> list[str]:
    return ordered_unique(row.field for row in rows)


@pytest.fixture(scope="session")
def country_order(rows: list[Row]) -> list[str]:
    return ordered_unique(row.country for row in rows)


@pytest.fixture(scope="session")
def institution_order(rows: list[Row]) -> list[Curated]:
    return institutions_in_order(rows)

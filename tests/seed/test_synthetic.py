"""multiply_edition: the document's graph repeated, traceable to the rows it copies."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from coopgraph.seed.errors import DocumentError
from coopgraph.seed.pipeline import read_edition
from coopgraph.seed.resolve import ResolvedEdition
from coopgraph.seed.synthetic import MAX_COPIES, iso_code_of, multiply_edition
from tests.seed.facts import ENTITY_COUNTS


@pytest.fixture(scope="module")
def document(document_path: Path) -> ResolvedEdition:
    return read_edition(document_path)


@pytest.fixture(scope="module")
def lines(document_lines: list[str]) -> int:
    return len(document_lines)


def test_counts_scale_and_fields_and_continents_stay(document: ResolvedEdition, lines: int) -> None:
    tripled = multiply_edition(document, 3, lines)
    assert len(tripled.countries) == 3 * ENTITY_COUNTS["countries"]
    assert len(tripled.institutions) == 3 * ENTITY_COUNTS["institutions"]
    assert len(tripled.priorities) == 3 * ENTITY_COUNTS["priorities"]
    mentions = sum(len(p.mentions) for p in document.priorities)
    assert mentions == 200
    assert sum(len(p.mentions) for p in tripled.priorities) == 3 * mentions
    assert tripled.fields == document.fields
    assert tripled.continents == document.continents
    assert tripled.directions == document.directions
    assert len({p.key for p in tripled.priorities}) == len(tripled.priorities)
    assert len({p.position for p in tripled.priorities}) == len(tripled.priorities)


def test_copy_zero_is_the_document_and_copies_say_they_are_synthetic(
    document: ResolvedEdition, lines: int
) -> None:
    tripled = multiply_edition(document, 3, lines)
    assert tripled.countries[: len(document.countries)] == document.countries
    by_key = {c.key: c for c in tripled.countries}
    assert by_key["JP"].name == "日本"
    assert by_key["JP-2"].name == "日本（合成2）"
    assert by_key["JP-2"].name_en == "Japan (synthetic 2)"
    assert by_key["JP-2"].continent_key == by_key["JP"].continent_key
    assert iso_code_of("JP") == "JP"
    assert iso_code_of("JP-2") is None
    assert tripled.source_name == "synthetic x3 of 2020.txt"
    assert tripled.title.endswith("（合成 x3）")
    assert tripled.source_sha256 == document.source_sha256


def test_synthetic_rows_point_back_at_the_row_they_copy(
    document: ResolvedEdition, lines: int, document_lines: list[str]
) -> None:
    tripled = multiply_edition(document, 3, lines)
    by_key = {p.key: p for p in tripled.priorities}
    original = by_key["2020.us.energy.1"]
    copy = by_key["2020.us-2.energy.1"]
    assert copy.source_line == original.source_line + 2 * lines
    assert document_lines[(copy.source_line - 1) % lines] == f"\t{copy.source_text}"
    assert copy.source_text == original.source_text
    assert copy.direction_keys == original.direction_keys
    assert [m.institution_key for m in copy.mentions] == [
        key.replace("us.", "us-2.", 1) for key in (m.institution_key for m in original.mentions)
    ]
    assert (
        Counter(p.country_key for p in tripled.priorities)["US-2"]
        == Counter(p.country_key for p in document.priorities)["US"]
    )


def test_keys_fit_their_columns_at_the_largest_multiplier(
    document: ResolvedEdition, lines: int
) -> None:
    # The row with the longest key, alone: its copies carry the longest suffixes.
    longest = max(document.priorities, key=lambda p: len(p.key))
    assert len(longest.key) == 36
    country = next(c for c in document.countries if c.key == longest.country_key)
    named = {m.institution_key for m in longest.mentions}
    alone = replace(
        document,
        countries=(country,),
        institutions=tuple(i for i in document.institutions if i.key in named),
        priorities=(longest,),
    )
    largest = multiply_edition(alone, MAX_COPIES, lines)
    assert largest.priorities[-1].key == longest.key.replace(".", "-999.", 2).replace(
        "-999.", ".", 1
    )
    assert len(largest.priorities[-1].key) == 40


def test_a_key_longer_than_its_column_is_refused(document: ResolvedEdition, lines: int) -> None:
    long_row = replace(document.priorities[0], key="2020.jp.a-field-key-far-too-long-for-it.1")
    edition = replace(document, priorities=(long_row,))
    with pytest.raises(DocumentError, match="longer than 40 characters"):
        multiply_edition(edition, 2, lines)


@pytest.mark.parametrize("copies", [0, -1, MAX_COPIES + 1])
def test_multiplier_out_of_range(document: ResolvedEdition, lines: int, copies: int) -> None:
    with pytest.raises(
        DocumentError,
        match=f"--synthetic {copies}: the multiplier must be between 1 and {MAX_COPIES}",
    ):
        multiply_edition(document, copies, lines)

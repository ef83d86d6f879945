"""parse_document on the shipped 2020 document and on broken copies of it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from coopgraph.seed.curation import load_curation
from coopgraph.seed.errors import DocumentError
from coopgraph.seed.parse import ParsedDocument, parse_document
from coopgraph.seed.resolve import resolve_document
from tests.seed import edits
from tests.seed.facts import (
    COUNTRIES_BY_CONTINENT,
    COUNTRIES_PER_CONTINENT,
    ROWS_PER_FIELD,
    TITLE,
    institution_lines,
)


@pytest.fixture(scope="module")
def document(document_path: Path) -> ParsedDocument:
    return parse_document(document_path.read_bytes(), str(document_path))


def parse_error(data: str | bytes) -> DocumentError:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(DocumentError) as caught:
        resolve_document(parse_document(raw, "copy.txt"), load_curation(), raw)
    return caught.value


# The shipped document.


def test_document_has_115_data_rows(document: ParsedDocument) -> None:
    assert len(document.rows) == 115


def test_title_and_year(document: ParsedDocument) -> None:
    assert document.title == TITLE == "2020年度对外合作重点项目资助重点"
    assert document.year == 2020


def test_source_is_the_given_name(document: ParsedDocument, document_path: Path) -> None:
    assert document.source == str(document_path)


def test_countries_per_continent(document: ParsedDocument) -> None:
    found: dict[str, list[str]] = {}
    for row in document.rows:
        countries = found.setdefault(row.continent, [])
        if row.country not in countries:
            countries.append(row.country)
    assert found == COUNTRIES_BY_CONTINENT
    assert {name: len(names) for name, names in found.items()} == COUNTRIES_PER_CONTINENT


def test_44_distinct_countries_including_the_eu_and_the_regions(document: ParsedDocument) -> None:
    countries = {row.country for row in document.rows}
    assert len(countries) == 44
    assert {"欧盟", "中国香港", "中国澳门", "中国台湾"} <= countries


def test_rows_per_field(document: ParsedDocument) -> None:
    assert Counter(row.field for row in document.rows) == ROWS_PER_FIELD


def test_wrapped_continent_cells_are_joined(
    document: ParsedDocument, document_lines: list[str]
) -> None:
    assert document_lines[11:13] == ["\t亚", "洲"]
    assert document.rows[0].line == 12
    assert document.rows[0].continent == "亚洲"
    assert document_lines[620:623] == ["\t港", "澳", "台"]
    hong_kong = next(row for row in document.rows if row.line == edits.HONG_KONG_ROW)
    assert (hong_kong.continent, hong_kong.country) == ("港澳台", "中国香港")


def test_continents_are_the_curated_names_only(document: ParsedDocument) -> None:
    assert {row.continent for row in document.rows} == set(load_curation().continents)


def test_blank_continent_and_country_cells_repeat_the_row_above(
    document: ParsedDocument, document_lines: list[str]
) -> None:
    second = document.rows[1]
    assert second.line == 19
    assert document_lines[18:20] == ["\t", "\t"]
    assert (second.continent, second.country, second.field) == ("亚洲", "日本", "先进材料领域")
    last = document.rows[-1]
    assert document_lines[last.line - 1] == "\t"
    assert (last.continent, last.country) == ("港澳台", "中国台湾")


def test_every_blank_cell_inherits_from_the_previous_row(
    document: ParsedDocument, document_lines: list[str]
) -> None:
    for previous, row in zip(document.rows, document.rows[1:], strict=False):
        continent_cell = document_lines[row.line - 1]
        # Only the continent cell wraps, so the country cell is three above the last.
        country_cell = document_lines[row.institutions_line - 4]
        if continent_cell == "\t":
            assert row.continent == previous.continent
        if country_cell == "\t":
            assert row.country == previous.country
        else:
            assert row.country == country_cell.removeprefix("\t")


@pytest.mark.parametrize(
    ("country", "lines"),
    [
        ("智利", [362, 368]),
        ("法国", [440, 447, 453, 459, 465, 471]),
        ("葡萄牙", [477, 609]),
        ("俄罗斯", [513, 519, 525, 531]),
        ("德国", [585, 597]),
    ],
)
def test_countries_written_out_again_on_later_rows(
    document: ParsedDocument, document_lines: list[str], country: str, lines: list[int]
) -> None:
    rows = [row for row in document.rows if row.country == country]
    assert [row.line for row in rows] == lines
    for row in rows:
        assert document_lines[row.institutions_line - 4] == f"\t{country}"


def test_germany_comes_back_after_the_eu(document: ParsedDocument) -> None:
    countries = [row.country for row in document.rows if 585 <= row.line <= 597]
    assert countries == ["德国", "欧盟", "德国"]


def test_institution_lines_are_the_last_cell_of_each_row(
    document: ParsedDocument, document_lines: list[str]
) -> None:
    assert [row.institutions_line for row in document.rows] == institution_lines(document_lines)


def test_every_institutions_text_is_the_line_after_its_tab(
    document: ParsedDocument, document_lines: list[str]
) -> None:
    for row in document.rows:
        line = document_lines[row.institutions_line - 1]
        assert line.startswith("\t")
        assert row.institutions_text == line[1:]
        assert row.institutions == line[1:]


def test_known_institution_cells(document: ParsedDocument) -> None:
    by_line = {row.institutions_line: row for row in document.rows}
    assert by_line[17].institutions_text == "国立研究机构、大学"
    assert by_line[229].institutions_text == "国家大气海洋局（NOAA)、Scipps、Woodswhole，top50大学"
    assert by_line[253].institutions_text == "国家研究理事会（NRC）,多伦多大学等U15大学"
    assert by_line[711].institutions_text == "台大、清华等重点高校"


def test_full_width_space_cell_is_an_empty_direction(
    document: ParsedDocument, document_lines: list[str]
) -> None:
    first = document.rows[0]
    assert document_lines[first.line + 3] == "\t\u3000"
    assert first.directions == ""


def test_written_directions_are_kept(document: ParsedDocument) -> None:
    brazil = next(row for row in document.rows if row.institutions_line == 354)
    assert brazil.directions == "现代农业、健康"
    assert sum(1 for row in document.rows if row.directions) == 54
    assert sum(1 for row in document.rows if not row.directions) == 61


def test_text_input_parses_like_bytes(document: ParsedDocument, document_path: Path) -> None:
    text = document_path.read_text(encoding="utf-8")
    assert parse_document(text, str(document_path)) == document


def test_byte_order_mark_is_ignored(document: ParsedDocument, document_path: Path) -> None:
    data = b"\xef\xbb\xbf" + document_path.read_bytes()
    assert parse_document(data, str(document_path)).rows == document.rows


# Broken copies: each names the line and the problem.


def test_row_with_an_extra_cell() -> None:
    text = edits.edited({edits.JAPAN_ENERGY_DIRECTIONS: "\t\u3000\n\t额外"})
    error = parse_error(text)
    assert error.line == edits.JAPAN_ENERGY_ROW
    assert "row has 6 cells, expected 5" in error.problem


def test_row_with_a_missing_cell() -> None:
    error = parse_error(edits.edited(delete=[edits.JAPAN_ENERGY_DIRECTIONS]))
    assert error.line == edits.JAPAN_ENERGY_ROW
    assert "row has 4 cells, expected 5" in error.problem


def test_two_rows_run_together() -> None:
    error = parse_error(edits.edited(delete=[30]))
    assert error.line == edits.JAPAN_ENERGY_ROW
    assert "row has 10 cells" in error.problem


def test_unknown_field() -> None:
    error = parse_error(edits.edited({edits.JAPAN_ENERGY_FIELD: "\t能源领"}))
    assert "unknown field '能源领'" in error.problem
    # The problem is on the field cell's line, which is the line to fix.
    assert error.line == edits.JAPAN_ENERGY_FIELD


def test_blank_field() -> None:
    error = parse_error(edits.edited({edits.JAPAN_ENERGY_FIELD: "\t\u3000"}))
    assert error.line == edits.JAPAN_ENERGY_FIELD
    assert "the field cell of 日本 is blank" in error.problem


def test_country_without_continent() -> None:
    text = edits.edited({edits.FIRST_ROW_CONTINENT: "\t"}, delete=[edits.FIRST_ROW_CONTINENT_WRAP])
    error = parse_error(text)
    assert error.line == edits.FIRST_ROW_CONTINENT
    assert "country '日本' has no continent" in error.problem


def test_new_continent_without_country() -> None:
    error = parse_error(edits.edited({edits.HONG_KONG_COUNTRY: "\t"}))
    assert error.line == edits.HONG_KONG_ROW
    assert "continent '港澳台' starts a new group but the country cell is blank" in error.problem


@pytest.mark.parametrize("data", [b"", b"\n\n\n", "\ufeff\n".encode(), "\t\n\u3000\n".encode()])
def test_empty_document(data: bytes) -> None:
    error = parse_error(data)
    assert error.line == 1
    assert "the document is empty" in error.problem


def test_title_without_year() -> None:
    error = parse_error(edits.edited({1: "对外合作重点项目资助重点"}))
    assert error.line == 1
    assert "does not start with the edition's year" in error.problem


def test_document_with_only_a_title() -> None:
    error = parse_error("2020年度对外合作重点项目资助重点\n")
    assert "ends before its header rows" in error.problem


def test_document_without_data_rows() -> None:
    header = "\n".join(edits.shipped_text().splitlines()[:11]) + "\n"
    error = parse_error(header)
    assert "header rows but no data rows" in error.problem


def test_wrong_header() -> None:
    error = parse_error(edits.edited({7: "\t国别"}))
    assert error.line == 6
    assert "header row reads" in error.problem


def test_truncated_last_row() -> None:
    text = edits.shipped_text()
    cut = text.index("资源生态环境领域", text.index("\t中国台湾", len(text) - 80)) + 3
    assert text[cut - 4 : cut] == "\t资源生"
    error = parse_error(text[:cut])
    assert error.line == edits.LAST_ROW
    assert "the last row is truncated: it has 3 of 5 cells" in error.problem


def test_truncated_after_the_country_cell() -> None:
    lines = edits.shipped_text().splitlines()
    error = parse_error("\n".join(lines[: edits.LAST_ROW + 1]))
    assert error.line == edits.LAST_ROW
    assert "it has 2 of 5 cells" in error.problem


def first_line_that_is_not_utf8(data: bytes) -> int:
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    raise AssertionError


def test_gbk_document_is_rejected_on_its_first_non_utf8_line() -> None:
    data = edits.shipped_text().encode("gbk")
    error = parse_error(data)
    assert error.line == first_line_that_is_not_utf8(data) == 1
    assert "not UTF-8" in error.problem
    assert "GBK" in error.problem


def test_single_gbk_line_is_named_with_its_column() -> None:
    lines = edits.shipped_text().splitlines()
    brazil = lines.index("\tINPE及相关大学")
    data = b"\n".join(
        line.encode("gbk") if index == brazil else line.encode("utf-8")
        for index, line in enumerate(lines)
    )
    error = parse_error(data)
    assert error.line == brazil + 1 == 342
    assert "not UTF-8: byte 0xBC at column 6" in error.problem


def test_unknown_direction() -> None:
    error = parse_error(edits.edited({edits.MEXICO_NANO_DIRECTIONS: "\t纳米技术"}))
    assert "unknown direction '纳米技术' in field 先进材料领域" in error.problem
    # The problem is on the directions cell's line, which is the line to fix.
    assert error.line == edits.MEXICO_NANO_DIRECTIONS


def test_unknown_institution_names_the_institutions_line() -> None:
    error = parse_error(edits.unknown_institution_text())
    assert error.line == edits.FRANCE_INSERM_INSTITUTIONS
    assert "institution '法国未知研究院' of 法国 has no row" in error.problem


def test_institution_of_another_country_is_unknown() -> None:
    error = parse_error(edits.edited({edits.FRANCE_INSERM_INSTITUTIONS: "\t德国马普学会"}))
    assert error.line == edits.FRANCE_INSERM_INSTITUTIONS
    assert "institution '德国马普学会' of 法国 has no row" in error.problem


def test_country_under_two_continents() -> None:
    error = parse_error(edits.edited({edits.HONG_KONG_COUNTRY: "\t日本"}))
    # The country cell names the country that is out of place.
    assert error.line == edits.HONG_KONG_COUNTRY
    assert "country 日本 is listed under 港澳台 here but under 亚洲 earlier" in error.problem


def test_unknown_country() -> None:
    error = parse_error(edits.edited({edits.HONG_KONG_COUNTRY: "\t火星国"}))
    assert error.line == edits.HONG_KONG_COUNTRY
    assert "unknown country '火星国'" in error.problem


def test_error_message_starts_with_source_and_line() -> None:
    error = parse_error(edits.unknown_institution_text())
    assert error.source == "copy.txt"
    assert str(error).startswith(f"copy.txt:{edits.FRANCE_INSERM_INSTITUTIONS}: institution ")

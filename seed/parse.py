"""Read the document: a Word table exported to text.

The export writes each cell on a line that starts with a tab; a cell whose text wrapped
continues on the following lines without a tab (``亚`` + ``洲``); a blank line ends a
row. The first line is the title, then two header rows, then one row per priority with
five cells: continent, country, field, directions and institutions. A blank continent
or country cell means the merged cell above still applies.

Parsing is strict on purpose: every deviation is a ``DocumentError`` naming the line,
never a silent guess, because a silently mis-read row would be served as fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopgraph.seed.errors import DocumentError

TITLE_YEAR = re.compile(r"^(?P<year>\d{4})年度")
#: Word writes an empty cell as one ideographic space.
EMPTY_CELL_MARKS = frozenset({"", "\u3000"})
HEADER_ROWS = (
    ("重点国别", "重点合作领域（以8+2为依据）", "重点合作机构"),
    ("大洲", "国家", "合作领域", "研究方向", ""),
)
#: The fields header names its basis in brackets: 重点合作领域（以8+2为依据）.
FIELD_BASIS = re.compile(r"^重点合作领域[（(](?P<basis>.+)[)）]$")
DATA_COLUMNS = ("大洲", "国家", "合作领域", "研究方向", "重点合作机构")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: the line it starts on and its lines as written (without the tab)."""

    line: int
    lines: tuple[str, ...]

    @property
    def raw(self) -> str:
        """The cell exactly as written, continuation lines kept."""
        return "\n".join(self.lines)

    @property
    def value(self) -> str:
        """The cell's text with wrapped lines joined and blank marks read as empty."""
        text = "".join(part.strip() for part in self.lines)
        return "" if text in EMPTY_CELL_MARKS else text


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One data row, with merged continent and country cells already filled in."""

    line: int
    continent: str
    country: str
    field: str
    directions: str
    institutions: str
    institutions_line: int
    institutions_text: str
    #: The line each of the five cells starts on, so an error can point at the cell.
    cell_lines: tuple[int, ...]

    @property
    def continent_line(self) -> int:
        return self.cell_lines[0]

    @property
    def country_line(self) -> int:
        return self.cell_lines[1]

    @property
    def field_line(self) -> int:
        return self.cell_lines[2]

    @property
    def directions_line(self) -> int:
        return self.cell_lines[3]


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    source: str
    title: str
    year: int
    rows: tuple[ParsedRow, ...]
    #: The header's basis for the fields, as written (以8+2为依据); it belongs to the edition.
    field_basis: str | None = None


def decode_document(data: bytes, source: str) -> str:
    """Decode UTF-8 strictly, naming the line of the first byte that is not UTF-8.

    A GBK copy of the same table decodes to plausible-looking garbage under lenient
    codecs, so only strict UTF-8 is accepted.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problem = (
            f"not UTF-8: byte 0x{data[error.start]:02X} at column {column} cannot be decoded "
            "(saved in another encoding, such as GBK, or cut in the middle of a character? "
            "save it as UTF-8)"
        )
        raise DocumentError(source, line, problem) from error


def _split_rows(lines: list[str], source: str) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    for number, text in enumerate(lines[1:], start=2):
        if text.strip() == "" and not text.startswith("\t"):
            if current:
                rows.append(current)
                current = []
            continue
        if text.startswith("\t"):
            current.append(Cell(number, (text[1:],)))
        elif current:
            last = current[-1]
            current[-1] = Cell(last.line, (*last.lines, text))
        else:
            msg = f"text outside any cell: {text.strip()!r} (a cell starts with a tab)"
            raise DocumentError(source, number, msg)
    if current:
        rows.append(current)
    return rows


def _check_header(row: list[Cell], expected: tuple[str, ...], source: str) -> None:
    values = tuple(cell.value for cell in row)
    if values != expected:
        line = row[0].line if row else 1
        msg = f"header row reads {list(values)}, expected {list(expected)}"
        raise DocumentError(source, line, msg)


def _data_row(
    cells: list[Cell], previous: ParsedRow | None, *, last: bool, source: str
) -> ParsedRow:
    line = cells[0].line
    if len(cells) != len(DATA_COLUMNS):
        if last and len(cells) < len(DATA_COLUMNS):
            msg = (
                f"the last row is truncated: it has {len(cells)} of {len(DATA_COLUMNS)} cells "
                f"({', '.join(DATA_COLUMNS)}); the document seems cut off"
            )
        else:
            msg = (
                f"row has {len(cells)} cells, expected {len(DATA_COLUMNS)} "
                f"({', '.join(DATA_COLUMNS)})"
            )
        raise DocumentError(source, line, msg)
    continent, country, field, directions, institutions = (cell.value for cell in cells)
    if not continent:
        if previous is None:
            msg = f"country {country or '(blank)'!r} has no continent: the first data row must name one"
            raise DocumentError(source, line, msg)
        continent = previous.continent
        country = country or previous.country
    elif not country:
        msg = f"continent {continent!r} starts a new group but the country cell is blank"
        raise DocumentError(source, line, msg)
    if not field:
        raise DocumentError(source, cells[2].line, f"the field cell of {country} is blank")
    if not institutions:
        raise DocumentError(source, cells[4].line, f"the institutions cell of {country} is blank")
    return ParsedRow(
        line=line,
        continent=continent,
        country=country,
        field=field,
        directions=directions,
        institutions=institutions,
        institutions_line=cells[4].line,
        institutions_text=cells[4].raw,
        cell_lines=tuple(cell.line for cell in cells),
    )


def parse_document(data: bytes | str, source: str = "<document>") -> ParsedDocument:
    """Parse the exported table into rows, strictly.

    Args:
        data: The document's bytes (decoded as strict UTF-8) or text.
        source: The name used in error messages, usually the path.

    Raises:
        DocumentError: The document is empty, not UTF-8, has no year in its title,
            malformed headers, a row with the wrong number of cells, a country with
            no continent, or a truncated last row.
    """
    text = decode_document(data, source) if isinstance(data, bytes) else data
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise DocumentError(source, 1, "the document is empty")
    title = lines[0].strip()
    match = TITLE_YEAR.match(title)
    if match is None:
        msg = f"the title {title!r} does not start with the edition's year (such as 2020年度)"
        raise DocumentError(source, 1, msg)
    rows = _split_rows(lines, source)
    if len(rows) < len(HEADER_ROWS):
        raise DocumentError(source, len(lines), "the document ends before its header rows")
    for row, expected in zip(rows, HEADER_ROWS, strict=False):
        _check_header(row, expected, source)
    body = rows[len(HEADER_ROWS) :]
    if not body:
        raise DocumentError(source, len(lines), "the document has header rows but no data rows")
    parsed: list[ParsedRow] = []
    for index, cells in enumerate(body):
        previous = parsed[-1] if parsed else None
        parsed.append(_data_row(cells, previous, last=index == len(body) - 1, source=source))
    basis = FIELD_BASIS.match(rows[0][1].value) if len(rows[0]) > 1 else None
    return ParsedDocument(
        source=source,
        title=title,
        year=int(match["year"]),
        rows=tuple(parsed),
        field_basis=basis["basis"] if basis else None,
    )

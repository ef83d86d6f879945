"""Modified copies of the shipped 2020 document, for error and re-seed tests.

Line numbers are the 1-based lines of the shipped document, as an editor shows them.
The constants name the lines of the rows the tests change, so a test reads as the edit
a person would make to the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from coopgraph.seed.pipeline import shipped_documents

SHIPPED = shipped_documents()[0]

#: The first data row (日本, 基础前沿交叉领域): its continent cell wraps, 亚 + 洲.
FIRST_ROW_CONTINENT = 12
FIRST_ROW_CONTINENT_WRAP = 13
#: The row 日本 · 能源领域: first cell, field cell, directions cell.
JAPAN_ENERGY_ROW = 25
JAPAN_ENERGY_FIELD = 27
JAPAN_ENERGY_DIRECTIONS = 28
#: The row 墨西哥 · 先进材料领域 · 纳米.
MEXICO_NANO_ROW = 380
MEXICO_NANO_DIRECTIONS = 383
#: The only row of 巴拿马 (lines 434-438, then the blank line 439).
PANAMA_ROW = range(434, 440)
PANAMA_INSTITUTIONS = 438
#: The row 法国 · 生命与健康领域 · 健康 · 法国健康医学研究院.
FRANCE_INSERM_INSTITUTIONS = 445
#: The only row that names 法国巴斯德研究所.
FRANCE_PASTEUR_INSTITUTIONS = 469
#: The first row of 港澳台: its country cell (中国香港).
HONG_KONG_ROW = 621
HONG_KONG_COUNTRY = 624
#: The last row (中国台湾 · 资源生态环境领域): first cell and field cell.
LAST_ROW = 707
LAST_ROW_FIELD = 709


def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def edited(
    replace: Mapping[int, str] | None = None,
    delete: Iterable[int] = (),
    insert_after: Mapping[int, str] | None = None,
) -> str:
    """The shipped document with lines replaced, deleted, or text inserted after a line.

    Replacements and insertions are whole lines without their line break; the tab that
    starts a cell is part of the text.
    """
    replace = replace or {}
    insert_after = insert_after or {}
    dropped = set(delete)
    kept: list[str] = []
    for number, line in enumerate(shipped_text().splitlines(), start=1):
        if number not in dropped:
            kept.append(replace.get(number, line))
        if number in insert_after:
            kept.append(insert_after[number])
    return "\n".join(kept) + "\n"


def write_document(folder: Path, text: str | bytes, name: str = "2020.txt") -> Path:
    """Write a document copy into ``folder`` (created if needed) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def unknown_institution_text() -> str:
    """法国健康医学研究院 replaced by a name no curated row spells."""
    return edited({FRANCE_INSERM_INSTITUTIONS: "\t法国未知研究院"})


def modified_edition_text() -> str:
    """A plausible next revision: Pasteur's row names CNRS instead, Panama's row is gone.

    法国巴斯德研究所 and 巴拿马相关大学 are then named by no row, and 巴拿马 by no
    priority, so a re-seed must remove them.
    """
    return edited({FRANCE_PASTEUR_INSTITUTIONS: "\t法国科研中心"}, delete=PANAMA_ROW)


#: A second row of 巴拿马, written right after its only one.
PANAMA_SECOND_ROW = "\t\n\t巴拿马\n\t生命与健康领域\n\t生物多样性\n\t巴拿马相关大学\n"


def inserted_row_text() -> str:
    """A plausible next revision: 巴拿马 gains a 生命与健康领域 row mid-document."""
    return edited(insert_after={PANAMA_ROW[-1]: PANAMA_SECOND_ROW})


def yearly_copies(folder: Path, copies: int) -> list[Path]:
    """The shipped document as ``copies`` editions, one file per year from 2020.

    The parser resolves each copy as it resolves the document, so ``copies`` of them
    are a document ``copies`` times as large that goes through the real seed path
    (priorities, links and search terms scale; one edition holds at most 9,999 rows).
    """
    text = shipped_text()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for offset in range(copies):
        year = 2020 + offset
        paths.append(
            write_document(folder, text.replace("2020年度", f"{year}年度", 1), f"{year}.txt")
        )
    return paths

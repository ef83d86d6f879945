"""An edition's digest depends on what was resolved, never on where the file was."""

from __future__ import annotations

from pathlib import Path

from coopgraph.db.migrate import head_revision
from coopgraph.seed.digest import edition_digest
from coopgraph.seed.pipeline import read_edition
from tests.seed.edits import modified_edition_text, shipped_text, write_document


def test_same_document_from_two_folders_has_one_digest(tmp_path: Path) -> None:
    one = read_edition(write_document(tmp_path / "one", shipped_text()))
    other = read_edition(write_document(tmp_path / "a" / "b", shipped_text()))
    assert one.source_name != other.source_name
    assert edition_digest(one, head_revision()) == edition_digest(other, head_revision())


def test_digest_is_stable_across_reads(document_path: Path) -> None:
    digests = {edition_digest(read_edition(document_path), head_revision()) for _ in range(3)}
    assert len(digests) == 1
    (digest,) = digests
    assert len(digest) == 64


def test_digest_changes_with_the_content(tmp_path: Path, document_path: Path) -> None:
    shipped = edition_digest(read_edition(document_path), head_revision())
    renamed_year = write_document(
        tmp_path / "2021", shipped_text().replace("2020年度", "2021年度", 1), "2021.txt"
    )
    # Pasteur's row names CNRS instead, and Panama's only row is gone.
    revised = write_document(tmp_path / "revised", modified_edition_text())
    assert edition_digest(read_edition(renamed_year), head_revision()) != shipped
    assert edition_digest(read_edition(revised), head_revision()) != shipped


def test_digest_changes_with_the_schema_revision(document_path: Path) -> None:
    edition = read_edition(document_path)
    assert edition_digest(edition, "0001") != edition_digest(edition, head_revision())

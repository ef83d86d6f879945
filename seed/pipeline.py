"""From document files to a seeded database: read, parse, resolve, then load.

Every document is read and resolved before the database is touched, so a bad document
fails before any write; the load itself is one transaction, so a failure there rolls
everything back too.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import create_sync_engine
from db.migrate import upgrade_to_head
from db.models import Edition
from seed.curation import load_curation
from seed.errors import DocumentError
from seed.load import SeedReport, load_editions
from seed.parse import parse_document
from seed.resolve import ResolvedEdition, resolve_document


def shipped_documents() -> list[Path]:
    """The documents that ship with coopgraph, oldest first."""
    folder = resources.files("seed").joinpath("documents")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt"))


def read_edition(path: Path) -> ResolvedEdition:
    """Parse and resolve one document file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(str(path), 1, f"cannot read the document: {error.strerror}") from error
    return resolve_document(parse_document(data, str(path)), load_curation(), data)


def read_editions(paths: Sequence[Path]) -> list[ResolvedEdition]:
    editions = [read_edition(path) for path in paths]
    years: dict[int, str] = {}
    for edition in editions:
        if edition.year in years:
            problem = f"edition {edition.year} is also in {years[edition.year]}; seed one document per year"
            raise DocumentError(edition.source_name, 1, problem)
        years[edition.year] = edition.source_name
    return editions


def check_documents(paths: Sequence[Path]) -> SeedReport:
    """What seeding these documents would store, without a database."""
    editions = read_editions(paths)

    def distinct(attribute: str) -> int:
        return len({entity.key for e in editions for entity in getattr(e, attribute)})

    counts = {"editions": len(editions)}
    counts.update(
        (name, distinct(name))
        for name in (
            "continents",
            "countries",
            "fields",
            "directions",
            "institutions",
            "priorities",
        )
    )
    return SeedReport(
        editions=tuple((e.year, e.source_name, len(e.priorities)) for e in editions), counts=counts
    )


def seed_database(database_url: str, paths: Sequence[Path] | None = None) -> SeedReport:
    """Migrate the database and load the documents (the shipped ones by default)."""
    editions = read_editions(paths or shipped_documents())
    engine = create_sync_engine(database_url)
    try:
        upgrade_to_head(engine)
        with Session(engine) as session, session.begin():
            return load_editions(session, editions)
    finally:
        engine.dispose()


def ensure_seeded(database_url: str) -> SeedReport | None:
    """Migrate, and seed the shipped documents when no edition is stored yet."""
    engine = create_sync_engine(database_url)
    try:
        upgrade_to_head(engine)
        with Session(engine) as session:
            stored = session.scalar(select(func.count()).select_from(Edition)) or 0
    finally:
        engine.dispose()
    return None if stored else seed_database(database_url)

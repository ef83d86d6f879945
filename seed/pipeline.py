"""From document files to a seeded database: read, parse, resolve, then load.

Every document is read and resolved before the database is touched, so a bad document
fails before any write; the load itself is one transaction, so a failure there rolls
everything back too.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session

from coopgraph.db.engine import create_seed_engine
from coopgraph.db.locking import DEFAULT_SEED_LOCK_TIMEOUT, seed_transaction
from coopgraph.db.migrate import upgrade_connection
from coopgraph.db.search_index import vacuum_search_index
from coopgraph.seed.curation import load_curation
from coopgraph.seed.errors import DocumentError
from coopgraph.seed.load import LoadProgress, SeedReport, load_editions
from coopgraph.seed.parse import parse_document
from coopgraph.seed.resolve import ResolvedEdition, resolve_document
from coopgraph.seed.synthetic import multiply_edition


def shipped_documents() -> list[Path]:
    """The documents that ship with coopgraph, oldest first."""
    folder = resources.files("coopgraph.seed").joinpath("documents")
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


def read_synthetic_edition(path: Path, copies: int) -> ResolvedEdition:
    """The document at ``path`` multiplied ``copies`` times (see ``seed.synthetic``)."""
    edition = read_edition(path)
    lines = len(path.read_text(encoding="utf-8").splitlines())
    return multiply_edition(edition, copies, lines)


def seed_database(
    database_url: str,
    paths: Sequence[Path] | None = None,
    *,
    synthetic: int | None = None,
    progress: LoadProgress | None = None,
    lock_timeout: float = DEFAULT_SEED_LOCK_TIMEOUT,
) -> SeedReport:
    """Migrate the database and load the documents (the shipped ones by default).

    Args:
        database_url: Where to load.
        paths: The documents; the shipped ones when empty.
        synthetic: Load one document multiplied this many times instead, replacing
            every edition stored before.
        progress: Told each phase of the load.
        lock_timeout: Seconds to wait for another seed of this database to finish.

    Raises:
        DocumentError: A document is not what the parser or the curated tables accept.
        SeedLockTimeoutError: Another seed kept the database for ``lock_timeout`` seconds.
    """
    documents = list(paths or shipped_documents())
    if synthetic is None:
        editions = read_editions(documents)
    else:
        if len(documents) != 1:
            problem = f"--synthetic multiplies one document, not {len(documents)}"
            raise DocumentError(str(documents[-1]), 1, problem)
        editions = [read_synthetic_edition(documents[0], synthetic)]
    engine = create_seed_engine(database_url, lock_timeout)
    try:
        with seed_transaction(engine, lock_timeout) as connection:
            upgrade_connection(connection)
            with Session(bind=connection) as session:
                report = load_editions(
                    session, editions, progress=progress, replace_all=synthetic is not None
                )
                session.flush()
                if progress is not None:
                    progress.phase("committing", 0)
        vacuum_search_index(engine)
        return report
    finally:
        engine.dispose()

"""Store resolved editions: one transaction, upserts by natural key.

Entities are matched by their natural key, so loading the same document twice leaves
the database as it was, and IDs derived from the keys never move. A seeded edition
replaces the earlier seed of the same year; entities that no edition names any more
are removed. The caller owns the transaction: a failure anywhere rolls back all of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Connection, Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from db.migrate import head_revision
from db.models import (
    Base,
    Continent,
    Country,
    Direction,
    Edition,
    Field,
    Institution,
    InstitutionName,
    Priority,
    PriorityDirection,
    PriorityInstitution,
    SearchTerm,
    SearchWordKey,
)
from db.queries.version import DATA_VERSION_CHANNEL
from db.search_index import refresh_search_index
from db.statistics import refresh_relation_statistics
from seed.countries import alternative_names
from seed.digest import edition_digest
from seed.resolve import ResolvedEdition, ResolvedPriority
from seed.search_terms import Term, TermSource, shortest_first, terms_for, typo_key_pairs
from seed.synthetic import iso_code_of

T = TypeVar("T")

#: Rows per executemany batch and IDs per IN list: SQLite caps bound parameters per
#: statement, and batches let the progress bar move.
BATCH = 5000


class LoadProgress(Protocol):
    """Told what the load is doing, so a terminal can show a bar and a log can show steps."""

    def phase(self, name: str, rows: int) -> None:
        """A phase begins that writes about ``rows`` rows."""

    def advance(self, rows: int) -> None:
        """``rows`` more rows of the current phase are written."""


class _Silent:
    def phase(self, name: str, rows: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What a seed (or a check) found, per entity; printed by the CLI."""

    editions: tuple[tuple[int, str, int], ...]
    counts: dict[str, int]

    def lines(self) -> list[str]:
        out = [
            f"edition {year}: {rows} priorities from {source}"
            for year, source, rows in self.editions
        ]
        out.extend(f"{name}: {count}" for name, count in self.counts.items())
        return out


def _table(model: type[Any]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _insert_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], progress: LoadProgress
) -> None:
    # Core executemany: the ORM unit of work costs more per row than the database does,
    # which at x1000 (hundreds of thousands of rows) is the difference of minutes.
    for batch in _batches(rows):
        session.execute(table.insert(), list(batch))
        progress.advance(len(batch))


def _upsert(
    session: Session,
    model: type[Any],
    rows: Iterable[dict[str, Any]],
    progress: LoadProgress,
    phase: str,
    scope: ColumnElement[bool] | None = None,
) -> dict[str, int]:
    """Insert or update rows by ``key``; returns the stored ``key → id`` within ``scope``.

    A row without a ``position`` of its own goes after the existing ones, so entities
    keep the order in which documents first named them. ``scope`` limits the rows
    compared to those the new rows can match (one edition's priorities), so loading
    many editions does not read every earlier edition again.
    """
    table = _table(model)
    stored_rows = select(table) if scope is None else select(table).where(scope)
    existing = {row["key"]: row for row in session.execute(stored_rows).mappings()}
    # After every stored row, not only those in scope.
    next_position = (session.scalar(select(func.max(table.c.position))) or 0) + 1
    inserts: dict[str, dict[str, Any]] = {}
    updates: dict[str, dict[str, Any]] = {}
    for values in rows:
        key = values["key"]
        stored = existing.get(key)
        if stored is None:
            placed = inserts.setdefault(key, {})
            placed.update(values)
            if "position" not in placed:
                placed["position"] = next_position
                next_position += 1
        elif any(stored[column] != value for column, value in values.items()):
            updates.setdefault(key, {"id": stored["id"]}).update(values)
    progress.phase(f"loading {phase}", len(inserts) + len(updates))
    for batch in _batches(list(updates.values())):
        # ORM bulk UPDATE by primary key: one executemany per batch.
        session.execute(update(model), list(batch))
        progress.advance(len(batch))
    _insert_rows(session, table, list(inserts.values()), progress)
    ids = select(table.c.key, table.c.id)
    # A Result has keys(), so dict() would read it as a mapping: materialise the rows.
    return dict(session.execute(ids if scope is None else ids.where(scope)).all())


def _store_priorities(
    session: Session,
    edition: ResolvedEdition,
    edition_id: int,
    ids: dict[str, dict[str, int]],
    progress: LoadProgress,
) -> None:
    def values(priority: ResolvedPriority) -> dict[str, Any]:
        return {
            "key": priority.key,
            "position": priority.position,
            "edition_id": edition_id,
            "country_id": ids["countries"][priority.country_key],
            "field_id": ids["fields"][priority.field_key],
            "source_line": priority.source_line,
            "source_text": priority.source_text,
            "directions_text": priority.directions_text,
        }

    kept = {priority.key for priority in edition.priorities}
    stored = session.execute(
        select(Priority.key, Priority.id).where(Priority.edition_id == edition_id)
    )
    stale = [priority_id for key, priority_id in stored if key not in kept]
    for batch in _batches(stale):
        session.execute(delete(Priority).where(Priority.id.in_(batch)))
    # Rows that shift (a row inserted above them) would collide on the unique source line
    # while they are updated one by one; parking the lines out of range first avoids it.
    session.execute(
        update(Priority)
        .where(Priority.edition_id == edition_id)
        .values(source_line=-Priority.source_line)
        .execution_options(synchronize_session=False)
    )
    priority_ids = _upsert(
        session,
        Priority,
        (values(p) for p in edition.priorities),
        progress,
        "priorities",
        Priority.edition_id == edition_id,
    )
    own = select(Priority.id).where(Priority.edition_id == edition_id)
    session.execute(delete(PriorityDirection).where(PriorityDirection.priority_id.in_(own)))
    session.execute(delete(PriorityInstitution).where(PriorityInstitution.priority_id.in_(own)))
    directions = [
        {
            "priority_id": priority_ids[priority.key],
            "direction_id": ids["directions"][key],
            "ordinal": n,
        }
        for priority in edition.priorities
        for n, key in enumerate(priority.direction_keys)
    ]
    institutions = [
        {
            "priority_id": priority_ids[priority.key],
            "institution_id": ids["institutions"][mention.institution_key],
            "ordinal": n,
            "mention": mention.text,
            "and_others": mention.and_others,
            "qualified_by": [
                {"name": name, "nameEn": name_en} for name, name_en in mention.qualified_by
            ]
            or None,
        }
        for priority in edition.priorities
        for n, mention in enumerate(priority.mentions)
    ]
    progress.phase("loading links", len(directions) + len(institutions))
    _insert_rows(session, _table(PriorityDirection), directions, progress)
    _insert_rows(session, _table(PriorityInstitution), institutions, progress)


def _remove_orphans(session: Session) -> None:
    # Children before parents, so no foreign key is left dangling.
    named = select(PriorityInstitution.institution_id)
    session.execute(delete(InstitutionName).where(InstitutionName.institution_id.not_in(named)))
    session.execute(delete(Institution).where(Institution.id.not_in(named)))
    used = select(PriorityDirection.direction_id)
    session.execute(delete(Direction).where(Direction.id.not_in(used)))
    session.execute(delete(Country).where(Country.id.not_in(select(Priority.country_id))))
    session.execute(
        delete(Field).where(
            Field.id.not_in(select(Priority.field_id)), Field.id.not_in(select(Direction.field_id))
        )
    )
    session.execute(delete(Continent).where(Continent.id.not_in(select(Country.continent_id))))


def _store_other_names(
    session: Session, edition: ResolvedEdition, institution_ids: dict[str, int]
) -> None:
    own = [institution_ids[i.key] for i in edition.institutions]
    # In batches: at x1000 one IN list would pass PostgreSQL's 65,535 parameters.
    for batch in _batches(own):
        session.execute(delete(InstitutionName).where(InstitutionName.institution_id.in_(batch)))
    session.add_all(
        InstitutionName(
            institution_id=institution_ids[i.key], name=other.name, kind=other.kind, ordinal=n
        )
        for i in edition.institutions
        for n, other in enumerate(i.other_names)
    )
    session.flush()


def _term_sources(session: Session) -> list[TermSource]:
    aliases: dict[int, list[str]] = {}
    mentions = select(PriorityInstitution.institution_id, PriorityInstitution.mention).distinct()
    for institution_id, mention in session.execute(mentions):
        aliases.setdefault(institution_id, []).append(mention)
    others: dict[int, list[tuple[str, str]]] = {}
    curated = select(InstitutionName.institution_id, InstitutionName.name).order_by(
        InstitutionName.institution_id, InstitutionName.ordinal
    )
    for institution_id, name in session.execute(curated):
        others.setdefault(institution_id, []).append((name, "otherName"))
    qualified = select(PriorityInstitution.institution_id, PriorityInstitution.qualified_by).where(
        PriorityInstitution.qualified_by.is_not(None)
    )
    for institution_id, bodies in session.execute(qualified):
        for body in bodies or ():
            others.setdefault(institution_id, []).extend(
                [(body["name"], "qualifier"), (body["nameEn"], "qualifier")]
            )
    named = (Continent, Field, Direction)
    sources = [
        TermSource(model.__name__, id_, name, name_en)
        for model in named
        for id_, name, name_en in session.execute(select(model.id, model.name, model.name_en))
    ]
    countries = select(Country.id, Country.name, Country.name_en, Country.iso_code)
    sources.extend(
        TermSource("Country", id_, name, name_en, iso_code, alternative_names(iso_code))
        for id_, name, name_en, iso_code in session.execute(countries)
    )
    institutions = select(
        Institution.id, Institution.name, Institution.name_en, Institution.acronym
    )
    sources.extend(
        TermSource(
            "Institution",
            id_,
            name,
            name_en,
            acronym,
            tuple(sorted(aliases.get(id_, []))),
            tuple(others.get(id_, [])),
        )
        for id_, name, name_en, acronym in session.execute(institutions)
    )
    return sources


def _rebuild_search_terms(session: Session, progress: LoadProgress | None = None) -> None:
    progress = progress or _Silent()
    sources = _term_sources(session)
    progress.phase("building search terms", len(sources))
    terms: list[Term] = []
    for source in sources:
        terms.extend(terms_for([source]))
        progress.advance(1)
    write_search_terms(session.connection(), terms)


def write_search_terms(connection: Connection, terms: list[Term]) -> None:
    """Replace every stored spelling and one-typo key by ``terms``, and ready the index.

    Shortest first, ranked in that order: a word lookup that stops after its candidates
    has then read the spellings a search ranks highest (see db.queries.search).
    """
    connection.execute(delete(SearchTerm))
    connection.execute(delete(SearchWordKey))
    ranked = sorted(terms, key=shortest_first)
    rows = [
        {
            "entity_type": term.entity_type,
            "entity_id": term.entity_id,
            "term": term.term,
            "normalized": term.normalized,
            "source": term.source,
            "words": term.words,
            "rank": rank,
        }
        for rank, term in enumerate(ranked, start=1)
    ]
    for start in range(0, len(rows), BATCH):
        connection.execute(_table(SearchTerm).insert(), rows[start : start + BATCH])
    vocabulary = [term for term in ranked if term.words]
    keys = [{"key": key, "word": word} for key, word in typo_key_pairs(vocabulary)]
    for start in range(0, len(keys), BATCH):
        connection.execute(_table(SearchWordKey).insert(), keys[start : start + BATCH])
    refresh_search_index(connection)


def count_entities(session: Session) -> dict[str, int]:
    """Rows per entity, as the seed report and the tests state them."""
    models: dict[str, type[Any]] = {
        "editions": Edition,
        "continents": Continent,
        "countries": Country,
        "fields": Field,
        "directions": Direction,
        "institutions": Institution,
        "priorities": Priority,
    }
    return {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in models.items()
    }


def load_editions(
    session: Session,
    editions: Sequence[ResolvedEdition],
    *,
    progress: LoadProgress | None = None,
    replace_all: bool = False,
) -> SeedReport:
    """Store the editions in the session's transaction and report what is stored.

    The caller commits; nothing here commits, so a failure leaves the database as it
    was before the seed began.

    Args:
        session: The session whose transaction the load runs in.
        editions: What to store.
        progress: Told each phase and how far it got; silent by default.
        replace_all: Remove the editions of other years too, so the database then holds
            exactly these editions (a synthetic seed replaces whatever was there).
    """
    progress = progress or _Silent()
    if replace_all:
        years = [edition.year for edition in editions]
        session.execute(delete(Edition).where(Edition.year.not_in(years)))
    for edition in editions:
        ids = {
            "continents": _upsert(
                session,
                Continent,
                ({"key": c.key, "name": c.name, "name_en": c.name_en} for c in edition.continents),
                progress,
                "continents",
            ),
        }
        ids["countries"] = _upsert(
            session,
            Country,
            (
                {
                    "key": c.key,
                    "iso_code": iso_code_of(c.key),
                    "name": c.name,
                    "name_en": c.name_en,
                    "continent_id": ids["continents"][c.continent_key],
                }
                for c in edition.countries
            ),
            progress,
            "countries",
        )
        ids["fields"] = _upsert(
            session,
            Field,
            ({"key": f.key, "name": f.name, "name_en": f.name_en} for f in edition.fields),
            progress,
            "fields",
        )
        ids["directions"] = _upsert(
            session,
            Direction,
            (
                {
                    "key": d.key,
                    "name": d.name,
                    "name_en": d.name_en,
                    "field_id": ids["fields"][d.field_key],
                }
                for d in edition.directions
            ),
            progress,
            "directions",
        )
        ids["institutions"] = _upsert(
            session,
            Institution,
            (
                {
                    "key": i.key,
                    "name": i.name,
                    "name_en": i.name_en,
                    "acronym": i.acronym,
                    "kind": i.kind,
                    "country_id": ids["countries"][i.country_key],
                    "inferred_basis": i.inferred_basis,
                }
                for i in edition.institutions
            ),
            progress,
            "institutions",
        )
        _store_other_names(session, edition, ids["institutions"])
        edition_id = _upsert_edition(session, edition)
        _store_priorities(session, edition, edition_id, ids, progress)
    progress.phase("removing entities no edition names", 0)
    _remove_orphans(session)
    _rebuild_search_terms(session, progress)
    progress.phase("refreshing relation statistics", 0)
    refresh_relation_statistics(session)
    if session.get_bind().dialect.name == "postgresql":
        # Delivered when the transaction commits, never before: servers listening
        # re-read the data version and stop serving answers cached from the old data.
        session.execute(text(f"NOTIFY {DATA_VERSION_CHANNEL}"))
    return SeedReport(
        editions=tuple((e.year, e.source_name, len(e.priorities)) for e in editions),
        counts=count_entities(session),
    )


def _upsert_edition(session: Session, edition: ResolvedEdition) -> int:
    row = session.scalar(select(Edition).where(Edition.year == edition.year))
    if row is None:
        row = Edition(year=edition.year)
        session.add(row)
    row.title = edition.title
    # The file name, not the path: the same document seeded from another folder is
    # the same edition.
    row.source_name = PurePath(edition.source_name).name
    row.source_sha256 = edition.source_sha256
    row.field_basis = edition.field_basis
    row.content_sha256 = edition_digest(edition, head_revision())
    session.flush()
    return row.id

"""Store resolved editions: one transaction, upserts by natural key.

Entities are matched by their natural key, so loading the same document twice leaves
the database as it was, and IDs derived from the keys never move. A seeded edition
replaces the earlier seed of the same year; entities that no edition names any more
are removed. The caller owns the transaction: a failure anywhere rolls back all of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.orm import Session

from coopgraph.db.migrate import head_revision
from coopgraph.db.models import (
    Continent,
    Country,
    Direction,
    Edition,
    Field,
    Institution,
    InstitutionName,
    Priority,
    PriorityInstitution,
    SearchTerm,
    SearchWordKey,
)
from coopgraph.db.queries.version import DATA_VERSION_CHANNEL
from coopgraph.db.search_index import refresh_search_index
from coopgraph.db.statistics import refresh_relation_statistics
from coopgraph.seed.countries import alternative_names
from coopgraph.seed.curation import load_curation
from coopgraph.seed.digest import edition_digest
from coopgraph.seed.resolve import ResolvedEdition
from coopgraph.seed.rows import (
    BATCH,
    LoadProgress,
    Silent,
    remove_orphans,
    store_other_names,
    store_priorities,
    table_of,
    upsert,
)
from coopgraph.seed.search_terms import Term, TermSource, shortest_first, terms_for, typo_key_pairs
from coopgraph.seed.synthetic import iso_code_of


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
    # The curated spellings users type (UK, Macau, Tsinghua) are read from the tables
    # here, not stored with the entities: every rebuild of the terms, whichever edition
    # it follows, then holds those of every entity still stored.
    typed = {
        owner: tuple(entry.alias for entry in entries)
        for owner, entries in load_curation().search_aliases.items()
    }
    countries = select(Country.id, Country.name, Country.name_en, Country.iso_code)
    sources.extend(
        TermSource(
            "Country",
            id_,
            name,
            name_en,
            iso_code,
            (*alternative_names(iso_code), *typed.get((name, None), ())),
        )
        for id_, name, name_en, iso_code in session.execute(countries)
    )
    institutions = select(
        Institution.id, Institution.name, Institution.name_en, Institution.acronym, Country.name
    ).join(Country, Institution.country_id == Country.id)
    sources.extend(
        TermSource(
            "Institution",
            id_,
            name,
            name_en,
            acronym,
            (*sorted(aliases.get(id_, [])), *typed.get((country, name), ())),
            tuple(others.get(id_, [])),
        )
        for id_, name, name_en, acronym, country in session.execute(institutions)
    )
    return sources


def _rebuild_search_terms(session: Session, progress: LoadProgress | None = None) -> None:
    progress = progress or Silent()
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
        connection.execute(table_of(SearchTerm).insert(), rows[start : start + BATCH])
    vocabulary = [term for term in ranked if term.words]
    keys = [{"key": key, "word": word} for key, word in typo_key_pairs(vocabulary)]
    for start in range(0, len(keys), BATCH):
        connection.execute(table_of(SearchWordKey).insert(), keys[start : start + BATCH])
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
    progress = progress or Silent()
    if replace_all:
        years = [edition.year for edition in editions]
        session.execute(delete(Edition).where(Edition.year.not_in(years)))
    for edition in editions:
        ids = {
            "continents": upsert(
                session,
                Continent,
                ({"key": c.key, "name": c.name, "name_en": c.name_en} for c in edition.continents),
                progress,
                "continents",
            ),
        }
        ids["countries"] = upsert(
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
        ids["fields"] = upsert(
            session,
            Field,
            ({"key": f.key, "name": f.name, "name_en": f.name_en} for f in edition.fields),
            progress,
            "fields",
        )
        ids["directions"] = upsert(
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
        ids["institutions"] = upsert(
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
        store_other_names(session, edition, ids["institutions"])
        edition_id = _upsert_edition(session, edition)
        store_priorities(session, edition, edition_id, ids, progress)
    progress.phase("removing entities no edition names", 0)
    remove_orphans(session)
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


__all__ = ["LoadProgress", "SeedReport", "count_entities", "load_editions", "write_search_terms"]

"""Store resolved editions: one transaction, upserts by natural key.

Entities are matched by their natural key, so loading the same document twice leaves
the database as it was, and IDs derived from the keys never move. A seeded edition
replaces the earlier seed of the same year; entities that no edition names any more
are removed. The caller owns the transaction: a failure anywhere rolls back all of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from db.models import (
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
from db.statistics import refresh_relation_statistics
from seed.countries import alternative_names
from seed.resolve import ResolvedEdition, ResolvedPriority
from seed.search_terms import TermSource, terms_for, typo_key_pairs


class _Keyed(Protocol):
    id: int
    key: str
    position: int


M = TypeVar("M", bound=_Keyed)


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


def _upsert(session: Session, model: type[M], rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Insert or update rows by ``key``.

    A row without a ``position`` of its own goes after the existing ones, so entities
    keep the order in which documents first named them.
    """
    existing: dict[str, Any] = {obj.key: obj for obj in session.scalars(select(model))}
    next_position = max((obj.position for obj in existing.values()), default=0) + 1
    for values in rows:
        obj = existing.get(values["key"])
        if obj is None:
            placed = dict(values)
            if "position" not in placed:
                placed["position"] = next_position
                next_position += 1
            obj = model(**placed)
            session.add(obj)
            existing[values["key"]] = obj
        else:
            for attribute, value in values.items():
                if getattr(obj, attribute) != value:
                    setattr(obj, attribute, value)
    session.flush()
    return {key: obj.id for key, obj in existing.items()}


def _store_priorities(
    session: Session, edition: ResolvedEdition, edition_id: int, ids: dict[str, dict[str, int]]
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
    stale = select(Priority.id).where(Priority.edition_id == edition_id, Priority.key.not_in(kept))
    session.execute(delete(Priority).where(Priority.id.in_(stale)))
    # Rows that shift (a row inserted above them) would collide on the unique source line
    # while they are updated one by one; parking the lines out of range first avoids it.
    session.execute(
        update(Priority)
        .where(Priority.edition_id == edition_id)
        .values(source_line=-Priority.source_line)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    priority_ids = _upsert(session, Priority, (values(p) for p in edition.priorities))
    own = [priority_ids[p.key] for p in edition.priorities]
    session.execute(delete(PriorityDirection).where(PriorityDirection.priority_id.in_(own)))
    session.execute(delete(PriorityInstitution).where(PriorityInstitution.priority_id.in_(own)))
    for priority in edition.priorities:
        priority_id = priority_ids[priority.key]
        session.add_all(
            PriorityDirection(
                priority_id=priority_id, direction_id=ids["directions"][key], ordinal=n
            )
            for n, key in enumerate(priority.direction_keys)
        )
        session.add_all(
            PriorityInstitution(
                priority_id=priority_id,
                institution_id=ids["institutions"][mention.institution_key],
                ordinal=n,
                mention=mention.text,
                and_others=mention.and_others,
                qualified_by=[
                    {"name": name, "nameEn": name_en} for name, name_en in mention.qualified_by
                ]
                or None,
            )
            for n, mention in enumerate(priority.mentions)
        )
    session.flush()


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
    session.execute(delete(InstitutionName).where(InstitutionName.institution_id.in_(own)))
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
    sources = [
        TermSource("Continent", c.id, c.name, c.name_en) for c in session.scalars(select(Continent))
    ]
    sources.extend(
        TermSource("Country", c.id, c.name, c.name_en, c.iso_code, alternative_names(c.iso_code))
        for c in session.scalars(select(Country))
    )
    sources.extend(
        TermSource("Field", f.id, f.name, f.name_en) for f in session.scalars(select(Field))
    )
    sources.extend(
        TermSource("Direction", d.id, d.name, d.name_en) for d in session.scalars(select(Direction))
    )
    sources.extend(
        TermSource(
            "Institution",
            i.id,
            i.name,
            i.name_en,
            i.acronym,
            tuple(sorted(aliases.get(i.id, []))),
            tuple(others.get(i.id, [])),
        )
        for i in session.scalars(select(Institution))
    )
    return sources


def _rebuild_search_terms(session: Session) -> None:
    session.execute(delete(SearchTerm))
    session.execute(delete(SearchWordKey))
    terms = list(terms_for(_term_sources(session)))
    session.add_all(
        SearchTerm(
            entity_type=term.entity_type,
            entity_id=term.entity_id,
            term=term.term,
            normalized=term.normalized,
            source=term.source,
            words=term.words,
        )
        for term in terms
    )
    session.add_all(SearchWordKey(key=key, word=word) for key, word in typo_key_pairs(terms))
    session.flush()


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


def load_editions(session: Session, editions: Sequence[ResolvedEdition]) -> SeedReport:
    """Store the editions in the session's transaction and report what is stored.

    The caller commits; nothing here commits, so a failure leaves the database as it
    was before the seed began.
    """
    for edition in editions:
        ids = {
            "continents": _upsert(
                session,
                Continent,
                ({"key": c.key, "name": c.name, "name_en": c.name_en} for c in edition.continents),
            ),
        }
        ids["countries"] = _upsert(
            session,
            Country,
            (
                {
                    "key": c.key,
                    "iso_code": c.key,
                    "name": c.name,
                    "name_en": c.name_en,
                    "continent_id": ids["continents"][c.continent_key],
                }
                for c in edition.countries
            ),
        )
        ids["fields"] = _upsert(
            session,
            Field,
            ({"key": f.key, "name": f.name, "name_en": f.name_en} for f in edition.fields),
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
        )
        _store_other_names(session, edition, ids["institutions"])
        edition_id = _upsert_edition(session, edition)
        _store_priorities(session, edition, edition_id, ids)
    _remove_orphans(session)
    _rebuild_search_terms(session)
    refresh_relation_statistics(session)
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
    session.flush()
    return row.id

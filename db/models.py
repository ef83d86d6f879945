"""The relational model of the cooperation graph.

Every entity carries a ``key``: its natural key (ISO code, slug, year), from which the
public ID is derived, so a fresh database seeded from the same documents hands out the
same IDs. ``position`` is the stated sort order of an entity (document order of first
appearance), kept as a unique integer so paging can be done by keyset.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coopgraph.db.kinds import InstitutionKind, InstitutionNameKind

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Edition(Base):
    """One yearly document."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    source_name: Mapped[str] = mapped_column(String(300))
    source_sha256: Mapped[str] = mapped_column(String(64))
    #: The header's basis for the fields, as written: 以8+2为依据.
    field_basis: Mapped[str | None] = mapped_column(String(200))
    #: A digest of everything the seed resolved from the document (and of the schema
    #: it was stored under); the API's data version is made of these digests.
    content_sha256: Mapped[str | None] = mapped_column(String(64))


class Continent(Base):
    __tablename__ = "continents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, unique=True)


class Country(Base):
    __tablename__ = "countries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(8), unique=True)
    iso_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    continent_id: Mapped[int] = mapped_column(ForeignKey("continents.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)


class Field(Base):
    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(Integer, unique=True)


class Direction(Base):
    __tablename__ = "directions"
    __table_args__ = (UniqueConstraint("field_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(Integer, unique=True)


class Institution(Base):
    __tablename__ = "institutions"
    __table_args__ = (UniqueConstraint("country_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300))
    acronym: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[InstitutionKind] = mapped_column(
        Enum(InstitutionKind, name="institution_kind", native_enum=False, length=20)
    )
    position: Mapped[int] = mapped_column(Integer, unique=True)
    #: Why an identification the document does not spell out was made; None when it does.
    inferred_basis: Mapped[str | None] = mapped_column(Text)


class InstitutionName(Base):
    """A name the curation adds to an institution: standard name, short form, translation.

    Kept apart from the aliases, which are the document's own spellings.
    """

    __tablename__ = "institution_names"

    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[InstitutionNameKind] = mapped_column(
        Enum(InstitutionNameKind, name="institution_name_kind", native_enum=False, length=20)
    )
    ordinal: Mapped[int] = mapped_column(Integer)


class Priority(Base):
    """One data row of a document."""

    __tablename__ = "priorities"
    __table_args__ = (UniqueConstraint("edition_id", "source_line"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id"), index=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"), index=True)
    # Unique by construction (year × 10000 + row number) but not constrained: a re-seed
    # shifts rows' positions in place, and a unique constraint would trip on the way.
    position: Mapped[int] = mapped_column(Integer, index=True)
    source_line: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)
    directions_text: Mapped[str | None] = mapped_column(Text)


class PriorityDirection(Base):
    __tablename__ = "priority_directions"

    priority_id: Mapped[int] = mapped_column(
        ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True
    )
    direction_id: Mapped[int] = mapped_column(
        ForeignKey("directions.id"), primary_key=True, index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)


class PriorityInstitution(Base):
    """One institution named in a priority's institutions cell.

    ``mention`` is the spelling as written for this institution (the aliases of an
    institution are the distinct mentions), and ``and_others`` records a trailing
    等 or 及相关大学: the document means this institution and others like it.
    """

    __tablename__ = "priority_institutions"

    priority_id: Mapped[int] = mapped_column(
        ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True
    )
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id"), primary_key=True, index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    mention: Mapped[str] = mapped_column(String(200))
    and_others: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bodies that qualify a category in this cell, as ``{"name", "nameEn"}`` objects
    #: (教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构); None when there are none.
    qualified_by: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)


class SearchTerm(Base):
    """A searchable spelling of an entity, normalised once at seed time.

    Normalising at seed time (lower case, simplified Chinese, pinyin) keeps search one
    portable indexed query on SQLite and PostgreSQL alike.
    """

    __tablename__ = "search_terms"
    __table_args__ = (
        Index("ix_search_terms_normalized", "normalized"),
        Index("ix_search_terms_rank", "rank", unique=True),
    )

    # A natural primary key: rebuilding the terms on every seed then leaves the table
    # exactly as it was when nothing changed.
    entity_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    normalized: Mapped[str] = mapped_column(String(300), primary_key=True)
    term: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(20))
    #: ``db.text.search_words`` joined by spaces, which the database's own text index
    #: reads (FTS5 on SQLite, made by migration 0003; on PostgreSQL a GIN index on the
    #: stored vector of migration 0005); None for romanisations, which match from their
    #: start only.
    words: Mapped[str | None] = mapped_column(Text)
    #: Position in ``seed.search_terms.shortest_first`` order, from 1: a search reads its
    #: candidates in this order and stops, so it reads the shortest spellings that match.
    rank: Mapped[int] = mapped_column(Integer, server_default="0")


class SearchWordKey(Base):
    """One-typo keys of the words in ``search_terms`` (``db.text.typo_keys``).

    A misspelt word of the search text finds the words it is one edit from by equality
    on ``key``, at any size of the vocabulary.
    """

    __tablename__ = "search_word_keys"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    word: Mapped[str] = mapped_column(String(300), primary_key=True)


class RelationStatistic(Base):
    """Fan-out of one relation, refreshed by every seed.

    A query-cost estimate multiplies these before execution; keeping them with the data
    means the estimate follows the data on any database.
    """

    __tablename__ = "relation_statistics"

    relation: Mapped[str] = mapped_column(String(80), primary_key=True)
    parents: Mapped[int] = mapped_column(Integer)
    links: Mapped[int] = mapped_column(Integer)
    max_fanout: Mapped[int] = mapped_column(Integer)

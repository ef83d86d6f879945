"""Per-request DataLoaders, one per batched query of ``db.queries``.

Each loader wraps exactly one query function and is named after it, so the batching a
resolver relies on can be read off the query module beside it. Loaders live for one
request: they cache rows within it and never across requests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from db.queries import (
    aggregates,
    continents,
    countries,
    directions,
    editions,
    fields,
    institutions,
    priorities,
)
from db.queries.institutions import Kinds
from db.queries.records import (
    ContinentRecord,
    CountryRecord,
    DirectionRecord,
    EditionRecord,
    FieldRecord,
    InstitutionNameRecord,
    InstitutionRecord,
    MentionRecord,
    PriorityRecord,
)
from db.relations import Relation

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Run = Callable[..., Awaitable[Any]]
#: A relation key with an institution-kind filter: (parent ID, kinds or None).
KindsKey = tuple[int, Kinds]


class Loaders:
    """The loaders of one request, created lazily on first use."""

    def __init__(self, run: Run) -> None:
        self._run = run

    def _rows(self, query: Callable[..., Awaitable[Sequence[V]]]) -> DataLoader[Any, V]:
        async def load(keys: Sequence[Any]) -> Sequence[V]:
            rows: Sequence[V] = await self._run(query, list(keys))
            return rows

        return DataLoader(load_fn=load)

    def _groups(
        self, query: Callable[..., Awaitable[dict[int, list[V]]]]
    ) -> DataLoader[int, list[V]]:
        async def load(keys: Sequence[int]) -> list[list[V]]:
            grouped: dict[int, list[V]] = await self._run(query, list(keys))
            return [grouped[key] for key in keys]

        return DataLoader(load_fn=load)

    def _groups_of_kinds(
        self, query: Callable[..., Awaitable[dict[int, list[V]]]]
    ) -> DataLoader[KindsKey, list[V]]:
        async def load(keys: Sequence[KindsKey]) -> list[list[V]]:
            # One statement per distinct kinds filter in the request, not per parent.
            parents_by_kinds: dict[Kinds, list[int]] = defaultdict(list)
            for parent, kinds in keys:
                parents_by_kinds[kinds].append(parent)
            answers: dict[KindsKey, list[V]] = {}
            for kinds, parents in parents_by_kinds.items():
                grouped: dict[int, list[V]] = await self._run(query, parents, kinds)
                answers.update(((parent, kinds), grouped[parent]) for parent in parents)
            return [answers[key] for key in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def continent(self) -> DataLoader[int, ContinentRecord | None]:
        return self._rows(continents.continents_by_id)

    @cached_property
    def continent_by_key(self) -> DataLoader[str, ContinentRecord | None]:
        return self._rows(continents.continents_by_key)

    @cached_property
    def country(self) -> DataLoader[int, CountryRecord | None]:
        return self._rows(countries.countries_by_id)

    @cached_property
    def country_by_key(self) -> DataLoader[str, CountryRecord | None]:
        return self._rows(countries.countries_by_key)

    @cached_property
    def field(self) -> DataLoader[int, FieldRecord | None]:
        return self._rows(fields.fields_by_id)

    @cached_property
    def field_by_key(self) -> DataLoader[str, FieldRecord | None]:
        return self._rows(fields.fields_by_key)

    @cached_property
    def direction(self) -> DataLoader[int, DirectionRecord | None]:
        return self._rows(directions.directions_by_id)

    @cached_property
    def direction_by_key(self) -> DataLoader[str, DirectionRecord | None]:
        return self._rows(directions.directions_by_key)

    @cached_property
    def institution(self) -> DataLoader[int, InstitutionRecord | None]:
        return self._rows(institutions.institutions_by_id)

    @cached_property
    def institution_by_key(self) -> DataLoader[str, InstitutionRecord | None]:
        return self._rows(institutions.institutions_by_key)

    @cached_property
    def priority(self) -> DataLoader[int, PriorityRecord | None]:
        return self._rows(priorities.priorities_by_id)

    @cached_property
    def priority_by_key(self) -> DataLoader[str, PriorityRecord | None]:
        return self._rows(priorities.priorities_by_key)

    @cached_property
    def edition(self) -> DataLoader[int, EditionRecord | None]:
        return self._rows(editions.editions_by_id)

    @cached_property
    def edition_by_year(self) -> DataLoader[int, EditionRecord | None]:
        return self._rows(editions.editions_by_year)

    @cached_property
    def countries_by_continent(self) -> DataLoader[int, list[CountryRecord]]:
        return self._groups(countries.countries_by_continent)

    @cached_property
    def countries_by_field(self) -> DataLoader[int, list[CountryRecord]]:
        return self._groups(countries.countries_by_field)

    @cached_property
    def countries_by_direction(self) -> DataLoader[int, list[CountryRecord]]:
        return self._groups(countries.countries_by_direction)

    @cached_property
    def fields_by_continent(self) -> DataLoader[int, list[FieldRecord]]:
        return self._groups(continents.fields_by_continent)

    @cached_property
    def fields_by_country(self) -> DataLoader[int, list[FieldRecord]]:
        return self._groups(fields.fields_by_country)

    @cached_property
    def fields_by_institution(self) -> DataLoader[int, list[FieldRecord]]:
        return self._groups(fields.fields_by_institution)

    @cached_property
    def directions_by_field(self) -> DataLoader[int, list[DirectionRecord]]:
        return self._groups(directions.directions_by_field)

    @cached_property
    def directions_by_priority(self) -> DataLoader[int, list[DirectionRecord]]:
        return self._groups(directions.directions_by_priority)

    @cached_property
    def institutions_by_priority(self) -> DataLoader[int, list[InstitutionRecord]]:
        return self._groups(institutions.institutions_by_priority)

    @cached_property
    def mentions_by_priority(self) -> DataLoader[int, list[MentionRecord]]:
        return self._groups(institutions.mentions_by_priority)

    @cached_property
    def aliases_by_institution(self) -> DataLoader[int, list[str]]:
        return self._groups(institutions.aliases_by_institution)

    @cached_property
    def other_names_by_institution(self) -> DataLoader[int, list[InstitutionNameRecord]]:
        return self._groups(institutions.other_names_by_institution)

    @cached_property
    def field_count_by_institution(self) -> DataLoader[int, int]:
        return self._rows(institutions.field_count_by_institution)

    @cached_property
    def institutions_by_country(self) -> DataLoader[KindsKey, list[InstitutionRecord]]:
        return self._groups_of_kinds(institutions.institutions_by_country)

    @cached_property
    def institutions_by_field(self) -> DataLoader[KindsKey, list[InstitutionRecord]]:
        return self._groups_of_kinds(institutions.institutions_by_field)

    @cached_property
    def priorities_by_edition(self) -> DataLoader[int, list[PriorityRecord]]:
        return self._groups(priorities.priorities_by_edition)

    @cached_property
    def priorities_by_country(self) -> DataLoader[int, list[PriorityRecord]]:
        return self._groups(priorities.priorities_by_country)

    @cached_property
    def priorities_by_field(self) -> DataLoader[int, list[PriorityRecord]]:
        return self._groups(priorities.priorities_by_field)

    @cached_property
    def priorities_by_direction(self) -> DataLoader[int, list[PriorityRecord]]:
        return self._groups(priorities.priorities_by_direction)

    @cached_property
    def priorities_by_institution(self) -> DataLoader[int, list[PriorityRecord]]:
        return self._groups(priorities.priorities_by_institution)

    def count(self, relation: Relation) -> DataLoader[int, int]:
        """Children per parent over a relation of ``db.statistics`` (``Country.priorities``)."""
        loader = self._counts.get(relation)
        if loader is None:

            async def load(keys: Sequence[int]) -> list[int]:
                counted: list[int] = await self._run(aggregates.count_related, relation, list(keys))
                return counted

            loader = self._counts[relation] = DataLoader(load_fn=load)
        return loader

    @cached_property
    def _counts(self) -> dict[Relation, DataLoader[int, int]]:
        return {}


def present(value: V | None, what: str) -> V:
    """A row a foreign key points at; its absence means the database is inconsistent."""
    if value is None:
        msg = f"{what} is missing although a foreign key points at it"
        raise LookupError(msg)
    return value

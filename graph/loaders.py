"""Per-request DataLoaders: one per relation of the registry, one per lookup by ID or key.

Relation loaders are derived from ``db.relations.registry`` (``children``, ``count``),
so a relation's statement is written there alone; the lookups wrap one query function
of ``db.queries`` each and are named after it. Loaders live for one request: they cache
rows within it and never across requests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from coopgraph.db.queries import (
    aggregates,
    continents,
    countries,
    directions,
    editions,
    fields,
    institutions,
    priorities,
    related,
)
from coopgraph.db.queries.records import (
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
from coopgraph.db.relations import Relation

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Run = Callable[..., Awaitable[Any]]
#: A relation field's arguments: sorted (name, values) pairs, values None when omitted.
Arguments = tuple[tuple[str, Any], ...]
#: A relation loader's key: the parent's ID and the field's arguments.
ChildrenKey = tuple[int, Arguments]


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
    def mentions_by_priority(self) -> DataLoader[int, list[MentionRecord]]:
        return self._groups(institutions.mentions_by_priority)

    @cached_property
    def aliases_by_institution(self) -> DataLoader[int, list[str]]:
        return self._groups(related.aliases_of)

    @cached_property
    def other_names_by_institution(self) -> DataLoader[int, list[InstitutionNameRecord]]:
        return self._groups(institutions.other_names_by_institution)

    async def related(self, relation: Relation, parent: int, **arguments: Any) -> list[Any]:
        """One parent's children over ``relation``, batched with the request's others."""
        return await self.children(relation).load((parent, tuple(sorted(arguments.items()))))

    def children(self, relation: Relation) -> DataLoader[ChildrenKey, list[Any]]:
        """Children per parent over a relation of ``db.relations.registry``.

        Keys are (parent ID, arguments): the field's arguments as sorted (name, values)
        pairs, values hashable and None where the argument is omitted.
        """
        loader = self._children.get(relation)
        if loader is None:

            async def load(keys: Sequence[ChildrenKey]) -> list[list[Any]]:
                # One statement per distinct arguments in the request, not per parent.
                parents_by_arguments: dict[Arguments, list[int]] = defaultdict(list)
                for parent, arguments in keys:
                    parents_by_arguments[arguments].append(parent)
                answers: dict[ChildrenKey, list[Any]] = {}
                for arguments, parents in parents_by_arguments.items():
                    grouped: dict[int, list[Any]] = await self._run(
                        related.children_of, relation, parents, dict(arguments)
                    )
                    answers.update(((parent, arguments), grouped[parent]) for parent in parents)
                return [answers[key] for key in keys]

            loader = self._children[relation] = DataLoader(load_fn=load)
        return loader

    @cached_property
    def _children(self) -> dict[Relation, DataLoader[ChildrenKey, list[Any]]]:
        return {}

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

"""Paged root connections: countries, institutions, priorities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry

from coopgraph.db.queries import countries, institutions, priorities
from coopgraph.db.queries.paging import Page
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.ids import from_cursor, to_cursor
from coopgraph.graph.queries.arguments import row_id
from coopgraph.graph.queries.values import DEFAULT_PAGE, check_first, check_text
from coopgraph.graph.types.connection import Connection
from coopgraph.graph.types.country import Country
from coopgraph.graph.types.country_filter import CountryFilter
from coopgraph.graph.types.edge import Edge
from coopgraph.graph.types.institution import Institution
from coopgraph.graph.types.institution_filter import InstitutionFilter
from coopgraph.graph.types.institution_kind import stored_kinds
from coopgraph.graph.types.page_info import PageInfo
from coopgraph.graph.types.priority import Priority
from coopgraph.graph.types.priority_filter import PriorityFilter

N = TypeVar("N")

FIRST = strawberry.argument(
    description="Page size, 1 to 100; a larger value is an error, not a silent cap."
)
AFTER = strawberry.argument(description="endCursor of the previous page; omit for the first page.")


def build_connection(
    type_name: str,
    page: Page[Any],
    total: int,
    node: Callable[[Any], N],
    *,
    after: str | None,
) -> Connection[N]:
    edges = [
        Edge(cursor=to_cursor(type_name, record.position), node=node(record))
        for record in page.records
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def _after(after: str | None, type_name: str) -> int | None:
    return None if after is None else from_cursor(after, type_name)


@strawberry.type
class ConnectionQueries:
    @strawberry.field(description="Countries and regions in document order, filtered and paged.")
    async def countries(
        self,
        info: ResolverInfo,
        filter: Annotated[
            CountryFilter | None, strawberry.argument(description="Conditions rows must meet.")
        ] = None,
        first: Annotated[int | None, FIRST] = DEFAULT_PAGE,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Country]:
        first = check_first(first)
        given = filter or CountryFilter()
        where = countries.CountryQuery(
            continent_id=await row_id(info, given.continent, "Continent", "filter.continent"),
            field_id=await row_id(info, given.field, "Field", "filter.field"),
            name_contains=check_text(given.name_contains, "filter.nameContains"),
        )
        run = info.context.run
        page = await run(countries.page_countries, where, first, _after(after, "Country"))
        total = await run(countries.count_countries, where)
        return build_connection("Country", page, total, Country.from_record, after=after)

    @strawberry.field(
        description="Institutions in document order of first mention, filtered and paged."
    )
    async def institutions(
        self,
        info: ResolverInfo,
        filter: Annotated[
            InstitutionFilter | None, strawberry.argument(description="Conditions rows must meet.")
        ] = None,
        first: Annotated[int | None, FIRST] = DEFAULT_PAGE,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Institution]:
        first = check_first(first)
        given = filter or InstitutionFilter()
        where = institutions.InstitutionQuery(
            kinds=stored_kinds(given.kinds),
            country_id=await row_id(info, given.country, "Country", "filter.country"),
            field_id=await row_id(info, given.field, "Field", "filter.field"),
            min_field_count=given.min_field_count,
            name_contains=check_text(given.name_contains, "filter.nameContains"),
        )
        run = info.context.run
        page = await run(institutions.page_institutions, where, first, _after(after, "Institution"))
        total = await run(institutions.count_institutions, where)
        return build_connection("Institution", page, total, Institution.from_record, after=after)

    @strawberry.field(description="Priorities in document order, filtered and paged.")
    async def priorities(
        self,
        info: ResolverInfo,
        filter: Annotated[
            PriorityFilter | None, strawberry.argument(description="Conditions rows must meet.")
        ] = None,
        first: Annotated[int | None, FIRST] = DEFAULT_PAGE,
        after: Annotated[str | None, AFTER] = None,
    ) -> Connection[Priority]:
        first = check_first(first)
        given = filter or PriorityFilter()
        where = priorities.PriorityQuery(
            year=given.year,
            continent_id=await row_id(info, given.continent, "Continent", "filter.continent"),
            country_id=await row_id(info, given.country, "Country", "filter.country"),
            field_id=await row_id(info, given.field, "Field", "filter.field"),
            direction_id=await row_id(info, given.direction, "Direction", "filter.direction"),
            institution_id=await row_id(
                info, given.institution, "Institution", "filter.institution"
            ),
        )
        run = info.context.run
        page = await run(priorities.page_priorities, where, first, _after(after, "Priority"))
        total = await run(priorities.count_priorities, where)
        return build_connection("Priority", page, total, Priority.from_record, after=after)

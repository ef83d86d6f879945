"""GraphiQL served entirely by the app, so ``GET /graphql`` works without internet.

Wire it into the Starlette app in two places: add :func:`graphiql_assets_route` to the
routes, and make the GraphQL view answer browsers with :func:`render_graphiql_page`
(for Strawberry's ASGI view, override ``render_graphql_ide``). Install the pinned
assets with ``python -m graph.graphiql.fetch``.
"""

from graph.graphiql.page import (
    ASSETS_URL_PATH,
    ExampleQuery,
    example_queries,
    graphiql_assets_available,
    graphiql_assets_route,
    render_graphiql_page,
)

__all__ = [
    "ASSETS_URL_PATH",
    "ExampleQuery",
    "example_queries",
    "graphiql_assets_available",
    "graphiql_assets_route",
    "render_graphiql_page",
]

"""GraphiQL served entirely by the app, so ``GET /graphql`` works without internet.

The GraphQL view answers browsers with :func:`render_graphiql_page`; the bundle it
loads is built in ``web/`` and served by :mod:`graph.web`.
"""

from coopgraph.graph.graphiql.page import ExampleQuery, example_queries, render_graphiql_page

__all__ = ["ExampleQuery", "example_queries", "render_graphiql_page"]

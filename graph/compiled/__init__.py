"""Compiled execution: operations answered by batched SQL and direct assembly.

The standard path resolves field by field through Strawberry and graphql-core; for
the operations it can plan, this one fetches each selection level with one statement
and writes the response without resolvers, giving the same JSON. Anything it cannot
plan, and any request the standard path would answer with an error, goes to the
standard path.
"""

from coopgraph.graph.compiled.execution import CompiledExecution
from coopgraph.graph.compiled.sources import DataSource, open_source

__all__ = ["CompiledExecution", "DataSource", "open_source"]

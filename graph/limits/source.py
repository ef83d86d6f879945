"""The cost model of the data being served, re-read when the seed may have changed it.

Statistics are read from the database rather than held from startup, so that a
``coopgraph seed`` while servers run moves every server's estimate within seconds,
with no signal between processes.
"""

from __future__ import annotations

import asyncio
import time

from graphql import GraphQLSchema
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coopgraph.db.queries.statistics import relation_bounds
from coopgraph.graph.limits.cost import CostModel


class CostModelSource:
    """Hands out the current cost model, refreshing it at most every ``max_age`` seconds.

    Args:
        schema: The graphql-core schema documents are validated against.
        sessions: Opens a session to read the statistics with.
        max_age: Seconds a model is used before the statistics are read again.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        sessions: async_sessionmaker[AsyncSession],
        *,
        max_age: float = 5.0,
    ) -> None:
        self.schema = schema
        self._sessions = sessions
        self._max_age = max_age
        self._model: CostModel | None = None
        self._read_at = 0.0
        self._lock = asyncio.Lock()

    async def current(self) -> CostModel:
        """The model; reading the statistics can raise the database's errors."""
        if self._model is not None and time.monotonic() - self._read_at < self._max_age:
            return self._model
        async with self._lock:
            # Another request may have refreshed it while this one waited.
            if self._model is None or time.monotonic() - self._read_at >= self._max_age:
                async with self._sessions() as session:
                    bounds = await relation_bounds(session)
                self._model = CostModel(self.schema, bounds)
                self._read_at = time.monotonic()
            return self._model


__all__ = ["CostModelSource"]

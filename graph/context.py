"""Per-request context: one database session, its loaders, closed when the request ends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import Info

from coopgraph.graph.loaders import Loaders

P = ParamSpec("P")
T = TypeVar("T")


class RequestContext:
    """What resolvers reach through ``info.context``.

    An ``AsyncSession`` runs one statement at a time, while DataLoaders of different
    relations dispatch their batches concurrently; the lock serialises them on the
    session without undoing the batching.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.lock = asyncio.Lock()
        self.loaders = Loaders(self.run)
        self.closed = False
        #: Errors masked for the client, kept for the one log line of the request.
        self.unexpected: list[tuple[str, BaseException]] = []

    def record_unexpected(self, where: str, error: BaseException) -> None:
        """Keep an error the client sees masked; the HTTP layer logs it with the request ID."""
        self.unexpected.append((where, error))

    async def run(
        self,
        query: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run one ``db.queries`` function on this request's session."""
        async with self.lock:
            if self.closed:
                # A sibling resolver failed and the response is gone; reopening the
                # session now would check out a connection nobody returns.
                msg = "the request has ended"
                raise RuntimeError(msg)
            return await query(self.session, *args, **kwargs)

    async def aclose(self) -> None:
        """Return the session's connection to the pool; the HTTP view calls this.

        It waits for a statement in flight, so the connection is never closed under it.
        """
        async with self.lock:
            self.closed = True
            await self.session.close()


#: The ``info`` argument of every resolver, typed with this project's context.
ResolverInfo = Info[RequestContext, None]

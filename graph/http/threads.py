"""Worker threads for the endpoint's CPU-bound steps, so the event loop keeps answering.

Parsing, validation and the cost walk of a new document, and introspection, are pure
computation: on the event loop, one hostile document of a few thousand tokens held every
other connection (``/healthz`` included) for seconds. In a thread, the loop gets the
interpreter back at every switch interval (5 ms) and goes on answering.

A step runs under the request's timeout. When that passes, the request is answered at
once and the thread is left to finish on its own (Python cannot stop a thread); the
limiter holds its token until it does, so abandoned work still counts against the
bound, and the documents' bounds (tokens, depth, aliases) cap how long it can take.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

_Result = TypeVar("_Result")


class WorkerThreads:
    """Run a synchronous step in a worker thread, at most ``threads`` at a time.

    Args:
        threads: How many steps may run at once; further ones wait for a turn.
            The threads share one interpreter lock, so more would not finish
            sooner, only hold more half-done work.
    """

    def __init__(self, threads: int) -> None:
        self._limiter = anyio.CapacityLimiter(threads)

    async def run(self, step: Callable[[], _Result]) -> _Result:
        """``step()`` in a worker thread; a cancellation answers at once.

        ``step`` must not touch state the event loop also uses without a lock: the
        endpoint's caches are read and written on the loop only, before and after.
        """
        return await anyio.to_thread.run_sync(step, limiter=self._limiter, abandon_on_cancel=True)


__all__ = ["WorkerThreads"]

"""Worker threads for the endpoint's CPU-bound steps, so the event loop keeps answering.

Parsing, validation and the cost walk of a new document, and introspection, are pure
computation: on the event loop, one hostile document of a few thousand tokens held every
other connection (``/healthz`` included) for seconds. In a thread, the loop gets the
interpreter back at every switch interval (5 ms) and goes on answering.

A step runs under the request's timeout. When that passes, the request is answered at
once and a step already running is left to finish on its own (Python cannot stop a
thread), holding its turn until it does, so abandoned work still counts against the
bound; a step still waiting for its turn is dropped.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

_Result = TypeVar("_Result")


class WorkerThreads:
    """Run a synchronous step in a worker thread, at most ``threads`` at a time.

    Args:
        threads: How many steps may run at once; further ones wait for a turn.
            The threads share one interpreter lock with the loop, so more would
            not finish sooner, only make the loop wait longer for the lock.
    """

    def __init__(self, threads: int) -> None:
        self._limiter = anyio.CapacityLimiter(threads)

    async def run(self, step: Callable[[], _Result]) -> _Result:
        """``step()`` in a worker thread; a cancellation answers at once.

        ``step`` must not touch state the event loop also uses without a lock: the
        endpoint's caches are read and written on the loop only, before and after.
        """
        started = threading.Event()

        def marked() -> _Result:
            started.set()
            return step()

        # Its own task, awaited through a shield: anyio's abandon_on_cancel would hand
        # the turn back when the request gives up, while the thread runs on (measured:
        # four steps at once under a bound of one), so the task keeps it until the end.
        task = asyncio.ensure_future(anyio.to_thread.run_sync(marked, limiter=self._limiter))
        task.add_done_callback(_consume)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not started.is_set():
                task.cancel()
            raise


def _consume(task: asyncio.Future[Any]) -> None:
    """Read the outcome of a step nobody awaits any more, so asyncio does not log it."""
    if not task.cancelled():
        task.exception()


__all__ = ["WorkerThreads"]

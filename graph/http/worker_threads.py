"""CPU-bound steps of a request run in worker threads, not on the event loop.

Parsing and validating a large document, or an expensive limit check, is pure
Python that never awaits: on the event loop it stalls every other request of the
process, health checks included (a validation bomb held ``/healthz`` for 3.5 s), and
no timeout can interrupt it, since a timeout fires only at an await. In a thread the
loop keeps serving; the threads are few, so a flood of such requests queues for
them instead of multiplying the work.

Strawberry's executor stays on the loop: its resolvers await database sessions
that belong to it. Its work is bounded by the cost, field and introspection limits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar, TypeVarTuple

import anyio
import anyio.to_thread

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class WorkerThreads:
    """A bounded set of threads for the CPU-bound steps of requests.

    Args:
        threads: How many run at once; more wait for one to finish. The GIL lets
            only one run Python at a time, so more than the cores buys nothing;
            one or two keep the loop free.
    """

    def __init__(self, threads: int) -> None:
        self._limiter = anyio.CapacityLimiter(threads)
        # The loop keeps only weak references to tasks; these keep running steps.
        self._running: set[asyncio.Future[Any]] = set()

    async def run(self, function: Callable[[*Ts], T], *args: *Ts) -> T:
        """``function(*args)`` in a worker thread; exceptions arrive as raised.

        A request cancelled meanwhile (its timeout, a client gone) is answered at
        once, and its step runs to its end in a task of its own that holds the
        thread's place until then: anyio's own abandoning gives the place back at
        once, so requests that time out could start threads without bound.
        """
        step = asyncio.ensure_future(
            anyio.to_thread.run_sync(function, *args, limiter=self._limiter)
        )
        self._running.add(step)
        step.add_done_callback(self._finished)
        return await asyncio.shield(step)

    def _finished(self, step: asyncio.Future[Any]) -> None:
        self._running.discard(step)
        # Read, so that a cancelled request's refusal is not reported as never
        # retrieved: nobody waits for it any more.
        if not step.cancelled():
            step.exception()

    @property
    def busy(self) -> int:
        """Threads running a step now."""
        return int(self._limiter.borrowed_tokens)


__all__ = ["WorkerThreads"]

"""Worker threads for the endpoint's CPU-bound steps, so the event loop keeps answering.

Parsing, validation and the cost walk of a new document, and introspection, are pure
computation: on the event loop, one hostile document of a few thousand tokens held every
other connection (``/healthz`` included) for seconds. In a thread, the loop gets the
interpreter back at every switch interval (5 ms) and goes on answering.

A step runs under the request's timeout. When that passes, the request is answered at
once and a step already running is left to finish on its own (Python cannot stop a
thread), holding its turn until it does, so abandoned work still counts against the
bound; a step still waiting for its turn is dropped.

Turns are shared out per client: each client has at most one step running or waiting
for a thread, its others wait behind it. With one queue for all, a client that sent
fifty heavy documents at once made everyone else's new document wait for all fifty
(a legitimate client waited 13 s); now it waits for at most one step per other client
that has work in hand.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import anyio.to_thread

_Result = TypeVar("_Result")


@dataclass
class _ClientTurn:
    """One client's place in line: its steps take it one at a time."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: Steps of the client running or waiting; the entry goes when none are left.
    steps: int = 0


class WorkerThreads:
    """Run a synchronous step in a worker thread, at most ``threads`` at a time.

    Args:
        threads: How many steps may run at once; further ones wait for a turn.
            The threads share one interpreter lock with the loop, so more would
            not finish sooner, only make the loop wait longer for the lock.
    """

    def __init__(self, threads: int) -> None:
        self._limiter = anyio.CapacityLimiter(threads)
        # One entry per client with a step in hand: as many as open requests at most.
        self._turns: dict[str, _ClientTurn] = {}

    @property
    def clients_in_line(self) -> int:
        """Clients with a step running or waiting."""
        return len(self._turns)

    async def run(self, step: Callable[[], _Result], *, client: str) -> _Result:
        """``step()`` in a worker thread, after ``client``'s earlier steps.

        A cancellation answers at once. ``step`` must not touch state the event loop
        also uses without a lock: the endpoint's caches are read and written on the
        loop only, before and after.
        """
        started = threading.Event()

        def marked() -> _Result:
            started.set()
            return step()

        async def in_turn() -> _Result:
            turn = self._turns.setdefault(client, _ClientTurn())
            turn.steps += 1
            try:
                async with turn.lock:
                    return await anyio.to_thread.run_sync(marked, limiter=self._limiter)
            finally:
                turn.steps -= 1
                if turn.steps == 0:
                    del self._turns[client]

        # Its own task, awaited through a shield: anyio's abandon_on_cancel would hand
        # the turn back when the request gives up, while the thread runs on (measured:
        # four steps at once under a bound of one), so the task keeps both the thread's
        # turn and the client's until the step ends.
        task = asyncio.ensure_future(in_turn())
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

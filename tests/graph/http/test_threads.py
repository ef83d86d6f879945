"""The worker threads' bound holds when requests give up on their steps.

A step that outlives its request's timeout cannot be stopped; it must keep its turn
until its thread ends, or every timed-out request would let one more thread start.
"""

from __future__ import annotations

import asyncio
import threading

from coopgraph.graph.http.threads import WorkerThreads


class Steps:
    """Steps that wait for the test, counting how many run at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.running = 0
        self.most = 0
        self.ran = 0
        self._lock = threading.Lock()

    def step(self) -> int:
        with self._lock:
            self.running += 1
            self.ran += 1
            self.most = max(self.most, self.running)
        self.started.set()
        self.release.wait(timeout=10)
        with self._lock:
            self.running -= 1
        return self.ran


async def test_a_step_keeps_its_turn_after_its_request_gives_up() -> None:
    threads = WorkerThreads(1)
    steps = Steps()
    first = asyncio.create_task(threads.run(steps.step))
    assert await asyncio.to_thread(steps.started.wait, 5)
    first.cancel()
    # The first request is answered at once, while its step still runs.
    await asyncio.gather(first, return_exceptions=True)
    assert first.cancelled()
    second = asyncio.create_task(threads.run(steps.step))
    await asyncio.sleep(0.2)
    # The second waits for the turn the first step still holds.
    assert steps.most == 1
    assert not second.done()
    steps.release.set()
    assert await asyncio.wait_for(second, 5) == 2
    assert steps.most == 1


async def test_a_step_still_waiting_for_its_turn_is_dropped() -> None:
    threads = WorkerThreads(1)
    steps = Steps()
    first = asyncio.create_task(threads.run(steps.step))
    assert await asyncio.to_thread(steps.started.wait, 5)
    waiting = asyncio.create_task(threads.run(steps.step))
    await asyncio.sleep(0.05)
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    steps.release.set()
    assert await asyncio.wait_for(first, 5) == 1
    await asyncio.sleep(0.1)
    assert steps.ran == 1

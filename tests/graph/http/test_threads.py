"""The worker threads' bound holds when requests give up on their steps, and turns are shared.

A step that outlives its request's timeout cannot be stopped; it must keep its turn
until its thread ends, or every timed-out request would let one more thread start. A
client with many steps in hand gets one turn at a time, so another client's step waits
for one of them, not for all.
"""

from __future__ import annotations

import asyncio
import functools
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
    first = asyncio.create_task(threads.run(steps.step, client="198.51.100.1"))
    assert await asyncio.to_thread(steps.started.wait, 5)
    first.cancel()
    # The first request is answered at once, while its step still runs.
    await asyncio.gather(first, return_exceptions=True)
    assert first.cancelled()
    second = asyncio.create_task(threads.run(steps.step, client="198.51.100.1"))
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
    first = asyncio.create_task(threads.run(steps.step, client="198.51.100.1"))
    assert await asyncio.to_thread(steps.started.wait, 5)
    waiting = asyncio.create_task(threads.run(steps.step, client="198.51.100.1"))
    await asyncio.sleep(0.05)
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    steps.release.set()
    assert await asyncio.wait_for(first, 5) == 1
    await asyncio.sleep(0.1)
    assert steps.ran == 1


async def test_a_client_with_many_steps_takes_one_turn_at_a_time() -> None:
    threads = WorkerThreads(1)
    order: list[str] = []
    gates = {name: threading.Event() for name in ("a1", "a2", "a3", "b1")}

    def step(name: str) -> str:
        order.append(name)
        gates[name].wait(timeout=10)
        return name

    busy = [
        asyncio.create_task(threads.run(functools.partial(step, name), client="203.0.113.9"))
        for name in ("a1", "a2", "a3")
    ]
    await asyncio.sleep(0.1)
    other = asyncio.create_task(threads.run(functools.partial(step, "b1"), client="198.51.100.7"))
    await asyncio.sleep(0.1)
    assert order == ["a1"]
    gates["a1"].set()
    # The other client's one step goes before the busy client's second.
    for _ in range(100):
        if len(order) > 1:
            break
        await asyncio.sleep(0.02)
    assert order == ["a1", "b1"]
    gates["b1"].set()
    assert await asyncio.wait_for(other, 5) == "b1"
    gates["a2"].set()
    gates["a3"].set()
    assert await asyncio.wait_for(asyncio.gather(*busy), 5) == ["a1", "a2", "a3"]
    assert order == ["a1", "b1", "a2", "a3"]
    # Nothing is kept of clients with no step in hand.
    assert threads.clients_in_line == 0

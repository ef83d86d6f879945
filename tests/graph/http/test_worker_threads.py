"""CPU-bound steps run in a bounded set of threads while the event loop goes on serving."""

from __future__ import annotations

import asyncio
import threading

import pytest

from coopgraph.settings import Limits
from graph.http import validation_schema
from graph.http.documents import DocumentCache
from graph.http.worker_threads import WorkerThreads
from graph.limits import LimitExceeded
from graph.schema import build_schema
from tests.graph.limits.test_bombs import BOMB


async def test_a_step_runs_in_another_thread_and_returns_its_value() -> None:
    workers = WorkerThreads(2)
    name = await workers.run(lambda: threading.current_thread().name)
    assert name != threading.current_thread().name


async def test_the_loop_serves_while_a_step_blocks() -> None:
    workers = WorkerThreads(1)
    release = threading.Event()
    step = asyncio.ensure_future(workers.run(release.wait, 30.0))
    # The loop runs other coroutines meanwhile: a health check would be answered.
    for _ in range(3):
        await asyncio.sleep(0)
    assert not step.done()
    assert workers.busy == 1
    release.set()
    assert await step is True
    assert workers.busy == 0


async def test_no_more_steps_run_at_once_than_threads() -> None:
    workers = WorkerThreads(2)
    release = threading.Event()
    loop = asyncio.get_running_loop()
    both_running = asyncio.Event()
    running = 0
    most = 0
    lock = threading.Lock()

    def step() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            if running == 2:
                loop.call_soon_threadsafe(both_running.set)
        release.wait(30.0)
        with lock:
            running -= 1

    steps = [asyncio.ensure_future(workers.run(step)) for _ in range(5)]
    await asyncio.wait_for(both_running.wait(), 30.0)
    assert workers.busy == 2
    release.set()
    await asyncio.gather(*steps)
    assert most == 2


async def test_a_refusal_arrives_as_raised() -> None:
    documents = DocumentCache(validation_schema(build_schema()), Limits())
    with pytest.raises(LimitExceeded) as caught:
        await WorkerThreads(1).run(documents.get, BOMB)
    assert caught.value.code == "FIELD_LIMIT_EXCEEDED"


async def test_a_cancelled_request_is_answered_and_its_step_keeps_its_thread() -> None:
    workers = WorkerThreads(1)
    release = threading.Event()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.01):
            await workers.run(release.wait, 30.0)
    # Answered while the step still runs, which still holds the one thread.
    assert workers.busy == 1
    queued = asyncio.ensure_future(workers.run(lambda: "after"))
    await asyncio.sleep(0.05)
    assert not queued.done()
    release.set()
    assert await queued == "after"
    assert workers.busy == 0

"""Drive an ASGI app in this process, through httpx's ASGI transport, from sync tests.

Tests about data and GraphQL behaviour need no sockets: the app is the object
``create_app`` returns, and requests reach it as the ASGI messages uvicorn would hand
it. What depends on the server itself (keep-alive, body limits enforced before the
read, timeouts, workers, signals, client addresses) stays on real uvicorn
(``testbed.live_server``).

httpx's ``ASGITransport`` is async and the tests are sync, so the app runs on an event
loop of its own in a thread for the length of the ``with`` block, and each request is
handed to that loop and waited for. One loop for the app's whole life, as under
uvicorn: the lifespan opens the engine and pools on it, and every request uses them
there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Coroutine, Iterator, MutableMapping
from typing import Any, TypeVar

import httpx
from starlette.types import ASGIApp

T = TypeVar("T")

#: ``scope["client"]`` of every request: a local client, as under uvicorn on loopback.
CLIENT_ADDRESS = ("127.0.0.1", 50000)
BASE_URL = "http://127.0.0.1"
#: Seconds a request may take when its client sets no read timeout: a hang fails the
#: test instead of stalling the run.
LONGEST_WAIT = 60.0


class _LoopThread:
    """An event loop running in a daemon thread; coroutines are sent to it and waited for."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="asgi-app", daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float | None = LONGEST_WAIT) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


class _Lifespan:
    """The ASGI lifespan protocol, as a server speaks it: startup before any request."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app
        self._to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._from_app: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def _receive(self) -> dict[str, Any]:
        return await self._to_app.get()

    async def _send(self, message: MutableMapping[str, Any]) -> None:
        await self._from_app.put(message)

    async def _exchange(self, event: str) -> None:
        await self._to_app.put({"type": f"lifespan.{event}"})
        assert self._task is not None
        reply = asyncio.ensure_future(self._from_app.get())
        await asyncio.wait({reply, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if not reply.done():
            reply.cancel()
            self._task.result()
            msg = f"the app ended its lifespan without answering lifespan.{event}"
            raise RuntimeError(msg)
        message = reply.result()
        if message["type"] != f"lifespan.{event}.complete":
            msg = f"lifespan.{event} failed: {message.get('message', '')}"
            raise RuntimeError(msg)

    async def startup(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}}
        self._task = asyncio.ensure_future(self._app(scope, self._receive, self._send))
        await self._exchange("startup")

    async def shutdown(self) -> None:
        await self._exchange("shutdown")
        assert self._task is not None
        await self._task


class _SyncASGITransport(httpx.BaseTransport):
    """httpx's ASGI transport, run on the app's loop and waited for by a sync client."""

    def __init__(self, app: ASGIApp, loop: _LoopThread) -> None:
        # App exceptions are raised in the test, with their traceback, rather than
        # turned into a 500: a test of data must never pass on an unhandled error.
        self._asgi = httpx.ASGITransport(app, client=CLIENT_ADDRESS)
        self._loop = loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def send() -> httpx.Response:
            forwarded = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._asgi.handle_async_request(forwarded)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        wait = request.extensions.get("timeout", {}).get("read") or LONGEST_WAIT
        try:
            return self._loop.run(send(), wait)
        except concurrent.futures.TimeoutError as error:
            msg = f"the app did not answer {request.method} {request.url} in {wait} s"
            raise httpx.ReadTimeout(msg, request=request) from error


class InProcessApp:
    """An app whose lifespan has run, and clients that reach it without a socket."""

    def __init__(self, app: ASGIApp, loop: _LoopThread) -> None:
        self.app = app
        self.url = BASE_URL
        self._transport = _SyncASGITransport(app, loop)

    def client(self, *, timeout: float = LONGEST_WAIT, **headers: str) -> httpx.Client:
        return httpx.Client(
            transport=self._transport, base_url=self.url, timeout=timeout, headers=headers
        )


@contextlib.contextmanager
def in_process(app: ASGIApp) -> Iterator[InProcessApp]:
    """Run ``app``'s lifespan on a loop of its own and yield the way to send it requests."""
    loop = _LoopThread()
    lifespan = _Lifespan(app)
    try:
        loop.run(lifespan.startup())
        try:
            yield InProcessApp(app, loop)
        finally:
            loop.run(lifespan.shutdown())
    finally:
        loop.close()

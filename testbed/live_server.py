"""Serve an ASGI app over real HTTP on a loopback port for the length of a test."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(app: Any, *, timeout: float = 15.0) -> Iterator[str]:
    """Run ``app`` under uvicorn in a background thread and yield its base URL.

    A thread rather than a subprocess keeps the app's in-process state (the database
    engine a fixture built, statement counters) visible to the test.
    """
    port = free_port()
    # As `coopgraph serve` runs it: the app, not uvicorn, reads X-Forwarded-For.
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            msg = f"uvicorn did not start on 127.0.0.1:{port}"
            raise RuntimeError(msg)
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout)

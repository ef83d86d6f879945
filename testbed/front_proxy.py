"""The shipped haproxy front proxy, started in front of a running server for a while.

The attack bench and tests/attacks run it exactly as the README tells an operator to,
``python -m coopgraph.serving``: ``deploy/haproxy/coopgraph.cfg`` with the environment
derived from the same settings the server was started with.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from testbed.live_server import free_port
from testbed.serve_process import stop, wait_until_healthy

START_TIMEOUT = 20.0


@dataclass(frozen=True)
class Proxy:
    url: str
    pid: int
    log_path: Path


def haproxy_available() -> bool:
    return shutil.which("haproxy") is not None or Path("/usr/sbin/haproxy").exists()


@contextlib.contextmanager
def front_proxy(server_url: str, environ: Mapping[str, str], log_path: Path) -> Iterator[Proxy]:
    """Haproxy on a free loopback port in front of ``server_url`` until the block ends.

    ``environ`` holds the ``COOPGRAPH_*`` settings the server was started with, so that
    both layers enforce the same limits.
    """
    backend = urlsplit(server_url).netloc
    bind = f"127.0.0.1:{free_port()}"
    # The README's command, which becomes haproxy (exec) with the derived environment.
    command = [sys.executable, "-m", "coopgraph.serving", "--backend", backend, "--bind", bind]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=dict(environ), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{bind}"
    try:
        wait_until_healthy(url, process, log_path, what="haproxy", timeout=START_TIMEOUT)
        yield Proxy(url=url, pid=process.pid, log_path=log_path)
    finally:
        stop(process)

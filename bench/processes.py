"""The three endpoints as separate processes on loopback, pinned to the server core.

Each is one uvicorn process with the settings ``coopgraph serve`` uses (one worker, log
level info, access log on), pinned with ``taskset`` to core 0 when the machine has more
than one; the load generator and this harness keep to the other core.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from testbed.live_server import free_port
from testbed.serve_process import stop, wait_until_healthy

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE = 0
CLIENT_CORE = 1


@functools.cache
def two_cores() -> bool:
    """Whether the server and the load generator can each have a core of their own.

    Asked once, before the harness pins itself to the client core; its children would
    otherwise inherit that one core and the answer.
    """
    return len(os.sched_getaffinity(0)) >= 2 and shutil.which("taskset") is not None


def pinned(command: list[str], core: int) -> list[str]:
    return ["taskset", "-c", str(core), *command] if two_cores() else command


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A running endpoint: where to send a query, and which process answers."""

    role: str
    base_url: str
    pid: int
    log: Path

    def url_of(self, query: str) -> str:
        return f"{self.base_url}/graphql" if self.role == "server" else f"{self.base_url}/{query}"

    def rss_kib(self) -> int | None:
        """Resident memory now (VmRSS), or None where /proc does not say."""
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None

    def wait_idle(self, timeout: float = 300.0) -> None:
        """Wait until the process answers at once again.

        A slow endpoint is still working through the requests the load generator left
        in flight when it stopped; the next measurement must not pay for them.
        """
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=timeout) as client:
            while time.monotonic() < deadline:
                start = time.perf_counter()
                client.get(f"{self.base_url}/healthz")
                if time.perf_counter() - start < 0.05:
                    return
        msg = f"the {self.role} ({self.base_url}) stayed busy for {timeout:.0f} s"
        raise RuntimeError(msg)


@contextlib.contextmanager
def running(
    role: str, command: list[str], env: Mapping[str, str], logs: Path, timeout: float = 120.0
) -> Iterator[Endpoint]:
    """Start one endpoint on a free loopback port, yield it once /healthz answers, stop it."""
    port = free_port()
    log = logs / f"{role}-{port}.log"
    full = pinned([*command, "--host", "127.0.0.1", "--port", str(port)], SERVER_CORE)
    with log.open("wb") as output:
        process = subprocess.Popen(
            full, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT
        )
    endpoint = Endpoint(role, f"http://127.0.0.1:{port}", process.pid, log)
    try:
        wait_until_healthy(endpoint.base_url, process, log, what=f"the {role}", timeout=timeout)
        yield endpoint
    finally:
        stop(process)


def server_command() -> list[str]:
    """The server as it ships: ``coopgraph serve``, one worker."""
    return [sys.executable, "-m", "coopgraph", "serve", "--workers", "1"]


def uvicorn_command(factory: str) -> list[str]:
    """A baseline app under uvicorn with the settings ``coopgraph serve`` passes it."""
    return [sys.executable, "-m", "uvicorn", "--factory", factory, "--log-level", "info"]

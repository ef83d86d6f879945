"""A real ``coopgraph serve`` process for the load test, and what /proc says about it.

The load test measures the server as an operator runs it, so it starts the command line
in a subprocess rather than an app in a thread; memory and CPU are then read from
/proc for the whole process tree, which also covers ``--workers N``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from testbed.live_server import free_port

START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    log_path: Path


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces; fields follow the last ')'.
    return int(stat.rsplit(")", 1)[1].split()[1])


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants that are alive now."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _parent_of(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def resident_kib(pids: list[int]) -> int:
    """The summed VmRSS of ``pids`` in KiB; processes that exited count as zero."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time spent so far by ``pids``."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime and stime are fields 14 and 15 of stat(5); index 0 here is field 3.
        total += int(fields[11]) + int(fields[12])
    return total / _CLOCK_TICKS


def wait_until_healthy(
    url: str,
    process: subprocess.Popen[bytes],
    log_path: Path,
    *,
    what: str = "coopgraph serve",
    timeout: float = START_TIMEOUT,
) -> None:
    """Return once ``url``/healthz answers 200; raise with the log's tail if it never does."""
    deadline = time.monotonic() + timeout
    # One client for every probe: building one (its TLS context) takes about as long
    # as the wait between probes.
    with httpx.Client(timeout=1) as probe:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                msg = f"{what} exited with {process.returncode}:\n{tail}"
                raise RuntimeError(msg)
            with contextlib.suppress(httpx.TransportError):
                if probe.get(f"{url}/healthz").status_code == 200:
                    return
            time.sleep(0.1)
    msg = f"{what} did not answer {url}/healthz within {timeout:.0f} s; see {log_path}"
    raise RuntimeError(msg)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL to the whole tree if a runaway query keeps it from exiting."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        # A server still busy with a runaway query does not finish its graceful shutdown.
        for pid in reversed(process_tree(process.pid)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


@contextlib.contextmanager
def coopgraph_serve(
    database_url: str, log_path: Path, *, workers: int = 1, environ: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """Run ``coopgraph serve`` on a free loopback port until the block ends.

    The server's own log goes to ``log_path``: a pipe nobody reads would fill up and
    stall the server under load.
    """
    port = free_port()
    env = dict(os.environ if environ is None else environ)
    env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "coopgraph", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log_path)
        yield Server(url=url, pid=process.pid, log_path=log_path)
    finally:
        stop(process)

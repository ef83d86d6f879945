"""The load generator: wrk, one thread and 8 connections, on the client core.

wrk is C with an event loop; on one core it sends tens of thousands of requests a
second, several times what the fastest endpoint here (the floor) answers, so the
endpoints are what is measured. A Lua script sets the POST body, and its ``done`` hook
prints the counts and percentiles in one line the harness reads, rather than parsing
wrk's human-readable report.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.processes import CLIENT_CORE, pinned

THREADS = 1
CONNECTIONS = 8
#: Seconds wrk waits for one answer; slower answers count as timeouts, not latencies.
TIMEOUT_SECONDS = 60

_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]

done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH %d %d %.0f %.0f %.0f %d %d %d %d %d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""


class LoadGeneratorMissingError(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True, slots=True)
class Load:
    """What wrk measured in one cell."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    timeouts: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        msg = "wrk is not installed: apt-get install -y wrk"
        raise LoadGeneratorMissingError(msg)
    return found


def wrk_version() -> str:
    result = subprocess.run([wrk_path(), "-v"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).splitlines()[0].strip()


def drive(url: str, body: bytes, seconds: float, scripts: Path) -> Load:
    """Send ``body`` to ``url`` as fast as the endpoint answers, for ``seconds``."""
    text = body.decode("utf-8")
    if "]==]" in text:
        msg = "the request body would end the Lua string early"
        raise ValueError(msg)
    script = scripts / "post.lua"
    script.write_text(_SCRIPT.format(body=text), encoding="utf-8")
    command = [
        wrk_path(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        "-s",
        str(script),
        url,
    ]
    result = subprocess.run(
        pinned(command, CLIENT_CORE), capture_output=True, text=True, check=False
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH ")), None)
    if result.returncode != 0 or line is None:
        msg = f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
        raise RuntimeError(msg)
    requests, duration_us, p50, p99, longest, connect, read, write, status, timeouts = (
        int(float(value)) for value in line.split()[1:]
    )
    return Load(
        requests=requests,
        seconds=duration_us / 1e6,
        p50_ms=p50 / 1000,
        p99_ms=p99 / 1000,
        max_ms=longest / 1000,
        errors=connect + read + write + status,
        timeouts=timeouts,
    )

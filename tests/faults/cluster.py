"""A PostgreSQL cluster of the test's own, to stop and start under a running server.

Stopping the shared cluster at 127.0.0.1:5432 would break every other test and every
other user of this machine, so fault tests create a throw-away cluster with Debian's
wrappers on a free port, and drop it afterwards whether the test passed or not.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from testbed.live_server import free_port
from tests.environment import unavailable

WRAPPERS = ("pg_createcluster", "pg_ctlcluster", "pg_dropcluster")
#: Generous: initdb and a cold start on a busy 2-core machine take seconds.
COMMAND_TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class Cluster:
    """A running cluster: its version, name and port, and how to stop and start it."""

    version: str
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, action: str, *options: str) -> None:
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                *options,
                self.version,
                self.name,
                action,
            ],
            check=True,
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
        )

    def stop(self) -> None:
        # fast: disconnect clients at once, as a crashed or restarted server would.
        self._ctl("stop", "--mode", "fast")

    def start(self) -> None:
        self._ctl("start")
        wait_until_accepting(self.url)


def wait_until_accepting(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _missing_reason() -> str | None:
    missing = [name for name in WRAPPERS if shutil.which(name) is None]
    if missing:
        return f"PostgreSQL's cluster wrappers are not installed ({', '.join(missing)})"
    if not Path("/etc/postgresql").is_dir() or not os.listdir("/etc/postgresql"):
        return "no PostgreSQL version under /etc/postgresql"
    return None


def _version() -> str:
    return max(os.listdir("/etc/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)


@contextlib.contextmanager
def own_cluster() -> Iterator[Cluster]:
    """Create, start, and finally drop a trust-auth cluster on a free loopback port.

    Skips with the reason when the wrappers are missing, or fails when
    ``COOPGRAPH_REQUIRE_POSTGRES`` is set (as CI sets it).
    """
    reason = _missing_reason()
    if reason is not None:
        unavailable(reason, required_by="COOPGRAPH_REQUIRE_POSTGRES")
    cluster = Cluster(_version(), f"coopgraph_fault_{uuid.uuid4().hex[:10]}", free_port())
    try:
        subprocess.run(
            [
                "pg_createcluster", cluster.version, cluster.name, "-p", str(cluster.port),
                "--start", "--", "--auth=trust",
            ],
            check=True,
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
        )  # fmt: skip
        wait_until_accepting(cluster.url)
        yield cluster
    finally:
        subprocess.run(
            ["pg_dropcluster", "--stop", cluster.version, cluster.name],
            check=False,
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
        )

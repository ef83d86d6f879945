"""``coopgraph seed`` as a real subprocess, watched through its phase lines on stderr."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

from testbed.databases import POSTGRES_ADMIN_URL
from tests.db.tables import rows

#: Bounds every wait of these tests; a seed of the x40 document takes seconds.
DEADLINE = 120.0


class SeedRun:
    """A running ``coopgraph seed``; stderr lines are collected with their arrival time."""

    def __init__(self, database_url: str, arguments: Sequence[str | Path]) -> None:
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coopgraph", "seed", *map(str, arguments)],
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[tuple[float, str]] = []
        self.stdout = ""
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def count(self, text: str) -> int:
        with self._changed:
            return sum(text in line for _, line in self.lines)

    def wait_for(self, text: str, times: int = 1) -> float:
        """Wait until ``text`` appeared on ``times`` stderr lines; returns when it did."""
        deadline = time.monotonic() + DEADLINE
        with self._changed:
            while True:
                seen = [at for at, line in self.lines if text in line]
                if len(seen) >= times:
                    return seen[times - 1]
                if self.process.poll() is not None and not self._reader.is_alive():
                    msg = f"seed exited ({self.process.returncode}) before {text!r}: {self.stderr}"
                    raise AssertionError(msg)
                if time.monotonic() > deadline:
                    msg = f"no {text!r} within {DEADLINE} s: {self.stderr}"
                    raise AssertionError(msg)
                self._changed.wait(0.1)

    @property
    def stderr(self) -> str:
        with self._changed:
            return "\n".join(line for _, line in self.lines)

    def finish(self) -> int:
        """Wait for the exit; returns the status (stdout is kept in ``stdout``)."""
        assert self.process.stdout is not None
        self.stdout = self.process.stdout.read()
        status = self.process.wait(timeout=DEADLINE)
        self._reader.join(timeout=10)
        return status

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=DEADLINE)
        self._reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def load_in_progress(database_url: str) -> bool:
    """Whether a seed's transaction is open on the database right now.

    PostgreSQL: a backend holds the seed's advisory lock on this database. SQLite: the
    rollback journal exists, which it does from the first page the load writes until
    the commit.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return Path(f"{url.database}-journal").exists()
    found = rows(
        POSTGRES_ADMIN_URL,
        "SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
        " WHERE l.locktype = 'advisory' AND l.granted AND d.datname = :name",
        name=url.database,
    )
    return found == [(1,)]

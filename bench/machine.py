"""What the numbers were measured on: they mean nothing without it."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from pathlib import Path

from bench.processes import ROOT


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def _memory() -> str:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def git_commit() -> str:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD") or "unknown"
    # Results written earlier in the same run are not a change to what is measured.
    changed = git("status", "--porcelain", "--", ".", ":!bench/results")
    return f"{commit} (uncommitted changes)" if changed else commit


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def describe(postgres: str | None, wrk: str) -> dict[str, str]:
    """The machine and software, as rows of the results file."""
    rows = {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
    }
    if postgres is not None:
        rows["PostgreSQL"] = postgres
    rows["load generator"] = wrk
    rows["git commit"] = git_commit()
    rows["load average at start (1/5/15 min)"] = load_average()
    return rows

"""Throwaway databases holding the document at a scale: x1, x100, x1000.

x1 is the shipped document, seeded by ``coopgraph seed``; larger scales are the
synthetic edition of ``coopgraph seed --synthetic N`` (the document's countries,
priorities, institutions and links repeated N times, the fields kept). SQLite files live
in a temporary folder; a PostgreSQL database is created on the server the benchmark is
pointed at and dropped afterwards, whatever happens in between.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql

from bench.handwritten import postgres_conninfo


class SeedingError(RuntimeError):
    """The data of a scale could not be loaded."""


def default_seeder() -> list[str]:
    return [sys.executable, "-m", "coopgraph"]


def supports_synthetic(seeder: list[str]) -> bool:
    """Whether this ``coopgraph`` has ``seed --synthetic`` (issue 6's generator)."""
    result = subprocess.run(
        [*seeder, "seed", "--help"], capture_output=True, text=True, check=False
    )
    return "--synthetic" in result.stdout


def seed(url: str, scale: int, seeder: list[str]) -> None:
    """Load the document (x1) or its synthetic multiple into ``url``."""
    if scale == 1:
        command = [*default_seeder(), "seed"]
    else:
        if not supports_synthetic(seeder):
            msg = (
                f"x{scale} needs `coopgraph seed --synthetic N`, which {' '.join(seeder)} "
                "does not have; pass --seeder with a coopgraph that has it, or run x1 only"
            )
            raise SeedingError(msg)
        command = [*seeder, "seed", "--synthetic", str(scale)]
    # The progress bar goes to the terminal; the report is not needed.
    result = subprocess.run(
        command,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        msg = f"seeding x{scale} failed: {' '.join(command)}\n{result.stderr[-2000:]}"
        raise SeedingError(msg)


@contextlib.contextmanager
def sqlite_database(folder: Path, scale: int, seeder: list[str]) -> Iterator[str]:
    path = folder / f"coopgraph-x{scale}.sqlite3"
    url = f"sqlite:///{path}"
    try:
        seed(url, scale, seeder)
        yield url
    finally:
        for leftover in folder.glob(f"{path.name}*"):
            leftover.unlink()


@contextlib.contextmanager
def postgres_database(admin_url: str, scale: int, seeder: list[str], *, jit: bool) -> Iterator[str]:
    """A database created for this run (``jit`` set on it for every session) and dropped after."""
    name = f"coopgraph_bench_{os.getpid()}_x{scale}"
    admin = postgres_conninfo(admin_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.execute(
            sql.SQL("ALTER DATABASE {} SET jit = {}").format(
                sql.Identifier(name), sql.Literal("on" if jit else "off")
            )
        )
    scheme, _, rest = admin_url.partition("://")
    server = rest.rsplit("/", 1)[0]
    url = f"{scheme}://{server}/{name}"
    try:
        seed(url, scale, seeder)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def postgres_version(admin_url: str) -> str:
    with psycopg.connect(postgres_conninfo(admin_url)) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"

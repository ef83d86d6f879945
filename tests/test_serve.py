"""``coopgraph serve`` as a user runs it: a real process on an empty database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest

from testbed.live_server import free_port
from tests.seed.facts import COUNTRIES_BY_CONTINENT

START_TIMEOUT = 60.0


@contextmanager
def serving(
    database_url: str, *extra: str, python_options: Sequence[str] = (), log: IO[bytes] | None = None
) -> Iterator[str]:
    """``coopgraph serve`` on a free port; its output goes to ``log`` when given."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    process = subprocess.Popen(
        [
            sys.executable,
            *python_options,
            "-m",
            "coopgraph",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *extra,
        ],
        env=env,
        stdout=subprocess.PIPE if log is None else log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        # One client for every probe: building one (its TLS context) takes longer than
        # the wait between probes.
        with httpx.Client(timeout=1) as probe:
            while True:
                if process.poll() is not None:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"coopgraph serve exited with {process.returncode}:\n{output}")
                try:
                    if probe.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail("coopgraph serve did not answer /healthz in time")
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_seeds_an_empty_database_on_first_start(
    backend: str, make_database: Callable[[str], str], workers: str, tmp_path: Path
) -> None:
    database_url = make_database(backend)
    log_path = tmp_path / "serve.log"
    with (
        log_path.open("wb") as log,
        serving(database_url, "--workers", workers, log=log) as url,
    ):
        response = httpx.post(
            f"{url}/graphql",
            json={"query": "{ editions { year priorityCount } continents { name } }"},
            timeout=30,
        )
    # Said once, by the parent process, however many workers it starts.
    _assert_database_logged_once(log_path.read_text(encoding="utf-8").splitlines(), database_url)
    data = response.json()["data"]
    assert data["editions"] == [{"year": 2020, "priorityCount": 115}]
    assert [c["name"] for c in data["continents"]] == list(COUNTRIES_BY_CONTINENT)


#: Modules only migrating and seeding need (~70 MB of the 161 MB a serving process held
#: when it seeded in-process).
SEED_TIME_MODULES = {"coopgraph.seed", "pypinyin", "alembic", "pycountry", "tqdm"}


def _package(module: str) -> str:
    """``coopgraph.graph`` for ``coopgraph.graph.app``, ``alembic`` for ``alembic.op``."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "coopgraph" else parts[0]


@pytest.fixture(scope="module")
def seeded_serve(
    seeded_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """``coopgraph serve`` on an already seeded database, and the file its output goes to.

    One process for the module: -X importtime lists every module the serving process
    imports (the migrate child, started without the option, lists none), and changes
    nothing else about it.
    """
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    with (
        log_path.open("wb") as log,
        serving(seeded_url, python_options=("-X", "importtime"), log=log) as url,
    ):
        yield url, log_path


def test_serve_keeps_an_already_seeded_database(seeded_serve: tuple[str, Path]) -> None:
    url, _log_path = seeded_serve
    response = httpx.post(f"{url}/graphql", json={"query": "{ editions { year } }"}, timeout=30)
    assert response.json()["data"] == {"editions": [{"year": 2020}]}


def test_a_serving_process_holds_none_of_the_seeds_libraries(
    seeded_serve: tuple[str, Path],
) -> None:
    url, log_path = seeded_serve
    # The imports through a request: the first one's, if another test sent it before.
    response = httpx.post(f"{url}/graphql", json={"query": "{ editions { year } }"}, timeout=30)
    assert response.json()["data"] == {"editions": [{"year": 2020}]}
    imported = {
        _package(line.rsplit("|", 1)[1].strip())
        for line in log_path.read_text(encoding="utf-8").splitlines()
        if line.startswith("import time:")
    }
    assert {
        "coopgraph.graph",
        "coopgraph.db",
        "coopgraph.settings",
        "strawberry",
        "sqlalchemy",
        "uvicorn",
    } <= imported
    assert imported & SEED_TIME_MODULES == set()


def _served_log(database_url: str, tmp_path: Path, *extra: str) -> list[str]:
    """The lines ``coopgraph serve`` wrote while it started and answered one GET."""
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log, serving(database_url, *extra, log=log) as url:
        response = httpx.get(
            f"{url}/graphql", params={"query": "{ editions { year } }"}, timeout=30
        )
        assert response.json()["data"] == {"editions": [{"year": 2020}]}
    return log_path.read_text(encoding="utf-8").splitlines()


def _access_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if '"GET /graphql?query=' in line]


def test_serve_writes_no_access_line_by_default(seeded_serve: tuple[str, Path]) -> None:
    url, log_path = seeded_serve
    response = httpx.get(f"{url}/graphql", params={"query": "{ editions { year } }"}, timeout=30)
    assert response.json()["data"] == {"editions": [{"year": 2020}]}
    lines = log_path.read_text(encoding="utf-8").splitlines()
    # The server did log (its start), just not the request.
    assert any("Uvicorn running on" in line for line in lines), lines
    assert _access_lines(lines) == []
    assert not any('"GET /healthz' in line for line in lines), lines


def test_serve_access_log_writes_a_line_per_request(seeded_url: str, tmp_path: Path) -> None:
    lines = _served_log(seeded_url, tmp_path, "--access-log")
    (line,) = _access_lines(lines)
    assert line.endswith(" 200 OK"), line
    assert "127.0.0.1:" in line


def test_serve_log_level_warning_hides_the_info_lines(seeded_url: str, tmp_path: Path) -> None:
    lines = _served_log(seeded_url, tmp_path, "--log-level", "warning", "--access-log")
    assert not any("Uvicorn running on" in line for line in lines), lines
    assert not any("database:" in line for line in lines), lines
    assert [line for line in lines if line.startswith("INFO")] == []
    # uvicorn logs access lines at INFO: below the level, even when switched on.
    assert _access_lines(lines) == []


def _assert_database_logged_once(lines: list[str], database_url: str) -> None:
    from coopgraph.db.urls import shown_database  # noqa: PLC0415

    database_lines = [line for line in lines if "database:" in line]
    assert database_lines == [f"INFO coopgraph: database: {shown_database(database_url)}"]
    if database_url.startswith("sqlite"):
        shown = Path(database_lines[0].split("SQLite file ", 1)[1])
        assert shown.is_absolute()
        assert shown.is_file()
    else:
        assert "postgresql://" in database_lines[0]

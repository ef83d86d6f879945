"""The load test in its short form: 32 clients for a few seconds against ``coopgraph serve``.

It asserts what must hold whatever the machine: no 5xx, no dropped connection, no
errors in the mix, memory flat after warm-up, and the attacker refused by the cost limit.
Latency is only reported (``python -m bench.mixed_load`` for the full run), never asserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bench.mixed_load import MEMORY_TOLERANCE, LoadConfig, LoadReport, render_markdown, run_load
from bench.wrk import wrk_executable
from testbed.databases import drop_postgres_database
from tests.environment import unavailable

SHORT = LoadConfig(clients=32, seconds=5, warmup_seconds=3)
#: The backend whose run also has the attacker's phase.
ATTACKED = "sqlite"


@pytest.fixture(scope="module", autouse=True)
def _require_wrk() -> None:
    if wrk_executable() is None:
        unavailable(
            "wrk is not installed (apt-get install wrk)", required_by="COOPGRAPH_REQUIRE_WRK"
        )


@pytest.fixture(scope="module")
def load_report(
    copy_seeded: Callable[[str, Path], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], LoadReport]]:
    """Each backend's run, made once per module on a seeded copy (not the test's subject:
    ``tests/test_serve.py`` seeds on first start).

    The attacked backend's run goes on with the attacker's phase once the mix phase is
    over: the mix test reads the phases before it, as a run without the attacker has them,
    and the attacker test the whole run.
    """
    reports: dict[str, LoadReport] = {}
    created: list[str] = []

    def report(backend: str) -> LoadReport:
        if backend not in reports:
            url = copy_seeded(backend, tmp_path_factory.mktemp("load"))
            if backend == "postgresql":
                created.append(url)
            config = replace(SHORT, attack=backend == ATTACKED, database_url=url)
            reports[backend] = run_load(config, progress=print)
        return reports[backend]

    yield report
    for url in created:
        drop_postgres_database(url)


def _show(report: LoadReport, capsys: pytest.CaptureFixture[str]) -> None:
    print(render_markdown(report))
    with capsys.disabled():
        for phase in report.phases.values():
            w = phase.wrk
            print(
                f"\nload {phase.name}: {w.requests} requests, {w.requests_per_second:.0f}/s, "
                f"p50 {w.p50_ms:.0f} ms, p99 {w.p99_ms:.0f} ms, 5xx {w.server_errors}, "
                f"dropped {w.dropped}",
                end="",
            )
        print(
            f"\nload: RSS spread after warm-up {report.memory_spread:.1%}; attacker answers "
            f"{dict(report.attack_codes) or 'none sent'}"
        )


def _assert_nothing_lost(report: LoadReport, phase: str) -> None:
    wrk = report.phases[phase].wrk
    assert wrk.requests > 0, f"{phase}: no request completed"
    assert wrk.server_errors == 0, f"{phase}: 5xx answers {wrk.statuses}"
    assert wrk.dropped == 0, (
        f"{phase}: dropped connections (connect {wrk.connect_errors}, read {wrk.read_errors}, "
        f"write {wrk.write_errors}, timeouts {wrk.timeouts})"
    )
    assert wrk.graphql_errors == 0, f"{phase}: {wrk.graphql_errors} mix answers carried errors"
    assert set(wrk.statuses) == {200}, wrk.statuses


def test_the_query_mix_under_load_loses_nothing_and_memory_stays_flat(
    backend: str,
    load_report: Callable[[str], LoadReport],
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = load_report(backend)
    _show(report, capsys)
    _assert_nothing_lost(report, "mix")
    assert report.memory_of("mix"), "no memory sample during the mix"
    assert report.memory_spread <= MEMORY_TOLERANCE, (
        f"server RSS moved {report.memory_spread:.1%} after warm-up"
    )


def test_the_attacker_is_refused_by_the_cost_limit_while_nothing_else_is_lost(
    load_report: Callable[[str], LoadReport], capsys: pytest.CaptureFixture[str]
) -> None:
    report = load_report(ATTACKED)
    _show(report, capsys)
    assert report.attack_sent > 0
    assert dict(report.attack_codes) == {"COST_LIMIT_EXCEEDED": report.attack_sent}
    _assert_nothing_lost(report, "mix")
    _assert_nothing_lost(report, "attack")

"""The load test in its short form: 32 clients for a few seconds against ``coopgraph serve``.

It asserts what must hold whatever the machine: no 5xx, no dropped connection, no
errors in the mix, memory flat after warm-up, and the attacker refused by the cost limit.
Latency is only reported (``python -m bench.mixed_load`` for the full run), never asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from bench.mixed_load import MEMORY_TOLERANCE, LoadConfig, LoadReport, render_markdown, run_load
from bench.wrk import wrk_executable
from tests.environment import unavailable

SHORT = LoadConfig(clients=32, seconds=5, warmup_seconds=3)


@pytest.fixture(autouse=True)
def _require_wrk() -> None:
    if wrk_executable() is None:
        unavailable(
            "wrk is not installed (apt-get install wrk)", required_by="COOPGRAPH_REQUIRE_WRK"
        )


def _run(config: LoadConfig, capsys: pytest.CaptureFixture[str]) -> LoadReport:
    report = run_load(config, progress=print)
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
    return report


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
    backend: str, make_database: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    report = _run(replace(SHORT, attack=False, database_url=make_database(backend)), capsys)
    _assert_nothing_lost(report, "mix")
    assert report.memory_of("mix"), "no memory sample during the mix"
    assert report.memory_spread <= MEMORY_TOLERANCE, (
        f"server RSS moved {report.memory_spread:.1%} after warm-up"
    )


def test_the_attacker_is_refused_by_the_cost_limit_while_nothing_else_is_lost(
    make_database: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    config = replace(SHORT, warmup_seconds=1, database_url=make_database("sqlite"))
    report = _run(config, capsys)
    assert report.attack_sent > 0
    assert dict(report.attack_codes) == {"COST_LIMIT_EXCEEDED": report.attack_sent}
    _assert_nothing_lost(report, "mix")
    _assert_nothing_lost(report, "attack")

"""Load test: 32 clients over the contract's query mix, then the same with an attacker.

Starts ``coopgraph serve`` as a real process on a free loopback port (a seeded SQLite
file by default; ``--database postgresql`` for a throw-away PostgreSQL database), drives
it with wrk, and samples the server's memory from /proc throughout:

1. warm-up: the mix, not measured, so caches and pools are filled;
2. mix: the mix for ``--seconds``; p50/p99, req/s, 5xx and dropped connections, and
   whether the server's RSS stays within 10% after the warm-up;
3. attack: the same mix while one more client sends issue 6's ~6-million-object query
   every second; the others' p99 as a ratio to phase 2, and how the attacker was answered.

Everything is bounded: wrk stops by itself, the attacker's requests time out, and the
server is killed if it does not stop. Run: ``.venv/bin/python -m bench.mixed_load`` (see
``--help``); the summary goes to bench/results/mixed-load.md and the exit status is 1 when a
requirement of issue 6 is not met.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.attacker import Attacker
from bench.mix import WEIGHTS, build_mix
from bench.wrk import WrkResult, lua_script, run_wrk
from testbed.refusals import is_refusal
from testbed.serve_process import coopgraph_serve, cpu_seconds, process_tree, resident_kib

RESULTS = Path(__file__).resolve().parent / "results" / "mixed-load.md"
#: RSS may move by this share of its post-warm-up minimum and still count as flat.
MEMORY_TOLERANCE = 0.10
#: The attacker may raise the other clients' p99 by at most this factor.
P99_RATIO_LIMIT = 2.0
#: Settings that would make the test measure something else; the harness unsets them.
_UNSET = ("COOPGRAPH_RATE_LIMIT",)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LoadConfig:
    clients: int = 32
    seconds: float = 30.0
    warmup_seconds: float = 5.0
    attack: bool = True
    attack_interval: float = 1.0
    attack_timeout: float = 5.0
    request_timeout: float = 10.0
    wrk_threads: int = 1
    workers: int = 1
    database: str = "sqlite"
    database_url: str | None = None
    sample_interval: float = 0.5
    note: str = ""
    #: "on" or "off" sets COOPGRAPH_RESPONSE_CACHE for the server; None leaves it as
    #: configured. Off measures execution: the mix repeats 100 bodies, which a response
    #: cache answers from memory after the first time.
    response_cache: str | None = None


@dataclass(frozen=True)
class MemorySample:
    seconds: float
    phase: str
    kib: int


@dataclass
class MemorySampler:
    """Samples the server tree's RSS on a timer, labelled with the phase running."""

    root_pid: int
    interval: float
    progress: Progress
    samples: list[MemorySample] = field(default_factory=list)
    phase: str = "start"
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        start = time.monotonic()
        last_print = start
        while not self._stop.is_set():
            kib = resident_kib(process_tree(self.root_pid))
            now = time.monotonic()
            self.samples.append(MemorySample(now - start, self.phase, kib))
            if now - last_print >= 5:
                self.progress(
                    f"  {now - start:5.1f} s  {self.phase:8}  server RSS {kib / 1024:.1f} MiB"
                )
                last_print = now
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def spread(values: list[int]) -> float:
    """(max - min) / min: how far memory moved, as a share of its lowest point."""
    return (max(values) - min(values)) / min(values) if values else 0.0


@dataclass(frozen=True)
class Phase:
    name: str
    wrk: WrkResult
    server_cpu_share: float


@dataclass
class LoadReport:
    config: LoadConfig
    mix_size: int
    phases: dict[str, Phase] = field(default_factory=dict)
    memory: list[MemorySample] = field(default_factory=list)
    attack_codes: Counter[str] = field(default_factory=Counter)
    attack_refused: int = 0
    attack_sent: int = 0
    attack_seconds: list[float] = field(default_factory=list)

    def memory_of(self, *phases: str) -> list[int]:
        return [sample.kib for sample in self.memory if sample.phase in phases]

    @property
    def memory_spread(self) -> float:
        """RSS spread over the measured mix phase, after the warm-up."""
        return spread(self.memory_of("mix"))

    @property
    def throughput_ratio(self) -> float | None:
        """The attack phase's completed requests per second over the mix phase's."""
        if "attack" not in self.phases or "mix" not in self.phases:
            return None
        base = self.phases["mix"].wrk.requests_per_second
        return self.phases["attack"].wrk.requests_per_second / base if base else None

    @property
    def p99_ratio(self) -> float | None:
        if "attack" not in self.phases or "mix" not in self.phases:
            return None
        base = self.phases["mix"].wrk.p99_ms
        return self.phases["attack"].wrk.p99_ms / base if base else None

    def failures(self) -> list[str]:
        """Each requirement of issue 6 that this run did not meet."""
        failed = []
        for phase in ("mix", "attack"):
            if phase not in self.phases:
                continue
            wrk = self.phases[phase].wrk
            if wrk.server_errors:
                failed.append(f"{phase}: {wrk.server_errors} responses with a 5xx status")
            if wrk.dropped:
                failed.append(f"{phase}: {wrk.dropped} requests without a response (dropped)")
            if wrk.graphql_errors:
                failed.append(f"{phase}: {wrk.graphql_errors} mix responses carried errors")
            if wrk.longest_silence >= self.config.request_timeout:
                failed.append(
                    f"{phase}: no client got an answer for {wrk.longest_silence:g} s "
                    "(requests left hanging, which wrk does not count as dropped)"
                )
        if self.memory_spread > MEMORY_TOLERANCE:
            failed.append(
                f"mix: server RSS moved {self.memory_spread:.1%} after warm-up "
                f"(limit {MEMORY_TOLERANCE:.0%})"
            )
        if "attack" in self.phases:
            ratio = self.p99_ratio
            if ratio is None or ratio > P99_RATIO_LIMIT:
                failed.append(
                    f"attack: the others' p99 rose {ratio or 0:.2f}x (limit {P99_RATIO_LIMIT:g}x)"
                )
            # wrk's percentiles cover completed requests only: clients stuck behind a
            # runaway query until the phase ends never show in p99. With a fixed number of
            # clients, latency is the inverse of throughput, so a throughput that fell by
            # more than the p99 limit means the p99 did not hold either.
            throughput = self.throughput_ratio or 0.0
            if throughput < 1 / P99_RATIO_LIMIT:
                failed.append(
                    f"attack: the others completed {throughput:.2f}x the mix phase's requests "
                    f"per second (at least {1 / P99_RATIO_LIMIT:g}x needed)"
                )
            if self.attack_refused != self.attack_sent or not self.attack_sent:
                failed.append(
                    f"attack: {self.attack_refused} of {self.attack_sent} attack queries refused "
                    f"by a limit ({dict(self.attack_codes)})"
                )
        return failed


@contextlib.contextmanager
def _database(config: LoadConfig, folder: Path) -> Iterator[str]:
    if config.database_url:
        yield config.database_url
    elif config.database == "sqlite":
        # An empty file: ``coopgraph serve`` migrates and seeds it, as on a first start.
        yield f"sqlite:///{folder / 'load.sqlite3'}"
    elif config.database == "postgresql":
        from testbed.databases import (  # noqa: PLC0415 - only this backend needs psycopg admin
            create_postgres_database,
            drop_postgres_database,
        )

        url = create_postgres_database()
        try:
            yield url
        finally:
            drop_postgres_database(url)
    else:
        msg = f"unknown database {config.database!r} (sqlite or postgresql)"
        raise ValueError(msg)


def _phase(
    name: str,
    url: str,
    script: Path,
    config: LoadConfig,
    seconds: float,
    server_pid: int,
    progress: Progress,
) -> Phase:
    progress(f"{name}: {config.clients} clients for {seconds:g} s")
    cpu_before, wall_before = cpu_seconds(process_tree(server_pid)), time.monotonic()
    wrk = run_wrk(
        url,
        script,
        clients=config.clients,
        seconds=seconds,
        threads=config.wrk_threads,
        timeout=config.request_timeout,
    )
    server_cpu = cpu_seconds(process_tree(server_pid)) - cpu_before
    share = server_cpu / (time.monotonic() - wall_before)
    progress(
        f"{name}: {wrk.requests} requests, {wrk.requests_per_second:.0f}/s, "
        f"p50 {wrk.p50_ms:.1f} ms, p99 {wrk.p99_ms:.1f} ms, 5xx {wrk.server_errors}, "
        f"dropped {wrk.dropped}, longest silence {wrk.longest_silence:g} s; CPU server {share:.2f}, wrk {wrk.wrk_cpu_share:.2f} cores"
    )
    return Phase(name, wrk, share)


def run_load(config: LoadConfig, progress: Progress = print) -> LoadReport:
    """Run the phases against a fresh ``coopgraph serve`` and return what was measured."""
    environ = {k: v for k, v in os.environ.items() if k not in _UNSET}
    if config.response_cache is not None:
        environ["COOPGRAPH_RESPONSE_CACHE"] = config.response_cache
    with tempfile.TemporaryDirectory(prefix="coopgraph-load-") as temp:
        folder = Path(temp)
        with _database(config, folder) as database_url:
            progress(f"starting coopgraph serve on {config.database_url or config.database}")
            with coopgraph_serve(
                database_url, folder / "serve.log", workers=config.workers, environ=environ
            ) as server:
                with httpx.Client(base_url=server.url, timeout=30) as client:
                    mix = build_mix(client)
                script = folder / "mix.lua"
                script.write_text(lua_script(mix), encoding="utf-8")
                report = LoadReport(config=config, mix_size=len(mix))
                progress(f"server {server.url} (pid {server.pid}); mix of {len(mix)} requests")
                with MemorySampler(server.pid, config.sample_interval, progress) as sampler:
                    args = (server.url, script, config)
                    sampler.phase = "warm-up"
                    report.phases["warm-up"] = _phase(
                        "warm-up", *args, config.warmup_seconds, server.pid, progress
                    )
                    sampler.phase = "mix"
                    report.phases["mix"] = _phase(
                        "mix", *args, config.seconds, server.pid, progress
                    )
                    if config.attack:
                        sampler.phase = "attack"
                        attacker = Attacker(
                            server.url, config.attack_interval, config.attack_timeout
                        )
                        attacker.start()
                        try:
                            report.phases["attack"] = _phase(
                                "attack", *args, config.seconds, server.pid, progress
                            )
                        finally:
                            attacker.stop()
                        report.attack_codes = attacker.codes()
                        report.attack_sent = len(attacker.outcomes)
                        report.attack_refused = attacker.refused
                        report.attack_seconds = [o.seconds for o in attacker.outcomes]
                        progress(
                            f"attack: {report.attack_sent} sent, {report.attack_refused} "
                            f"refused; answers {dict(report.attack_codes)}"
                        )
                    sampler.phase = "end"
                report.memory = sampler.samples
    return report


def _mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def render_markdown(report: LoadReport) -> str:
    """The summary written to bench/results/mixed-load.md."""
    config = report.config
    lines = [
        "# Load test",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`python -m bench.mixed_load` on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} cores, shared with other work): `coopgraph serve` "
        f"(--workers {config.workers}) on {config.database_url or config.database}, "
        f"loopback, wrk with {config.clients} connections on {config.wrk_threads} thread(s), "
        f"request timeout {config.request_timeout:g} s; response cache "
        f"{config.response_cache or 'as configured (COOPGRAPH_RESPONSE_CACHE)'}.",
        "",
        *([config.note, ""] if config.note else []),
        f"Mix of {report.mix_size} request bodies over the contract's queries (per 100: "
        + ", ".join(f"{name} {weight}" for name, weight in WEIGHTS.items())
        + "), variables taken from the running server.",
        "",
        "| phase | seconds | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | 5xx | "
        "dropped | longest silence s | GraphQL errors | server CPU (cores) | wrk CPU (cores) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for phase in report.phases.values():
        w = phase.wrk
        lines.append(
            f"| {phase.name} | {w.seconds:.1f} | {w.requests} | {w.requests_per_second:.0f} | "
            f"{w.p50_ms:.1f} | {w.p90_ms:.1f} | {w.p99_ms:.1f} | {w.max_ms:.1f} | "
            f"{w.server_errors} | {w.dropped} | {w.longest_silence:g} | {w.graphql_errors} | "
            f"{phase.server_cpu_share:.2f} | {w.wrk_cpu_share:.2f} |"
        )
    lines += [
        "",
        "Dropped counts wrk's connect, read and write errors and its timeouts. wrk counts a "
        "timeout only when a late answer does arrive; requests still unanswered at the end "
        "of a phase show instead as the longest silence (seconds, to the second, in which "
        "no client got any answer). wrk's CPU share beside the server's shows whether the "
        "load generator could have been the bottleneck.",
        "",
        "## Server memory (RSS of the process tree, MiB)",
        "",
        "| phase | samples | min | max | spread |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in ("warm-up", "mix", "attack"):
        values = report.memory_of(name)
        if values:
            lines.append(
                f"| {name} | {len(values)} | {_mib(min(values))} | {_mib(max(values))} | "
                f"{spread(values):.1%} |"
            )
    lines += [
        "",
        f"After warm-up, over the mix phase, RSS moved {report.memory_spread:.1%} "
        f"(limit {MEMORY_TOLERANCE:.0%}).",
        "",
    ]
    if "attack" in report.phases:
        ratio = report.p99_ratio
        slowest = max(report.attack_seconds, default=0.0)
        lines += [
            "## Attacker",
            "",
            f"One client sent the ~6-million-object query every {config.attack_interval:g} s "
            f"(client timeout {config.attack_timeout:g} s): {report.attack_sent} sent, "
            f"{report.attack_refused} refused by a limit; slowest answer {slowest:.2f} s.",
            "",
            "| answer | count |",
            "| --- | ---: |",
            *(
                f"| {code}{' (refusal)' if is_refusal(code) else ''} | {count} |"
                for code, count in report.attack_codes.most_common()
            ),
            "",
            f"The other clients' p99 during the attack: {ratio or 0:.2f}x the mix phase's "
            f"(limit {P99_RATIO_LIMIT:g}x); their requests per second: "
            f"{report.throughput_ratio or 0:.2f}x the mix phase's (wrk's percentiles leave out "
            "requests still waiting when a phase ends, so a stalled server shows here).",
            "",
        ]
    failures = report.failures()
    lines += ["## Verdict", ""]
    lines += [f"- FAIL: {failure}" for failure in failures] or ["- every requirement met"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    defaults = LoadConfig()
    parser.add_argument("--clients", type=int, default=defaults.clients)
    parser.add_argument("--seconds", type=float, default=defaults.seconds, help="per phase")
    parser.add_argument("--warmup", type=float, default=defaults.warmup_seconds)
    parser.add_argument("--no-attack", action="store_true", help="skip the attacker phase")
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--wrk-threads", type=int, default=defaults.wrk_threads)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", help="an existing database instead of a throw-away one")
    parser.add_argument(
        "--response-cache",
        choices=["on", "off"],
        help="set COOPGRAPH_RESPONSE_CACHE for the server; off measures execution",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--note", default="", help="a line for the summary, e.g. the code's revision"
    )
    args = parser.parse_args(argv)
    config = LoadConfig(
        clients=args.clients,
        seconds=args.seconds,
        warmup_seconds=args.warmup,
        attack=not args.no_attack,
        workers=args.workers,
        wrk_threads=args.wrk_threads,
        database=args.database,
        database_url=args.database_url,
        note=args.note,
        response_cache=args.response_cache,
    )
    report = run_load(config, progress=lambda line: print(line, flush=True))
    summary = render_markdown(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(summary, encoding="utf-8")
    print(summary)
    print(f"written to {args.output}")
    return 1 if report.failures() else 0


if __name__ == "__main__":
    sys.exit(main())

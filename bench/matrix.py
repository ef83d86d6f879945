"""One database's run: every scale, query and endpoint, and the results file."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson

from bench import processes as p
from bench.databases import postgres_database, postgres_version, sqlite_database
from bench.equality import check_same_data, refusal
from bench.load import CONNECTIONS, THREADS, TIMEOUT_SECONDS, Load, drive
from bench.machine import describe, load_average
from bench.options import Options
from bench.report import BASELINE, FLOOR, Cell, draw_chart, markdown, server_label
from bench.statements import baseline_statements, server_statements
from bench.workload import Workload


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_database(database: str, options: Options, wrk: str) -> Path:
    """Measure every scale of one database; write its results file and chart."""
    postgres = postgres_version(options.postgres) if database == "postgresql" else None
    machine = describe(postgres, wrk)
    run = DatabaseRun(database, options)
    if "off" in options.caches:
        options.progress[1] += len(options.workloads) * len(options.scales)
    with tempfile.TemporaryDirectory(prefix="coopgraph-bench-") as folder:
        for scale in options.scales:
            run.scale(scale, Path(folder))
    machine["load average at end (1/5/15 min)"] = load_average()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    results = options.out / f"{stamp}-{database}.md"
    chart = options.out / f"{stamp}-{database}.png"
    draw_chart(database, run.cells, chart)
    text = markdown(database, run.cells, machine, run.settings(), run.notes(), chart)
    results.write_text(text, encoding="utf-8")
    return results


#: A server cell whose single answer takes longer than this share of the cell's duration
#: is measured one request at a time.
SEQUENTIAL_SHARE = 4
#: Fewer requests than this in a wrk cell give no rate or percentile worth reporting.
MIN_REQUESTS = 10


def sequential(endpoint: p.Endpoint, workload: Workload, seconds: float) -> Load:
    """Send one request at a time for ``seconds`` (at least two), as a slow cell's load."""
    headers = {"content-type": "application/json"}
    latencies: list[float] = []
    errors = 0
    with httpx.Client(timeout=600) as client:
        started = time.perf_counter()
        while len(latencies) < 2 or time.perf_counter() - started < seconds:
            start = time.perf_counter()
            answer = client.post(
                endpoint.url_of(workload.name), content=workload.body, headers=headers
            )
            latencies.append(time.perf_counter() - start)
            errors += answer.status_code >= 400 or refusal(answer.content) is not None
        elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return Load(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000,
        max_ms=ordered[-1] * 1000,
        errors=errors,
        timeouts=0,
    )


#: The row of the server with compiled execution off (response cache off): every
#: operation through Strawberry's executor, so the report shows what the compiled
#: path buys beside the row of the server as it ships.
COMPILED_OFF = "server, cache off, compiled off"


def _server_env(url: str, cache: str, *, compiled: bool = True) -> dict[str, str]:
    # The baselines run under uvicorn's default parser (httptools); the server is
    # measured on the same one, as it runs behind the shipped proxy. Exposed directly it
    # defaults to h11, whose cost docs/decisions.md measures.
    env = {
        "DATABASE_URL": url,
        "COOPGRAPH_RESPONSE_CACHE": cache,
        "COOPGRAPH_HTTP_PARSER": "httptools",
    }
    if not compiled:
        env["COOPGRAPH_COMPILED"] = "off"
    return env


def _server(
    url: str, cache: str, logs: Path, *, compiled: bool = True
) -> contextlib.AbstractContextManager[p.Endpoint]:
    env = _server_env(url, cache, compiled=compiled)
    return p.running("server", p.server_command(), env, logs)


class DatabaseRun:
    """The cells of one database, and what its report says about them."""

    def __init__(self, database: str, options: Options) -> None:
        self.database = database
        self.options = options
        self.cells: list[Cell] = []
        self.refusals: list[str] = []
        self.driver_notes: list[str] = []
        self.server_extensions = False
        #: Seconds the server took for its first answer to each query, by scale.
        self.first_answer_seconds: dict[tuple[int, str], float] = {}
        self.sequential: list[str] = []

    def scale(self, scale: int, folder: Path) -> None:
        """Load the data at ``scale``, check the baseline's answers, measure every cell."""
        o = self.options
        _say(f"{self.database} x{scale}: loading the data")
        data = (
            sqlite_database(folder, scale, o.seeder)
            if self.database == "sqlite"
            else postgres_database(o.postgres, scale, o.seeder, jit=o.jit)
        )
        with data as url:
            logs = folder / f"logs-{self.database}-x{scale}"
            logs.mkdir(exist_ok=True)
            with self._baseline(url, logs) as baseline:
                with _server(url, o.caches[0], logs) as server:
                    answers = self._verified_answers(server, baseline, scale)
                answered = [w for w in o.workloads if answers[w.name]]
                _say(f"{self.database} x{scale}: counting SQL statements")
                baseline_counts = baseline_statements(url, answered)
                server_counts = {
                    cache: server_statements(url, answered, _server_env(url, cache))
                    for cache in o.caches
                }
                answers_file = folder / f"floor-{self.database}-x{scale}.json"
                answers_file.write_bytes(
                    orjson.dumps({n: base64.b64encode(b).decode() for n, b in answers.items() if b})
                )
                floor_env = {"BENCH_FLOOR_ANSWERS": str(answers_file)}
                floor_command = p.uvicorn_command("bench.floor:create_app")
                with p.running("floor", floor_command, floor_env, logs) as floor:
                    for cache in o.caches:
                        with _server(url, cache, logs) as server:
                            for workload in o.workloads:
                                if not answers[workload.name]:
                                    self._refused(scale, workload, cache)
                                    continue
                                if cache == o.caches[0]:
                                    self._cell(scale, workload, FLOOR, floor, None)
                                    count = baseline_counts[workload.name]
                                    self._cell(scale, workload, BASELINE, baseline, count)
                                count = server_counts[cache][workload.name]
                                self._cell(scale, workload, server_label(cache), server, count)
                if "off" in o.caches:
                    self._compiled_off(url, scale, logs, answered)

    def _compiled_off(self, url: str, scale: int, logs: Path, answered: list[Workload]) -> None:
        """The row of the server without compiled execution, for every answered query."""
        counts = server_statements(url, answered, _server_env(url, "off", compiled=False))
        with (
            _server(url, "off", logs, compiled=False) as server,
            httpx.Client(timeout=600) as client,
        ):
            for workload in self.options.workloads:
                if workload not in answered:
                    self._tick(f"{self.database} x{scale} {workload.name}: refused, not measured")
                    continue
                # Strawberry's executor has its own, smaller budget: a query it refuses
                # answers at once, and its rate would read as a speed.
                answer = client.post(
                    server.url_of(workload.name),
                    content=workload.body,
                    headers={"content-type": "application/json"},
                )
                reason = refusal(answer.content)
                if reason is not None:
                    self.refusals.append(
                        f"x{scale} {workload.name} {COMPILED_OFF}: the server answers with an"
                        f" error ({reason}), so it is not measured."
                    )
                    self.cells.append(
                        Cell(
                            self.database,
                            scale,
                            workload.name,
                            COMPILED_OFF,
                            None,
                            None,
                            None,
                            "answers with an error (see notes)",
                        )
                    )
                    self._tick(f"{self.database} x{scale} {workload.name}: refused, not measured")
                    continue
                self._cell(scale, workload, COMPILED_OFF, server, counts[workload.name])

    @contextlib.contextmanager
    def _baseline(self, url: str, logs: Path) -> Iterator[p.Endpoint]:
        env = {"BENCH_DATABASE_URL": url}
        if self.database == "postgresql":
            if self.options.pg_driver == "auto":
                self.options.pg_driver = self._faster_driver(url, logs)
            env["BENCH_PG_DRIVER"] = self.options.pg_driver
        command = p.uvicorn_command("bench.handwritten:create_app")
        with p.running("hand-written", command, env, logs) as endpoint:
            yield endpoint

    def _faster_driver(self, url: str, logs: Path) -> str:
        """Measure async psycopg against blocking psycopg in a thread; keep the faster."""
        probe = next((w for w in self.options.workloads if w.name != "typename"), None)
        if probe is None:
            return "async"
        rates = {}
        for driver in ("async", "thread"):
            env = {"BENCH_DATABASE_URL": url, "BENCH_PG_DRIVER": driver}
            command = p.uvicorn_command("bench.handwritten:create_app")
            with p.running("hand-written", command, env, logs) as endpoint:
                rates[driver] = self._measure(endpoint, probe).rate
        kept = max(rates, key=lambda driver: rates[driver])
        self.driver_notes.append(
            f"psycopg for the hand-written endpoint, measured once on {probe.name}: async "
            f"{rates['async']:,.0f} req/s, blocking in a thread {rates['thread']:,.0f} req/s; "
            f"kept {kept} for the whole run."
        )
        _say(self.driver_notes[-1])
        return kept

    def _verified_answers(
        self, server: p.Endpoint, baseline: p.Endpoint, scale: int
    ) -> dict[str, bytes]:
        """The server's answer to each query (empty where it refuses), checked against the baseline's."""
        answers: dict[str, bytes] = {}
        headers = {"content-type": "application/json"}
        with httpx.Client(timeout=600) as client:
            for workload in self.options.workloads:
                body = workload.body
                start = time.perf_counter()
                served = client.post(server.url_of(workload.name), content=body, headers=headers)
                took = time.perf_counter() - start
                self.first_answer_seconds[scale, workload.name] = took
                reason = refusal(served.content)
                if reason is not None:
                    self.refusals.append(
                        f"x{scale} {workload.name}: the server answers with an error after "
                        f"{took:.1f} s ({reason}), so it is not measured, and has no floor or "
                        "hand-written row."
                    )
                    answers[workload.name] = b""
                    continue
                own = client.post(baseline.url_of(workload.name), content=body, headers=headers)
                check_same_data(workload.name, served.content, own.content)
                self.server_extensions |= b',"extensions":' in served.content
                answers[workload.name] = served.content
        _say(f"{self.database} x{scale}: every hand-written answer equals the server's")
        return answers

    def _measure(self, endpoint: p.Endpoint, workload: Workload) -> Load:
        url = endpoint.url_of(workload.name)
        with tempfile.TemporaryDirectory(prefix="coopgraph-wrk-") as scripts:
            if self.options.warmup > 0:
                drive(url, workload.body, self.options.warmup, Path(scripts))
                endpoint.wait_idle()
            load = drive(url, workload.body, self.options.duration, Path(scripts))
            endpoint.wait_idle()
        return load

    def _tick(self, text: str) -> None:
        self.options.progress[0] += 1
        done, total = self.options.progress
        _say(f"[{done}/{total}] {text}")

    def _cell(
        self,
        scale: int,
        workload: Workload,
        label: str,
        endpoint: p.Endpoint,
        statements: int | None,
    ) -> None:
        first = self.first_answer_seconds.get((scale, workload.name), 0.0)
        note = ""
        if endpoint.role == "server" and first > self.options.duration / SEQUENTIAL_SHARE:
            # wrk would see a handful of answers, each queued behind 7 others, and leave 8
            # requests running after it stops; one at a time measures the same throughput
            # (one process, bound by its CPU) with latencies that mean something.
            load = sequential(endpoint, workload, self.options.duration)
            note = "one request at a time"
            self.sequential.append(
                f"x{scale} {workload.name} {label}: its first answer took {first:.1f} s, so it "
                f"was measured one request at a time ({load.requests} in {load.seconds:.1f} s) "
                "rather than with wrk's 8 connections."
            )
        else:
            load = self._measure(endpoint, workload)
            if load.requests < MIN_REQUESTS:
                # Each answer took longer than the cell under 8 connections: too few samples
                # for a rate or a percentile, so measure this one one request at a time.
                wrk_requests = load.requests
                load = sequential(endpoint, workload, self.options.duration)
                note = "one request at a time"
                self.sequential.append(
                    f"x{scale} {workload.name} {label}: wrk completed {wrk_requests} requests "
                    f"in the cell, so it was measured one request at a time ({load.requests} "
                    f"in {load.seconds:.1f} s)."
                )
        rss = endpoint.rss_kib()
        self.cells.append(
            Cell(self.database, scale, workload.name, label, load, statements, rss, note)
        )
        trouble = f", {load.errors} errors" if load.errors else ""
        trouble += f", {load.timeouts} timeouts" if load.timeouts else ""
        self._tick(
            f"{self.database} x{scale} {workload.name} {label}: {load.rate:,.1f} req/s, "
            f"p50 {load.p50_ms:.2f} ms, p99 {load.p99_ms:.2f} ms{trouble}"
        )

    def _refused(self, scale: int, workload: Workload, cache: str) -> None:
        label = server_label(cache)
        note = "answers with an error (see notes)"
        self.cells.append(Cell(self.database, scale, workload.name, label, None, None, None, note))
        # The floor and hand-written cells of a refused query are skipped, not measured.
        for _ in range(3 if cache == self.options.caches[0] else 1):
            self._tick(
                f"{self.database} x{scale} {workload.name}: the server answers with an error"
            )

    def settings(self) -> dict[str, str]:
        o = self.options
        rows = {
            "load": f"wrk -t{THREADS} -c{CONNECTIONS}, {o.duration:g} s per cell after "
            f"{o.warmup:g} s of warm-up, timeout {TIMEOUT_SECONDS} s",
            "pinning": "endpoints on core 0, wrk and the harness on core 1 (taskset)"
            if p.two_cores()
            else "not pinned (one core, or no taskset)",
            "processes": "each endpoint is one uvicorn process as `coopgraph serve` runs it "
            "(one worker, log level info, access log on), all on uvicorn's httptools parser"
            " (the server with COOPGRAPH_HTTP_PARSER=httptools, as behind the proxy)",
            "scales": ", ".join(f"x{s}" for s in o.scales),
            "response cache": ", ".join(o.caches),
        }
        if self.database == "postgresql":
            rows["PostgreSQL jit"] = (
                "on" if o.jit else "off (set on the throwaway database, for every endpoint)"
            )
            rows["hand-written driver"] = (
                f"psycopg ({o.pg_driver}), 8 connections, statements prepared on first use"
            )
        else:
            rows["hand-written driver"] = "sqlite3, one connection kept open, on the event loop"
        return rows

    def notes(self) -> list[str]:
        notes = [
            "Measured on a shared machine while other engineers ran test suites on it: "
            "absolute numbers are noisy (see the load averages above); the ratios, measured "
            "side by side in one run, are the result.",
            "The hand-written endpoint's answers were compared byte for byte with the "
            "server's before timing"
            + (
                "; the server adds `extensions` (its cost estimate), so the bytes of `data` "
                "were compared."
                if self.server_extensions
                else "."
            ),
            "SQL/req: the server's statements counted in-process (`create_app`, SQLAlchemy "
            "`before_cursor_execute`, and the compiled path's own count of the statements "
            "it sends through the driver) on the request after a first, warming one; a "
            "cached answer runs none. The hand-written endpoint's by running its plans on "
            "a counting connection.",
            "RSS: VmRSS of the endpoint's process right after its cell.",
            "The floor and the hand-written endpoint are bare Starlette apps: they run "
            "without the server's middleware (request IDs, security headers), whose cost "
            "is in the server's rows; the ratios to them are the stricter for it.",
        ]
        sources = [
            path
            for folder in ("coopgraph", "graph", "db")
            for path in (p.ROOT / folder).rglob("*.py")
        ]
        if not any("COOPGRAPH_RESPONSE_CACHE" in path.read_text("utf-8") for path in sources):
            notes.append(
                "The server at this commit does not read COOPGRAPH_RESPONSE_CACHE (it has no "
                "response cache yet): its cache on and cache off rows measure the same server."
            )
        return notes + self.driver_notes + self.refusals + self.sequential

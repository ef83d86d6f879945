"""The issue's attacks against ``coopgraph serve``: what each gets, and how fast.

Run: ``.venv/bin/python -m bench.attacks [--database-url URL] [--proxied]``. A fresh
SQLite file is seeded with the shipped document unless a URL is given; every row runs
against a fresh ``coopgraph serve`` (``--proxied``: the transport rows through the
shipped haproxy), while ``/healthz`` is asked every 50 ms and the server's memory read
from /proc (``testbed.transport``). Prints a markdown table; each request has a client
timeout, so a stall shows as a timeout, not a hang. ``COOPGRAPH_HTTP_PARSER=httptools``
measures the other parser. tests/attacks asserts the same rows.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from coopgraph.seed.pipeline import seed_database
from coopgraph.settings import Settings
from testbed import graphql_attacks, transport
from testbed.front_proxy import front_proxy
from testbed.graphql_attacks import answer_of
from testbed.serve_process import coopgraph_serve

CLIENT_TIMEOUT = 30.0
SIX_MILLION = (
    "{ continents { countries { fields { countries { fields { countries { fields"
    " { countries { name } } } } } } } } }"
)
FULL_TREE = (
    "{ continents { name countries { name priorities { field { name } directions { name }"
    " institutions { name } } } } }"
)


def _deep(levels: int) -> str:
    inner = "name"
    for level in range(levels):
        inner = f"countries {{ {inner} }}" if level % 2 == 0 else f"continent {{ {inner} }}"
    return f"{{ continents {{ {inner} }} }}"


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


Attack = Callable[[httpx.Client], httpx.Response]


def _post(query: str, variables: dict[str, object] | None = None) -> Attack:
    return lambda client: client.post("/graphql", json={"query": query, "variables": variables})


ATTACKS: dict[str, Attack] = {
    "6-million-object nesting": _post(SIX_MILLION),
    "32 levels deep": _post(_deep(32)),
    "2,000 aliases of continents { name }": _post(
        "{ " + " ".join(f"a{n}: continents {{ name }}" for n in range(2000)) + " }"
    ),
    "200 aliases of the full tree": _post(
        "{ " + " ".join(f"t{n}: {FULL_TREE[1:-1]}" for n in range(200)) + " }"
    ),
    "cursor with a Unicode digit (²)": _post(
        "query($a: String) { institutions(after: $a) { totalCount } }",
        {"a": _cursor("Institution@²")},
    ),
    "cursor with 30 digits": _post(
        "query($a: String) { countries(after: $a) { totalCount } }",
        {"a": _cursor("Country@" + "9" * 30)},
    ),
    "cursor with 5,000 digits": _post(
        "query($a: String) { countries(after: $a) { totalCount } }",
        {"a": _cursor("Country@" + "9" * 5000)},
    ),
    "first: 1000000000": _post("{ priorities(first: 1000000000) { totalCount } }"),
    "100,000-character search": _post(
        "query($t: String!) { search(text: $t) { matched } }", {"t": "能" * 100_000}
    ),
    "commonFields of 5,000 IDs": _post(
        "query($c: [ID!]!) { commonFields(countries: $c) { name } }", {"c": ["x"] * 5000}
    ),
    "malformed JSON": lambda c: c.post(
        "/graphql", content=b"{", headers={"content-type": "application/json"}
    ),
    "invalid UTF-8": lambda c: c.post(
        "/graphql", content=b'{"query": "\xff"}', headers={"content-type": "application/json"}
    ),
    "PUT /graphql": lambda c: c.put("/graphql", json={"query": "{ fields { name } }"}),
    "batched array of 2 operations": lambda c: c.post(
        "/graphql", json=[{"query": "{ fields { name } }"}] * 2
    ),
    "2 MB body": lambda c: c.post(
        "/graphql", content=b" " * 2_000_000, headers={"content-type": "application/json"}
    ),
}


def as_row(attack: Attack) -> transport.Attack:
    """``attack`` as a row ``testbed.transport.run_row`` runs while it probes ``/healthz``."""

    def row(address: transport.Address, outcome: transport.Outcome, _stop: object) -> None:
        with httpx.Client(base_url=address.url, timeout=CLIENT_TIMEOUT) as client:
            try:
                outcome.answers[answer_of(attack(client))] += 1
            except httpx.TimeoutException:
                outcome.answers["no answer (timeout)"] += 1

    return row


#: Every row of the issue: the GraphQL ones first (both rounds), then the transport ones.
ROWS: dict[str, transport.Attack] = {
    **{name: as_row(attack) for name, attack in ATTACKS.items()},
    **graphql_attacks.ROWS,
    **transport.ROWS,
}

#: Seconds a GraphQL row probes ``/healthz`` for, at least (longer while it runs).
GRAPHQL_ROW_SECONDS = 1.0


def row_seconds(name: str, environ: Mapping[str, str]) -> float:
    """How long row ``name`` runs: the slowloris rows outlast the proxy's read timeout."""
    if name in ATTACKS or name in graphql_attacks.ROWS:
        return GRAPHQL_ROW_SECONDS
    if name.startswith("slowloris"):
        read_timeout = Settings.from_env(environ).transport.read_timeout
        return max(transport.ROW_SECONDS, read_timeout + 2)
    return transport.ROW_SECONDS


def _address(url: str) -> transport.Address:
    parts = urlsplit(url)
    return transport.Address(parts.hostname or "127.0.0.1", parts.port or 80)


def run(
    database_url: str, folder: Path, environ: Mapping[str, str], *, proxied: bool
) -> list[tuple[str, transport.Outcome]]:
    """Every row, each against a fresh server (fresh copy of the database)."""
    rows = []
    for number, (name, attack) in enumerate(ROWS.items()):
        if proxied and (name in ATTACKS or name in graphql_attacks.ROWS):
            continue
        run_folder = folder / f"row-{number}"
        run_folder.mkdir()
        with contextlib.ExitStack() as stack:
            row_environ = {**environ, **graphql_attacks.SETTINGS.get(name, {})}
            server = stack.enter_context(
                coopgraph_serve(database_url, run_folder / "server.log", environ=row_environ)
            )
            target = server.url
            if proxied:
                proxy = stack.enter_context(
                    front_proxy(server.url, environ, run_folder / "proxy.log")
                )
                target = proxy.url
            outcome = transport.run_row(
                attack,
                _address(target),
                server.pid,
                seconds=row_seconds(name, environ),
                join_seconds=180.0,
            )
        rows.append((name, outcome))
    return rows


def _fresh_copy(seeded: Path, folder: Path) -> str:
    copy = folder / "attacked.sqlite3"
    for part in seeded.parent.glob(f"{seeded.name}*"):
        shutil.copy(part, folder / part.name.replace(seeded.name, copy.name))
    return f"sqlite:///{copy}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="serve this database instead of a fresh one")
    parser.add_argument(
        "--proxied", action="store_true", help="send the transport rows through the haproxy"
    )
    args = parser.parse_args()
    environ = dict(os.environ)
    print(f"parser: {Settings.from_env(environ).transport.http_parser}")
    print("| attack | answers | /healthz median | /healthz 95 % | /healthz worst | RSS growth |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="coopgraph-attacks-") as name:
        folder = Path(name)
        url = args.database_url
        if url is None:
            seeded = folder / "seeded.sqlite3"
            seed_database(f"sqlite:///{seeded}")
            url = _fresh_copy(seeded, folder)
        for row, outcome in run(url, folder, environ, proxied=args.proxied):
            answers = ", ".join(f"{count} x {answer}" for answer, count in outcome.answers.items())
            print(
                f"| {row} | {answers} | {outcome.health_median_ms:.1f} ms"
                f" | {outcome.health_p95_ms:.1f} ms | {outcome.health_worst_ms:.1f} ms"
                f" | {outcome.rss_growth_mb:+.1f} MB |"
            )


if __name__ == "__main__":
    main()

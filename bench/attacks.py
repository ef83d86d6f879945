"""The issue's attacks against ``coopgraph serve``: what each gets, and how fast.

Run: ``.venv/bin/python -m bench.attacks [--database-url URL]``. A fresh SQLite file is
seeded with the shipped document unless a URL is given. Prints a markdown table; each
request has a client timeout, so a stall shows as a timeout, not a hang.
"""

from __future__ import annotations

import argparse
import base64
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from seed.pipeline import seed_database
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


def run(url: str) -> list[tuple[str, str, str, float]]:
    rows = []
    with httpx.Client(base_url=url, timeout=CLIENT_TIMEOUT) as client:
        for name, attack in ATTACKS.items():
            started = time.perf_counter()
            try:
                response = attack(client)
                elapsed = time.perf_counter() - started
                try:
                    errors = response.json().get("errors") or []
                except ValueError:
                    errors = []
                code = ", ".join(sorted({e.get("extensions", {}).get("code", "?") for e in errors}))
                rows.append((name, str(response.status_code), code or "(data)", elapsed))
            except httpx.TimeoutException:
                rows.append((name, "no answer", "timeout", time.perf_counter() - started))
            health = time.perf_counter()
            client.get("/healthz")
            rows.append(("  /healthz right after", "200", "", time.perf_counter() - health))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="serve this database instead of a fresh one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coopgraph-attacks-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'attacks.sqlite3'}"
        if args.database_url is None:
            seed_database(url)
        with coopgraph_serve(url, Path(folder) / "server.log") as server:
            rows = run(server.url)
    print("| attack | status | code | time |")
    print("|---|---|---|---|")
    for name, status, code, elapsed in rows:
        print(f"| {name} | {status} | {code} | {elapsed * 1000:.1f} ms |")


if __name__ == "__main__":
    main()

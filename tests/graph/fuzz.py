"""What fuzzing the API needs: a server of its own, input values worth trying, and a verdict.

Fuzzers send queries a runaway server may choke on, so each fuzz module starts its own
server, ``coopgraph serve`` in a process of its own, instead of sharing the session's:
a server thread stuck in a runaway query would hold the test process's interpreter and
starve every other test, and a process can be killed. Values
for ``ID`` and ``String`` arguments mix real IDs, names and cursors read from that
server with forged ones (other types, Unicode and overflowing digits), because random
text alone almost never gets past base64 decoding to the code behind it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphql
import httpx
from hypothesis import strategies as st
from hypothesis_graphql import nodes

from testbed.refusals import is_refusal as is_limit_refusal
from testbed.serve_process import coopgraph_serve
from tests.graph.queries import ROOT

SCHEMA_SDL = (ROOT / "schema.graphql").read_text(encoding="utf-8")

#: Multiplies every fuzz budget (examples, seconds): the suite runs the short form, and
#: ``COOPGRAPH_FUZZ_SCALE=20`` the long one (README, "Load and fuzzing").
FUZZ_SCALE = float(os.environ.get("COOPGRAPH_FUZZ_SCALE", "1"))


def scaled(budget: int) -> int:
    return max(1, round(budget * FUZZ_SCALE))


INTERNAL = "INTERNAL_SERVER_ERROR"

_KNOWN_VALUES_QUERY = """
{
  editions { id }
  continents { id countries { id isoCode name nameEn } }
  fields { id name directions { id } }
  institutions(first: 50) { pageInfo { endCursor } edges { cursor node { id name acronym } } }
  priorities(first: 50) { pageInfo { endCursor } edges { node { id } } }
  countries(first: 10) { pageInfo { endCursor } }
}
"""


def is_refusal(code: str | None) -> bool:
    return code is not None and is_limit_refusal(code)


def node_type_names() -> list[str]:
    schema = graphql.build_schema(SCHEMA_SDL)
    return sorted(
        name
        for name, type_ in schema.type_map.items()
        if isinstance(type_, graphql.GraphQLObjectType)
        and any(interface.name == "Node" for interface in type_.interfaces)
    )


@contextlib.contextmanager
def fuzz_server(database_url: str) -> Iterator[str]:
    """``coopgraph serve`` on its own port; killed at the end if it does not stop."""
    with (
        tempfile.TemporaryDirectory(prefix="coopgraph-fuzz-") as folder,
        coopgraph_serve(database_url, Path(folder) / "serve.log") as server,
    ):
        yield server.url


@dataclass(frozen=True)
class KnownValues:
    """IDs, cursors and strings the running server hands out."""

    ids: list[str]
    strings: list[str]


def _walk(value: Any, keys: set[str]) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str):
                yield item
            else:
                yield from _walk(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, keys)


def known_values(url: str) -> KnownValues:
    response = httpx.post(f"{url}/graphql", json={"query": _KNOWN_VALUES_QUERY}, timeout=30)
    data = response.json()["data"]
    ids = sorted(set(_walk(data, {"id"})))
    strings = sorted(
        set(_walk(data, {"isoCode", "name", "nameEn", "acronym", "cursor", "endCursor"}))
    )
    return KnownValues(ids=ids, strings=strings)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _forged_keys() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        # Unicode digits (², ٣, ①) pass str.isdigit() but not int() alone.
        st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=40),
        st.integers(min_value=19, max_value=6000).map(lambda n: "9" * n),
        st.text(max_size=20),
    )


def forged_ids(type_names: list[str]) -> st.SearchStrategy[str]:
    """Base64 IDs and cursors of real and unknown types with odd keys and positions."""
    types = st.one_of(st.sampled_from(type_names), st.text(max_size=12))
    return st.builds(
        lambda type_name, separator, key: _b64(f"{type_name}{separator}{key}"),
        types,
        st.sampled_from([":", "@"]),
        _forged_keys(),
    )


def scalar_strategies(known: KnownValues) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Strategies for ``custom_scalars``: ID, String and Int values worth sending.

    Real values are listed more than once because ``one_of`` picks branches about evenly:
    most queries should get past argument checks and reach the code that runs them.
    """
    forged = forged_ids(node_type_names())
    real_ids = st.sampled_from(known.ids)
    ids = st.one_of(real_ids, real_ids, real_ids, forged, st.text(max_size=30))
    real_strings = st.sampled_from(known.strings)
    strings = st.one_of(
        real_strings,
        real_strings,
        forged,
        st.text(max_size=40),
        st.sampled_from(["'; DROP TABLE countries; --", "%", "_", "\\", "能源' OR '1'='1"]),
    )
    page_sizes = st.integers(min_value=1, max_value=100)
    ints = st.one_of(page_sizes, page_sizes, st.integers(min_value=-(2**31), max_value=2**31 - 1))
    return {
        "ID": ids.map(nodes.String),
        "String": strings.map(nodes.String),
        "Int": ints.map(nodes.Int),
    }


def _nest(head: str, hop: str, depth: int) -> str:
    return (
        f"{head} {{ " + f"{hop} {{ " * depth + "name" + " }" * (depth * hop.count("{") + depth + 1)
    )


def attack_shaped_queries() -> st.SearchStrategy[str]:
    """Valid queries shaped like issue 6's attacks, so that the limits get exercised.

    Generic generation rarely nests deeper than a few levels or repeats a field under
    many aliases; these do both: fan-out nesting (``fields { countries { ... } }``, three
    pairs deep is the ~6-million-object query), back-and-forth nesting (``continent {
    countries { ... } }``), and up to 40 aliases of it at the root.
    """
    fan_out = st.integers(min_value=0, max_value=4).map(
        lambda depth: _nest("countries", "fields { countries", depth)
    )
    back_and_forth = st.integers(min_value=1, max_value=24).map(
        lambda depth: _nest("countries", "continent { countries", depth)
    )
    return st.builds(
        lambda selection, aliases: (
            "{ "
            + " ".join(f"a{index}: continents {{ {selection} }}" for index in range(aliases))
            + " }"
        ),
        st.one_of(fan_out, back_and_forth),
        st.integers(min_value=1, max_value=40),
    )


@dataclass
class Verdict:
    """How the server answered each generated request, and which answers break the rules."""

    counts: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)

    def judge(self, query: str, status: int, body: bytes) -> str | None:
        """Count one answer; return why it breaks the rules, or None when it does not."""
        try:
            result: Any = json.loads(body)
        except ValueError:
            self.counts[f"HTTP {status} not JSON"] += 1
            return f"HTTP {status} with a body that is not JSON: {body[:200]!r}"
        errors = result.get("errors") if isinstance(result, dict) else None
        codes = [(error.get("extensions") or {}).get("code") for error in errors or []]
        refused = [code for code in codes if is_refusal(code)]
        if refused:
            self.counts[f"refused {refused[0]}"] += 1
        elif INTERNAL in codes or None in codes:
            self.counts["unexpected error"] += 1
        elif codes:
            self.counts[f"client error {codes[0]}"] += 1
        else:
            self.counts[f"HTTP {status} data"] += 1
        problem = None
        if status >= 500 and not (refused and status == 503):
            problem = f"HTTP {status}"
        elif None in codes:
            problem = "an error without extensions.code"
        elif INTERNAL in codes:
            problem = INTERNAL
        if problem is None:
            return None
        finding = f"{problem}: {json.dumps(errors, ensure_ascii=False)[:600]}\nquery: {query}"
        self.violations.append(finding)
        return finding

    def report_violations(self, limit: int = 10) -> str:
        """The distinct violations (by their first line), each with one query causing it."""
        distinct: dict[str, str] = {}
        for finding in self.violations:
            distinct.setdefault(finding.split("\n", 1)[0], finding)
        shown = [finding[:2500] for finding in list(distinct.values())[:limit]]
        return f"{len(self.violations)} violations, {len(distinct)} distinct:\n\n" + "\n\n".join(
            shown
        )

    def summary(self) -> str:
        refused = sum(n for answer, n in self.counts.items() if answer.startswith("refused"))
        total = sum(self.counts.values())
        answers = ", ".join(f"{answer}: {n}" for answer, n in self.counts.most_common())
        return f"{total} requests, {refused} refused by limits ({answers})"

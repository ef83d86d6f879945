"""The queries the benchmark drives, with the fixed variables each is sent with.

The contract's queries come from the package (``graph/contract/queries``), so the
benchmark measures exactly what clients are promised; ``bench/queries`` adds the
first-page query (its cost must not grow with the data) and ``{ __typename }`` (the
fixed cost of a request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

CONTRACT_QUERIES = (
    "full_tree",
    "country_page",
    "field_overview",
    "institutions_page",
    "search",
    "shared_institutions",
)
BENCH_QUERIES = ("first_page", "typename")
#: Variables pinned so that every run, and the baseline, answer the same question.
VARIABLES: dict[str, dict[str, Any]] = {
    "country_page": {"isoCode": "AU"},
    "institutions_page": {"kinds": ["ORGANIZATION"]},
    "search": {"text": "能源"},
    "shared_institutions": {"minFields": 2},
}


@dataclass(frozen=True, slots=True)
class Workload:
    """One query as the load generator sends it."""

    name: str
    document: str
    variables: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> bytes:
        """The POST body: the same bytes to every endpoint, so each parses the same."""
        return orjson.dumps({"query": self.document, "variables": self.variables})

    @property
    def in_contract(self) -> bool:
        return self.name in CONTRACT_QUERIES


def _document(name: str) -> str:
    if name in CONTRACT_QUERIES:
        contract = resources.files("coopgraph.graph").joinpath(
            "contract", "queries", f"{name}.graphql"
        )
        return contract.read_text("utf-8")
    return (Path(__file__).parent / "queries" / f"{name}.graphql").read_text("utf-8")


ALL_QUERIES = (*CONTRACT_QUERIES, *BENCH_QUERIES)


def workloads(names: list[str] | None = None) -> list[Workload]:
    """The workloads by name, in the report's order; all of them when ``names`` is empty."""
    chosen = names or list(ALL_QUERIES)
    unknown = sorted(set(chosen) - set(ALL_QUERIES))
    if unknown:
        msg = f"unknown query {', '.join(unknown)} (known: {', '.join(ALL_QUERIES)})"
        raise ValueError(msg)
    return [
        Workload(name, _document(name), dict(VARIABLES.get(name, {})))
        for name in ALL_QUERIES
        if name in chosen
    ]

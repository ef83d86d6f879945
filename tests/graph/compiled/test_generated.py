"""Queries generated from the schema by hypothesis-graphql, through both paths.

Generation starts from the root fields the planner handles; nested selections reach
the whole schema, so some generated queries fall back (``Priority.mentions``, bad
arguments, malformed IDs), and the comparison covers those answers too.
"""

from __future__ import annotations

import base64

import hypothesis
from graphql import StringValueNode
from hypothesis import HealthCheck, settings, strategies
from hypothesis_graphql import queries

from coopgraph.graph.schema import schema_sdl
from tests.graph.compiled.conftest import ServerPair

ROOT_FIELDS = (
    "continents",
    "fields",
    "editions",
    "edition",
    "directions",
    "country",
    "sharedInstitutions",
    "node",
    "nodes",
    "countries",
    "institutions",
    "priorities",
)
#: IDs that exist, besides the arbitrary strings the strategy makes up.
KNOWN_IDS = [
    base64.b64encode(text.encode()).decode()
    for text in (
        "Country:AU",
        "Continent:asia",
        "Field:energy",
        "Institution:us.nih",
        "Edition:2020",
        "Direction:advanced-materials.materials-creation",
    )
]


def test_generated_queries(server_pair: ServerPair) -> None:
    executions: list[str | None] = []
    ids = strategies.sampled_from(KNOWN_IDS) | strategies.text(max_size=12)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=True,
    )
    @hypothesis.given(
        queries(
            schema_sdl(),
            fields=ROOT_FIELDS,
            custom_scalars={"ID": ids.map(lambda value: StringValueNode(value=value))},
        )
    )
    def check(query: str) -> None:
        answer = server_pair.compare(query)
        executions.append(answer.execution)

    check()
    # Random Int arguments are mostly out of range and random IDs malformed, so many
    # generated queries are the standard path's to answer (with errors); the planner
    # must still have answered a fair share.
    assert executions.count("compiled") >= len(executions) // 10, executions

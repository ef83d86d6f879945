"""The request mix of the load test: the contract's client queries with real variables.

Weights follow what the clients the contract was written for would send: detail pages
and the search box far more often than the whole tree. Variables come from the running
server itself (country codes, institution cursors), so every request in the mix is one
a frontend could send, and each is checked to succeed once before the load starts.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

import httpx

#: Requests per 100 in the mix, by contract query.
WEIGHTS = {
    "country_page": 30,
    "search": 25,
    "institutions_page": 20,
    "shared_institutions": 10,
    "field_overview": 10,
    "full_tree": 5,
}

#: Search box input as people type it: Chinese (simplified and traditional), English,
#: an acronym, pinyin.
SEARCH_TEXTS = ["能源", "海洋", "大学", "農業", "Australia", "Academy", "CAS", "nengyuan", "ha"]

#: The ~6-million-object query of issue 6: every continent's countries' fields'
#: countries' fields' ... nested four times.
ATTACK_QUERY = (
    "{ continents { countries { fields { countries { fields { countries { fields "
    "{ countries { name } } } } } } } } }"
)

HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass(frozen=True)
class MixRequest:
    name: str
    body: str


def contract_query(name: str) -> str:
    return (
        resources.files("coopgraph.graph")
        .joinpath("contract", "queries", f"{name}.graphql")
        .read_text("utf-8")
    )


def _post(client: httpx.Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    if result.get("errors"):
        msg = f"mix query failed before the load started: {result['errors']}"
        raise RuntimeError(msg)
    return result


def _variable_sets(client: httpx.Client) -> dict[str, list[dict[str, Any]]]:
    codes_query = "{ countries(first: 100) { edges { node { isoCode } } } }"
    edges = _post(client, codes_query, {})["data"]["countries"]["edges"]
    iso_codes = [edge["node"]["isoCode"] for edge in edges if edge["node"]["isoCode"]]
    institutions_page = contract_query("institutions_page")
    pages: list[dict[str, Any]] = []
    for kinds in (["ORGANIZATION"], ["GROUP"], ["ORGANIZATION", "GROUP"]):
        after = None
        # The first three pages of each filter, as a user paging through the table.
        for _ in range(3):
            pages.append({"kinds": kinds, "after": after})
            page = _post(client, institutions_page, {"kinds": kinds, "after": after})
            info = page["data"]["institutions"]["pageInfo"]
            if not info["hasNextPage"]:
                break
            after = info["endCursor"]
    return {
        "country_page": [{"isoCode": code} for code in iso_codes],
        "search": [{"text": text} for text in SEARCH_TEXTS],
        "institutions_page": pages,
        "shared_institutions": [{"minFields": n} for n in (2, 3, 4)],
        "field_overview": [{}],
        "full_tree": [{}],
    }


def build_mix(client: httpx.Client, *, seed: int = 6) -> list[MixRequest]:
    """One hundred request bodies in the proportions of ``WEIGHTS``, in a fixed shuffle.

    Every body is sent once here and must answer 200 without errors, so a failure under
    load is the load's doing, not a bad request in the mix.
    """
    variable_sets = _variable_sets(client)
    mix: list[MixRequest] = []
    for name, weight in WEIGHTS.items():
        query = contract_query(name)
        choices = variable_sets[name]
        for index in range(weight):
            variables = choices[index % len(choices)]
            body = {"query": query, "variables": variables}
            mix.append(MixRequest(name, json.dumps(body, ensure_ascii=False)))
    random.Random(seed).shuffle(mix)
    for request in {request.body: request for request in mix}.values():
        response = client.post("/graphql", content=request.body.encode(), headers=HEADERS)
        if response.status_code != 200 or "errors" in response.json():
            msg = f"{request.name} fails before any load: {response.status_code} {response.text[:500]}"
            raise RuntimeError(msg)
    return mix

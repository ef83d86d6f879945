"""Kept documents carry no token lists, and the caches are bounded by estimated bytes.

The estimate (``graph.limits.footprint``) must not be below what a document really
takes, measured here with ``tracemalloc`` over the densest shapes the limits let
through, or a hostile shape could pass the bound; and a failing document's errors
must read exactly as when the document was parsed with its locations.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc

import graphql as graphql_core
import pytest

from coopgraph.graph.http import validation_schema
from coopgraph.graph.http.documents import DocumentCache
from coopgraph.graph.http.threads import WorkerThreads
from coopgraph.graph.limits.footprint import document_bytes
from coopgraph.graph.located_documents import LocatedDocuments
from coopgraph.graph.schema import build_schema
from coopgraph.settings import Limits

SCHEMA = validation_schema(build_schema())

#: The densest shapes measured per character (parsing alone: validity does not matter).
INTEGERS = ",".join(["1"] * 100)
INPUT_OBJECTS = ",".join(["{a:1}"] * 90)
VARIABLES = " ".join(f"$v{n}:[ID]" for n in range(600))
DIRECTIVES = " ".join(["__typename@skip(if:false)"] * 150)
DENSE = {
    "input objects": f"{{ nodes(ids: [{INPUT_OBJECTS}]) {{ id }} }}",
    "integers": f"{{ nodes(ids: [{INTEGERS}]) {{ id }} }}",
    "variables": f"query({VARIABLES}) {{ __typename }}",
    "directives": f"{{ {DIRECTIVES} }}",
    "a contract tree": "{ continents { name countries { name priorities { field { name }"
    " directions { name } institutions { name } } } } }",
}


#: Copies parsed per measurement. What the first parse allocates once (interned names,
#: caches) is shared out over the copies, so fewer copies measure a document as larger:
#: the bounds below are checked no less strictly than with more (measured: 20 copies
#: took four times as long under tracemalloc, each shape measured up to 10% smaller).
COPIES = 5


def _measured(parse_many: object, texts: list[str]) -> float:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [parse_many(text) for text in texts]  # type: ignore[operator]
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(kept) == len(texts)
    return (after - before) / len(texts)


@pytest.mark.parametrize("shape", list(DENSE))
def test_the_estimate_covers_what_a_document_takes(shape: str) -> None:
    # Distinct texts, so that nothing is shared between the copies.
    texts = [f"{DENSE[shape]} # {n}" for n in range(COPIES)]
    unlocated = _measured(lambda t: graphql_core.parse(t, no_location=True), texts)
    located = _measured(graphql_core.parse, texts)
    assert unlocated <= document_bytes(texts[0])
    assert located <= document_bytes(texts[0], located=True)
    # What leaving the locations out saves: at least half, on every shape.
    assert unlocated < located / 2


def test_kept_documents_have_no_locations() -> None:
    documents = DocumentCache(SCHEMA, Limits(), WorkerThreads(1))
    parsed = documents.analyse("{ editions { year } }")
    assert parsed.errors == ()
    assert parsed.document.loc is None


@pytest.mark.parametrize(
    "text",
    [
        "{ editions { nope } }",
        "query Q($a: Int) {\n  editions { year }\n  countries(first: $a, last: true) { totalCount }\n}",
        "{ a: editions { year } a: countries { totalCount } }",
    ],
)
def test_validation_errors_read_as_with_locations(text: str) -> None:
    documents = DocumentCache(SCHEMA, Limits(), WorkerThreads(1))
    parsed = documents.analyse(text)
    expected = [e.formatted for e in graphql_core.validate(SCHEMA, graphql_core.parse(text))]
    assert expected
    assert all("locations" in error for error in expected)
    assert [error.formatted for error in parsed.errors] == expected
    # What is remembered of the refusal reads the same, detached from the nodes and
    # the source, so it does not hold the token list or the text.
    remembered = documents._refused.check(text, documents.analyse)
    assert [error.formatted for error in remembered.errors] == expected
    assert all(error.nodes is None and error.source is None for error in remembered.errors)


def test_the_document_cache_keeps_what_its_bytes_allow() -> None:
    text = "{ editions { year } } # %04d"
    bound = 10 * document_bytes(text % 0)
    documents = DocumentCache(SCHEMA, Limits(document_cache_bytes=bound), WorkerThreads(1))

    async def ask_all() -> None:
        for n in range(50):
            await documents.get(text % n, client="198.51.100.1")

    asyncio.run(ask_all())
    assert len(documents) == 10


def test_the_executor_documents_keep_what_their_bytes_allow() -> None:
    text = "{ editions { year } } # %04d"
    documents = LocatedDocuments(10 * document_bytes(text % 0, located=True))
    first = documents.parse(text % 0)
    assert first.loc is not None
    assert documents.parse(text % 0) is first
    for n in range(1, 50):
        documents.parse(text % n)
    assert documents.parse(text % 0) is not first

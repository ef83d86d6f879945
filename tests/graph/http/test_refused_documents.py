"""A refused document is refused again from memory: a resend costs a hash, not a parse.

Driven with the endpoint's own ``DocumentCache`` (as the endpoint will wire it) and a
counter of how often the checks ran.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
from graphql import GraphQLError, GraphQLSyntaxError, OperationDefinitionNode

from coopgraph.graph.http import validation_schema
from coopgraph.graph.http.documents import DocumentCache, ParsedDocument
from coopgraph.graph.http.refused_documents import RefusedDocuments
from coopgraph.graph.http.threads import WorkerThreads
from coopgraph.graph.limits import LimitExceeded
from coopgraph.graph.limits.footprint import ENTRY_BYTES
from coopgraph.graph.schema import build_schema
from coopgraph.settings import Limits
from tests.graph.limits.test_bombs import BOMB


class CountedChecks:
    """The document cache's checks, counting the documents they read."""

    def __init__(self) -> None:
        self.documents = DocumentCache(
            validation_schema(build_schema()), Limits(), WorkerThreads(1)
        )
        self.calls = 0

    def __call__(self, text: str) -> ParsedDocument:
        self.calls += 1
        return self.documents.analyse(text)


@pytest.fixture(scope="module")
def checks() -> CountedChecks:
    return CountedChecks()


def refused_documents(size: int = 1024) -> RefusedDocuments[ParsedDocument]:
    return RefusedDocuments(refused=lambda parsed: bool(parsed.errors), size=size)


def refused_documents_of_the_cache() -> RefusedDocuments[ParsedDocument]:
    """The refused documents as ``DocumentCache`` keeps them, compacted."""
    return CountedChecks().documents._refused


def test_a_refusal_by_a_limit_is_remembered(checks: CountedChecks) -> None:
    refused = refused_documents()
    before = checks.calls
    codes = []
    for _ in range(3):
        with pytest.raises(LimitExceeded) as caught:
            refused.check(BOMB, checks)
        codes.append((caught.value.code, caught.value.measured))
    assert codes == [("FIELD_LIMIT_EXCEEDED", 1990)] * 3
    assert checks.calls - before == 1


def test_a_syntax_error_is_remembered(checks: CountedChecks) -> None:
    refused = refused_documents()
    before = checks.calls
    messages, depths = [], []
    for _ in range(5):
        with pytest.raises(GraphQLSyntaxError) as caught:
            refused.check("{ editions { year }", checks)
        messages.append(caught.value.message)
        depths.append(len(_frames(caught.value)))
    assert messages == ["Syntax Error: Expected Name, found <EOF>."] * 5
    # Raised afresh each time: the traceback does not collect every resend's frames.
    assert len(set(depths[1:])) == 1
    assert checks.calls - before == 1


def test_validation_errors_are_remembered(checks: CountedChecks) -> None:
    refused = refused_documents()
    before = checks.calls
    answers = [refused.check("{ editions { nope } }", checks) for _ in range(2)]
    assert answers[0] is answers[1]
    assert [error.message for error in answers[0].errors] == [
        "Cannot query field 'nope' on type 'Edition'."
    ]
    assert checks.calls - before == 1


def test_documents_that_pass_are_not_kept_here(checks: CountedChecks) -> None:
    refused = refused_documents()
    parsed = refused.check("{ editions { year } }", checks)
    assert parsed.errors == ()
    assert len(refused) == 0


def test_the_memory_is_bounded_least_recently_seen_first() -> None:
    calls: list[str] = []

    def refuse(text: str) -> str:
        calls.append(text)
        raise GraphQLError(text)

    # Room for two: a remembered refusal weighs an entry and its one-letter message.
    one = ENTRY_BYTES + 2 * len("a")
    refused: RefusedDocuments[str] = RefusedDocuments(refused=lambda _: False, size=2 * one)
    for text in ("a", "b", "a", "c", "a", "b"):
        with pytest.raises(GraphQLError):
            refused.check(text, refuse)
    # "b" was evicted by "c" ("a" had been seen since), so it was checked twice.
    assert calls == ["a", "b", "c", "b"]
    assert len(refused) == 2


def _frames(error: BaseException) -> list[object]:
    frames: list[object] = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    return frames


async def test_checks_in_a_thread_are_skipped_for_a_remembered_refusal(
    checks: CountedChecks,
) -> None:
    refused = refused_documents()
    before = checks.calls

    async def in_a_thread(step: Callable[[], ParsedDocument]) -> ParsedDocument:
        return await asyncio.to_thread(step)

    for _ in range(3):
        with pytest.raises(LimitExceeded) as caught:
            await refused.check_async(BOMB, checks, in_a_thread)
        assert caught.value.code == "FIELD_LIMIT_EXCEEDED"
    passed = await refused.check_async("{ editions { year } }", checks, in_a_thread)
    assert passed.errors == ()
    assert checks.calls - before == 2


async def test_a_refusal_found_after_its_request_gave_up_is_remembered(
    checks: CountedChecks,
) -> None:
    # The request's deadline passes while its thread still checks: the answer goes,
    # the thread finishes, and the refusal it found is remembered all the same.
    refused = refused_documents()
    before = checks.calls
    release = threading.Event()

    def slow_checks(text: str) -> ParsedDocument:
        release.wait(timeout=10)
        return checks(text)

    async def in_a_thread(step: Callable[[], ParsedDocument]) -> ParsedDocument:
        return await asyncio.to_thread(step)

    gave_up = asyncio.ensure_future(refused.check_async(BOMB, slow_checks, in_a_thread))
    await asyncio.sleep(0.05)
    gave_up.cancel()
    release.set()
    for _ in range(100):
        if len(refused):
            break
        await asyncio.sleep(0.01)
    with pytest.raises(LimitExceeded):
        await refused.check_async(BOMB, slow_checks, in_a_thread)
    assert checks.calls - before == 1


def test_a_remembered_refusal_holds_nothing_of_the_document(checks: CountedChecks) -> None:
    # Each remembered refusal is rebuilt from a few strings: nothing reaches the parsed
    # document (its nodes, its source text, the frames that held it).
    refused = refused_documents_of_the_cache()
    text = "{ editions { nope " + " ".join(f"n{n}" for n in range(50)) + " } }"
    first = refused.check(text, checks)
    again = refused.check(text, checks)
    assert [error.formatted for error in again.errors] == [
        error.formatted for error in first.errors
    ]
    assert again.errors[0].formatted == {
        "message": "Cannot query field 'nope' on type 'Edition'.",
        "locations": [{"line": 1, "column": 14}],
    }
    for error in again.errors:
        assert error.nodes is None
        assert error.source is None
        assert error.__traceback__ is None
    (operation,) = again.document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.selection_set.selections == ()
    raised = []
    for _ in range(2):
        with pytest.raises(GraphQLSyntaxError) as caught:
            refused.check("{ editions { year }", checks)
        raised.append(caught.value)
    assert [error.formatted for error in raised] == [
        {
            "message": "Syntax Error: Expected Name, found <EOF>.",
            "locations": [{"line": 1, "column": 20}],
        }
    ] * 2
    assert raised[0].source is not None
    assert raised[1].source is None

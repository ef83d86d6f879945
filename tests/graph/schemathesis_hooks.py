"""Schemathesis checks of our own, loaded through ``SCHEMATHESIS_HOOKS``.

Schemathesis judges GraphQL answers by the spec; issue 6 adds rules of this API: every
error carries ``extensions.code``, none is ``INTERNAL_SERVER_ERROR``, and a 5xx is only
acceptable as the request-timeout refusal. The answers are also tallied, one code a line,
into the file ``COOPGRAPH_FUZZ_TALLY`` names, so the test can report refusals apart.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import schemathesis

from tests.graph.fuzz import Verdict

TALLY_ENV = "COOPGRAPH_FUZZ_TALLY"


def _query(case: Any) -> str:
    body = case.body if isinstance(case.body, dict) else {}
    return str(body.get("query", case.body))


@schemathesis.check
def answers_without_unmasked_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """No 5xx but a timeout refusal, and every error coded and not INTERNAL_SERVER_ERROR."""
    del ctx
    verdict = Verdict()
    finding = verdict.judge(_query(case), response.status_code, response.content)
    tally = os.environ.get(TALLY_ENV)
    if tally:
        with Path(tally).open("a", encoding="utf-8") as handle:
            handle.writelines(f"{answer}\n" for answer in verdict.counts.elements())
    if finding is not None:
        raise AssertionError(finding)
    return None

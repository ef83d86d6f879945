"""Schemathesis against the GraphQL endpoint, in its short form (a time budget of seconds).

The CLI runs as a user would run it, in a subprocess, against the app as it ships on a
server of its own. Besides Schemathesis's GraphQL checks it runs ours
(``schemathesis_hooks.py``): every error coded, none unmasked. The longer form is the
same test with ``COOPGRAPH_FUZZ_SCALE`` set (README, "Load and fuzzing").
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.graph.fuzz import fuzz_server, is_refusal, scaled
from tests.graph.queries import ROOT
from tests.graph.schemathesis_hooks import TALLY_ENV

#: Seconds Schemathesis may spend generating and sending, per backend.
MAX_TIME = scaled(15)


def schemathesis_command(url: str, max_time: int) -> list[str]:
    """The ``schemathesis run`` command line, as the README gives it for a running server."""
    return [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        str(ROOT / "schema.graphql"),
        f"--url={url}/graphql",
        f"--max-time={max_time}",
        "--checks=all",
        # Ours replaces not_a_server_error: the request-timeout refusal is a 503 by
        # design. positive_data_acceptance wants every schema-valid query to run without
        # errors, but the schema cannot say "first: 1-100" or "an ID this API issued",
        # so BAD_USER_INPUT for `first: 0` is the right answer, not a failure.
        "--exclude-checks=not_a_server_error,positive_data_acceptance",
        "--request-timeout=15",
        "--workers=1",
        "--generation-database=none",
        "--no-color",
    ]


@pytest.fixture(scope="module")
def fuzz_url(seeded_url: str) -> Iterator[str]:
    with fuzz_server(seeded_url) as url:
        yield url


def test_schemathesis_finds_no_server_error_and_no_unmasked_error(
    fuzz_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tally = tmp_path / "tally.txt"
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.graph.schemathesis_hooks",
        TALLY_ENV: str(tally),
        "PYTHONPATH": str(ROOT),
    }
    finished = subprocess.run(
        schemathesis_command(fuzz_url, MAX_TIME),
        cwd=tmp_path,  # Schemathesis keeps its crash files in .schemathesis/ there
        env=env,
        capture_output=True,
        text=True,
        timeout=MAX_TIME + 120,
        check=False,
    )
    answers = Counter(tally.read_text(encoding="utf-8").splitlines()) if tally.exists() else {}
    refused = sum(n for answer, n in answers.items() if is_refusal(answer.removeprefix("refused ")))
    with capsys.disabled():
        print(
            f"\nschemathesis: {sum(answers.values())} answers checked, {refused} refused ({dict(answers)})"
        )
    assert answers, f"schemathesis checked no answer:\n{finished.stdout[-3000:]}\n{finished.stderr}"
    assert finished.returncode == 0, finished.stdout[-6000:] + finished.stderr[-2000:]

"""How a request's unexpected errors are logged: one JSON line, a traceback only for faults.

A database that is away fails every request the same way; its line is a WARNING
without the traceback (about 10 KB a request during an outage before), while a fault
of the server's own keeps it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from starlette.requests import Request

from coopgraph.graph.http.faults import log_unexpected


def _request() -> Request:
    return Request({"type": "http", "method": "POST", "path": "/graphql", "headers": []})


def _raised(error: Exception) -> Exception:
    try:
        raise error
    except Exception as caught:
        return caught


def _logged(caplog: pytest.LogCaptureFixture, level: int, error: Exception) -> dict[str, Any]:
    with caplog.at_level(logging.DEBUG, logger="coopgraph"):
        log_unexpected(_request(), "req-1", [("(compiled)", _raised(error))], level=level)
    (record,) = caplog.records
    assert record.levelno == level
    assert "\n" not in record.getMessage()
    line: dict[str, Any] = json.loads(record.getMessage())
    return line


def test_a_database_fault_is_one_line_without_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    away = OperationalError("SELECT 1", {}, Exception("connection refused"))
    line = _logged(caplog, logging.WARNING, away)
    assert line["requestId"] == "req-1"
    (error,) = line["errors"]
    assert error["at"] == "(compiled)"
    assert error["type"] == "sqlalchemy.exc.OperationalError"
    assert "connection refused" in error["message"]
    assert "traceback" not in error
    assert len(json.dumps(line)) < 1_000


def test_a_fault_of_the_server_keeps_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    line = _logged(caplog, logging.ERROR, RuntimeError("a bug"))
    (error,) = line["errors"]
    assert error["type"] == "builtins.RuntimeError"
    assert error["traceback"].startswith("Traceback (most recent call last)")

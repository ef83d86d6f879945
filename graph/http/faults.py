"""Faults of the server side: the one 503 for a database fault, and the log of the unexpected.

A database that is away or cancelled a statement is answered the same way wherever
the endpoint meets it (reading the cost statistics, the compiled path, Strawberry's
executor, the request's own timeout): 503 with its code, ``Retry-After``, and one
count in the database-errors metric. Everything else unexpected is logged once per
request, as one JSON line with the request's ID.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

import orjson
from starlette.requests import Request

from coopgraph.graph.errors import ErrorCode, database_fault
from coopgraph.graph.http.metrics import DATABASE_ERRORS
from coopgraph.graph.http.problems import HTTPProblem

# One logger for the endpoint, whichever stage writes the line.
log = logging.getLogger("coopgraph.graph.http.endpoint")

_RETRY_AFTER = {"Retry-After": "1"}
_METRIC_KINDS = {
    ErrorCode.DATABASE_UNAVAILABLE: "unavailable",
    ErrorCode.REQUEST_TIMEOUT: "timeout",
}
#: The codes a fault of the database leaves on a GraphQL error (see ``ErrorCodes``).
DATABASE_FAULT_CODES = frozenset(_METRIC_KINDS)


def service_unavailable(code: ErrorCode, message: str) -> HTTPProblem:
    """The 503 answer to a database fault, counted once in the metrics.

    Args:
        code: ``DATABASE_UNAVAILABLE`` or ``REQUEST_TIMEOUT``.
        message: For people; never the driver's text, which can name internals.
    """
    DATABASE_ERRORS.labels(kind=_METRIC_KINDS[code]).inc()
    return HTTPProblem(503, message, code=code, headers=_RETRY_AFTER)


def database_problem(error: BaseException) -> HTTPProblem | None:
    """The 503 for ``error`` when it is a database fault, else None (the caller's to handle)."""
    fault = database_fault(error)
    return None if fault is None else service_unavailable(*fault)


def timed_out(timeout: float, *, database: bool = True) -> HTTPProblem:
    """The answer to a request cancelled at its timeout.

    Args:
        timeout: The request timeout, quoted in the message.
        database: Whether the request was executing (on either path), which counts
            in the database-errors metric as it always has; a request cancelled while
            its document was being analysed never reached the database.
    """
    message = (
        f"The request ran longer than {timeout:g} s and was cancelled; ask for less,"
        " or page through it."
    )
    if database:
        return service_unavailable(ErrorCode.REQUEST_TIMEOUT, message)
    return HTTPProblem(503, message, code=ErrorCode.REQUEST_TIMEOUT, headers=_RETRY_AFTER)


def log_unexpected(
    request: Request,
    request_id: str,
    errors: Iterable[tuple[str, BaseException]],
    *,
    level: int = logging.ERROR,
) -> None:
    """One structured line for everything unexpected in one request, with its ID.

    Below ERROR (a database away: every request fails the same way while it is) the
    line holds the error's type and message without the traceback, which took about
    10 KB per request during an outage and says nothing the message does not.
    """
    with_traceback = level >= logging.ERROR
    record = {
        "event": "unexpected_error",
        "requestId": request_id,
        "method": request.method,
        "path": request.url.path,
        "errors": [
            {
                "at": where,
                "type": f"{type(error).__module__}.{type(error).__qualname__}",
                "message": str(error),
                **(
                    {"traceback": "".join(traceback.format_exception(error))}
                    if with_traceback
                    else {}
                ),
            }
            for where, error in errors
        ],
    }
    log.log(level, "%s", orjson.dumps(record).decode())


__all__ = [
    "DATABASE_FAULT_CODES",
    "database_problem",
    "log_unexpected",
    "service_unavailable",
    "timed_out",
]

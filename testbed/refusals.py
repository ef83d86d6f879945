"""Which error codes are a limit turning a query away, for the load test and the fuzzers."""

from __future__ import annotations


def is_refusal(code: str) -> bool:
    """Whether ``code`` is a limit turning the query away rather than running it."""
    return code.endswith("_LIMIT_EXCEEDED") or code in {
        "RATE_LIMITED",
        "PAYLOAD_TOO_LARGE",
        "REQUEST_TIMEOUT",
    }

"""The error a limit raises: what was measured, what is allowed, under a stable code."""

from __future__ import annotations

from coopgraph.graph.errors import ErrorCode

# graph.limits.cost names its code through this module; the code itself is the
# ErrorCode member, defined once in graph.errors.
COST_LIMIT_EXCEEDED = ErrorCode.COST_LIMIT_EXCEEDED


class LimitExceeded(Exception):  # noqa: N818 - named for what happened, like the codes
    """A request asks for more than a limit allows; nothing has executed.

    Attributes:
        code: The ``extensions.code`` clients branch on.
        measured: What the request asks for, in the limit's unit.
        limit: What the server allows.
        message: For people: what was measured, against what, and what to change.
    """

    def __init__(self, code: ErrorCode, message: str, *, measured: int, limit: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.measured = measured
        self.limit = limit

    @property
    def name(self) -> str:
        """The limit's short name for metrics: ``cost`` for ``COST_LIMIT_EXCEEDED``."""
        return self.code.removesuffix("_LIMIT_EXCEEDED").lower()


__all__ = ["COST_LIMIT_EXCEEDED", "LimitExceeded"]

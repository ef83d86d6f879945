"""The error a limit raises: what was measured, what is allowed, under a stable code."""

from __future__ import annotations

TOKEN_LIMIT_EXCEEDED = "TOKEN_LIMIT_EXCEEDED"  # noqa: S105 - an error code, not a secret
DEPTH_LIMIT_EXCEEDED = "DEPTH_LIMIT_EXCEEDED"
ALIAS_LIMIT_EXCEEDED = "ALIAS_LIMIT_EXCEEDED"
LIST_LIMIT_EXCEEDED = "LIST_LIMIT_EXCEEDED"
COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
FIELD_LIMIT_EXCEEDED = "FIELD_LIMIT_EXCEEDED"
INTROSPECTION_LIMIT_EXCEEDED = "INTROSPECTION_LIMIT_EXCEEDED"
JSON_DEPTH_LIMIT_EXCEEDED = "JSON_DEPTH_LIMIT_EXCEEDED"


class LimitExceeded(Exception):  # noqa: N818 - named for what happened, like the codes
    """A request asks for more than a limit allows; nothing has executed.

    Attributes:
        code: The ``extensions.code`` clients branch on.
        measured: What the request asks for, in the limit's unit.
        limit: What the server allows.
        message: For people: what was measured, against what, and what to change.
    """

    def __init__(self, code: str, message: str, *, measured: int, limit: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.measured = measured
        self.limit = limit

    @property
    def name(self) -> str:
        """The limit's short name for metrics: ``cost`` for ``COST_LIMIT_EXCEEDED``."""
        return self.code.removesuffix("_LIMIT_EXCEEDED").lower()


__all__ = [
    "ALIAS_LIMIT_EXCEEDED",
    "COST_LIMIT_EXCEEDED",
    "DEPTH_LIMIT_EXCEEDED",
    "FIELD_LIMIT_EXCEEDED",
    "INTROSPECTION_LIMIT_EXCEEDED",
    "JSON_DEPTH_LIMIT_EXCEEDED",
    "LIST_LIMIT_EXCEEDED",
    "TOKEN_LIMIT_EXCEEDED",
    "LimitExceeded",
]

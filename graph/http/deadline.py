"""The request timeout as one deadline, shared by every stage that can take long.

Validation of a new document and execution both count against the same
``COOPGRAPH_REQUEST_TIMEOUT``: a document that took three seconds to validate leaves
seven to execute, rather than the timeout starting again at each stage.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Deadline:
    """When a request's time is up.

    Attributes:
        timeout: The request timeout in seconds, quoted in the 503.
        at: A ``time.monotonic()`` reading: the moment the time is up.
    """

    timeout: float
    at: float

    @classmethod
    def after(cls, timeout: float) -> Deadline:
        """The deadline ``timeout`` seconds from now."""
        return cls(timeout, time.monotonic() + timeout)

    def scope(self) -> asyncio.Timeout:
        """An ``asyncio.timeout`` that cancels the block at the deadline.

        A deadline already past cancels at the block's first await.
        """
        return asyncio.timeout(self.at - time.monotonic())


__all__ = ["Deadline"]

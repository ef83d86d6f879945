"""The one error type a document can raise while it is read, checked or resolved."""

from __future__ import annotations


class DocumentError(ValueError):
    """A document is not what the seed pipeline can load, with where and why.

    Attributes:
        source: The document's name (its path, or ``<document>``).
        line: The 1-based line the problem is on.
        problem: What is wrong, in words a person editing the document can act on.
    """

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}:{line}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem

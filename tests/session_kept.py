"""Resources of the backend-parametrized session fixtures, opened once per process."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")


class SessionKept:
    """What the backend-parametrized session fixtures open, kept open until the session ends.

    pytest holds one parameter of a session fixture at a time: switching backend ends
    the other backend's database and servers, and every fixture built on them. Under
    xdist each worker runs file after file, each file a backend then the other, so they
    would be started again at almost every file; kept here, each opens once per worker.
    """

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._kept: dict[Hashable, object] = {}

    def keep(self, key: Hashable, open_: Callable[[], contextlib.AbstractContextManager[T]]) -> T:
        """What ``open_()`` enters, entered the first time ``key`` is asked for."""
        if key not in self._kept:
            self._kept[key] = self._stack.enter_context(open_())
        return cast("T", self._kept[key])

"""Show a long seed's progress: a bar on a terminal, one log line per phase otherwise.

A x1000 synthetic seed writes about a million rows; without feedback it looks hung.
Logs and pipes get the phase lines instead of a redrawn bar, which also lets a
supervisor (or a test) see when the load has started writing.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

from tqdm import tqdm

log = logging.getLogger("coopgraph.seed")


class SeedProgress:
    """A ``seed.load.LoadProgress`` for the command line.

    Args:
        stream: Where the bar is drawn; the bar is shown only when it is a terminal.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._interactive = self._stream.isatty()
        self._bar: tqdm[Any] | None = None

    def phase(self, name: str, rows: int) -> None:
        self.close()
        if self._interactive:
            self._bar = tqdm(
                total=rows or None,
                desc=name,
                unit="rows",
                file=self._stream,
                leave=False,
            )
        elif rows:
            log.info("%s (%d rows)", name, rows)
        else:
            log.info("%s", name)

    def advance(self, rows: int) -> None:
        if self._bar is not None:
            self._bar.update(rows)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

"""The order in which xdist hands test files to its workers: the longest first.

``scripts/test`` runs the files on two workers (``--dist loadfile``), each file whole on
one worker. xdist's own order (most tests first) puts the few-test files last, and they
are the long ones (a server, a load, a fuzzer): one worker would run a 40-second file
while the other had nothing left. Longest first is the classic fix; the seconds are
what each file took in the last run that ran it (pytest's cache, ``.pytest_cache/``).
A file never measured counts as the longest; among those, fewer tests first, since a
file of a few slow tests is the usual long one here.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pytest

#: The cache key of the seconds per test file, setup and teardown included.
FILE_SECONDS = "coopgraph/file-seconds"


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def order_by_file_seconds(items: list[pytest.Item], seconds: dict[str, float]) -> None:
    """Group ``items`` by file, the longest file first; a file's own order is kept."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(_file(item.nodeid), []).append(item)
    order = sorted(files, key=lambda name: (-seconds.get(name, math.inf), len(files[name])))
    items[:] = [item for name in order for item in files[name]]


class FileSeconds:
    """Sums each file's test durations over a run and keeps them in pytest's cache.

    Under xdist the controller sees every worker's reports and writes the cache; the
    workers, which order what they collected, only read it.
    """

    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._seconds: dict[str, float] = defaultdict(float)

    def _cache(self) -> pytest.Cache | None:
        return getattr(self._config, "cache", None)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        cache = self._cache()
        # Only xdist's workers: in one process, pytest's own order (all of a backend's
        # tests across files, then the other's) starts each shared database once.
        if cache is not None and hasattr(self._config, "workerinput"):
            order_by_file_seconds(items, cache.get(FILE_SECONDS, {}))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._seconds[_file(report.nodeid)] += report.duration

    def _ran_whole_files(self) -> bool:
        """Whether the run took every test of the files it ran: not ``-k``, ``-m``, a
        test named with ``::``, or a stop at the first failure."""
        option = self._config.option
        return not (
            option.keyword
            or option.markexpr
            or option.maxfail
            or any("::" in arg for arg in self._config.args)
        )

    def pytest_sessionfinish(self) -> None:
        cache = self._cache()
        if cache is None or hasattr(self._config, "workerinput") or not self._seconds:
            return
        if self._ran_whole_files():
            cache.set(FILE_SECONDS, {**cache.get(FILE_SECONDS, {}), **self._seconds})

"""What one benchmark run measures, as chosen on the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.workload import Workload

DATABASES = ("sqlite", "postgresql")
CACHES = ("off", "on")


@dataclass
class Options:
    databases: list[str]
    scales: list[int]
    caches: list[str]
    workloads: list[Workload]
    duration: float
    warmup: float
    postgres: str
    jit: bool
    pg_driver: str
    seeder: list[str]
    out: Path
    #: Cells done and cells in all, for the progress lines.
    progress: list[int] = field(default_factory=lambda: [0, 0])

    @property
    def cells_per_scale(self) -> int:
        """Floor and hand-written once per query, the server once per cache setting."""
        return len(self.workloads) * (2 + len(self.caches))

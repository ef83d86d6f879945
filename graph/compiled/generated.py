"""Builder functions generated from a plan's selections, compiled together.

A builder writes one object's response dict with the keys in selection order, as
graphql-core's executor would: one dict display per object, with no per-field
dispatch. Each plan's source is registered with ``linecache`` under its own file name,
so a traceback through a builder shows the line that failed; the entry goes when the
plan's functions do.
"""

from __future__ import annotations

import itertools
import linecache
import re
import weakref
from typing import TYPE_CHECKING, Any

from coopgraph.graph.ids import to_cursor, to_global_id

if TYPE_CHECKING:
    from coopgraph.graph.compiled.plan import ObjectPlan

_COLUMN = re.compile(r"@(\w+)@")
_FILES = itertools.count()


class Generated:
    """Collects generated builder functions and compiles them together."""

    def __init__(self) -> None:
        self.functions: list[tuple[str, str, ObjectPlan | None]] = []

    def function(self, body: str, plan: ObjectPlan | None = None) -> str:
        """Add a builder; ``@column@`` in its body reads that column of ``plan``'s rows.

        The positions are filled in at compile time, once every statement of the plan
        has decided which columns its rows carry.
        """
        name = f"_b{len(self.functions)}"
        self.functions.append((name, body, plan))
        return name

    def compile(self) -> dict[str, Any]:
        namespace: dict[str, Any] = {"gid": to_global_id, "cur": to_cursor}
        lines = []
        for name, body, plan in self.functions:
            placed = body if plan is None else _place_columns(body, plan)
            lines.append(f"def {name}(r, s):\n    return {placed}\n")
        source = "\n".join(lines)
        filename = f"<compiled plan {next(_FILES)}>"
        # The source is generated from the schema's names and response keys, which
        # validation has checked are GraphQL names; no request value is written into it.
        exec(compile(source, filename, "exec"), namespace)  # noqa: S102
        if self.functions:
            # No modification time: linecache.checkcache keeps the entry, which goes
            # when the plan's functions are collected.
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            weakref.finalize(namespace[self.functions[0][0]], linecache.cache.pop, filename, None)
        return namespace


def _place_columns(body: str, plan: ObjectPlan) -> str:
    def place(found: re.Match[str]) -> str:
        return str(plan.index(found.group(1)))

    return _COLUMN.sub(place, body)


__all__ = ["Generated"]

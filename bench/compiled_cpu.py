"""CPU time per request of the compiled path alone, without HTTP, for each benchmark query.

``python -m bench.compiled_cpu DATABASE_URL`` plans each query once, then runs it
through ``CompiledExecution`` in rounds and prints, as JSON, the least process CPU time
per request in microseconds (None where the compiled path declines the query). The
least, because other load on the machine only ever adds to it; process time, because
wall time on a shared machine measures the neighbours. On SQLite the database's work
runs in this process and is counted; on PostgreSQL it runs in the server and is not.

Run it from two checkouts (``PYTHONPATH`` first) to compare them on one database.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import orjson
from graphql import OperationDefinitionNode, get_operation_ast, parse, validate
from sqlalchemy.engine import make_url

from bench.workload import Workload, workloads
from coopgraph.graph.compiled import CompiledExecution, open_source
from coopgraph.graph.http.endpoint import validation_schema
from coopgraph.graph.schema import build_schema
from coopgraph.settings import Limits

ROUNDS = 7
PER_ROUND = 50


async def _once(
    execution: CompiledExecution,
    workload: Workload,
    document: Any,
    operation: OperationDefinitionNode,
) -> dict[str, Any] | None:
    return await execution.execute(
        workload.document,
        None,
        document,
        operation,
        workload.variables,
        deadline=time.monotonic() + 60,
    )


async def measure(database_url: str) -> dict[str, int | None]:
    """Microseconds of CPU per request, the least of ``ROUNDS`` rounds, per query."""
    schema = validation_schema(build_schema())
    source = open_source(database_url, statement_timeout=30)
    if source is None:
        msg = f"the compiled path cannot read {make_url(database_url).drivername}"
        raise SystemExit(msg)
    execution = CompiledExecution(schema, source, max_bytes=Limits().document_cache_bytes)
    result: dict[str, int | None] = {}
    try:
        for workload in workloads():
            document = parse(workload.document)
            if validate(schema, document):
                msg = f"{workload.name} does not validate"
                raise SystemExit(msg)
            operation = get_operation_ast(document)
            assert operation is not None
            if await _once(execution, workload, document, operation) is None:
                result[workload.name] = None
                continue
            best = float("inf")
            for _ in range(ROUNDS):
                start = time.process_time()
                for _ in range(PER_ROUND):
                    await _once(execution, workload, document, operation)
                best = min(best, (time.process_time() - start) / PER_ROUND)
            result[workload.name] = round(best * 1e6)
    finally:
        await execution.aclose()
    return result


if __name__ == "__main__":
    sys.stdout.write(orjson.dumps(asyncio.run(measure(sys.argv[1]))).decode() + "\n")

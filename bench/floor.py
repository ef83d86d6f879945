"""The floor: the server's own answers served as static bytes by Starlette and uvicorn.

Whatever the API does per request, it cannot beat sending bytes it already has through
the same HTTP stack; the ratio to this shows how much of the time is the API's own.
The answers come from ``BENCH_FLOOR_ANSWERS``, a JSON object of query name to the
server's body (base64), fetched once from the running server by the benchmark.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

#: The server's content type, so the floor sends the same headers' worth of bytes.
MEDIA_TYPE = "application/json; charset=utf-8"


def create_app() -> Starlette:
    stored = orjson.loads(Path(os.environ["BENCH_FLOOR_ANSWERS"]).read_bytes())
    answers = {name: base64.b64decode(body) for name, body in stored.items()}

    async def endpoint(request: Request) -> Response:
        # The body is read, as any endpoint must, and then ignored.
        await request.body()
        body = answers.get(request.path_params["name"])
        if body is None:
            return Response(b'{"errors":[{"message":"unknown query"}]}', status_code=404)
        return Response(body, media_type=MEDIA_TYPE)

    async def healthz(_request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type=MEDIA_TYPE)

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/{name}", endpoint, methods=["POST"]),
        ]
    )

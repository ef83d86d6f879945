"""How ``coopgraph serve`` and its front proxy are configured from ``Settings.transport``.

The server (uvicorn) and the proxy (haproxy, ``deploy/haproxy/coopgraph.cfg``) enforce
the same transport limits, so both read them here, from one ``Transport``: uvicorn
takes what its public settings cover, the proxy everything, including what uvicorn has
no setting for (header and body read timeouts, header counts). Run the proxy with
``python -m coopgraph.serving --backend HOST:PORT --bind HOST:PORT``.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypedDict

import orjson

from coopgraph.graph.errors import ErrorCode
from coopgraph.settings import Settings, Transport

#: The shipped haproxy configuration, in a source checkout.
HAPROXY_CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "haproxy" / "coopgraph.cfg"

#: haproxy's space for rewriting headers, reserved out of each buffer (its default).
_MAX_REWRITE = 1024

#: Header fields haproxy parses before its own bare 400: room above the configured cap
#: so that a request over the cap gets the cap's 431.
_HEADER_ROOM = 20

#: Server connections the proxy keeps for ``/healthz`` alone, out of the server's cap.
_HEALTH_SLOTS = 4

#: Seconds a connection may be silent in the middle of an answer; longer than any
#: request may run (``Limits.request_timeout``) so that the server's own timeout speaks.
_MIN_IDLE_TIMEOUT = 30.0


#: What the proxy answers itself, in the API's error envelope: the variable the
#: configuration reads each body from, its code, and its message; the limits its rules
#: enforce (431, 503) and a server it cannot reach (502 to 504). What haproxy 2.6's
#: HTTP/1 parser refuses on its own (400, a 408 read timeout, 422 for a body framed two
#: ways) stays its built-in HTML: neither ``errorfile`` nor ``http-error`` replaces
#: those answers (tried, docs/decisions.md).
PROXY_ANSWERS: dict[str, tuple[ErrorCode, str]] = {
    "PROXY_ANSWER_HEADER_BYTES": (
        ErrorCode.REQUEST_HEADERS_TOO_LARGE,
        "The request's headers are larger than this server accepts.",
    ),
    "PROXY_ANSWER_HEADER_COUNT": (
        ErrorCode.REQUEST_HEADERS_TOO_LARGE,
        "The request has more header fields than this server accepts.",
    ),
    "PROXY_ANSWER_CONNECTIONS": (
        ErrorCode.TOO_MANY_CONNECTIONS,
        "The server has as many connections open as it takes; try again shortly.",
    ),
    "PROXY_ANSWER_500": (ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error"),
    "PROXY_ANSWER_502": (
        ErrorCode.SERVER_UNAVAILABLE,
        "The server behind the proxy did not answer; try again shortly.",
    ),
    "PROXY_ANSWER_503": (
        ErrorCode.SERVER_UNAVAILABLE,
        "The server behind the proxy is not available; try again shortly.",
    ),
    "PROXY_ANSWER_504": (
        ErrorCode.SERVER_UNAVAILABLE,
        "The server behind the proxy took too long to answer; try again shortly.",
    ),
}


def proxy_answer(code: ErrorCode, message: str) -> str:
    """The body of an answer the proxy writes: the envelope every other error has."""
    return orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).decode()


class UvicornOptions(TypedDict):
    """The keyword arguments of ``uvicorn.run`` that carry transport limits."""

    http: str
    limit_concurrency: int
    timeout_keep_alive: int
    server_header: bool
    h11_max_incomplete_event_size: int | None


def uvicorn_options(transport: Transport) -> UvicornOptions:
    """Keyword arguments for ``uvicorn.run`` that enforce what uvicorn can of ``transport``.

    h11 keeps at most ``h11_max_incomplete_event_size`` bytes of unfinished headers and
    pauses reading while an answer waits, which bounds a pipelining client that never
    reads; httptools has neither bound (see docs/decisions.md for the measurements).
    """
    return UvicornOptions(
        http=transport.http_parser,
        limit_concurrency=transport.max_connections,
        timeout_keep_alive=transport.keep_alive_timeout,
        # The server's name and version only help someone looking for a known hole.
        server_header=False,
        h11_max_incomplete_event_size=transport.max_header_bytes,
    )


def proxy_environment(
    settings: Settings, *, backend: str, bind: str, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment haproxy expands ``deploy/haproxy/coopgraph.cfg`` with.

    The buffer holds the largest headers and the largest body together, so that the
    proxy reads a whole request within the read timeout before the server sees it.
    """
    transport = settings.transport
    # Room above the cap, so that connections past it are accepted and told 503 rather
    # than left waiting in the kernel's queue; the read timeout frees idle ones.
    proxy_maxconn = transport.max_connections * 2 + 20
    idle_timeout = max(_MIN_IDLE_TIMEOUT, 3 * settings.limits.request_timeout)
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "PROXY_BACKEND": backend,
            "PROXY_BIND": bind,
            "PROXY_MAXCONN": str(proxy_maxconn),
            "PROXY_BUFSIZE": str(
                transport.max_header_bytes + settings.limits.max_body_bytes + 2 * _MAX_REWRITE
            ),
            "PROXY_APP_MAXCONN": str(max(1, transport.max_connections - _HEALTH_SLOTS)),
            "PROXY_HEALTH_MAXCONN": str(_HEALTH_SLOTS),
            "PROXY_MAXREWRITE": str(_MAX_REWRITE),
            "PROXY_MAXHDR": str(transport.max_headers + _HEADER_ROOM),
            "PROXY_IDLE_TIMEOUT": f"{idle_timeout:g}",
            "COOPGRAPH_MAX_CONNECTIONS": str(transport.max_connections),
            "COOPGRAPH_MAX_HEADER_BYTES": str(transport.max_header_bytes),
            "COOPGRAPH_MAX_HEADERS": str(transport.max_headers),
            "COOPGRAPH_READ_TIMEOUT": f"{transport.read_timeout:g}",
            "COOPGRAPH_KEEP_ALIVE_TIMEOUT": str(transport.keep_alive_timeout),
        }
    )
    env.update({name: proxy_answer(*answer) for name, answer in PROXY_ANSWERS.items()})
    return env


def haproxy_command(config: Path = HAPROXY_CONFIG) -> list[str]:
    """The command that runs haproxy in the foreground (``-db``) on the shipped file."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    return [binary, "-db", "-f", str(config)]


def main(argv: Sequence[str] | None = None) -> None:
    """Replace this process with haproxy in front of ``--backend``."""
    parser = argparse.ArgumentParser(description="run the shipped haproxy front proxy")
    parser.add_argument("--backend", default="127.0.0.1:8000", help="where coopgraph serves")
    parser.add_argument("--bind", default="0.0.0.0:8080", help="where the proxy listens")
    args = parser.parse_args(argv)
    env = proxy_environment(Settings.from_env(), backend=args.backend, bind=args.bind)
    command = haproxy_command()
    os.execve(command[0], command, env)  # noqa: S606 - the fixed haproxy binary, no shell


if __name__ == "__main__":
    main()

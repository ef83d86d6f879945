"""The transport settings, as uvicorn and the shipped haproxy configuration take them."""

from __future__ import annotations

import re
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import orjson
import pytest

from coopgraph.graph.errors import ErrorCode
from coopgraph.serving import (
    HAPROXY_CONFIG,
    PROXY_ANSWERS,
    haproxy_command,
    proxy_environment,
    uvicorn_options,
)
from coopgraph.settings import Settings, SettingsError, Transport
from testbed.front_proxy import haproxy_available
from tests.attacks.conftest import StartProxy, StartServer
from tests.environment import unavailable


def test_defaults_and_variables() -> None:
    assert Settings.from_env({}).transport == Transport(
        max_connections=1000,
        max_header_bytes=16_384,
        max_headers=100,
        read_timeout=10.0,
        keep_alive_timeout=5,
        http_parser="h11",
    )
    transport = Transport.from_env(
        {
            "COOPGRAPH_MAX_CONNECTIONS": "50",
            "COOPGRAPH_MAX_HEADER_BYTES": "8192",
            "COOPGRAPH_MAX_HEADERS": "40",
            "COOPGRAPH_READ_TIMEOUT": "2.5",
            "COOPGRAPH_KEEP_ALIVE_TIMEOUT": "3",
            "COOPGRAPH_HTTP_PARSER": "httptools",
        }
    )
    assert transport == Transport(50, 8192, 40, 2.5, 3, "httptools")


@pytest.mark.parametrize(
    ("name", "value"),
    [("COOPGRAPH_HTTP_PARSER", "auto"), ("COOPGRAPH_MAX_CONNECTIONS", "0")],
)
def test_a_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Transport.from_env({name: value})


def test_uvicorn_takes_the_parser_the_cap_and_the_header_buffer() -> None:
    assert uvicorn_options(Transport()) == {
        "http": "h11",
        "limit_concurrency": 1000,
        "timeout_keep_alive": 5,
        "server_header": False,
        "h11_max_incomplete_event_size": 16_384,
    }


def test_the_proxy_buffer_holds_the_largest_headers_and_body() -> None:
    env = proxy_environment(Settings.from_env({}), backend="127.0.0.1:8000", bind="x", base={})
    # 16 KiB of headers, the 64 KiB body limit, and haproxy's rewrite reserve twice.
    assert env["PROXY_BUFSIZE"] == str(16_384 + 65_536 + 2_048)
    assert env["PROXY_MAXCONN"] == "2020"
    assert env["PROXY_APP_MAXCONN"] == "996"
    assert env["COOPGRAPH_READ_TIMEOUT"] == "10"


def test_haproxy_accepts_the_shipped_configuration() -> None:
    if not haproxy_available():
        unavailable("haproxy is not installed", required_by="COOPGRAPH_REQUIRE_HAPROXY")
    env = proxy_environment(
        Settings.from_env({}), backend="127.0.0.1:8000", bind="127.0.0.1:8080", base={}
    )
    checked = subprocess.run(
        [*haproxy_command(HAPROXY_CONFIG), "-c"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "[WARNING]" not in checked.stdout + checked.stderr


def test_no_server_header(start_server: StartServer, start_proxy: StartProxy) -> None:
    server = start_server({})
    proxy = start_proxy(server, {})
    for url in (server.url, proxy.url):
        response = httpx.get(f"{url}/graphql", params={"query": "{ __typename }"})
        assert response.status_code == 200
        assert "server" not in response.headers


def test_every_answer_the_proxy_writes_is_in_the_configuration() -> None:
    config = HAPROXY_CONFIG.read_text()
    named = set(re.findall(r"\$\{(PROXY_ANSWER_\w+)\}", config))
    assert named == set(PROXY_ANSWERS)
    env = proxy_environment(Settings.from_env({}), backend="127.0.0.1:8000", bind="x", base={})
    for name, (code, message) in PROXY_ANSWERS.items():
        assert orjson.loads(env[name]) == {
            "errors": [{"message": message, "extensions": {"code": code}}]
        }


def _raw_answer(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes no HTTP client library would and read the proxy's whole answer.

    The request must ask for ``Connection: close``: the answer is read to the end.
    """
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines)
    return int(status_line.split(" ")[1]), headers, body


def _envelope_of(status: int, headers: dict[str, str], body: bytes, code: ErrorCode) -> str:
    """The message of a one-error envelope with ``code``; fails on anything else."""
    assert headers["content-type"] == "application/json", (status, body)
    errors = orjson.loads(body)["errors"]
    assert [error["extensions"]["code"] for error in errors] == [code]
    message: str = errors[0]["message"]
    assert message in {m for c, m in PROXY_ANSWERS.values() if c == code}
    return message


@pytest.mark.parametrize(
    ("request_bytes", "message"),
    [
        (
            b"GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
            + b"".join(b"X-Field-%d: 1\r\n" % n for n in range(101))
            + b"\r\n",
            "The request has more header fields than this server accepts.",
        ),
        (
            b"GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\nAccept: "
            + b"a" * 20_000
            + b"\r\n\r\n",
            "The request's headers are larger than this server accepts.",
        ),
    ],
    ids=["count", "bytes"],
)
def test_the_proxy_refuses_headers_in_the_error_envelope(
    request_bytes: bytes, message: str, start_server: StartServer, start_proxy: StartProxy
) -> None:
    proxy = start_proxy(start_server({}), {})
    status, headers, body = _raw_answer(proxy.url, request_bytes)
    assert status == 431
    assert _envelope_of(status, headers, body, ErrorCode.REQUEST_HEADERS_TOO_LARGE) == message


def test_a_server_the_proxy_cannot_reach_is_a_503_in_the_envelope(tmp_path: Path) -> None:
    if not haproxy_available():
        unavailable("haproxy is not installed", required_by="COOPGRAPH_REQUIRE_HAPROXY")
    with socket.socket() as closed, socket.socket() as free:
        # One port nothing listens on (bound, never listening), one for the proxy.
        closed.bind(("127.0.0.1", 0))
        free.bind(("127.0.0.1", 0))
        backend = f"127.0.0.1:{closed.getsockname()[1]}"
        bind = f"127.0.0.1:{free.getsockname()[1]}"
        free.close()
        env = proxy_environment(Settings.from_env({}), backend=backend, bind=bind)
        with (tmp_path / "proxy.log").open("wb") as log:
            process = subprocess.Popen(haproxy_command(), env=env, stdout=log, stderr=log)
        try:
            answer = None
            for _ in range(100):
                try:
                    answer = httpx.get(f"http://{bind}/graphql?query={{__typename}}", timeout=10)
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert answer is not None
    assert answer.status_code == 503
    message = _envelope_of(503, dict(answer.headers), answer.content, ErrorCode.SERVER_UNAVAILABLE)
    assert message == "The server behind the proxy is not available; try again shortly."


def test_behind_the_proxy_a_client_cannot_choose_its_address(
    start_server: StartServer, start_proxy: StartProxy
) -> None:
    """The proxy names the connection's address, whatever the client wrote before it.

    The server trusts ``X-Forwarded-For`` from the proxy; a header the client wrote,
    passed on as it was, made each invented address a fresh rate-limit budget, and a
    header too long to read made the client the proxy itself (loopback, which may read
    ``/metrics``).
    """
    settings = {"COOPGRAPH_RATE_LIMIT": "3/minute"}
    proxy = start_proxy(start_server(settings), settings)
    invented = [f"203.0.113.{n}" for n in range(4)] + ["198.51.100.1," * 60]
    statuses = [
        httpx.get(
            f"{proxy.url}/graphql",
            params={"query": "{ __typename }"},
            headers={"X-Forwarded-For": forwarded},
        ).status_code
        for forwarded in invented
    ]
    assert statuses == [200, 200, 200, 429, 429]

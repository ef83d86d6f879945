"""The transport settings, as uvicorn and the shipped haproxy configuration take them."""

from __future__ import annotations

import subprocess

import httpx
import pytest

from coopgraph.serving import HAPROXY_CONFIG, haproxy_command, proxy_environment, uvicorn_options
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

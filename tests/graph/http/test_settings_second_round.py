"""The settings of the endpoint's second round: analysis threads, who may read /metrics."""

from __future__ import annotations

import re

import pytest

from coopgraph.settings import Settings, SettingsError


@pytest.mark.parametrize(
    ("value", "networks"),
    [
        ("", ("127.0.0.0/8", "::1/128")),
        ("10.0.0.0/8, 192.168.1.7", ("10.0.0.0/8", "192.168.1.7/32")),
        ("any", ("0.0.0.0/0", "::/0")),
    ],
)
def test_metrics_clients_are_read_from_their_variable(
    value: str, networks: tuple[str, ...]
) -> None:
    settings = Settings.from_env({"COOPGRAPH_METRICS_CLIENTS": value})
    assert tuple(str(n) for n in settings.metrics_clients) == networks


def test_a_bad_metrics_network_is_named() -> None:
    with pytest.raises(SettingsError, match=re.escape("COOPGRAPH_METRICS_CLIENTS='10.0.0.0/33'")):
        Settings.from_env({"COOPGRAPH_METRICS_CLIENTS": "10.0.0.0/33"})


def test_analysis_threads_are_read_from_their_variable() -> None:
    assert Settings.from_env({}).limits.analysis_threads == 1
    assert Settings.from_env({"COOPGRAPH_ANALYSIS_THREADS": "3"}).limits.analysis_threads == 3
    with pytest.raises(SettingsError, match="must be greater than 0"):
        Settings.from_env({"COOPGRAPH_ANALYSIS_THREADS": "0"})

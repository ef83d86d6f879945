"""Settings from the environment: defaults, and bad values named by their variable."""

from __future__ import annotations

import pytest

from settings import Limits, Settings, SettingsError


def test_defaults_are_the_documented_limits() -> None:
    limits = Settings.from_env({"DATABASE_URL": "sqlite:///x.sqlite3"}).limits
    assert limits == Limits(
        max_cost=200_000,
        max_depth=12,
        max_aliases=30,
        max_tokens=5_000,
        max_body_bytes=65_536,
        max_list_items=100,
        request_timeout=10.0,
        statement_timeout=5.0,
        rate_limit=None,
    )


def test_every_limit_is_read_from_its_variable() -> None:
    settings = Settings.from_env(
        {
            "COOPGRAPH_MAX_COST": "1000",
            "COOPGRAPH_MAX_DEPTH": "5",
            "COOPGRAPH_MAX_ALIASES": "2",
            "COOPGRAPH_MAX_TOKENS": "300",
            "COOPGRAPH_MAX_BODY_BYTES": "4096",
            "COOPGRAPH_MAX_LIST_ITEMS": "7",
            "COOPGRAPH_REQUEST_TIMEOUT": "2.5",
            "COOPGRAPH_STATEMENT_TIMEOUT": "1",
            "COOPGRAPH_RATE_LIMIT": "120/minute",
            "COOPGRAPH_REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert settings.limits == Limits(1000, 5, 2, 300, 4096, 7, 2.5, 1.0, "120/minute")
    assert settings.redis_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("value", ["", "  ", "off", "OFF"])
def test_rate_limit_off(value: str) -> None:
    assert Settings.from_env({"COOPGRAPH_RATE_LIMIT": value}).limits.rate_limit is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("COOPGRAPH_MAX_COST", "lots", "COOPGRAPH_MAX_COST='lots' is not a whole number"),
        ("COOPGRAPH_MAX_DEPTH", "1.5", "COOPGRAPH_MAX_DEPTH='1.5' is not a whole number"),
        ("COOPGRAPH_MAX_ALIASES", "0", "COOPGRAPH_MAX_ALIASES='0' must be greater than 0"),
        ("COOPGRAPH_MAX_TOKENS", "-1", "COOPGRAPH_MAX_TOKENS='-1' must be greater than 0"),
        ("COOPGRAPH_MAX_BODY_BYTES", "64k", "COOPGRAPH_MAX_BODY_BYTES='64k' is not a whole number"),
        ("COOPGRAPH_MAX_LIST_ITEMS", "ten", "COOPGRAPH_MAX_LIST_ITEMS='ten' is not a whole number"),
        ("COOPGRAPH_REQUEST_TIMEOUT", "10s", "COOPGRAPH_REQUEST_TIMEOUT='10s' is not a number"),
        (
            "COOPGRAPH_STATEMENT_TIMEOUT",
            "0",
            "COOPGRAPH_STATEMENT_TIMEOUT='0' must be greater than 0",
        ),
        ("COOPGRAPH_READINESS_TIMEOUT", "x", "COOPGRAPH_READINESS_TIMEOUT='x' is not a number"),
        (
            "COOPGRAPH_REQUEST_TIMEOUT",
            "nan",
            "COOPGRAPH_REQUEST_TIMEOUT='nan' is not a finite number",
        ),
        (
            "COOPGRAPH_STATEMENT_TIMEOUT",
            "inf",
            "COOPGRAPH_STATEMENT_TIMEOUT='inf' is not a finite number",
        ),
        (
            "COOPGRAPH_RATE_LIMIT",
            "fast",
            "COOPGRAPH_RATE_LIMIT='fast' is not a rate such as '120/minute' or '10/second'",
        ),
    ],
)
def test_a_bad_value_names_its_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})
    assert str(caught.value) == message

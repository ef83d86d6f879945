"""Settings from the environment: defaults, bad values named by their variable, the
README's table, and budgets that let every query of the product's own clients through."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from coopgraph.settings import FALSE_WORDS, TRUE_WORDS, Caching, Limits, Settings, SettingsError
from coopgraph.settings.table import markdown_table
from tests.graph.queries import CONTRACT_QUERIES, encode_id

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXPLORER_VIEWS = ROOT / "web" / "src" / "explorer" / "views"


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


@pytest.mark.parametrize("word", ["on", "ON", "true", "Yes", "1"])
def test_every_switch_reads_one_vocabulary_for_on(word: str) -> None:
    settings = Settings.from_env({"COOPGRAPH_RESPONSE_CACHE": word, "COOPGRAPH_COMPILED": word})
    assert (settings.caching.responses, settings.compiled) == (True, True)


@pytest.mark.parametrize("word", ["off", "False", "no", "0"])
def test_every_switch_reads_one_vocabulary_for_off(word: str) -> None:
    settings = Settings.from_env({"COOPGRAPH_RESPONSE_CACHE": word, "COOPGRAPH_COMPILED": word})
    assert (settings.caching.responses, settings.compiled) == (False, False)
    assert Caching.from_env({"COOPGRAPH_RESPONSE_CACHE": word}).responses is False


@pytest.mark.parametrize("variable", ["COOPGRAPH_RESPONSE_CACHE", "COOPGRAPH_COMPILED"])
def test_a_switch_outside_the_vocabulary_is_refused(variable: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: "maybe"})
    assert str(caught.value) == (
        f"{variable}='maybe' is not one of 1, on, true, yes or 0, false, no, off"
    )
    assert {"on", "yes"} <= TRUE_WORDS
    assert {"off", "no"} <= FALSE_WORDS


def test_blank_values_keep_the_defaults() -> None:
    blank = Settings.from_env({"DATABASE_URL": "", "COOPGRAPH_READINESS_TIMEOUT": " "})
    assert blank == Settings.from_env({})
    assert blank.readiness_timeout == 2.0
    assert Settings().readiness_timeout == 2.0
    cors = Settings.from_env({"COOPGRAPH_CORS_ORIGINS": "https://a.example, https://b.example,"})
    assert cors.cors_origins == ("https://a.example", "https://b.example")


# --- The README's table of variables ----------------------------------------------------


def readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- settings table: generated by `coopgraph settings` -->\n")
    end = text.index("<!-- end of settings table -->")
    return text[text.index("\n", start) + 1 : end]


def test_readme_holds_the_generated_table() -> None:
    assert readme_table() == markdown_table()
    printed = subprocess.run(
        [sys.executable, "-m", "coopgraph", "settings"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout == markdown_table()


def test_the_table_lists_every_variable_the_shipped_code_names() -> None:
    listed = set(re.findall(r"^\| `([A-Z_]+)` \|", markdown_table(), re.MULTILINE))
    assert len(listed) == 42
    assert {"DATABASE_URL", "COOPGRAPH_MAX_STANDARD_COST", "COOPGRAPH_COMPILED"} <= listed
    named: set[str] = set()
    for package in ("coopgraph", "settings", "graph", "db", "seed"):
        for module in (ROOT / package).rglob("*.py"):
            named |= set(re.findall(r"COOPGRAPH_[A-Z_]+", module.read_text(encoding="utf-8")))
    assert named <= listed


# --- Both cost budgets let the product's own queries through ------------------------------

#: What the explorer sends with each view's file (the values its pages fill in).
VIEW_VARIABLES: dict[str, dict[str, Any]] = {
    "country": {"isoCode": "AU"},
    "crossref": {"minFields": 2, "kinds": ["ORGANIZATION", "GROUP"]},
    "institution": {"id": encode_id("Institution:au.go8")},
    "map": {},
    "overview": {},
    "priorities": {
        "filter": {"field": encode_id("Field:energy"), "continent": encode_id("Continent:europe")}
    },
    "search": {"text": "rb"},
}


def client_queries() -> list[tuple[str, str, dict[str, Any]]]:
    views = [
        (f"explorer/{path.stem}", path.read_text(encoding="utf-8"), VIEW_VARIABLES[path.stem])
        for path in sorted(EXPLORER_VIEWS.glob("*.graphql"))
    ]
    contract: list[tuple[str, str, dict[str, Any]]] = [
        (f"contract/{path.stem}", path.read_text(encoding="utf-8"), {})
        for path in sorted(CONTRACT_QUERIES.glob("*.graphql"))
    ]
    return views + contract


def test_every_client_query_fits_both_budgets(http_client: httpx.Client) -> None:
    limits = Limits()
    estimates: dict[str, int] = {}
    for name, query, variables in client_queries():
        response = http_client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"X-Coopgraph-Dry-Run": "1"},
        )
        body = response.json()
        assert "errors" not in body, (name, body)
        estimates[name] = body["extensions"]["cost"]["estimated"]
    assert len(estimates) == 13
    assert estimates["contract/full_tree"] == 536
    assert max(estimates.values()) <= min(limits.max_cost, limits.max_standard_cost), estimates


# --- What a serving process logs ---------------------------------------------------------


def test_logs_default_to_info_without_access_lines() -> None:
    logs = Settings.from_env({}).logs
    assert (logs.level, logs.access_log) == ("info", False)


@pytest.mark.parametrize(
    ("value", "level"),
    [("critical", "critical"), ("WARNING", "warning"), (" Debug ", "debug"), ("trace", "trace")],
)
def test_log_level_reads_uvicorns_levels_in_any_case(value: str, level: str) -> None:
    assert Settings.from_env({"COOPGRAPH_LOG_LEVEL": value}).logs.level == level


@pytest.mark.parametrize("value", ["loud", "warn", "notset", "20"])
def test_a_log_level_outside_uvicorns_is_refused_with_the_choices(value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"COOPGRAPH_LOG_LEVEL": value})
    assert str(caught.value) == (
        f"COOPGRAPH_LOG_LEVEL={value!r} is not a log level: use one of"
        " critical, error, warning, info, debug, trace"
    )


def test_access_log_is_a_switch() -> None:
    assert Settings.from_env({"COOPGRAPH_ACCESS_LOG": "on"}).logs.access_log is True
    assert Settings.from_env({"COOPGRAPH_ACCESS_LOG": "off"}).logs.access_log is False
    with pytest.raises(SettingsError, match="COOPGRAPH_ACCESS_LOG='sometimes'"):
        Settings.from_env({"COOPGRAPH_ACCESS_LOG": "sometimes"})


def test_redis_namespace_is_read_from_its_variable() -> None:
    assert Settings.from_env({}).redis_namespace == "coopgraph"
    settings = Settings.from_env({"COOPGRAPH_REDIS_NAMESPACE": "staging"})
    assert settings.redis_namespace == "staging"

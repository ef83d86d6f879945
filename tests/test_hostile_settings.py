"""The settings of issue 19's second round: defaults, and each read from its variable."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coopgraph.settings import Limits, Settings

VARIABLES = {
    "COOPGRAPH_MAX_FIELDS": ("max_fields", "150", 150),
    "COOPGRAPH_MAX_INTROSPECTION": ("max_introspection", "1", 1),
    "COOPGRAPH_MAX_JSON_DEPTH": ("max_json_depth", "16", 16),
    "COOPGRAPH_MAX_PERSISTED_BYTES": ("max_persisted_bytes", "4096", 4096),
    "COOPGRAPH_MAX_PERSISTED_PER_CLIENT": ("max_persisted_per_client", "10", 10),
    "COOPGRAPH_MAX_PERSISTED_TOTAL": ("max_persisted_total", "500", 500),
    "COOPGRAPH_PERSISTED_TTL": ("persisted_ttl", "3600", 3600),
    "COOPGRAPH_MAX_FORWARDED_FOR_BYTES": ("max_forwarded_for_bytes", "256", 256),
}


def test_defaults() -> None:
    limits = Settings.from_env({}).limits
    assert {field: getattr(limits, field) for field, _raw, _value in VARIABLES.values()} == {
        "max_fields": 200,
        "max_introspection": 2,
        "max_json_depth": 32,
        "max_persisted_bytes": 8_192,
        "max_persisted_per_client": 100,
        "max_persisted_total": 1_000,
        "persisted_ttl": 86_400,
        "max_forwarded_for_bytes": 512,
    }


def test_each_is_read_from_its_variable() -> None:
    env = {variable: raw for variable, (_field, raw, _value) in VARIABLES.items()}
    expected: dict[str, Any] = {field: value for field, _raw, value in VARIABLES.values()}
    assert Settings.from_env(env).limits == replace(Limits(), **expected)

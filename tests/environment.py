"""Skip a test whose outside dependency is missing, unless the run requires it.

A developer without PostgreSQL or Chromium still runs everything else; CI sets
``COOPGRAPH_REQUIRE_POSTGRES`` and ``COOPGRAPH_REQUIRE_BROWSER`` so that a missing
dependency fails the run instead of quietly shrinking it.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(reason: str, *, required_by: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when the environment variable is set."""
    if os.environ.get(required_by):
        pytest.fail(f"{reason} ({required_by} is set, so this is not skipped)")
    pytest.skip(reason)

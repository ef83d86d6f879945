"""Process settings, read once from the environment.

Every knob lives on one typed object so that the CLI, the ASGI app and the tests agree
on what a setting means and on its default.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


def default_database_url() -> str:
    """An embedded SQLite file in the per-user data directory.

    A per-user directory, rather than the working directory, lets ``coopgraph serve``
    be started from anywhere and still find the database it seeded last time.
    """
    data_dir = Path(platformdirs.user_data_dir("coopgraph", appauthor=False))
    return f"sqlite:///{data_dir / 'coopgraph.sqlite3'}"


#: Where ``npm run build`` in ``web/`` writes, relative to a source checkout.
CHECKOUT_WEB_DIR = Path(__file__).resolve().parents[1] / "web" / "dist"

#: Where a wheel's data files put the same build (see pyproject's data-files).
INSTALLED_WEB_DIR = Path(sys.prefix) / "share" / "coopgraph" / "web"


def default_web_dir() -> Path:
    """The built explorer and GraphiQL files: the checkout's build, else the installed one.

    The checkout's comes first so that an editable install serves what was built last
    rather than the copy pip took when it installed; a non-editable install has no
    checkout beside it and finds the copy its wheel carried.
    """
    if CHECKOUT_WEB_DIR.is_dir() or not INSTALLED_WEB_DIR.is_dir():
        return CHECKOUT_WEB_DIR
    return INSTALLED_WEB_DIR


def _split_origins(raw: str) -> tuple[str, ...]:
    return tuple(origin.strip() for origin in raw.split(",") if origin.strip())


@dataclass(frozen=True, slots=True)
class Settings:
    """What a coopgraph process is configured with.

    Attributes:
        database_url: ``sqlite:///path`` or ``postgresql://user@host:port/db``; the
            project picks the drivers itself.
        cors_origins: Origins allowed to call the API from a browser; none by default,
            because an open API should be opened on purpose.
        readiness_timeout: Seconds ``/readyz`` waits for the database before it
            answers 503.
        web_dir: The built web files (``web/dist``) the app serves the explorer and
            GraphiQL from; kept outside the Python package so installing the package,
            editable or not, never depends on npm.
    """

    database_url: str = field(default_factory=default_database_url)
    cors_origins: tuple[str, ...] = ()
    readiness_timeout: float = 2.0
    web_dir: Path = field(default_factory=default_web_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``DATABASE_URL``, ``COOPGRAPH_CORS_ORIGINS``, ``COOPGRAPH_READINESS_TIMEOUT`` and ``COOPGRAPH_WEB_DIR``."""
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("DATABASE_URL") or default_database_url(),
            cors_origins=_split_origins(env.get("COOPGRAPH_CORS_ORIGINS", "")),
            readiness_timeout=float(env.get("COOPGRAPH_READINESS_TIMEOUT", "2.0")),
            web_dir=Path(env["COOPGRAPH_WEB_DIR"])
            if env.get("COOPGRAPH_WEB_DIR")
            else default_web_dir(),
        )

"""Where the database and the built web files are when no variable says otherwise."""

from __future__ import annotations

import sys
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

"""Process settings, read once from the environment: the bottom layer.

Every knob is one field of one typed object (``Settings``, with its ``Limits`` and
``Caching``) that names its environment variable, so the CLI, the ASGI app, the README's
table and the tests agree on what a setting means and on its default. The package
imports nothing of coopgraph's, so every layer above may read it.
"""

from coopgraph.settings.locations import (
    CHECKOUT_WEB_DIR,
    INSTALLED_WEB_DIR,
    default_database_url,
    default_web_dir,
)
from coopgraph.settings.sections import LOG_LEVELS, Caching, Limits, Logs, Settings, Transport
from coopgraph.settings.variables import FALSE_WORDS, TRUE_WORDS, SettingsError

__all__ = [
    "CHECKOUT_WEB_DIR",
    "FALSE_WORDS",
    "INSTALLED_WEB_DIR",
    "LOG_LEVELS",
    "TRUE_WORDS",
    "Caching",
    "Limits",
    "Logs",
    "Settings",
    "SettingsError",
    "Transport",
    "default_database_url",
    "default_web_dir",
]

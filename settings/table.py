"""The README's table of environment variables, written from the settings' fields.

Generated rather than written by hand so that deploying a fleet can rely on it listing
every variable with the default the code really uses; tests/test_settings.py checks the
README holds exactly this table.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from coopgraph.settings.sections import Settings
from coopgraph.settings.variables import variables


def shown(value: Any) -> str:
    """A default as the table shows it: switches as on/off, numbers with separators."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    return "none" if value is None else str(value)


def markdown_table() -> str:
    """Every variable ``Settings.from_env`` reads, its default and what it changes."""
    lines = ["| variable | default | what it sets |", "| --- | --- | --- |"]
    for variable, field, _kind in variables(Settings):
        default = variable.shown_default
        if default is None:
            default = shown(field.default)
        if field.default is dataclasses.MISSING and variable.shown_default is None:
            default = "computed at start"
        lines.append(f"| `{variable.name}` | {default} | {variable.description} |")
    return "\n".join(lines) + "\n"

"""How one environment variable becomes one typed setting.

Every setting is a dataclass field that names its variable and says what it means; the
field's type decides how the text is read, so an integer, a duration or a switch is read
the same way wherever it appears and the README's table comes from the same fields.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

#: The one vocabulary of switches: every boolean setting reads these, case-insensitively.
TRUE_WORDS = frozenset({"on", "true", "yes", "1"})
FALSE_WORDS = frozenset({"off", "false", "no", "0"})


class SettingsError(ValueError):
    """A setting's value cannot be used; the message names the variable and the value."""


@dataclasses.dataclass(frozen=True, slots=True)
class Variable:
    """What the environment says about one field: its name, meaning and shown default.

    Attributes:
        name: The environment variable, e.g. ``COOPGRAPH_MAX_COST``.
        description: One line for the README's table: what the setting changes.
        shown_default: The default as the table shows it, for defaults computed at
            start (a per-user path); None shows the field's default itself.
        check: Reads the stripped text for the few settings whose type alone does not
            say what is valid (a rate, an "off"); raises ValueError with the reason.
    """

    name: str
    description: str
    shown_default: str | None = None
    check: Callable[[str], Any] | None = None


def setting(
    name: str,
    description: str,
    default: Any = dataclasses.MISSING,
    *,
    factory: Callable[[], Any] | None = None,
    shown_default: str | None = None,
    check: Callable[[str], Any] | None = None,
) -> Any:
    """A dataclass field read from the variable ``name``; blank or unset keeps the default."""
    metadata = {"variable": Variable(name, description, shown_default, check)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def variables(section: type[Any]) -> Iterator[tuple[Variable, dataclasses.Field[Any], type[Any]]]:
    """Each variable of a settings class, its field and its type, nested sections included."""
    hints = typing.get_type_hints(section)
    for field in dataclasses.fields(section):
        kind = hints[field.name]
        variable = field.metadata.get("variable")
        if variable is not None:
            yield variable, field, kind
        elif dataclasses.is_dataclass(kind):
            yield from variables(typing.cast("type[Any]", kind))


def read(section: type[Any], env: Mapping[str, str]) -> Any:
    """An instance of ``section`` with each variable set in ``env`` read by its field's type."""
    hints = typing.get_type_hints(section)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(section):
        kind = hints[field.name]
        variable: Variable | None = field.metadata.get("variable")
        if variable is None:
            if dataclasses.is_dataclass(kind):
                values[field.name] = read(typing.cast("type[Any]", kind), env)
            continue
        raw = env.get(variable.name, "")
        if raw.strip():
            values[field.name] = parse(variable, kind, raw)
    return section(**values)


def parse(variable: Variable, kind: Any, raw: str) -> Any:
    """The value of ``raw`` as the field's type reads it, or a ``SettingsError`` naming both."""
    text = raw.strip()
    try:
        if variable.check is not None:
            return variable.check(text)
        return _PARSERS[_plain(kind)](text)
    except ValueError as error:
        msg = f"{variable.name}={raw!r} {error}"
        raise SettingsError(msg) from None


def _plain(kind: Any) -> Any:
    # ``str | None`` is read as ``str``: a blank value already means "the default".
    if isinstance(kind, types.UnionType):
        (kind,) = (member for member in typing.get_args(kind) if member is not type(None))
    return typing.get_origin(kind) or kind


def _positive(value: float) -> float:
    # float() reads "nan" and "inf", which no timeout or limit can be: NaN compares
    # false with everything, so "<= 0" alone would let it through.
    if not math.isfinite(value):
        msg = "is not a finite number"
        raise ValueError(msg)
    if value <= 0:
        msg = "must be greater than 0"
        raise ValueError(msg)
    return value


def _whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        msg = "is not a whole number"
        raise ValueError(msg) from None
    return int(_positive(value))


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        msg = "is not a number"
        raise ValueError(msg) from None
    return _positive(value)


def _switch(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    msg = f"is not one of {', '.join(sorted(TRUE_WORDS))} or {', '.join(sorted(FALSE_WORDS))}"
    raise ValueError(msg)


def _names(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


_PARSERS: dict[Any, Callable[[str], Any]] = {
    int: _whole_number,
    float: _number,
    bool: _switch,
    str: str,
    Path: Path,
    tuple: _names,
}

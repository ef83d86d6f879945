"""Error codes: defined once, in ``graph.errors.ErrorCode``, and documented exactly."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from coopgraph.graph.errors import ErrorCode

ROOT = Path(__file__).resolve().parents[3]


def readme_codes() -> list[str]:
    """The codes in the first column of the README's table under "## Errors"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [code for row in rows for code in re.findall(r"`([A-Z_]+)`", row.split("|")[1])]


def test_the_readme_lists_exactly_the_defined_codes() -> None:
    codes = readme_codes()
    assert len(codes) == len(set(codes)), "a code is listed twice"
    assert set(codes) == {code.value for code in ErrorCode}


def test_the_readme_table_is_read() -> None:
    # Guards the test above against a parser that reads nothing from a moved table.
    assert len(readme_codes()) == 25
    assert "PERSISTED_QUERY_NOT_FOUND" in readme_codes()


def spelled_codes(path: Path) -> list[str]:
    """The codes written as string constants in a module, its ``__all__`` aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exported: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            exported.update(id(constant) for constant in ast.walk(node.value))
    codes = {code.value for code in ErrorCode}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in codes and id(node) not in exported
    ]


def test_no_other_module_spells_a_code() -> None:
    """A code's string is written only in graph/errors.py among the server's sources."""
    offenders = [
        f"{path.relative_to(ROOT)}: {code}"
        for package in ("graph", "db", "coopgraph")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "graph" / "errors.py"
        for code in spelled_codes(path)
    ]
    assert offenders == []
    assert spelled_codes(ROOT / "graph" / "errors.py").count("NOT_FOUND") == 1

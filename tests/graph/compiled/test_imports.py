"""The compiled path runs without Strawberry: importing it loads no Strawberry module."""

from __future__ import annotations

import subprocess
import sys


def test_the_compiled_path_imports_no_strawberry_module() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, graph.compiled;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'strawberry'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
    # The check can fail: the standard path's types do load Strawberry.
    types = subprocess.run(
        [sys.executable, "-c", "import sys, graph.types.field; print('strawberry' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert types.stdout.strip() == "True"

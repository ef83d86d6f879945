"""Fixtures that point the GraphiQL package at a small fake asset set.

The fake set has the real one's shape (a lock, tarballs, flat files) but tiny made-up
content, so the tests need neither npm nor the network.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.graphiql import lock as lock_module
from graph.graphiql import page
from graph.graphiql.lock import AssetLock, sri_of

FAKE_FILES = {
    "react": {"umd/react.production.min.js": b"window.React = {};\n"},
    "react-dom": {"umd/react-dom.production.min.js": b"window.ReactDOM = {};\n"},
    "graphiql": {
        "graphiql.min.css": b".graphiql-container { color: black; }\n",
        "graphiql.min.js": b"window.GraphiQL = function () {};\n",
    },
}


def make_tarball(files: dict[str, bytes], *, top: str = "package") -> bytes:
    """Build an npm-style .tgz whose members live under ``top/``."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, data in files.items():
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@dataclass
class FakeAssets:
    lock_path: Path
    assets_dir: Path
    tarballs: dict[str, bytes]

    @property
    def lock(self) -> AssetLock:
        return lock_module.load_lock()

    def install_files(self) -> None:
        self.assets_dir.mkdir(parents=True, exist_ok=True)
        for files in FAKE_FILES.values():
            for path, data in files.items():
                (self.assets_dir / Path(path).name).write_bytes(data)


@pytest.fixture
def fake_assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAssets]:
    """A fake lock with matching tarballs; its assets folder starts out missing."""
    tarballs = {name: make_tarball(files) for name, files in FAKE_FILES.items()}
    packages = [
        {
            "name": name,
            "version": "1.0.0",
            "integrity": sri_of(tarballs[name], "sha512"),
            "files": {path: sri_of(data) for path, data in files.items()},
        }
        for name, files in FAKE_FILES.items()
    ]
    lock_path = tmp_path / "assets.lock.json"
    lock_path.write_text(json.dumps({"packages": packages}), encoding="utf-8")
    assets_dir = tmp_path / "assets"
    monkeypatch.setattr(lock_module, "LOCK_PATH", lock_path)
    monkeypatch.setattr(lock_module, "ASSETS_DIR", assets_dir)
    page.clear_caches()
    yield FakeAssets(lock_path=lock_path, assets_dir=assets_dir, tarballs=tarballs)
    page.clear_caches()

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from graph.graphiql import fetch
from graph.graphiql import lock as lock_module
from graph.graphiql.lock import PinnedPackage
from tests.graph.graphiql.conftest import FAKE_FILES, FakeAssets, make_tarball


def packer_from(tarballs: dict[str, bytes], calls: list[str] | None = None) -> fetch.Packer:
    def pack(package: PinnedPackage, destination: Path) -> Path:
        if calls is not None:
            calls.append(package.spec)
        destination.mkdir(parents=True, exist_ok=True)
        tarball = destination / f"{package.name}-{package.version}.tgz"
        tarball.write_bytes(tarballs[package.name])
        return tarball

    return pack


def installed(assets_dir: Path) -> dict[str, bytes]:
    if not assets_dir.exists():
        return {}
    return {path.name: path.read_bytes() for path in assets_dir.iterdir()}


def expected_files() -> dict[str, bytes]:
    return {Path(path).name: data for files in FAKE_FILES.values() for path, data in files.items()}


@pytest.fixture
def npm_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: "/fake/npm")


@pytest.mark.usefixtures("npm_on_path")
def test_installs_only_the_pinned_files_then_does_nothing(
    fake_assets: FakeAssets, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[str] = []

    def factory(_npm: str) -> fetch.Packer:
        return packer_from(fake_assets.tarballs, calls)

    assert fetch.run(fake_assets.lock, fake_assets.assets_dir, factory) == 0
    assert installed(fake_assets.assets_dir) == expected_files()
    assert calls == ["react@1.0.0", "react-dom@1.0.0", "graphiql@1.0.0"]
    assert "installed 4 files" in capsys.readouterr().out

    assert fetch.run(fake_assets.lock, fake_assets.assets_dir, factory) == 0
    assert calls == ["react@1.0.0", "react-dom@1.0.0", "graphiql@1.0.0"]
    assert "up to date" in capsys.readouterr().out


@pytest.mark.usefixtures("npm_on_path")
def test_repairs_a_modified_file(fake_assets: FakeAssets) -> None:
    fake_assets.install_files()
    (fake_assets.assets_dir / "graphiql.min.css").write_bytes(b"body { display: none }")

    def factory(_npm: str) -> fetch.Packer:
        return packer_from(fake_assets.tarballs)

    assert fetch.run(fake_assets.lock, fake_assets.assets_dir, factory) == 0
    assert installed(fake_assets.assets_dir) == expected_files()


@pytest.mark.usefixtures("npm_on_path")
def test_a_tampered_tarball_is_rejected_and_nothing_is_installed(
    fake_assets: FakeAssets, capsys: pytest.CaptureFixture[str]
) -> None:
    tampered = dict(fake_assets.tarballs)
    tampered["graphiql"] = make_tarball(
        {
            "graphiql.min.css": FAKE_FILES["graphiql"]["graphiql.min.css"],
            "graphiql.min.js": b"window.GraphiQL = function () { steal(); };\n",
        }
    )

    def factory(_npm: str) -> fetch.Packer:
        return packer_from(tampered)

    with pytest.raises(fetch.IntegrityError, match=r"integrity check failed for graphiql@1\.0\.0"):
        fetch.install(fake_assets.lock, fake_assets.assets_dir, factory("npm"))
    assert installed(fake_assets.assets_dir) == {}

    assert fetch.run(fake_assets.lock, fake_assets.assets_dir, factory) == 1
    error = capsys.readouterr().err
    assert "integrity check failed for graphiql@1.0.0" in error
    assert "nothing was installed" in error
    assert installed(fake_assets.assets_dir) == {}


def test_a_file_that_differs_from_its_pin_is_rejected(fake_assets: FakeAssets) -> None:
    # The tarball is the pinned one, but the lock's per-file hash is not: both checks
    # must hold, so a lock edited by hand cannot slip a different file through.
    lock = fake_assets.lock
    react = lock.packages[0]
    wrong = dataclasses.replace(react.files[0], sri="sha384-AAAA")
    bad_lock = lock_module.AssetLock(
        packages=(PinnedPackage(react.name, react.version, react.integrity, (wrong,)),)
    )

    with pytest.raises(fetch.IntegrityError, match=r"umd/react\.production\.min\.js"):
        fetch.install(bad_lock, fake_assets.assets_dir, packer_from(fake_assets.tarballs))
    assert installed(fake_assets.assets_dir) == {}


def test_a_tarball_without_a_pinned_file_is_rejected(fake_assets: FakeAssets) -> None:
    tarballs = dict(fake_assets.tarballs)
    tarballs["react"] = make_tarball({"index.js": b""})
    lock = fake_assets.lock
    react = lock.packages[0]
    patched = lock_module.AssetLock(
        packages=(
            PinnedPackage(
                react.name,
                react.version,
                lock_module.sri_of(tarballs["react"], "sha512"),
                react.files,
            ),
        )
    )

    with pytest.raises(fetch.IntegrityError, match=r"has no file umd/react\.production\.min\.js"):
        fetch.install(patched, fake_assets.assets_dir, packer_from(tarballs))


def test_without_npm_it_says_so_in_one_line_and_succeeds(
    fake_assets: FakeAssets, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)

    assert fetch.run(fake_assets.lock, fake_assets.assets_dir) == 0

    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "npm is not on PATH" in out
    assert installed(fake_assets.assets_dir) == {}


def test_a_failing_npm_is_reported_in_one_line_and_succeeds(
    fake_assets: FakeAssets,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(
        "#!/bin/sh\n"
        "echo 'npm error code ENOTFOUND' >&2\n"
        "echo 'npm error network request failed' >&2\n"
        "exit 1\n"
    )
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")

    assert fetch.run(fake_assets.lock, fake_assets.assets_dir) == 0

    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "npm pack react@1.0.0 failed: npm error code ENOTFOUND" in out
    assert "public CDN" in out
    assert installed(fake_assets.assets_dir) == {}


def test_npm_packer_packs_by_name_and_version_into_the_destination(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in npm records its arguments and writes the tarball where it was asked,
    # which is how the real one behaves with --pack-destination.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text('#!/bin/sh\necho "$@" > "$4/args"\nprintf tarball > "$4/react-1.0.0.tgz"\n')
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    package = PinnedPackage("react", "1.0.0", "sha512-x", ())

    tarball = fetch.npm_packer(str(npm))(package, tmp_path / "out")

    assert tarball == tmp_path / "out" / "react-1.0.0.tgz"
    args = (tmp_path / "out" / "args").read_text().split()
    assert args[:4] == ["pack", "react@1.0.0", "--pack-destination", str(tmp_path / "out")]
    assert "--ignore-scripts" in args

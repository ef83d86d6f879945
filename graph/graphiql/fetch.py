"""Install GraphiQL's pinned browser assets from npm: ``python -m graph.graphiql.fetch``.

Third-party minified bundles are never committed. Instead this installer asks npm for
each package named in ``assets.lock.json`` by name and exact version, checks the packed
tarball against the pinned sha512 before reading anything out of it, and copies only the
UMD files the page needs into the gitignored ``assets/`` folder.

It is safe to run on every setup: when the installed files already match the lock it
does nothing. When npm is absent or cannot reach the registry it says so in one line
and exits 0, because the page still works online through its CDN fallback; only an
integrity failure, which means the bytes offered are not the pinned ones, exits 1.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from graph.graphiql import lock as lock_module
from graph.graphiql.lock import AssetLock, PinnedFile, PinnedPackage, sri_matches, sri_of

# Generous, because a cold npm cache may pack a few megabytes over a slow link, but
# bounded so a hung registry connection cannot stall setup scripts forever.
NPM_TIMEOUT_SECONDS = 300.0

_PREFIX = "GraphiQL assets:"
_FALLBACK_NOTE = "/graphql will load GraphiQL from the public CDN instead (needs internet)"

Packer = Callable[[PinnedPackage, Path], Path]
"""Packs one pinned package into a folder and returns the tarball's path."""


class PackError(RuntimeError):
    """npm could not produce a tarball; the page's CDN fallback still covers this."""


class IntegrityError(RuntimeError):
    """A tarball or file is not the pinned one, so nothing may be installed from it."""


def npm_packer(npm: str) -> Packer:
    """Build a :data:`Packer` that runs ``npm pack`` with the given executable.

    Args:
        npm: The path of the npm executable, already resolved on PATH.

    Returns:
        A packer that packs by package name and exact version, so npm resolves the
        registry from its own configuration and nothing here names a host.
    """

    def pack(package: PinnedPackage, destination: Path) -> Path:
        destination.mkdir(parents=True, exist_ok=True)
        command = [
            npm,
            "pack",
            package.spec,
            "--pack-destination",
            str(destination),
            # A registry spec runs no lifecycle scripts today; saying so guards against
            # npm ever changing that for a package we only want bytes from.
            "--ignore-scripts",
            "--prefer-offline",
            "--no-fund",
            "--no-audit",
        ]
        try:
            # The command is a fixed argument list with a pinned spec; no shell is used.
            completed = subprocess.run(  # noqa: S603
                command,
                cwd=destination,
                capture_output=True,
                text=True,
                timeout=NPM_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            msg = f"npm pack {package.spec} could not run ({error})"
            raise PackError(msg) from error
        if completed.returncode != 0:
            msg = f"npm pack {package.spec} failed: {_first_error_line(completed.stderr)}"
            raise PackError(msg)
        tarballs = sorted(destination.glob("*.tgz"))
        if len(tarballs) != 1:
            msg = f"npm pack {package.spec} left {len(tarballs)} tarballs, expected one"
            raise PackError(msg)
        return tarballs[0]

    return pack


def _first_error_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no error output"
    # npm's first line is often a generic banner; its "code" line names the cause.
    for line in lines:
        if " code " in f" {line} ":
            return line[:200]
    return lines[0][:200]


def verify_tarball(package: PinnedPackage, tarball: Path) -> bytes:
    """Check a packed tarball against the pinned sha512 and return its bytes.

    The bytes that were hashed are the bytes later read, so the file cannot change
    between the check and the extraction.

    Args:
        package: The pin the tarball should match.
        tarball: The packed file.

    Returns:
        The verified tarball content.

    Raises:
        IntegrityError: When the hash differs from the lock's ``integrity``.
    """
    data = tarball.read_bytes()
    if not sri_matches(data, package.integrity):
        msg = (
            f"integrity check failed for {package.spec}: the packed tarball is "
            f"{sri_of(data, 'sha512')}, but {lock_module.LOCK_PATH.name} pins "
            f"{package.integrity}; nothing was installed"
        )
        raise IntegrityError(msg)
    return data


def _read_member(package: PinnedPackage, tarball: bytes, file: PinnedFile) -> bytes:
    # Files are read by name into memory and written under their flat lock name, so a
    # hostile member path can never steer a write outside the assets folder.
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            inner = PurePosixPath(*PurePosixPath(member.name).parts[1:])
            if member.isfile() and str(inner) == file.path:
                extracted = archive.extractfile(member)
                if extracted is not None:
                    return extracted.read()
    msg = f"{package.spec} has no file {file.path}; nothing was installed"
    raise IntegrityError(msg)


def _collect(package: PinnedPackage, tarball: bytes) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for file in package.files:
        data = _read_member(package, tarball, file)
        if not sri_matches(data, file.sri):
            msg = (
                f"integrity check failed for {package.spec}/{file.path}: it is "
                f"{sri_of(data, file.sri.partition('-')[0])}, the lock pins {file.sri}; "
                "nothing was installed"
            )
            raise IntegrityError(msg)
        files[file.name] = data
    return files


def _write_atomically(target: Path, data: bytes) -> None:
    # A server running during the install must never serve a half-written file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp creates owner-only files; a server running as another user must
        # still be able to read what it serves.
        Path(temporary).chmod(0o644)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def install(lock: AssetLock, assets_dir: Path, packer: Packer) -> list[Path]:
    """Pack, verify and extract every pinned file into ``assets_dir``.

    Every package is packed and every hash checked before the first file is written,
    so a failure of any kind leaves the folder as it was.

    Args:
        lock: The pinned set.
        assets_dir: The folder to install into; created when missing.
        packer: Produces each package's tarball (``npm pack`` outside tests).

    Returns:
        The paths written, in lock order.

    Raises:
        PackError: When a tarball could not be produced.
        IntegrityError: When a tarball or a file in it does not match the lock.
    """
    staged: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="graphiql-pack-") as scratch:
        for package in lock.packages:
            tarball = packer(package, Path(scratch) / package.name)
            staged.update(_collect(package, verify_tarball(package, tarball)))
    assets_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in staged.items():
        target = assets_dir / name
        _write_atomically(target, data)
        written.append(target)
    return written


def run(
    lock: AssetLock,
    assets_dir: Path,
    packer_factory: Callable[[str], Packer] = npm_packer,
) -> int:
    """Bring ``assets_dir`` up to date and report the outcome in one line.

    Args:
        lock: The pinned set.
        assets_dir: The folder to install into.
        packer_factory: Builds the packer from the npm executable's path.

    Returns:
        The process exit code: 0 when installed, already current, or npm is unusable
        (the page falls back to the CDN); 1 when an integrity check failed.
    """
    if lock_module.installed_mismatch(lock, assets_dir) is None:
        print(f"{_PREFIX} up to date in {assets_dir}")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print(f"{_PREFIX} npm is not on PATH, so nothing was installed; {_FALLBACK_NOTE}")
        return 0
    try:
        written = install(lock, assets_dir, packer_factory(npm))
    except PackError as error:
        print(f"{_PREFIX} {error}; nothing was installed; {_FALLBACK_NOTE}")
        return 0
    except IntegrityError as error:
        print(f"{_PREFIX} {error}", file=sys.stderr)
        return 1
    pins = ", ".join(package.spec for package in lock.packages)
    print(f"{_PREFIX} installed {len(written)} files from {pins} into {assets_dir}")
    return 0


def main() -> int:
    """Run the installer against the committed lock and the package's assets folder.

    Returns:
        The process exit code, see :func:`run`.
    """
    return run(lock_module.load_lock(), lock_module.ASSETS_DIR)


if __name__ == "__main__":
    raise SystemExit(main())

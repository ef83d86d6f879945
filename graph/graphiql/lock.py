"""The pinned GraphiQL asset set and the hashes that prove a copy of it is genuine.

Both the installer and the page read ``assets.lock.json`` through this module, so the
versions that are fetched, the files that are served and the SRI attributes the browser
checks can never drift apart.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent

LOCK_PATH = PACKAGE_DIR / "assets.lock.json"
"""The committed pin list; tests point this at a lock of their own."""

ASSETS_DIR = PACKAGE_DIR / "assets"
"""Where the installer extracts files and the app serves them from (gitignored)."""

# SRI names a hash by its hashlib name; only the SHA-2 family is accepted because that
# is what both npm's dist.integrity and browsers' integrity attributes use.
_SRI_ALGORITHMS = frozenset({"sha256", "sha384", "sha512"})


class LockError(ValueError):
    """The lock file is malformed, so nothing it describes can be trusted."""


@dataclass(frozen=True)
class PinnedFile:
    """One file taken out of a pinned package and served by the app.

    Attributes:
        package: The npm package name the file comes from.
        version: The exact package version.
        path: The file's path inside the package (without the tarball's top folder).
        sri: The file's ``sha384-...`` subresource-integrity value.
    """

    package: str
    version: str
    path: str
    sri: str

    @property
    def name(self) -> str:
        """The flat file name it is stored and served under.

        Flat names keep the asset URLs short and stable across version bumps; the lock
        loader rejects sets in which two files would collide.
        """
        return PurePosixPath(self.path).name

    @property
    def is_stylesheet(self) -> bool:
        return self.path.endswith(".css")


@dataclass(frozen=True)
class PinnedPackage:
    """An exact npm package version and the tarball hash the registry published for it.

    Attributes:
        name: The npm package name.
        version: The exact version, never a range, so every install packs the same bytes.
        integrity: The registry's ``dist.integrity`` (``sha512-...``) for the tarball.
        files: The files the app needs from it, in the order the page loads them.
    """

    name: str
    version: str
    integrity: str
    files: tuple[PinnedFile, ...]

    @property
    def spec(self) -> str:
        """The ``name@version`` spec npm understands."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class AssetLock:
    """The whole pinned set, in the order the page must load it.

    Attributes:
        packages: The packages; React must precede ReactDOM and GraphiQL, which expect
            it as a global.
    """

    packages: tuple[PinnedPackage, ...]

    @property
    def files(self) -> tuple[PinnedFile, ...]:
        return tuple(file for package in self.packages for file in package.files)


def sri_of(data: bytes, algorithm: str = "sha384") -> str:
    """Return the subresource-integrity string of ``data``.

    Args:
        data: The bytes to hash.
        algorithm: A hashlib name from the SHA-2 family.

    Returns:
        ``"<algorithm>-<base64 digest>"``, the form browsers and npm both use.
    """
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode('ascii')}"


def sri_matches(data: bytes, expected: str) -> bool:
    """Tell whether ``data`` hashes to the SRI string ``expected``.

    Args:
        data: The bytes to check.
        expected: An SRI string such as ``sha512-...``.

    Returns:
        True only when the algorithm is a SHA-2 one and the digests are equal.
    """
    algorithm, _, _ = expected.partition("-")
    if algorithm not in _SRI_ALGORITHMS:
        return False
    # Constant-time comparison costs nothing here and removes a question from review.
    return hmac.compare_digest(sri_of(data, algorithm), expected)


def _require_str(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        msg = f"{LOCK_PATH.name}: {where} needs a non-empty string {key!r}"
        raise LockError(msg)
    return value


def _parse_package(entry: Any) -> PinnedPackage:
    if not isinstance(entry, dict):
        msg = f"{LOCK_PATH.name}: every package must be an object"
        raise LockError(msg)
    name = _require_str(entry, "name", "a package")
    version = _require_str(entry, "version", name)
    integrity = _require_str(entry, "integrity", name)
    # The lock promises sha512 tarball pins; a weaker or unknown algorithm would make
    # the installer's check meaningless, so it is refused up front.
    if not integrity.startswith("sha512-"):
        msg = f"{LOCK_PATH.name}: {name} integrity must be a sha512- SRI value"
        raise LockError(msg)
    raw_files = entry.get("files")
    if not isinstance(raw_files, dict) or not raw_files:
        msg = f"{LOCK_PATH.name}: {name} needs a non-empty 'files' object"
        raise LockError(msg)
    files = []
    for path, sri in raw_files.items():
        if not isinstance(sri, str) or sri.partition("-")[0] not in _SRI_ALGORITHMS:
            msg = f"{LOCK_PATH.name}: {name}/{path} needs a sha256/384/512 SRI value"
            raise LockError(msg)
        files.append(PinnedFile(package=name, version=version, path=path, sri=sri))
    return PinnedPackage(name=name, version=version, integrity=integrity, files=tuple(files))


def parse_lock(text: str) -> AssetLock:
    """Parse and validate the lock file's JSON text.

    Args:
        text: The content of ``assets.lock.json``.

    Returns:
        The validated pinned set.

    Raises:
        LockError: When the JSON is malformed, a pin is incomplete, or two files would
            be served under the same name.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"{LOCK_PATH.name} is not valid JSON: {error}"
        raise LockError(msg) from error
    raw_packages = document.get("packages") if isinstance(document, dict) else None
    if not isinstance(raw_packages, list) or not raw_packages:
        msg = f"{LOCK_PATH.name} needs a non-empty 'packages' list"
        raise LockError(msg)
    lock = AssetLock(packages=tuple(_parse_package(entry) for entry in raw_packages))
    names = [file.name for file in lock.files]
    if len(set(names)) != len(names):
        msg = f"{LOCK_PATH.name}: two pinned files share a name, so one would shadow the other"
        raise LockError(msg)
    return lock


@functools.cache
def _load(path: Path) -> AssetLock:
    return parse_lock(path.read_text(encoding="utf-8"))


def load_lock() -> AssetLock:
    """Return the pinned set from :data:`LOCK_PATH`, parsed once per path per process."""
    return _load(LOCK_PATH)


def clear_cache() -> None:
    """Forget parsed locks, so a test that swaps :data:`LOCK_PATH` content sees it."""
    _load.cache_clear()


def installed_mismatch(lock: AssetLock, assets_dir: Path) -> str | None:
    """Explain why ``assets_dir`` does not hold exactly the pinned files, if it does not.

    Hashing every file (about 4 MB) on each check is cheap next to serving a file the
    browser would then refuse for failing its integrity attribute.

    Args:
        lock: The pinned set.
        assets_dir: The folder the files should be in.

    Returns:
        None when every pinned file is present with the pinned hash, else a short reason.
    """
    if not assets_dir.is_dir():
        return f"the folder {assets_dir} does not exist"
    for file in lock.files:
        target = assets_dir / file.name
        if not target.is_file():
            return f"{target} is missing"
        if not sri_matches(target.read_bytes(), file.sri):
            return f"{target} does not match the pinned {file.package}@{file.version}"
    return None

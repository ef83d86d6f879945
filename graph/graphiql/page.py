"""The GraphiQL page at ``GET /graphql`` and the route that serves its assets.

Strawberry's stock page pulls React and GraphiQL from a public CDN, so without internet
it never gets past "Loading...". This page loads the same pinned builds from the app
itself and opens every example query of the contract as its own tab. Only when the
assets are missing or altered does it fall back to the CDN, and then it says why in the
server log once.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.resources
import json
import logging
import re
import threading
from dataclasses import dataclass
from string import Template
from typing import Any

import anyio
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from graph.graphiql import lock as lock_module
from graph.graphiql.lock import PinnedFile

logger = logging.getLogger(__name__)

ASSETS_URL_PATH = "/graphiql/assets"
"""The URL prefix the asset files are served under."""

_QUERIES_PACKAGE = "graph"
_QUERIES_PATH = ("contract", "queries")

# The fallback must never name a CDN host of its own: it reuses whatever CDN Strawberry's
# bundled page points at, found as the prefix before a versioned React URL there.
_STRAWBERRY_PAGE = ("strawberry", ("static", "graphiql.html"))
_CDN_PREFIX = re.compile(r"""["'](https://[^"'\s]+?/)react@\d""")

_fallback_warned = threading.Event()


@dataclass(frozen=True)
class ExampleQuery:
    """One example operation shipped in ``graph/contract/queries``.

    Attributes:
        name: The file name without ``.graphql``.
        title: The file's leading ``#`` comment, or the name when it has none.
        query: The full document, comment included, as the tab shows it.
    """

    name: str
    title: str
    query: str


def example_queries() -> tuple[ExampleQuery, ...]:
    """Read the example operations, sorted by file name.

    They are read as package data of ``graph`` so an installed wheel finds them as
    well as a source checkout does.

    Returns:
        One entry per ``.graphql`` file.
    """
    folder = importlib.resources.files(_QUERIES_PACKAGE).joinpath(*_QUERIES_PATH)
    examples = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".graphql"):
            continue
        query = entry.read_text(encoding="utf-8")
        name = entry.name.removesuffix(".graphql")
        first_line = query.lstrip().partition("\n")[0]
        title = first_line.lstrip("#").strip() if first_line.startswith("#") else name
        examples.append(ExampleQuery(name=name, title=title or name, query=query))
    return tuple(examples)


def graphiql_assets_available() -> bool:
    """Tell whether every pinned asset is installed locally with its pinned hash.

    Returns:
        True when the page can be served without any outside host.
    """
    return _missing_assets_reason() is None


def _missing_assets_reason() -> str | None:
    return lock_module.installed_mismatch(lock_module.load_lock(), lock_module.ASSETS_DIR)


@functools.cache
def _cdn_prefix() -> str | None:
    package, parts = _STRAWBERRY_PAGE
    try:
        page = importlib.resources.files(package).joinpath(*parts).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return None
    match = _CDN_PREFIX.search(page)
    return match.group(1) if match else None


def _warn_missing_assets(reason: str) -> None:
    # Once per process: it reports a setup step to fix once, and repeating it for
    # every endpoint or page view would bury everything else in the log.
    if _fallback_warned.is_set():
        return
    _fallback_warned.set()
    logger.warning(
        "GraphiQL assets are not installed (%s), so /graphql loads GraphiQL from the "
        "public CDN, which fails without internet; run 'python -m graph.graphiql.fetch' "
        "with npm available to install them.",
        reason,
    )


def _asset_url(file: PinnedFile, cdn_prefix: str | None) -> str:
    if cdn_prefix is None:
        return f"{ASSETS_URL_PATH}/{file.name}"
    return f"{cdn_prefix}{file.package}@{file.version}/{file.path}"


def _asset_tags(files: tuple[PinnedFile, ...], cdn_prefix: str | None) -> tuple[str, str]:
    # Same-origin files need no CORS mode for SRI; CDN files do, or the browser
    # refuses to check (and so to run) them.
    cors = ' crossorigin="anonymous"' if cdn_prefix else ""
    stylesheets, scripts = [], []
    for file in files:
        url = html.escape(_asset_url(file, cdn_prefix))
        integrity = html.escape(file.sri)
        if file.is_stylesheet:
            stylesheets.append(
                f'<link rel="stylesheet" href="{url}" integrity="{integrity}"{cors} />'
            )
        else:
            scripts.append(f'<script src="{url}" integrity="{integrity}"{cors}></script>')
    return "\n    ".join(stylesheets), "\n    ".join(scripts)


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside a ``<script>`` element.

    Example queries are free text, so a ``</script>`` or ``<!--`` in one must not end
    or comment out the element that carries it; escaping ``<``, ``>`` and ``&`` as
    JSON unicode escapes keeps the data intact for ``JSON.parse``.

    Args:
        value: Any JSON-serialisable value.

    Returns:
        The JSON text with no raw ``<``, ``>`` or ``&``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page_config(endpoint: str) -> dict[str, Any]:
    tabs = [{"query": example.query} for example in example_queries()]
    # GraphiQL derives each tab's title from its operation name; the files' leading
    # comment stays in the query text, where it reads as the tab's description.
    fingerprint = hashlib.sha256(json.dumps(tabs).encode("utf-8")).hexdigest()[:12]
    return {
        "endpoint": endpoint,
        "tabs": tabs,
        "storageNamespace": f"coopgraph-graphiql-{fingerprint}",
    }


@functools.cache
def render_graphiql_page(endpoint: str = "/graphql") -> str:
    """Render the GraphiQL page, cached because nothing in it changes while running.

    Args:
        endpoint: The URL GraphiQL posts operations to, relative to the page or absolute.

    Returns:
        The complete HTML document. It loads local assets when they are installed, and
        otherwise the same pinned versions from Strawberry's CDN after logging one
        warning that explains how to install them.
    """
    reason = _missing_assets_reason()
    cdn_prefix = None
    if reason is not None:
        cdn_prefix = _cdn_prefix()
        if cdn_prefix is None:
            reason += "; no CDN could be found in Strawberry's page to fall back to either"
        _warn_missing_assets(reason)
    stylesheets, scripts = _asset_tags(lock_module.load_lock().files, cdn_prefix)
    template = Template(
        importlib.resources.files("graph.graphiql")
        .joinpath("page.html")
        .read_text(encoding="utf-8")
    )
    return template.substitute(
        stylesheets=stylesheets, scripts=scripts, config=json_for_script(_page_config(endpoint))
    )


class _AssetFiles(StaticFiles):
    """Static files that answer 404, not 500, while the assets folder does not exist.

    Starlette treats a missing folder as a configuration error, but here it is an
    expected state (npm was unavailable) in which the page uses the CDN anyway.
    """

    async def check_config(self) -> None:
        if self.directory is not None and not await anyio.Path(self.directory).is_dir():
            return
        await super().check_config()


def graphiql_assets_route() -> Mount:
    """Build the route that serves the installed assets under :data:`ASSETS_URL_PATH`.

    Returns:
        A mount named ``graphiql-assets``, to add to the Starlette app's routes.
    """
    return Mount(
        ASSETS_URL_PATH,
        app=_AssetFiles(directory=lock_module.ASSETS_DIR, check_dir=False),
        name="graphiql-assets",
    )


def clear_caches() -> None:
    """Forget the rendered pages, the lock, the CDN prefix and the one-time warning.

    Only tests need this, to render again after pointing the package at other files.
    """
    render_graphiql_page.cache_clear()
    _fallback_warned.clear()
    _cdn_prefix.cache_clear()
    lock_module.clear_cache()

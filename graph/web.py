"""The built web files: the explorer at ``/`` and every script and style under ``/static``.

``web/`` builds them with npm and Vite into one flat folder (``web/dist``), outside the
Python package; :class:`settings.Settings` says where it is. The server only
serves that folder: it never runs npm, and without a build it answers with a page that
says how to make one instead of a page that loads forever.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import anyio
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC_URL_PATH = "/static"
"""The URL prefix of the built files; Vite's ``base`` in ``web/vite.config.js``."""

BUILD_COMMAND = "scripts/install"
"""What builds the files from a checkout (``npm ci --ignore-scripts`` and ``npm run build`` in ``web/``)."""

_EXPLORER_PAGE = "index.html"
_REQUIRED = (_EXPLORER_PAGE, "explorer.js", "graphiql.js", "graphiql.css")


@dataclass(frozen=True)
class WebBuild:
    """One folder of built web files.

    Attributes:
        directory: The folder ``npm run build`` wrote (or a wheel installed).
    """

    directory: Path

    def missing_reason(self) -> str | None:
        """Say why the folder cannot serve the pages, or None when it can.

        Checked on each page request, not once at start-up, so a build made while the
        server runs is picked up without a restart.
        """
        if not self.directory.is_dir():
            return f"the folder {self.directory} does not exist"
        missing = [name for name in _REQUIRED if not (self.directory / name).is_file()]
        if missing:
            return f"{self.directory} has no {', '.join(missing)}"
        return None

    def not_built_page(self, reason: str, *, what: str) -> str:
        """A small self-contained page that explains the missing build, without script.

        Args:
            reason: From :meth:`missing_reason`.
            what: The page that could not be shown ("The explorer", "GraphiQL").
        """
        return (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8" />'
            '<meta name="viewport" content="width=device-width, initial-scale=1" />'
            f"<title>coopgraph · not built</title></head><body>"
            f'<main id="not-built"><h1>{html.escape(what)} is not built</h1>'
            f"<p>{html.escape(reason)}.</p>"
            f"<p>In the checkout, run <code>{BUILD_COMMAND}</code> (npm installs the locked "
            "packages and builds <code>web/dist</code>), or point "
            "<code>COOPGRAPH_WEB_DIR</code> at a built <code>web/dist</code>. "
            "The GraphQL API at <code>/graphql</code> works without it.</p></main></body></html>\n"
        )


class _BuiltFiles(StaticFiles):
    """Static files that answer 404, not 500, while the build folder does not exist.

    Starlette treats a missing folder as a configuration error; here it is a state the
    pages explain (nothing was built yet).
    """

    async def check_config(self) -> None:
        if self.directory is not None and not await anyio.Path(self.directory).is_dir():
            return
        await super().check_config()


def web_routes(build: WebBuild) -> list[BaseRoute]:
    """The explorer page and the built files, to add to the app's routes.

    Args:
        build: Where the built files are.

    Returns:
        ``GET /`` (the explorer; its views live in the URL's fragment, so this is its
        only path) and the ``/static`` mount.
    """

    async def explorer(_request: Request) -> Response:
        reason = build.missing_reason()
        if reason is not None:
            return HTMLResponse(build.not_built_page(reason, what="The explorer"), status_code=503)
        # Read per request: a few kilobytes, and a rebuild shows up without a restart.
        page = await anyio.Path(build.directory / _EXPLORER_PAGE).read_text(encoding="utf-8")
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    return [
        Route("/", explorer, methods=["GET"], name="explorer"),
        Mount(
            STATIC_URL_PATH,
            app=_BuiltFiles(directory=build.directory, check_dir=False),
            name="static",
        ),
    ]

"""GraphiQL in a real headless Chromium that can reach nothing but loopback.

Every host other than 127.0.0.1 is made unresolvable, so the page only works if the
app serves all of it. Uses the project's seeded app through the ``live_url`` fixture
when ``tests/conftest.py`` provides one, else a small Strawberry app of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.asgi import GraphQL

from graph.graphiql import (
    example_queries,
    graphiql_assets_available,
    graphiql_assets_route,
    render_graphiql_page,
)
from tests.live_server import serve

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "graphiql-offline.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 30_000

# CodeMirror 5 keeps its editor object on the wrapper element; going through it sets and
# reads whole documents, where the DOM only holds the lines currently scrolled into view.
_QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
_RESULT_EDITOR = ".graphiql-response .CodeMirror"
_RESULT_CONTAINS = """([selector, text]) => {
    const editor = document.querySelector(selector);
    return Boolean(editor && editor.CodeMirror.getValue().includes(text));
}"""


@strawberry.type(name="Query")
class _Query:
    @strawberry.field
    def greeting(self) -> str:
        return "hello from the local test app"


class _GraphQLWithLocalGraphiQL(GraphQL[None, None]):
    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(render_graphiql_page())


def _local_app() -> Starlette:
    schema = strawberry.Schema(query=_Query)
    app = Starlette(routes=[graphiql_assets_route()])
    app.add_route("/graphql", _GraphQLWithLocalGraphiQL(schema))
    return app


@dataclass(frozen=True)
class Server:
    base_url: str
    is_project_app: bool


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    if not graphiql_assets_available():
        pytest.skip("GraphiQL assets are not installed: run python -m graph.graphiql.fetch")
    try:
        live_url: str = request.getfixturevalue("live_url")
    except pytest.FixtureLookupError:
        with serve(_local_app()) as url:
            yield Server(base_url=url, is_project_app=False)
    else:
        yield Server(base_url=live_url, is_project_app=True)


def _run_and_wait(page: object, expected: str) -> str:
    from playwright.sync_api import Page  # noqa: PLC0415

    assert isinstance(page, Page)
    page.locator(".graphiql-execute-button").click()
    page.wait_for_function(_RESULT_CONTAINS, arg=[_RESULT_EDITOR, expected], timeout=TIMEOUT_MS)
    result: str = page.evaluate(
        "(selector) => document.querySelector(selector).CodeMirror.getValue()", _RESULT_EDITOR
    )
    return result


def test_graphiql_runs_a_query_with_no_outside_network(server: Server) -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    requested: list[str] = []
    page_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.on("request", lambda req: requested.append(req.url))
            page.on("pageerror", lambda error: page_errors.append(str(error)))

            page.goto(f"{server.base_url}/graphql", wait_until="load")
            page.locator(_QUERY_EDITOR).wait_for(state="visible", timeout=TIMEOUT_MS)

            tab_titles = page.locator(".graphiql-tab").all_inner_texts()
            assert len(tab_titles) == len(example_queries())

            if server.is_project_app:
                # The first tab holds the first example unchanged, against seeded data.
                result = _run_and_wait(page, '"data"')
                assert '"errors"' not in result
                page.screenshot(path=str(SCREENSHOT))

            page.evaluate(
                "([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text)",
                [_QUERY_EDITOR, "{ __typename }"],
            )
            result = _run_and_wait(page, '"__typename": "Query"')
            assert '"data"' in result
            if not server.is_project_app:
                page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()

    assert page_errors == []
    outside = [url for url in requested if urlsplit(url).hostname not in {"127.0.0.1", None}]
    assert outside == [], f"the page asked for outside resources: {outside}"
    assert any("/graphiql/assets/graphiql.min.js" in url for url in requested)

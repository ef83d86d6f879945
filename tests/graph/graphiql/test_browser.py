"""GraphiQL in a real headless Chromium that can reach nothing but loopback.

Every host other than 127.0.0.1 is made unresolvable, so the page only works if the
app serves all of it. Uses the project's seeded app through the ``live_url`` fixture
(the real app on seeded data, per database backend) and, separately, a minimal
Strawberry app of its own that needs no database.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import strawberry
from playwright.sync_api import Page, sync_playwright
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
from graph.graphiql import lock as lock_module
from graph.graphiql import page as page_module
from tests.environment import unavailable
from tests.live_server import serve

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
#: The screenshot in docs/ is refreshed only on request, so a test run leaves the tree clean.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "graphiql-offline.png"
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
_RESULT_EDITOR = ".result-window .CodeMirror"
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
    # Starlette routes a path to a whole ASGI app at run time; its stubs only know
    # request handlers.
    app.add_route("/graphql", _GraphQLWithLocalGraphiQL(schema))  # type: ignore[arg-type]
    return app


@pytest.fixture
def browser_ready() -> None:
    if not CHROMIUM.exists():
        unavailable(
            f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
            required_by="COOPGRAPH_REQUIRE_BROWSER",
        )
    if not graphiql_assets_available():
        unavailable(
            "GraphiQL assets are not installed: run python -m graph.graphiql.fetch",
            required_by="COOPGRAPH_REQUIRE_BROWSER",
        )


def _run_and_wait(page: Page, expected: str) -> str:
    page.locator(".graphiql-execute-button").click()
    page.wait_for_function(_RESULT_CONTAINS, arg=[_RESULT_EDITOR, expected], timeout=TIMEOUT_MS)
    result: str = page.evaluate(
        "(selector) => document.querySelector(selector).CodeMirror.getValue()", _RESULT_EDITOR
    )
    return result


def _drive_graphiql(base_url: str, *, run_first_example: bool, screenshot: Path) -> None:
    """Open GraphiQL, run a query, and check the browser asked only the app for anything."""
    requested: list[str] = []
    page_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.on("request", lambda request: requested.append(request.url))
            page.on("pageerror", lambda error: page_errors.append(str(error)))

            page.goto(f"{base_url}/graphql", wait_until="load")
            page.locator(_QUERY_EDITOR).wait_for(state="visible", timeout=TIMEOUT_MS)
            tab_titles = page.locator(".graphiql-tab").all_inner_texts()
            assert len(tab_titles) == len(example_queries())

            if run_first_example:
                # The first tab holds the first example unchanged, run on seeded data.
                result = _run_and_wait(page, '"data"')
                assert '"errors"' not in result
                page.screenshot(path=str(screenshot))

            page.evaluate(
                "([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text)",
                [_QUERY_EDITOR, "{ __typename }"],
            )
            # GraphiQL picks up an edit after a debounce; running sooner would send the
            # new text with the old tab's operation name and get "Unknown operation".
            page.locator(".graphiql-tab-active").get_by_text("<untitled>").wait_for(
                timeout=TIMEOUT_MS
            )
            result = _run_and_wait(page, '"__typename": "Query"')
            assert '"data"' in result
            if not run_first_example:
                page.screenshot(path=str(screenshot))
        finally:
            browser.close()

    assert page_errors == []
    outside = [url for url in requested if urlsplit(url).hostname not in {"127.0.0.1", None}]
    assert outside == [], f"the page asked for outside resources: {outside}"
    assert any(url.endswith("/graphiql/assets/graphiql.min.js") for url in requested)


@pytest.mark.usefixtures("browser_ready")
def test_graphiql_works_offline_in_the_project_app(live_url: str, tmp_path: Path) -> None:
    update_docs = bool(os.environ.get("COOPGRAPH_UPDATE_SCREENSHOT"))
    screenshot = DOCS_SCREENSHOT if update_docs else tmp_path / "graphiql-offline.png"
    _drive_graphiql(live_url, run_first_example=True, screenshot=screenshot)
    assert screenshot.stat().st_size > 0


@pytest.mark.usefixtures("browser_ready")
def test_graphiql_works_offline_in_a_minimal_app(tmp_path: Path) -> None:
    # Independent of the database and the real schema, so a failure here points at
    # the GraphiQL package itself.
    with serve(_local_app()) as base_url:
        _drive_graphiql(
            base_url, run_first_example=False, screenshot=tmp_path / "graphiql-minimal.png"
        )


def test_without_assets_or_internet_the_page_explains_instead_of_loading_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not CHROMIUM.exists():
        unavailable(
            f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
            required_by="COOPGRAPH_REQUIRE_BROWSER",
        )
    monkeypatch.setattr(lock_module, "ASSETS_DIR", tmp_path / "not-installed")
    page_module.clear_caches()
    try:
        with serve(_local_app()) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                page = browser.new_page()
                page.goto(f"{base_url}/graphql", wait_until="load")
                message = page.locator("#graphiql").inner_text()
            finally:
                browser.close()
    finally:
        page_module.clear_caches()
    assert "python -m graph.graphiql.fetch" in message
    assert "Loading" not in message

"""GraphiQL in a real headless Chromium that can reach nothing but loopback, under the CSP.

Uses the project's seeded app through the ``live_url`` fixture and, separately, a
minimal Strawberry app of its own that needs no database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import strawberry
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.asgi import GraphQL

from coopgraph.graph.graphiql import example_queries, render_graphiql_page
from coopgraph.graph.http.security import SecurityHeadersMiddleware
from coopgraph.graph.web import WebBuild, web_routes
from coopgraph.settings import Settings
from testbed.live_server import serve
from tests.browser import TIMEOUT_MS, PageWatch, chromium, require_chromium, screenshot_path
from tests.environment import unavailable

pytestmark = pytest.mark.browser

BUILD = WebBuild(Settings().web_dir)

# CodeMirror 5 keeps its editor object on the wrapper element; going through it sets and
# reads whole documents, where the DOM only holds the lines currently scrolled into view.
_QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
_RESULT_EDITOR = ".result-window .CodeMirror"
_EDITOR_CONTAINS = """([selector, text]) => {
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
        return HTMLResponse(render_graphiql_page(BUILD))


def _local_app() -> Starlette:
    app = Starlette(routes=web_routes(BUILD), middleware=[Middleware(SecurityHeadersMiddleware)])
    # Starlette routes a path to a whole ASGI app at run time; its stubs only know
    # request handlers.
    view = _GraphQLWithLocalGraphiQL(strawberry.Schema(query=_Query))
    app.add_route("/graphql", view)  # type: ignore[arg-type]
    return app


@pytest.fixture
def browser_ready() -> None:
    require_chromium()
    reason = BUILD.missing_reason()
    if reason is not None:
        unavailable(
            f"the web build is missing ({reason}): run scripts/install",
            required_by="COOPGRAPH_REQUIRE_BROWSER",
        )


def _run_and_wait(page: Page, expected: str) -> str:
    page.locator(".graphiql-execute-button").click()
    page.wait_for_function(_EDITOR_CONTAINS, arg=[_RESULT_EDITOR, expected], timeout=TIMEOUT_MS)
    result: str = page.evaluate(
        "(selector) => document.querySelector(selector).CodeMirror.getValue()", _RESULT_EDITOR
    )
    return result


def _open(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/graphql", wait_until="load")
    page.locator(_QUERY_EDITOR).wait_for(state="visible", timeout=TIMEOUT_MS)
    assert page.locator(".graphiql-tab").count() == len(example_queries())


@pytest.mark.usefixtures("browser_ready")
def test_graphiql_runs_the_examples_and_the_explorer_builds_a_query(
    live_url: str, tmp_path: Path
) -> None:
    watch = PageWatch()
    screenshot = screenshot_path("graphiql-offline.png", tmp_path)
    with chromium() as browser:
        page = watch.attach(browser.new_page(viewport={"width": 1440, "height": 900}))
        _open(page, live_url)
        # The first tab holds the first example unchanged, run on seeded data.
        result = _run_and_wait(page, '"data"')
        assert '"errors"' not in result
        assert "澳大利亚" in result

        # The Explorer plugin builds a query by clicking through the schema: start from
        # an empty operation, pick a root field and one of its fields, run it.
        page.evaluate(
            "([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text)",
            [_QUERY_EDITOR, "query Totals {\n  __typename\n}"],
        )
        page.get_by_role("button", name="Show GraphiQL Explorer").click()
        totals = page.locator(".graphiql-plugin .graphiql-explorer-totalsByContinent")
        totals.locator("[data-field-name=totalsByContinent]").click()
        totals.locator(".graphiql-explorer-priorityCount [data-field-name]").click()
        page.wait_for_function(
            _EDITOR_CONTAINS, arg=[_QUERY_EDITOR, "priorityCount"], timeout=TIMEOUT_MS
        )
        result = _run_and_wait(page, '"priorityCount"')
        # One row per continent: the document's seven.
        assert result.count('"priorityCount"') == 7
        page.screenshot(path=str(screenshot))
    watch.assert_clean()
    assert any(url.endswith("/static/graphiql.js") for url in watch.requested)
    assert screenshot.stat().st_size > 0


@pytest.mark.usefixtures("browser_ready")
def test_graphiql_works_offline_in_a_minimal_app() -> None:
    # Independent of the database and the real schema, so a failure here points at
    # the GraphiQL page itself.
    watch = PageWatch()
    with serve(_local_app()) as base_url, chromium() as browser:
        page = watch.attach(browser.new_page())
        page.goto(f"{base_url}/graphql", wait_until="load")
        page.locator(_QUERY_EDITOR).wait_for(state="visible", timeout=TIMEOUT_MS)
        page.evaluate(
            "([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text)",
            [_QUERY_EDITOR, "{ greeting }"],
        )
        # GraphiQL picks up an edit after a debounce; running sooner would send the
        # new text with the old tab's operation name and get "Unknown operation".
        page.locator(".graphiql-tab-active").get_by_text("<untitled>").wait_for(timeout=TIMEOUT_MS)
        assert "hello from the local test app" in _run_and_wait(page, "hello")
    watch.assert_clean()

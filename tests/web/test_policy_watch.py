"""The browser tests pass only if no CSP violation is reported: prove one would be seen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from coopgraph.graph.http.security import SecurityHeadersMiddleware
from testbed.live_server import serve
from tests.browser import PageWatch
from tests.web.conftest import open_page

pytestmark = pytest.mark.browser


async def _inline_script(_request: Request) -> HTMLResponse:
    return HTMLResponse("<!doctype html><p>x</p><script>document.title = 'ran'</script>")


def test_an_inline_script_is_blocked_and_reported(browser: Browser) -> None:
    app = Starlette(
        routes=[Route("/", _inline_script)],
        middleware=[Middleware(SecurityHeadersMiddleware)],
    )
    watch = PageWatch()
    with serve(app) as base_url:
        page = open_page(browser, watch, f"{base_url}/")
        page.wait_for_timeout(200)
        assert page.title() != "ran"
    assert watch.csp_violations, watch.errors
    with pytest.raises(AssertionError):
        watch.assert_clean()

"""One Chromium per test module and a watch per test that fails it on any page error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from coopgraph.graph.web import WebBuild
from coopgraph.settings import Settings
from tests.browser import TIMEOUT_MS, PageWatch, chromium, require_chromium, require_cjk_fonts
from tests.environment import unavailable

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    require_cjk_fonts()
    reason = WebBuild(Settings().web_dir).missing_reason()
    if reason is not None:
        unavailable(
            f"the web build is missing ({reason}): run scripts/install",
            required_by="COOPGRAPH_REQUIRE_BROWSER",
        )
    with chromium() as launched:
        yield launched


@pytest.fixture
def watch() -> Iterator[PageWatch]:
    """Fails the test after it ran if the page reported an error or a CSP violation."""
    watched = PageWatch()
    yield watched
    watched.assert_clean()


def open_page(
    browser: Browser, watch: PageWatch, url: str, viewport: ViewportSize = DESKTOP
) -> Page:
    """A page in a fresh context, so one test's remembered language never leaks into the next."""
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch.attach(page)
    page.goto(url, wait_until="load")
    return page

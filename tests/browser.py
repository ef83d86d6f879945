"""Headless Debian Chromium for the browser tests, able to reach nothing but loopback.

Every host other than 127.0.0.1 is made unresolvable, so a page works only if the app
serves all of it. A :class:`PageWatch` records what a page asked for and every error it
reported, Content-Security-Policy violations included, so a test can fail on them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.environment import unavailable

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[1] / "docs"
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


def require_chromium() -> None:
    if not CHROMIUM.exists():
        unavailable(
            f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk",
            required_by="COOPGRAPH_REQUIRE_BROWSER",
        )


def require_cjk_fonts() -> None:
    fc_list = shutil.which("fc-list")
    listed = ""
    if fc_list:
        listed = subprocess.run(
            [fc_list, ":lang=zh"], capture_output=True, text=True, check=False
        ).stdout
    if "Noto Sans CJK" not in listed:
        unavailable(
            "no Noto CJK font, so Chinese would render as boxes: apt-get install -y fonts-noto-cjk",
            required_by="COOPGRAPH_REQUIRE_BROWSER",
        )


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageWatch:
    """What one page asked for and complained about while a test drove it."""

    requested: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Page:
        page.on("request", lambda request: self.requested.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # Chromium reports a blocked script, style or connection as a console error
        # naming the policy; any console error at all is a defect of the page.
        if message.type == "error" or "Content Security Policy" in message.text:
            self.errors.append(f"console {message.type}: {message.text}")

    def graphql_requests(self, base_url: str) -> int:
        """How many requests the page sent to the GraphQL endpoint so far."""
        return self.requested.count(f"{base_url}/graphql")

    @property
    def csp_violations(self) -> list[str]:
        return [error for error in self.errors if "Content Security Policy" in error]

    @property
    def outside_requests(self) -> list[str]:
        return [
            url
            for url in self.requested
            if urlsplit(url).hostname not in {"127.0.0.1", None} and not url.startswith("data:")
        ]

    def assert_clean(self) -> None:
        assert self.csp_violations == [], self.csp_violations
        assert self.errors == [], self.errors
        assert self.outside_requests == [], f"asked outside hosts: {self.outside_requests}"


def screenshot_path(name: str, tmp_path: Path) -> Path:
    """docs/<name> when COOPGRAPH_UPDATE_SCREENSHOT is set, else a scratch file.

    The screenshots in docs/ are refreshed only on request, so a test run leaves the
    working tree clean.
    """
    if os.environ.get("COOPGRAPH_UPDATE_SCREENSHOT"):
        return DOCS / name
    return tmp_path / name

"""The explorer page and the built files, through the app as it ships."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from coopgraph.graph.app import create_app
from coopgraph.graph.http.security import CONTENT_SECURITY_POLICY
from coopgraph.graph.web import WebBuild
from coopgraph.settings import CHECKOUT_WEB_DIR, Settings, default_web_dir
from testbed.live_server import serve


def _fake_build(folder: Path) -> Path:
    folder.mkdir()
    (folder / "index.html").write_text(
        '<!doctype html><script type="module" src="/static/explorer.js"></script>',
        encoding="utf-8",
    )
    for name in ("explorer.js", "graphiql.js", "graphiql.css"):
        (folder / name).write_text(f"/* {name} */", encoding="utf-8")
    return folder


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empty.sqlite3'}"


def test_the_explorer_and_its_files_are_served_from_the_configured_folder(
    tmp_path: Path, sqlite_url: str
) -> None:
    web_dir = _fake_build(tmp_path / "dist")
    app = create_app(Settings(database_url=sqlite_url, web_dir=web_dir))
    with serve(app) as base_url, httpx.Client(base_url=base_url) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert page.text.startswith("<!doctype html>")
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        script = client.get("/static/explorer.js")
        assert script.text == "/* explorer.js */"
        assert "javascript" in script.headers["content-type"]
        assert client.get("/static/nothing.js").status_code == 404
        assert client.get("/static/../pyproject.toml").status_code == 404
        graphiql = client.get("/graphql", headers={"Accept": "text/html"})
        assert graphiql.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "/static/graphiql.js" in graphiql.text


def test_without_a_build_the_explorer_says_how_to_make_one(tmp_path: Path, sqlite_url: str) -> None:
    app = create_app(Settings(database_url=sqlite_url, web_dir=tmp_path / "missing"))
    with serve(app) as base_url, httpx.Client(base_url=base_url) as client:
        page = client.get("/")
        assert page.status_code == 503
        assert "The explorer is not built" in page.text
        assert "scripts/install" in page.text
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert client.get("/static/explorer.js").status_code == 404
        assert client.get("/healthz").status_code == 200


def test_the_web_folder_comes_from_the_environment_or_the_checkout(tmp_path: Path) -> None:
    assert Settings.from_env({"COOPGRAPH_WEB_DIR": str(tmp_path)}).web_dir == tmp_path
    assert Settings.from_env({}).web_dir == default_web_dir()
    # In a checkout (where the tests run) the default is the checkout's own build.
    assert default_web_dir() == CHECKOUT_WEB_DIR
    assert CHECKOUT_WEB_DIR.parent.name == "web"
    assert (
        WebBuild(tmp_path).missing_reason()
        == f"{tmp_path} has no index.html, explorer.js, graphiql.js, graphiql.css"
    )

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from graph.graphiql import (
    ASSETS_URL_PATH,
    example_queries,
    graphiql_assets_available,
    graphiql_assets_route,
    render_graphiql_page,
)
from graph.graphiql import lock as lock_module
from graph.graphiql.page import json_for_script
from tests.graph.graphiql.conftest import FAKE_FILES, FakeAssets

QUERIES_DIR = Path(__file__).resolve().parents[3] / "graph" / "contract" / "queries"
PAGE_LOGGER = "graph.graphiql.page"
_URL_ATTRIBUTE = re.compile(r"""\b(?:src|href)="([^"]*)\"""")
_CONFIG = re.compile(
    r'<script type="application/json" id="graphiql-config">(.*?)</script>', re.DOTALL
)


def asset_urls(page: str) -> list[str]:
    return [url for url in _URL_ATTRIBUTE.findall(page) if not url.startswith("data:")]


def page_config(page: str) -> dict[str, Any]:
    match = _CONFIG.search(page)
    assert match is not None
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def test_example_queries_are_the_contract_files_with_their_comment_titles() -> None:
    examples = example_queries()
    files = sorted(QUERIES_DIR.glob("*.graphql"))
    assert [example.name for example in examples] == [file.stem for file in files]
    assert len(examples) >= 6
    for example, file in zip(examples, files, strict=True):
        assert example.query == file.read_text(encoding="utf-8")
        assert example.title == file.read_text(encoding="utf-8").splitlines()[0][1:].strip()


def test_page_uses_only_local_assets_when_installed(
    fake_assets: FakeAssets, caplog: pytest.LogCaptureFixture
) -> None:
    fake_assets.install_files()
    assert graphiql_assets_available()

    with caplog.at_level(logging.WARNING, logger=PAGE_LOGGER):
        page = render_graphiql_page()

    expected = {
        f"{ASSETS_URL_PATH}/{Path(path).name}" for files in FAKE_FILES.values() for path in files
    }
    assert set(asset_urls(page)) == expected
    assert "https://" not in page
    assert "crossorigin" not in page
    for file in fake_assets.lock.files:
        assert f'integrity="{file.sri}"' in page
    # React must be defined before the bundles that expect it as a global.
    assert page.index("react.production") < page.index("react-dom.production")
    assert page.index("react-dom.production") < page.index("graphiql.min.js")
    assert caplog.records == []


def test_page_opens_every_example_as_a_tab_posting_to_the_endpoint(
    fake_assets: FakeAssets,
) -> None:
    fake_assets.install_files()

    config = page_config(render_graphiql_page("/api/graphql"))

    assert config["endpoint"] == "/api/graphql"
    assert config["tabs"] == [{"query": example.query} for example in example_queries()]
    for file in QUERIES_DIR.glob("*.graphql"):
        assert {"query": file.read_text(encoding="utf-8")} in config["tabs"]
    assert str(config["storageNamespace"]).startswith("coopgraph-graphiql-")


def test_page_is_rendered_once_per_endpoint(fake_assets: FakeAssets) -> None:
    fake_assets.install_files()
    assert render_graphiql_page() is render_graphiql_page()


def test_missing_assets_fall_back_to_the_cdn_with_one_warning(
    fake_assets: FakeAssets, caplog: pytest.LogCaptureFixture
) -> None:
    assert not fake_assets.assets_dir.exists()
    assert not graphiql_assets_available()

    with caplog.at_level(logging.WARNING, logger=PAGE_LOGGER):
        page = render_graphiql_page()
        render_graphiql_page()
        render_graphiql_page("/other")

    warnings = [record for record in caplog.records if record.name == PAGE_LOGGER]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "\n" not in message
    assert "does not exist" in message
    assert "python -m graph.graphiql.fetch" in message

    urls = asset_urls(page)
    assert len(urls) == len(fake_assets.lock.files)
    for file in fake_assets.lock.files:
        assert any(
            url.startswith("https://")
            and url.endswith(f"/{file.package}@{file.version}/{file.path}")
            for url in urls
        )
    assert ASSETS_URL_PATH not in page
    assert page.count('crossorigin="anonymous"') == len(urls)


def test_a_tampered_installed_file_counts_as_missing(
    fake_assets: FakeAssets, caplog: pytest.LogCaptureFixture
) -> None:
    fake_assets.install_files()
    (fake_assets.assets_dir / "graphiql.min.js").write_bytes(b"alert('not pinned')")

    assert not graphiql_assets_available()
    with caplog.at_level(logging.WARNING, logger=PAGE_LOGGER):
        render_graphiql_page()
    assert "does not match the pinned graphiql@1.0.0" in caplog.records[0].getMessage()


def test_real_pins_are_the_ones_strawberrys_cdn_page_loads() -> None:
    # The real lock pins what Strawberry's own page loads, so the fallback URLs must
    # carry the same versions and the same SRI values Strawberry's page does.
    import strawberry  # noqa: PLC0415

    strawberry_page = (Path(strawberry.__file__).parent / "static" / "graphiql.html").read_text()
    for file in lock_module.load_lock().files:
        assert f"/{file.package}@{file.version}/{file.path}" in strawberry_page
        assert file.sri in strawberry_page


async def test_assets_route_serves_installed_files_and_404s_when_missing(
    fake_assets: FakeAssets,
) -> None:
    app = Starlette(routes=[graphiql_assets_route()])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get(f"{ASSETS_URL_PATH}/graphiql.min.js")).status_code == 404

        fake_assets.install_files()
        response = await client.get(f"{ASSETS_URL_PATH}/graphiql.min.js")
        assert response.status_code == 200
        assert response.content == FAKE_FILES["graphiql"]["graphiql.min.js"]
        assert "javascript" in response.headers["content-type"]
        assert (await client.get(f"{ASSETS_URL_PATH}/nothing.js")).status_code == 404
        assert (await client.get(f"{ASSETS_URL_PATH}/../lock.py")).status_code == 404


def test_script_json_cannot_close_its_element() -> None:
    text = json_for_script({"query": "# </script><!-- & -->"})
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text) == {"query": "# </script><!-- & -->"}


def test_real_lock_pins_exact_versions_with_sha512_integrity() -> None:
    lock = lock_module.load_lock()
    versions = {package.name: package.version for package in lock.packages}
    assert [package.name for package in lock.packages] == ["react", "react-dom", "graphiql"]
    assert versions["graphiql"].startswith("3.")
    assert versions["react"].startswith("18.")
    assert versions["react-dom"] == versions["react"]
    for package in lock.packages:
        assert re.fullmatch(r"\d+\.\d+\.\d+", package.version)
        assert package.integrity.startswith("sha512-")
    assert {file.name for file in lock.files} == {
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.css",
        "graphiql.min.js",
    }

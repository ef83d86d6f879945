from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from coopgraph.graph.graphiql import example_queries, render_graphiql_page
from coopgraph.graph.graphiql.page import json_for_script
from coopgraph.graph.web import WebBuild

QUERIES_DIR = Path(__file__).resolve().parents[3] / "graph" / "contract" / "queries"
_CONFIG = re.compile(
    r'<script type="application/json" id="graphiql-config">(.*?)</script>', re.DOTALL
)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def built(tmp_path: Path) -> WebBuild:
    for name in ("index.html", "explorer.js", "graphiql.js", "graphiql.css"):
        (tmp_path / name).write_text("/* built */", encoding="utf-8")
    return WebBuild(tmp_path)


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


def test_page_loads_the_built_bundle_and_runs_no_inline_script(tmp_path: Path) -> None:
    page = render_graphiql_page(built(tmp_path))

    assert '<script type="module" src="/static/graphiql.js"></script>' in page
    assert '<link rel="stylesheet" href="/static/graphiql.css" />' in page
    assert "https://" not in page
    # Under the CSP only served files run: every script element is either one with a
    # src and no body, or a JSON data block.
    scripts = _SCRIPT.findall(page)
    assert len(scripts) == 2
    for attributes, body in scripts:
        assert ("src=" in attributes and body == "") or 'type="application/json"' in attributes


def test_page_opens_every_example_as_a_tab_posting_to_the_endpoint(tmp_path: Path) -> None:
    config = page_config(render_graphiql_page(built(tmp_path), "/api/graphql"))

    assert config["endpoint"] == "/api/graphql"
    assert config["tabs"] == [{"query": example.query} for example in example_queries()]
    for file in QUERIES_DIR.glob("*.graphql"):
        assert {"query": file.read_text(encoding="utf-8")} in config["tabs"]
    assert str(config["storageNamespace"]).startswith("coopgraph-graphiql-")


def test_without_a_build_the_page_says_how_to_make_one(tmp_path: Path) -> None:
    page = render_graphiql_page(WebBuild(tmp_path / "not-built"))

    assert "GraphiQL is not built" in page
    assert "not-built does not exist" in page
    assert "scripts/install" in page
    assert "COOPGRAPH_WEB_DIR" in page
    assert "<script" not in page


def test_a_partial_build_names_the_missing_files(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("", encoding="utf-8")
    page = render_graphiql_page(WebBuild(tmp_path))
    assert "has no explorer.js, graphiql.js, graphiql.css" in page


def test_script_json_cannot_close_its_element() -> None:
    text = json_for_script({"query": "# </script><!-- & -->"})
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text) == {"query": "# </script><!-- & -->"}

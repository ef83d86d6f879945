"""The GraphiQL page at ``GET /graphql``: the built GraphiQL bundle and its settings.

The bundle (GraphiQL, React and the Explorer plugin) is built from npm packages in
``web/`` and served by the app under ``/static``, so the page needs no outside host.
This module only writes the HTML around it: the settings travel in a JSON data block,
because the Content-Security-Policy allows no inline script, and every example query
of the contract opens as its own tab.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
from dataclasses import dataclass
from string import Template
from typing import Any

from coopgraph.graph.web import STATIC_URL_PATH, WebBuild

_QUERIES_PACKAGE = "coopgraph.graph"
_QUERIES_PATH = ("contract", "queries")


@dataclass(frozen=True)
class ExampleQuery:
    """One example operation shipped in ``graph/contract/queries``.

    Attributes:
        name: The file name without ``.graphql``.
        title: The file's leading ``#`` comment, or the name when it has none.
        query: The full document, comment included, as the tab shows it.
    """

    name: str
    title: str
    query: str


def example_queries() -> tuple[ExampleQuery, ...]:
    """Read the example operations, sorted by file name.

    They are read as package data of ``graph`` so an installed wheel finds them as
    well as a source checkout does.

    Returns:
        One entry per ``.graphql`` file.
    """
    folder = importlib.resources.files(_QUERIES_PACKAGE).joinpath(*_QUERIES_PATH)
    examples = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".graphql"):
            continue
        query = entry.read_text(encoding="utf-8")
        name = entry.name.removesuffix(".graphql")
        first_line = query.lstrip().partition("\n")[0]
        title = first_line.lstrip("#").strip() if first_line.startswith("#") else name
        examples.append(ExampleQuery(name=name, title=title or name, query=query))
    return tuple(examples)


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside a ``<script>`` element.

    Example queries are free text, so a ``</script>`` or ``<!--`` in one must not end
    or comment out the element that carries it; escaping ``<``, ``>`` and ``&`` as
    JSON unicode escapes keeps the data intact for ``JSON.parse``.

    Args:
        value: Any JSON-serialisable value.

    Returns:
        The JSON text with no raw ``<``, ``>`` or ``&``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@functools.cache
def _page(endpoint: str) -> str:
    tabs = [{"query": example.query} for example in example_queries()]
    # GraphiQL derives each tab's title from its operation name; the files' leading
    # comment stays in the query text, where it reads as the tab's description.
    fingerprint = hashlib.sha256(json.dumps(tabs).encode("utf-8")).hexdigest()[:12]
    config = {
        "endpoint": endpoint,
        "tabs": tabs,
        "storageNamespace": f"coopgraph-graphiql-{fingerprint}",
    }
    template = Template(
        importlib.resources.files("coopgraph.graph.graphiql")
        .joinpath("page.html")
        .read_text(encoding="utf-8")
    )
    return template.substitute(static=STATIC_URL_PATH, config=json_for_script(config))


def render_graphiql_page(build: WebBuild, endpoint: str = "/graphql") -> str:
    """Render the GraphiQL page, or a page that says why it cannot be shown.

    Args:
        build: Where the built bundle is.
        endpoint: The URL GraphiQL posts operations to, relative to the page or absolute.

    Returns:
        The complete HTML document. Without a build it is a short explanation of how
        to make one, rather than a page whose scripts would fail to load.
    """
    reason = build.missing_reason()
    if reason is not None:
        return build.not_built_page(reason, what="GraphiQL")
    return _page(endpoint)

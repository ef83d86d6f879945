"""The cache-and-ETag stage: answers kept in the server, and validators for HTTP caches.

An answer's key is its document, operation, variables and the data version, so a
change of the data changes every key and nothing needs invalidating. Only complete
answers (data, no errors) are kept or tagged; dry runs never are.

The kept bytes are the same under both JSON media types; the ETag is not. A strong tag
names one representation, and the two differ in ``Content-Type``: a cache holding the
``application/json`` answer must not have it confirmed by a revalidation under
``application/graphql-response+json``.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from coopgraph.graph.caching import Store, response_key
from coopgraph.graph.caching.version import DataVersionSource
from coopgraph.graph.http.request import URL_METHODS, GraphQLRequest
from coopgraph.settings import Caching

#: Says that an answer came out of the server's cache.
CACHE_HEADER = "X-Coopgraph-Cache"

log = logging.getLogger(__name__)


class CachedAnswers:
    """Look answers up by key, answer ``If-None-Match``, keep new answers.

    Args:
        caching: How long HTTP caches may keep an answer.
        versions: The version of the data; part of every key and ETag.
        responses: Where answers are kept; None when the response cache is off,
            which still tags GET answers for HTTP caches.
    """

    def __init__(
        self, caching: Caching, versions: DataVersionSource, responses: Store | None
    ) -> None:
        self._caching = caching
        self._versions = versions
        self._responses = responses

    async def key(self, request: Request, graphql_request: GraphQLRequest) -> str | None:
        """The key of the answer, or None when it is not to be cached.

        The caller leaves dry runs out. Nothing is cached while the data version
        cannot be read (the request then goes on to fail or succeed on its own).
        """
        if graphql_request.query is None:
            return None
        if self._responses is None and request.method not in URL_METHODS:
            return None
        try:
            version = await self._versions.current()
        except Exception as error:
            log.debug("data version unavailable, answering uncached: %s", error)
            return None
        return response_key(
            graphql_request.query,
            graphql_request.operation_name,
            graphql_request.variables,
            version,
        )

    async def lookup(self, request: Request, key: str, media_type: str) -> Response | None:
        """304 for a GET that holds the answer's tag, the kept answer, or None."""
        etag = _etag(key, media_type)
        if request.method in URL_METHODS and _matches(request.headers.get("if-none-match"), etag):
            response = Response(status_code=304)
            self._add_headers(request, response, etag)
            return response
        if self._responses is None:
            return None
        body = await self._responses.get(key)
        if body is None:
            return None
        response = Response(body, media_type=f"{media_type}; charset=utf-8")
        response.headers[CACHE_HEADER] = "hit"
        self._add_headers(request, response, etag)
        return response

    async def keep(self, request: Request, response: Response, key: str, media_type: str) -> None:
        """Keep a complete answer under ``key`` and tag it for HTTP caches."""
        if self._responses is not None:
            await self._responses.set(key, bytes(response.body))
        self._add_headers(request, response, _etag(key, media_type))

    def _add_headers(self, request: Request, response: Response, etag: str) -> None:
        if request.method not in URL_METHODS:
            return
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = f"public, max-age={self._caching.http_max_age}"


def _etag(key: str, media_type: str) -> str:
    """The strong tag of the answer under ``key`` in ``media_type``.

    Strong: the same key and media type are the same bytes, whichever process answers.
    """
    _, _, subtype = media_type.partition("/")
    return f'"{key}.{subtype}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    # "*" is not honoured: it would answer 304 for a query whose answer was never
    # given (one with errors is not cached), so only the answer's own tag matches.
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags


__all__ = ["CACHE_HEADER", "CachedAnswers"]

"""The GraphQL endpoint: Strawberry's ASGI view, made to follow GraphQL over HTTP.

Strawberry answers every request ``application/json`` with status 200 and reports
HTTP-level failures as plain text. The spec (graphql.github.io/graphql-over-http,
current draft) asks for content negotiation, status codes that tell request errors
from partial results under ``application/graphql-response+json``, 405 for mutations
over GET and 415 for bodies it cannot read. Strawberry's async base view already
splits a request into overridable steps; this class overrides those steps rather
than re-implementing the request cycle, so Strawberry's parsing, validation,
extensions and execution stay in charge of GraphQL itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from json import JSONDecodeError
from typing import Any, Protocol, overload, runtime_checkable

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketClose
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType
from strawberry.types.unset import UNSET

from graph.http.media import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    SUPPORTED_REQUEST_TYPES,
    accepts_html,
    is_supported_request_type,
    negotiate_response_type,
)
from graph.http.problems import BAD_REQUEST, HTTPProblem, problem_response

logger = logging.getLogger(__name__)

ContextFactory = Callable[[Request, Response | None], Awaitable[Any]]
"""Builds the per-request context; receives the sub-response resolvers may add headers to."""

GraphiQLPage = Callable[[], str]
"""Returns the HTML served to browsers that open the endpoint."""

_ALLOWED_OPERATIONS = {
    "GET": frozenset({StrawberryOperationType.QUERY}),
    "POST": frozenset({StrawberryOperationType.QUERY, StrawberryOperationType.MUTATION}),
}

# Contexts the view opened for the request being served. A context variable rather
# than view state because one view instance serves concurrent requests, each in its
# own task; Strawberry creates the context deep inside run() and hands it to no hook
# that also sees the end of the request.
_opened_contexts: ContextVar[list[object] | None] = ContextVar("_opened_contexts", default=None)


@runtime_checkable
class _Closeable(Protocol):
    def aclose(self) -> Awaitable[object]: ...


class GraphQLHTTPView(GraphQL[Any, Any]):
    """Serve a Strawberry schema by the GraphQL-over-HTTP spec.

    POST takes ``application/json`` bodies, GET takes queries (never mutations) in
    the URL. The response is ``application/graphql-response+json`` when the client
    asks for it (with request errors then answered 400) and ``application/json``
    otherwise (always 200 for well-formed requests, as legacy clients expect).
    Every failure, HTTP-level or GraphQL, is a ``{"errors": [...]}`` body whose
    errors carry ``extensions.code``. Subscriptions are not offered.

    Args:
        schema: The Strawberry schema to serve.
        context_factory: Awaited once per GraphQL request with the request and the
            sub-response; its result is the resolvers' ``info.context``. If that
            object has an ``aclose()`` coroutine method, the view awaits it when the
            request ends, whether it succeeded or raised, so per-request resources
            (a database session) never outlive the request.
        graphiql_page: Returns the HTML for browsers that GET the endpoint without
            a query; None answers them 404.
        **kwargs: Passed to ``strawberry.asgi.GraphQL``, except ``graphql_ide``,
            ``allow_queries_via_get`` and ``subscription_protocols``, which this
            view decides.
    """

    def __init__(
        self,
        schema: BaseSchema,
        *,
        context_factory: ContextFactory,
        graphiql_page: GraphiQLPage | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql_page is not None else None,
            allow_queries_via_get=True,
            subscription_protocols=(),
            **kwargs,
        )
        self._context_factory = context_factory
        self._graphiql_page = graphiql_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting refuses the handshake (HTTP 403): no
            # subscription protocol is offered, so there is nothing to upgrade to.
            await WebSocketClose()(scope, receive, send)
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except HTTPException as error:
            response = problem_response(error, _error_media_type(request))
        except Exception:
            logger.exception("Unhandled error serving %s %s", request.method, request.url.path)
            internal = HTTPProblem(500, "Internal server error")
            response = problem_response(internal, _error_media_type(request))
        await response(scope, receive, send)

    @overload
    async def run(
        self, request: Request, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response: ...

    @overload
    async def run(
        self, request: WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> WebSocket: ...

    async def run(
        self, request: Request | WebSocket, context: Any = UNSET, root_value: Any = UNSET
    ) -> Response | WebSocket:
        """Check the request at the HTTP level, then run it, closing what it opened.

        The HTTP checks come before Strawberry's run() because that creates the
        context (and with it a database session) first thing; a request refused
        for its method, Accept or Content-Type should not open one.
        """
        if isinstance(request, WebSocket):
            return await super().run(request, context, root_value)
        _check_method(request)
        if self.should_render_graphql_ide(self.request_adapter_class(request)):
            return await self.render_graphql_ide(request)
        _check_accept(request)
        if request.method == "POST":
            _check_content_type(request)

        opened: list[object] = []
        token = _opened_contexts.set(opened)
        try:
            return await super().run(request, context, root_value)
        finally:
            _opened_contexts.reset(token)
            await _close_all(opened)

    def encode_json(self, data: object) -> bytes:
        """UTF-8 JSON: Chinese names as characters, half the size of escaped ones."""
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Any:
        if not isinstance(request, Request) or isinstance(response, WebSocket):
            msg = "GraphQLHTTPView builds contexts for HTTP requests only"
            raise TypeError(msg)
        context = await self._context_factory(request, response)
        opened = _opened_contexts.get()
        if opened is not None:
            opened.append(context)
        return context

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        # create_response() is handed the sub-response but not the request, so the
        # negotiated type travels on the sub-response, where it also describes it.
        sub_response.media_type = negotiate_response_type(request.headers.get("accept")) or JSON
        return sub_response

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # Stricter than Strawberry, which also serves the page for "*/*": curl sends
        # that, and deserves the JSON error about the missing query instead.
        return (
            request.method == "GET"
            and request.query_params.get("query") is None
            and accepts_html(request.headers.get("accept"))
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        if self._graphiql_page is None:
            raise HTTPProblem(404, "This endpoint serves no GraphiQL page; send a GraphQL query.")
        return HTMLResponse(self._graphiql_page())

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """Read the request parameters, refusing anything the spec calls malformed.

        Replaces Strawberry's parser, which lets a non-object body or a non-string
        operationName through to fail later with a 500, and does not know that an
        empty operationName in a URL means none.
        """
        if request.method == "GET":
            params = dict(request.query_params)
            return _request_data(
                params.get("query"),
                _json_param(self, params, "variables"),
                params.get("operationName") or None,
                _json_param(self, params, "extensions"),
            )
        body = await request.get_body()
        try:
            decoded = self.parse_json(body.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise HTTPProblem(400, "The request body is not valid UTF-8.") from error
        if not isinstance(decoded, dict):
            # A JSON array would be a batch, which this endpoint does not offer.
            raise HTTPProblem(400, "The request body must be a JSON object.")
        return _request_data(
            decoded.get("query"),
            decoded.get("variables"),
            decoded.get("operationName"),
            decoded.get("extensions"),
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Any,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Execute one operation, turning Strawberry's operation checks into spec answers.

        Strawberry raises 400 when the operation cannot be picked or is not allowed
        for the method; the spec wants a GraphQL request error for the former (so
        its status follows the media type) and 405 for a mutation over GET.
        """
        method = request_adapter.method
        if method == "GET" and request_data.query is not None:
            _refuse_non_query(request_data.query, request_data.operation_name)
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=_ALLOWED_OPERATIONS[method],
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as error:
            return _request_error(error.as_http_error_reason())
        except InvalidOperationTypeError as error:
            if method == "GET":
                raise _mutation_over_get() from error
            return _request_error(
                f"{error.operation_type.value.title()}s are not offered over HTTP."
            )
        except MissingQueryError as error:
            raise HTTPProblem(400, "The request has no GraphQL query.") from error

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if _is_request_error(result):
            # The GraphQL spec leaves "data" out when execution never started, and
            # GraphQL over HTTP keys the status code off exactly that.
            response.pop("data", None)
        return response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        media_type = sub_response.media_type or JSON
        status = 200
        if (
            media_type == GRAPHQL_RESPONSE_JSON
            and isinstance(response_data, dict)
            and "data" not in response_data
        ):
            status = 400
        response = Response(
            self.encode_json(response_data),
            # A status a resolver set on the sub-response is deliberate and wins.
            status_code=sub_response.status_code or status,
            media_type=f"{media_type}; charset=utf-8",
        )
        response.headers.raw.extend(sub_response.headers.raw)
        response.background = sub_response.background
        return response


def _error_media_type(request: Request) -> str:
    return negotiate_response_type(request.headers.get("accept")) or JSON


def _check_method(request: Request) -> None:
    if request.method not in _ALLOWED_OPERATIONS:
        raise HTTPProblem(
            405,
            f"GraphQL is served over GET and POST, not {request.method}.",
            headers={"Allow": "GET, POST"},
        )


def _check_accept(request: Request) -> None:
    if negotiate_response_type(request.headers.get("accept")) is None:
        raise HTTPProblem(
            406,
            f"Responses are available as {GRAPHQL_RESPONSE_JSON} or {JSON};"
            " the Accept header allows neither.",
        )


def _check_content_type(request: Request) -> None:
    content_type = request.headers.get("content-type")
    if not is_supported_request_type(content_type):
        supported = ", ".join(SUPPORTED_REQUEST_TYPES)
        given = content_type or "no Content-Type"
        raise HTTPProblem(
            415, f"POST bodies must be {supported} (UTF-8); the request sent {given}."
        )


def _json_param(view: GraphQLHTTPView, params: Mapping[str, object], name: str) -> object:
    raw = params.get(name)
    if not raw:
        return None
    if not isinstance(raw, str):
        raise HTTPProblem(400, f"The {name} parameter must be given once.")
    try:
        return view.decode_json(raw)
    except JSONDecodeError as error:
        raise HTTPProblem(400, f"The {name} parameter is not valid JSON.") from error


def _request_data(
    query: object, variables: object, operation_name: object, extensions: object
) -> GraphQLRequestData:
    if query is None:
        raise HTTPProblem(400, "The request has no GraphQL query.")
    if not isinstance(query, str):
        raise HTTPProblem(400, "The query must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise HTTPProblem(400, "The variables must be a JSON object.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise HTTPProblem(400, "The operationName must be a string.")
    if extensions is not None and not isinstance(extensions, dict):
        raise HTTPProblem(400, "The extensions must be a JSON object.")
    return GraphQLRequestData(
        query=query, variables=variables, operation_name=operation_name, extensions=extensions
    )


def _refuse_non_query(query: str, operation_name: str | None) -> None:
    """Answer 405 before execution when the selected operation is not a query.

    GET requests are bounded by the server's URL length limit, which is what makes
    parsing here (outside the schema's own token limits) acceptable.
    """
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return  # The schema reports the syntax error through its normal path.
    operation = get_operation_ast(document, operation_name)
    if operation is not None and operation.operation is not OperationType.QUERY:
        raise _mutation_over_get()


def _mutation_over_get() -> HTTPProblem:
    return HTTPProblem(
        405,
        "Only queries can be sent over GET; send mutations as POST.",
        headers={"Allow": "POST"},
    )


def _request_error(message: str) -> ExecutionResult:
    return ExecutionResult(
        data=None, errors=[GraphQLError(message, extensions={"code": BAD_REQUEST})]
    )


def _is_request_error(result: ExecutionResult) -> bool:
    """Whether the result reports errors raised before execution began.

    Errors from execution are located at a response path; request errors (syntax,
    validation, operation selection, variable coercion) have none.
    """
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


async def _close_all(contexts: list[object]) -> None:
    for context in contexts:
        if not isinstance(context, _Closeable):
            continue
        try:
            await context.aclose()
        except Exception:
            # The response is built (or an error is already on its way); a failed
            # close must not replace either, but it must not go unnoticed.
            logger.exception("Closing the request context failed")


__all__ = ["ContextFactory", "GraphQLHTTPView", "GraphiQLPage"]

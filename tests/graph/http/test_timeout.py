"""The request timeout: a query cut short answers 503 and gives its connection back."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.graph.http.conftest import GRAPHQL_RESPONSE_JSON, LiveApp, graphql
from tests.graph.http.test_limits import FULL_TREE


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE_JSON])
def test_request_timeout_is_503_and_returns_the_connection(
    serve_settings: Callable[..., LiveApp], accept: str | None
) -> None:
    served = serve_settings(request_timeout=0.001)
    with served.client() as client:
        response = graphql(client, FULL_TREE, accept=accept)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "REQUEST_TIMEOUT"
        assert error["extensions"]["requestId"] == response.headers["x-request-id"]
        assert error["message"] == (
            "The request ran longer than 0.001 s and was cancelled; ask for less, or page"
            " through it."
        )
        assert served.checked_out() == 0
        # The server goes on answering, and what fits in the time still runs.
        assert client.get("/healthz").status_code == 200
    assert served.checked_out() == 0

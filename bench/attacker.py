"""The attacker of the load test's second phase: one client sending a runaway query.

It sends issue 6's ~6-million-object query once a second, one at a time, with its own
timeout so that a server that starts executing the query (instead of refusing it) cannot
hang the benchmark. Each outcome is recorded by what the server answered.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.mix import ATTACK_QUERY, HEADERS
from testbed.refusals import is_refusal


@dataclass(frozen=True)
class Outcome:
    """One attack request: ``code`` is extensions.code, or what went wrong instead."""

    status: int | None
    code: str
    seconds: float


def classify(response: httpx.Response) -> str:
    """The error code a GraphQL answer carries, or a short description of a non-error."""
    try:
        body: Any = response.json()
    except ValueError:
        return f"HTTP {response.status_code} (not JSON)"
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        code = (errors[0].get("extensions") or {}).get("code")
        return str(code) if code else f"HTTP {response.status_code} (error without a code)"
    return f"HTTP {response.status_code} executed"


@dataclass
class Attacker:
    url: str
    interval: float = 1.0
    timeout: float = 5.0
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _send(self, client: httpx.Client) -> Outcome:
        start = time.perf_counter()
        try:
            response = client.post(
                "/graphql", json={"query": ATTACK_QUERY}, headers={"Accept": HEADERS["Accept"]}
            )
        except httpx.TimeoutException:
            return Outcome(
                None, f"no answer within {self.timeout:g} s", time.perf_counter() - start
            )
        except httpx.TransportError as error:
            return Outcome(None, f"connection failed ({type(error).__name__})", 0.0)
        return Outcome(response.status_code, classify(response), time.perf_counter() - start)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=self.timeout) as client:
            next_send = time.monotonic()
            while not self._stop.is_set():
                self.outcomes.append(self._send(client))
                next_send += self.interval
                self._stop.wait(max(0.0, next_send - time.monotonic()))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="attacker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 5)

    def codes(self) -> Counter[str]:
        return Counter(outcome.code for outcome in self.outcomes)

    @property
    def refused(self) -> int:
        return sum(1 for outcome in self.outcomes if is_refusal(outcome.code))

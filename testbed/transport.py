"""The issue's transport attacks (headers, pipelining, slowloris), bounded, on raw sockets.

Each row attacks one loopback address for a few seconds with at most a few thousand
connections, while ``/healthz`` is asked every 50 ms and the server's resident memory is
read from /proc; ``bench.attacks`` prints the figures and ``tests/attacks`` asserts them.
An HTTP client library cannot send what these rows send (unfinished headers, requests
it never reads the answers to), hence sockets.
"""

from __future__ import annotations

import contextlib
import select
import socket
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from testbed import serve_process

#: How long a row may attack, at most; the slow rows wait out the read timeout too. A
#: row whose attack ends sooner (a request sent and answered) ends with it.
ROW_SECONDS = 2.0
#: ``/healthz`` probes a row takes at least, however soon its attack ends.
MIN_PROBES = 5
#: How long a row waits for its attack to end once told to stop.
JOIN_SECONDS = 30.0
PROBE_INTERVAL = 0.05
PROBE_TIMEOUT = 5.0
CHUNK = 64 * 1024
REQUEST_HEAD = b"GET /healthz HTTP/1.1\r\nHost: attack\r\n"
PIPELINED = b"GET /graphql?query=%7Bcontinents%7Bname%7D%7D HTTP/1.1\r\nHost: attack\r\n\r\n"


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass
class Outcome:
    """What a row's connections got, and how the server fared meanwhile.

    ``answers`` counts each attacking connection's end: the status line's code
    ("431"), "closed" (no answer, connection closed), or "held" (still open when the
    row ended); ``health_ms`` holds the latency of each ``/healthz`` asked during the
    attack (infinity when it failed), ``health_statuses`` their codes.
    """

    answers: Counter[str] = field(default_factory=Counter)
    sent_bytes: int = 0
    health_ms: list[float] = field(default_factory=list)
    health_statuses: Counter[int] = field(default_factory=Counter)
    rss_before_kib: int = 0
    rss_peak_kib: int = 0

    @property
    def rss_growth_mb(self) -> float:
        return (self.rss_peak_kib - self.rss_before_kib) / 1024

    @property
    def health_median_ms(self) -> float:
        return statistics.median(self.health_ms) if self.health_ms else float("inf")

    @property
    def health_worst_ms(self) -> float:
        return max(self.health_ms, default=float("inf"))

    @property
    def health_p95_ms(self) -> float:
        """The latency every probe answered within but the slowest twentieth.

        At least one probe is left out, so that a row of five probes is not judged by
        its one unluckiest (nearest rank would make the 95th percentile of five the
        worst); the worst has its own, looser bound.
        """
        if not self.health_ms:
            return float("inf")
        ranked = sorted(self.health_ms)
        left_out = max(1, len(ranked) // 20) if len(ranked) > 1 else 0
        return ranked[len(ranked) - 1 - left_out]


def resident_kib(pid: int) -> int:
    """VmRSS of ``pid`` in KiB (``testbed.serve_process.resident_kib`` of one process)."""
    return serve_process.resident_kib([pid])


def _connect(address: Address) -> socket.socket:
    sock = socket.create_connection((address.host, address.port), timeout=PROBE_TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _status(sock: socket.socket, wait: float) -> str:
    """The status code the peer answered on ``sock``, "closed", or "held"."""
    sock.settimeout(wait)
    try:
        head = sock.recv(256)
    except TimeoutError:
        return "held"
    except OSError:
        return "closed"
    if head.startswith(b"HTTP/1."):
        return head.split(b" ", 2)[1].decode()
    return "closed" if not head else "garbage"


def _send(sock: socket.socket, data: bytes, outcome: Outcome) -> bool:
    """Send ``data``; False once the peer stopped taking bytes (closed, or not reading)."""
    try:
        sock.sendall(data)
    except OSError:
        return False
    outcome.sent_bytes += len(data)
    return True


Attack = Callable[[Address, Outcome, threading.Event], None]


def _big_header(size: int) -> Attack:
    def big_header(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
        """One request with an ``Accept`` header of ``size`` bytes, sent whole."""
        with _connect(address) as sock:
            sock.settimeout(ROW_SECONDS)
            _send(sock, REQUEST_HEAD + b"Accept: ", outcome)
            for start in range(0, size, CHUNK):
                if not _send(sock, b"a" * min(CHUNK, size - start), outcome):
                    break
            _send(sock, b"\r\n\r\n", outcome)
            outcome.answers[_status(sock, ROW_SECONDS)] += 1

    return big_header


def many_headers(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """One small request with 101 header fields."""
    with _connect(address) as sock:
        lines = b"".join(b"X-Field-%d: 1\r\n" % n for n in range(101))
        _send(sock, REQUEST_HEAD + lines + b"\r\n", outcome)
        outcome.answers[_status(sock, ROW_SECONDS)] += 1


def unfinished_headers(address: Address, outcome: Outcome, stop: threading.Event) -> None:
    """Ten connections each sending up to 16 MB of one header line that never ends."""
    socks = [_connect(address) for _ in range(10)]
    try:
        live = list(socks)
        for sock in live:
            sock.settimeout(0.2)
            _send(sock, REQUEST_HEAD + b"X-Unfinished: ", outcome)
        budget = 16 * 1024 * 1024 // CHUNK
        chunk = b"b" * CHUNK
        while live and budget and not stop.is_set():
            live = [sock for sock in live if _send(sock, chunk, outcome)]
            budget -= 1
        for sock in socks:
            outcome.answers[_status(sock, 0.5)] += 1
    finally:
        for sock in socks:
            sock.close()


def pipelining(address: Address, outcome: Outcome, stop: threading.Event) -> None:
    """One connection sending pipelined GETs for the whole row and reading no answer."""
    with _connect(address) as sock:
        sock.settimeout(0.2)
        batch = PIPELINED * (CHUNK // len(PIPELINED))
        while not stop.is_set() and outcome.sent_bytes < 50 * 1024 * 1024:
            if not _send(sock, batch, outcome):
                # The server stopped reading: keep the connection open, unread.
                stop.wait(0.2)
        outcome.answers["held" if not _peer_closed(sock) else "closed"] += 1


def _peer_closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def _slow(address: Address, outcome: Outcome, stop: threading.Event, head: bytes) -> None:
    """Connections that send ``head`` and then one byte a second until stopped."""
    socks: dict[int, socket.socket] = {}
    ended: dict[int, str] = {}
    # poll, not select: the descriptors of a few hundred sockets pass select's 1024.
    poller = select.poll()
    try:
        for _ in range(SLOW_CONNECTIONS):
            sock = _connect(address)
            sock.settimeout(0.05)
            socks[sock.fileno()] = sock
            poller.register(sock, select.POLLIN)
            _send(sock, head, outcome)

        def collect_answers() -> None:
            for fd, _event in poller.poll(0):
                ended[fd] = _status(socks[fd], 0.05)
                poller.unregister(fd)

        while not stop.wait(1.0):
            collect_answers()
            for fd, sock in socks.items():
                if fd not in ended and not _send(sock, b"x", outcome):
                    ended[fd] = _status(sock, 0.05)
                    poller.unregister(fd)
        collect_answers()
        outcome.answers.update(ended.get(fd, "held") for fd in socks)
    finally:
        for sock in socks.values():
            sock.close()


#: Connections of each slowloris row: a few thousand at most, by the issue's bound.
SLOW_CONNECTIONS = 1000


def slow_headers(address: Address, outcome: Outcome, stop: threading.Event) -> None:
    """Slowloris: headers that never finish, one byte a second."""
    _slow(address, outcome, stop, REQUEST_HEAD + b"X-Slow: ")


def slow_body(address: Address, outcome: Outcome, stop: threading.Event) -> None:
    """A POST whose 1,000-byte body trickles in at one byte a second."""
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: attack\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n{"
    )
    _slow(address, outcome, stop, head)


#: Connections the connection-cap row holds before it asks; tests set the cap below.
CAPPED_CONNECTIONS = 60


def beyond_the_cap(address: Address, outcome: Outcome, stop: threading.Event) -> None:
    """``CAPPED_CONNECTIONS`` connections held open, then one more that asks a query.

    Its answer is counted as ``"request <status>"``; the held connections are not.
    """
    socks = [_connect(address) for _ in range(CAPPED_CONNECTIONS)]
    try:
        for sock in socks:
            _send(sock, REQUEST_HEAD, outcome)
        # Let the server take all of them in before the one past the cap arrives.
        stop.wait(0.5)
        with _connect(address) as sock:
            _send(sock, b"GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: a\r\n\r\n", outcome)
            outcome.answers[f"request {_status(sock, ROW_SECONDS)}"] += 1
        stop.wait()
    finally:
        for sock in socks:
            sock.close()


def chunked_gzip(address: Address, outcome: Outcome, _stop: threading.Event) -> None:
    """A POST framed ``Transfer-Encoding: gzip, chunked``.

    Two readers may split such a body differently (request smuggling).
    """
    body = b'{"query": "{ __typename }"}'
    with _connect(address) as sock:
        _send(
            sock,
            b"POST /graphql HTTP/1.1\r\nHost: attack\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: gzip, chunked\r\n\r\n"
            + b"%x\r\n%s\r\n0\r\n\r\n"
            % (len(body), body),
            outcome,
        )
        outcome.answers[_status(sock, ROW_SECONDS)] += 1


ROWS: dict[str, Attack] = {
    "4 MB Accept header": _big_header(4 * 1024 * 1024),
    "20 KB Accept header": _big_header(20 * 1024),
    "101 header fields": many_headers,
    "10 x 16 MB unfinished headers": unfinished_headers,
    "pipelined GETs, answers never read": pipelining,
    "slowloris: unfinished headers": slow_headers,
    "slowloris: a trickling body": slow_body,
    "a connection past the cap": beyond_the_cap,
    "Transfer-Encoding: gzip, chunked": chunked_gzip,
}


def _probe(client: httpx.Client, outcome: Outcome) -> None:
    started = time.perf_counter()
    try:
        response = client.get("/healthz")
    except httpx.HTTPError:
        outcome.health_ms.append(float("inf"))
        outcome.health_statuses[0] += 1
        return
    outcome.health_ms.append((time.perf_counter() - started) * 1000)
    outcome.health_statuses[response.status_code] += 1


def run_row(
    attack: Attack,
    address: Address,
    server_pid: int,
    *,
    seconds: float = ROW_SECONDS,
    join_seconds: float = JOIN_SECONDS,
) -> Outcome:
    """Run ``attack`` against ``address`` for ``seconds`` while probing ``/healthz``.

    An attack that sends a fixed number of requests may run past ``seconds``, for up
    to ``join_seconds`` more; probing goes on until it ends. One that ends sooner ends
    the row once ``MIN_PROBES`` probes are taken: after it, they would time an idle
    server.
    """
    outcome = Outcome(rss_before_kib=resident_kib(server_pid))
    outcome.rss_peak_kib = outcome.rss_before_kib
    stop = threading.Event()
    errors: list[BaseException] = []

    def attack_until_stopped() -> None:
        try:
            attack(address, outcome, stop)
        except BaseException as error:  # handed to the caller below, after the join
            errors.append(error)

    thread = threading.Thread(target=attack_until_stopped, name="attack", daemon=True)
    thread.start()
    deadline = time.monotonic() + seconds
    # A new connection per probe, as a load balancer's check opens: a server out of
    # descriptors refuses it even while an open connection would still be answered.
    fresh = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(base_url=address.url, timeout=PROBE_TIMEOUT, limits=fresh) as client:
        # The whole row long, and, when a stalled server keeps the attack's own request
        # waiting, until the attack ends.
        while len(outcome.health_ms) < MIN_PROBES or (
            thread.is_alive() and time.monotonic() < deadline + join_seconds
        ):
            if time.monotonic() >= deadline:
                stop.set()
            _probe(client, outcome)
            with contextlib.suppress(OSError):
                outcome.rss_peak_kib = max(outcome.rss_peak_kib, resident_kib(server_pid))
            time.sleep(PROBE_INTERVAL)
    stop.set()
    thread.join(timeout=join_seconds)
    with contextlib.suppress(OSError):
        outcome.rss_peak_kib = max(outcome.rss_peak_kib, resident_kib(server_pid))
    if errors:
        raise errors[0]
    return outcome

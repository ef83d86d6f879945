"""Who a request counts as for the rate limit: an IP address, or nobody in particular.

A client address is an identity only when it is an IP literal. Behind a trusted
proxy the address comes from ``X-Forwarded-For``, which the client writes too: any
string there became a rate-limit key of its own (a fresh budget per string, and
memory per key: 8 KB values cost 38 MB for 4,650 of them) and was echoed in the 429
message. Here a forwarded address counts only when it is the right-most hop the
trusted proxies did not add and parses as an IP address; the header is read only up
to a length, and the identity is never written into an answer.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: The one identity of every request whose address is not an IP literal: they share
#: a budget, so inventing addresses buys no requests and no keys.
UNIDENTIFIED = "unidentified"


def ip_literal(text: str) -> IPAddress | None:
    """The address ``text`` spells, or None; an IPv4 address mapped into IPv6 is IPv4.

    A zone (``fe80::1%eth0``) is refused: its name is free text, and would make as
    many identities of one address as a client cares to spell.
    """
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id is not None:
            return None
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
    return address


def client_identity(host: str | None) -> str:
    """The rate-limit key of a connection's (or a proxy's rewritten) client host.

    The address in its canonical spelling, so ``::1`` and ``0:0::1`` share a count;
    anything that is not an IP literal is ``UNIDENTIFIED``.
    """
    address = ip_literal(host) if host is not None else None
    return UNIDENTIFIED if address is None else str(address)


def scope_identity(scope: Mapping[str, Any]) -> str:
    """The identity of an ASGI request, from its client address.

    The address as the server set it, or the forwarding middleware behind a trusted proxy.
    """
    client = scope.get("client")
    return client_identity(client[0] if client else None)


def trusted_networks(spec: str | Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse proxies as ``coopgraph serve --forwarded-allow-ips`` names them.

    ``127.0.0.1``, ``10.0.0.0/8``, comma-separated or as a list. Anything else (a
    host name, ``*``) is refused: trusting every peer would make the header the
    identity of anyone, which this module exists to prevent.

    Raises:
        ValueError: An entry is not an address or a network.
    """
    entries = spec.split(",") if isinstance(spec, str) else spec
    return tuple(ipaddress.ip_network(entry.strip()) for entry in entries if entry.strip())


def forwarded_client(
    peer: str | None,
    forwarded_for: Iterable[str],
    *,
    trusted: tuple[IPNetwork, ...],
    max_bytes: int,
) -> str:
    """The rate-limit identity of a request from ``peer`` carrying ``X-Forwarded-For``.

    Each trusted proxy appends the address it was connected from, so the hops are
    read from the right, skipping trusted ones; the first untrusted hop is the
    client as far as anyone vouches. It counts only as an IP literal; otherwise the
    peer itself is the identity (the proxy vouched for nothing usable). A header
    longer than ``max_bytes`` is not read at all, and the peer is the identity.

    Args:
        peer: The connection's address.
        forwarded_for: Every ``X-Forwarded-For`` value, in the order received.
        trusted: The proxies whose header is believed.
        max_bytes: Longest header read, all values together.
    """
    peer_address = ip_literal(peer) if peer is not None else None
    if peer_address is None or not _is_trusted(peer_address, trusted):
        return client_identity(peer)
    values = list(forwarded_for)
    if not values or sum(len(value) for value in values) > max_bytes:
        return str(peer_address)
    hops = [hop for value in values for hop in value.split(",")]
    for hop in reversed(hops):
        address = ip_literal(hop)
        if address is None:
            return str(peer_address)
        if not _is_trusted(address, trusted):
            return str(address)
    # Every hop is a trusted proxy: the left-most is where the request entered.
    return str(ip_literal(hops[0]))


def _is_trusted(address: IPAddress, trusted: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in trusted)


__all__ = [
    "UNIDENTIFIED",
    "client_identity",
    "forwarded_client",
    "ip_literal",
    "trusted_networks",
]

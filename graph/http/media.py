"""Media types of GraphQL over HTTP, and negotiation of them from request headers.

Pure functions over header values, kept apart from the view so the rules the spec
sets (q-values, the preferred response type, UTF-8 only) can be read in one place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import cachetools

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
HTML = "text/html"

# The only request body type the spec requires; form encodings are deliberately not
# accepted because browsers send them cross-site without a CORS preflight.
SUPPORTED_REQUEST_TYPES = (JSON,)

_UTF8 = frozenset({"utf-8", "utf8"})


@dataclass(frozen=True)
class _MediaRange:
    type: str
    subtype: str
    params: dict[str, str]
    quality: float

    def specificity(self, media_type: str) -> int | None:
        """How precisely this range names ``media_type``: 2 exactly, 0 as ``*/*``.

        None when it does not cover it at all, which includes naming a charset other
        than UTF-8: every response here is UTF-8.
        """
        type_, _, subtype = media_type.partition("/")
        if self.params.get("charset", "utf-8") not in _UTF8:
            return None
        if self.type == "*":
            return 0
        if self.type != type_:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == subtype else None


def _split_media(value: str) -> tuple[str, dict[str, str]]:
    mime, *raw_params = value.split(";")
    params: dict[str, str] = {}
    for raw in raw_params:
        name, sep, param_value = raw.partition("=")
        if sep:
            params[name.strip().lower()] = param_value.strip().strip('"').lower()
    return mime.strip().lower(), params


def _parse_accept(header: str) -> list[_MediaRange]:
    ranges = []
    for part in header.split(","):
        mime, params = _split_media(part)
        type_, sep, subtype = mime.partition("/")
        if not sep or not type_ or not subtype:
            continue
        try:
            quality = float(params.pop("q", "1"))
        except ValueError:
            # RFC 9110 gives a malformed weight no meaning; ignoring the range is
            # safer than guessing the client's preference.
            continue
        ranges.append(_MediaRange(type_, subtype, params, min(max(quality, 0.0), 1.0)))
    return ranges


def _weigh(ranges: list[_MediaRange], media_type: str) -> tuple[float, int]:
    """The (quality, specificity) the most specific matching range gives ``media_type``."""
    best: tuple[int, float] | None = None
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity is not None and (best is None or (specificity, media_range.quality) > best):
            best = (specificity, media_range.quality)
    return (0.0, -1) if best is None else (best[1], best[0])


_Choice = TypeVar("_Choice")

#: Header values kept per memo, and the longest value kept: a client may send a
#: header of many kilobytes, which is parsed afresh rather than held.
_MEMO_ENTRIES = 256
_MEMO_VALUE_CHARS = 256


def _memoized(choose: Callable[[str | None], _Choice]) -> Callable[[str | None], _Choice]:
    """``choose``, remembering its answer for the most recent short header values.

    Clients send a handful of distinct header values: each is parsed once, which
    keeps negotiation out of the time of a cached answer. Entries and key length are
    both bounded, so neither odd values nor huge ones grow the memo.
    """
    remembered = cachetools.cached(cachetools.LRUCache(maxsize=_MEMO_ENTRIES))(choose)

    @functools.wraps(choose)
    def memo(value: str | None) -> _Choice:
        if value is not None and len(value) > _MEMO_VALUE_CHARS:
            return choose(value)
        return remembered(value)

    return memo


@_memoized
def negotiate_response_type(accept: str | None) -> str | None:
    """Choose the response media type for an ``Accept`` header.

    Args:
        accept: The raw header value, or None when the client sent none.

    Returns:
        ``application/graphql-response+json`` when the client names it with at least
        the weight of ``application/json`` (the spec's preferred type);
        ``application/json`` for legacy clients: no header, ``*/*``, or a preference
        for it; None when the client accepts neither, which callers answer with 406.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = _parse_accept(accept)
    candidates = []
    for media_type in (GRAPHQL_RESPONSE_JSON, JSON):
        quality, specificity = _weigh(ranges, media_type)
        if quality > 0:
            # On equal weight, the newer type wins only when named outright: a bare
            # wildcard comes from clients written before it existed.
            named_newer = (media_type == GRAPHQL_RESPONSE_JSON) == (specificity == 2)
            candidates.append(((quality, specificity, named_newer), media_type))
    return max(candidates)[1] if candidates else None


@_memoized
def accepts_html(accept: str | None) -> bool:
    """Whether the client asked for HTML by name (``text/html`` or ``text/*``).

    ``*/*`` alone does not count: command-line clients send it, and they want the
    JSON error about a missing query, not a web page.
    """
    if not accept:
        return False
    quality, specificity = _weigh(_parse_accept(accept), HTML)
    return quality > 0 and specificity >= 1


@_memoized
def is_supported_request_type(content_type: str | None) -> bool:
    """Whether a POST body of this ``Content-Type`` can be read as a GraphQL request.

    A charset parameter is allowed as long as it is UTF-8, the only encoding JSON
    may use between systems (RFC 8259).
    """
    if not content_type:
        return False
    mime, params = _split_media(content_type)
    return mime in SUPPORTED_REQUEST_TYPES and params.get("charset", "utf-8") in _UTF8


__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "HTML",
    "JSON",
    "SUPPORTED_REQUEST_TYPES",
    "accepts_html",
    "is_supported_request_type",
    "negotiate_response_type",
]

"""What the endpoint keeps between requests: answers, and the queries clients persisted.

Both come in two stores with one interface: process memory (the default, right for one
process) and Redis (``COOPGRAPH_REDIS_URL``), shared by every worker and host.
"""

from coopgraph.graph.caching.keys import response_key
from coopgraph.graph.caching.persisted import (
    PersistedQueries,
    PersistedQueryError,
    PersistedQueryNotFound,
)
from coopgraph.graph.caching.store import MemoryStore, RedisStore, Store, create_store

__all__ = [
    "MemoryStore",
    "PersistedQueries",
    "PersistedQueryError",
    "PersistedQueryNotFound",
    "RedisStore",
    "Store",
    "create_store",
    "response_key",
]

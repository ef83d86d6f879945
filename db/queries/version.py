"""What the data version is read from, shared by the seed that writes it."""

from __future__ import annotations

#: Each edition's year and the digest of its content, as the seed stored them.
EDITION_DIGESTS_SQL = "SELECT year, content_sha256 FROM editions"
#: The PostgreSQL channel the seed notifies when it committed new data.
DATA_VERSION_CHANNEL = "coopgraph_data_version"

__all__ = ["DATA_VERSION_CHANNEL", "EDITION_DIGESTS_SQL"]

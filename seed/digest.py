"""The digest of a resolved edition: what the served data version is made of.

Two seeds of the same document with the same curation resolve to equal editions and
so to the same digest; a change of curation, of resolution code or of the stored
schema changes it. Servers compare digests, never the data itself, to know that the
answers they cached are stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import PurePath

import orjson

from coopgraph.seed.resolve import ResolvedEdition


def _canonical(value: object) -> object:
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, PurePath):
        return str(value)
    msg = f"cannot digest a {type(value).__name__}"
    raise TypeError(msg)


def edition_digest(edition: ResolvedEdition, schema_revision: str) -> str:
    """SHA-256 of the edition's resolved content, its file name and the schema revision.

    The file's folder is left out: the same document seeded from elsewhere is the same
    edition, as ``editions.source_name`` already treats it.
    """
    named = dataclasses.replace(edition, source_name=PurePath(edition.source_name).name)
    content = orjson.dumps(
        {"schema": schema_revision, "edition": dataclasses.asdict(named)},
        option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
        default=_canonical,
    )
    return hashlib.sha256(content).hexdigest()


__all__ = ["edition_digest"]

"""The Relay ``Node`` interface."""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object with a globally unique, stable ID (Relay Global Object Identification)."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Stable across re-seeding the same documents: a saved ID keeps resolving. "
        "Derived from the natural key (ISO code, slug, year), never from a row number."
    )

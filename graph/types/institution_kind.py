"""How specific an institution entry is."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry

from coopgraph.db.kinds import InstitutionKind as StoredKind


@strawberry.enum(description="How specific an institution entry of the document is.")
class InstitutionKind(enum.Enum):
    ORGANIZATION = strawberry.enum_value(
        "ORGANIZATION",
        description="One named organisation: NIH, 美国能源部（DOE）, 法国科研中心 (CNRS).",
    )
    GROUP = strawberry.enum_value(
        "GROUP",
        description="A named set of organisations: top50大学, U15大学, G8大学, 香港六所主要大学, "
        "Crown Institutes.",
    )
    CATEGORY = strawberry.enum_value(
        "CATEGORY",
        description="A generic type of institution in one country: 国立研究机构, 大学, 企业, "
        "相关大学, 研究型大学.",
    )

    @classmethod
    def from_stored(cls, kind: StoredKind) -> InstitutionKind:
        return cls[kind.name]

    def stored(self) -> StoredKind:
        return StoredKind[self.name]


def stored_kinds(kinds: list[InstitutionKind] | None) -> tuple[StoredKind, ...] | None:
    """A kinds argument as the hashable, order-free filter the queries take."""
    if kinds is None:
        return None
    return tuple(sorted({kind.stored() for kind in kinds}, key=lambda kind: kind.name))


#: The ``kinds`` argument of the institution lists on Country and Field.
KindsArgument = Annotated[
    list[InstitutionKind] | None,
    strawberry.argument(
        description="Only these kinds, e.g. [ORGANIZATION, GROUP]; all when omitted."
    ),
]

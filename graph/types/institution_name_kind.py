"""What a name the curation adds to an institution is."""

from __future__ import annotations

import enum

import strawberry

from coopgraph.db.kinds import InstitutionNameKind as StoredKind


@strawberry.enum(description="What a curated name of an institution is.")
class InstitutionNameKind(enum.Enum):
    STANDARD_NAME = strawberry.enum_value(
        "STANDARD_NAME",
        description="Its standard Chinese name where the document spells it otherwise: "
        "坎特伯雷大学 for 基督城大学, 中央研究院 for 台湾中央研究院.",
    )
    SHORT_FORM = strawberry.enum_value(
        "SHORT_FORM", description="A short form in common use: 中研院, 工研院, 马普学会."
    )
    TRANSLATION = strawberry.enum_value(
        "TRANSLATION",
        description="Its name in its own language: Institut Pasteur, Universidad de Chile.",
    )

    @classmethod
    def from_stored(cls, kind: StoredKind) -> InstitutionNameKind:
        return cls[kind.name]

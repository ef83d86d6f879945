"""A name the curation adds to an institution, beside the document's spellings."""

from typing import Self

import strawberry

from coopgraph.db.queries.records import InstitutionNameRecord
from coopgraph.graph.types.institution_name_kind import InstitutionNameKind


@strawberry.type(
    description="A name users know an institution by that the document does not write: its "
    "standard Chinese name, a common short form, or its name in its own language."
)
class InstitutionName:
    name: str = strawberry.field(description="坎特伯雷大学, 中研院, Institut Pasteur.")
    kind: InstitutionNameKind = strawberry.field(description="What kind of name it is.")

    @classmethod
    def from_record(cls, record: InstitutionNameRecord) -> Self:
        return cls(name=record.name, kind=InstitutionNameKind.from_stored(record.kind))

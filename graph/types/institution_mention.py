"""How one priority names one institution."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from coopgraph.db.queries.records import MentionRecord
from coopgraph.graph.context import ResolverInfo
from coopgraph.graph.loaders import present
from coopgraph.graph.types.qualifying_body import QualifyingBody

if TYPE_CHECKING:
    from coopgraph.graph.types.institution import Institution


@strawberry.type(
    description="An institution as one priority's cell names it: the spelling as written and "
    "whether the cell means it and others like it (等, 及相关大学)."
)
class InstitutionMention:
    text: str = strawberry.field(
        description="This institution's part of the cell, as written: 国家标准技术研究院（NIST), Scipps, 台大."
    )
    and_others: bool = strawberry.field(
        description="The cell adds 等 after it (里约热内卢大学等, 多伦多大学等U15大学): this "
        "institution and others like it are meant. 及相关大学 and 等大学 name a category of "
        "universities beside it, which is a mention of its own."
    )
    qualified_by: list[QualifyingBody] = strawberry.field(
        description="Bodies the cell names to say whose institutions this category means, not as "
        "partners: the three ministries of 教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构. "
        "Empty for most mentions."
    )
    record: strawberry.Private[MentionRecord]

    @classmethod
    def from_record(cls, record: MentionRecord) -> Self:
        return cls(
            text=record.mention,
            and_others=record.and_others,
            qualified_by=[QualifyingBody.from_stored(body) for body in record.qualified_by or ()],
            record=record,
        )

    @strawberry.field(description="The institution this spelling resolves to.")
    async def institution(
        self, info: ResolverInfo
    ) -> Annotated["Institution", strawberry.lazy("coopgraph.graph.types.institution")]:
        from coopgraph.graph.types.institution import Institution  # noqa: PLC0415 - types refer to each other

        record = await info.context.loaders.institution.load(self.record.institution_id)
        return Institution.from_record(present(record, "institution"))

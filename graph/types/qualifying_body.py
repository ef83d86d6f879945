"""A body named only to qualify a category of partners."""

from typing import Self

import strawberry


@strawberry.type(
    description="A body a cell names to say whose institutions are meant, not as a partner: "
    "教育科研部 in 教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构."
)
class QualifyingBody:
    name: str = strawberry.field(description="As written: 教育科研部.")
    name_en: str = strawberry.field(
        description="Curated English name: Ministry of Higher Education and Scientific Research."
    )

    @classmethod
    def from_stored(cls, stored: dict[str, str]) -> Self:
        return cls(name=stored["name"], name_en=stored["nameEn"])

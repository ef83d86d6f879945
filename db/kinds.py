"""The stored enumerations, in a module without SQLAlchemy.

The seed's parsing and curation need these values to check a document
(``coopgraph check``) without loading the ORM; ``db.models`` stores them as columns and
the GraphQL enums mirror them.
"""

from __future__ import annotations

import enum


class InstitutionKind(enum.Enum):
    """How specific an institution entry is; mirrors the GraphQL enum."""

    ORGANIZATION = "ORGANIZATION"
    GROUP = "GROUP"
    CATEGORY = "CATEGORY"


class InstitutionNameKind(enum.Enum):
    """What a curated name of an institution is; mirrors the GraphQL enum."""

    STANDARD_NAME = "STANDARD_NAME"
    SHORT_FORM = "SHORT_FORM"
    TRANSLATION = "TRANSLATION"


#: Sources of search spellings that are romanisations of a Chinese name (ri ben, rb):
#: type-ahead spellings that match from their start only, and name nothing by themselves
#: (``country(name:)`` does not take them; two countries may share initials).
ROMANISATIONS = frozenset({"pinyin", "initials"})

"""Resolve an institutions cell into curated institutions.

A cell lists institutions separated by 、，or commas of either width. An entry may
carry an acronym in brackets that do not match (``国家标准技术研究院（NIST)``), end in
a qualifier that means "and others" (``里约热内卢大学等``, ``INPE及相关大学``), or join
two institutions with 等 (``多伦多大学等U15大学``: Toronto, one of the U15).

Which spelling is which institution is decided only by the curated table; the code
here knows the cell's grammar and nothing about particular institutions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seed.curation import Curation, InstitutionEntry

SEPARATORS = re.compile(r"[、，,]")
#: ``name（ACRONYM)`` with either bracket width on either side.
BRACKETED_ACRONYM = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<acronym>[^（()）]+?)\s*[)）]$")
JOINERS = ("等", "及")


@dataclass(frozen=True, slots=True)
class Mention:
    """One institution named in a cell, spelled as written."""

    entry: InstitutionEntry
    text: str
    and_others: bool


class UnresolvedInstitutionError(LookupError):
    """An entry of a cell matches no curated institution of its country."""

    def __init__(self, country: str, text: str) -> None:
        super().__init__(
            f"institution {text!r} of {country} has no row in seed/curation/institutions.csv "
            "(add one, or add this spelling to an existing row's aliases)"
        )
        self.country = country
        self.text = text


class InstitutionResolver:
    """Looks spellings up in the curated institutions table, scoped by country.

    Matching tries, in order: the spelling as written against names, aliases and
    acronyms; then, for ``name（ACRONYM）``, the name and the acronym separately.
    """

    def __init__(self, curation: Curation) -> None:
        self._qualifiers = curation.qualifiers
        self._by_spelling: dict[tuple[str, str], InstitutionEntry] = {}
        for entry in curation.institutions:
            spellings = (entry.name, *entry.aliases, *((entry.acronym,) if entry.acronym else ()))
            for spelling in spellings:
                self._by_spelling.setdefault((entry.country, spelling.casefold()), entry)

    def lookup(self, country: str, text: str) -> InstitutionEntry | None:
        """The curated institution a single spelling names, or None."""
        found = self._by_spelling.get((country, text.casefold()))
        if found is not None:
            return found
        match = BRACKETED_ACRONYM.match(text)
        if match is None:
            return None
        by_name = self._by_spelling.get((country, match["name"].casefold()))
        by_acronym = self._by_spelling.get((country, match["acronym"].casefold()))
        if by_name is not None and by_acronym is not None and by_name is not by_acronym:
            return None
        return by_name or by_acronym

    def resolve_entry(self, country: str, text: str) -> list[Mention]:
        """Resolve one separated entry of a cell into one or two mentions."""
        whole = self.lookup(country, text)
        if whole is not None:
            return [Mention(whole, text, and_others=False)]
        for qualifier in self._qualifiers:
            head = text.removesuffix(qualifier)
            if head != text and (entry := self.lookup(country, head)) is not None:
                return [Mention(entry, head, and_others=True)]
        for joiner in JOINERS:
            for position in (m.start() for m in re.finditer(joiner, text)):
                head, tail = text[:position], text[position + 1 :]
                first, second = self.lookup(country, head), self.lookup(country, tail)
                if first is not None and second is not None:
                    return [
                        Mention(first, head, and_others=True),
                        Mention(second, tail, and_others=False),
                    ]
        raise UnresolvedInstitutionError(country, text)

    def resolve_cell(self, country: str, cell: str) -> list[Mention]:
        """Every institution a cell names, in order, each once."""
        mentions: list[Mention] = []
        seen: set[str] = set()
        for raw in SEPARATORS.split(cell):
            text = raw.strip()
            if not text:
                continue
            for mention in self.resolve_entry(country, text):
                if mention.entry.name not in seen:
                    seen.add(mention.entry.name)
                    mentions.append(mention)
        return mentions

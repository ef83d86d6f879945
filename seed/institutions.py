"""Resolve an institutions cell into curated institutions.

A cell lists institutions separated by 、，or commas of either width. An entry may
carry an acronym in brackets that do not match (``国家标准技术研究院（NIST)``), end in
a qualifier that means "and others" (``里约热内卢大学等``), or join two institutions
with 等 or 及: ``多伦多大学等U15大学`` is Toronto, one of the U15; ``INPE及相关大学``
is INPE and the category of related universities; ``布宜诺斯艾利斯大学等大学`` is UBA
and the category of universities it belongs to.

A category may be qualified by the bodies it belongs to:
``教育科研部、农业部、水资源与灌溉部等部委下属国立研究机构`` is one category, national
research institutes under those ministries; the ministries are not partners, so the
whole run of entries is one mention of the category, qualified by them.

Which spelling is which institution is decided only by the curated table; the code
here knows the cell's grammar and nothing about particular institutions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopgraph.db.kinds import InstitutionKind
from coopgraph.seed.curation import Curation, InstitutionEntry, QualifyingBody

SEPARATORS = re.compile(r"[、，,]")
#: ``X下属Y`` or ``X等Z下属Y``: Y under X (and other Z).
SUBORDINATE = re.compile(r"^(?P<body>.+?)(?:等(?P<others>[^等]+?))?下属(?P<category>.+)$")
#: ``name（ACRONYM)`` with either bracket width on either side.
BRACKETED_ACRONYM = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<acronym>[^（()）]+?)\s*[)）]$")
JOINERS = ("等", "及")


@dataclass(frozen=True, slots=True)
class Mention:
    """One institution named in a cell, spelled as written."""

    entry: InstitutionEntry
    text: str
    and_others: bool
    qualified_by: tuple[QualifyingBody, ...] = ()


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
        self._bodies = curation.qualifying_bodies
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
                    # 等 says the first is one of the second (U15, 大学); 及 only adds one.
                    return [
                        Mention(first, head, and_others=joiner == "等"),
                        Mention(second, tail, and_others=False),
                    ]
        raise UnresolvedInstitutionError(country, text)

    def _qualified_category(
        self, country: str, entries: list[tuple[str, int, int]], index: int
    ) -> tuple[int, InstitutionEntry, list[QualifyingBody]] | None:
        """For ``…X等部委下属Y`` at ``index``: where the run of bodies starts, Y, and the bodies.

        The run reaches back over the entries before that are qualifying bodies of the
        country, so ``A、B、C等部委下属Y`` is one mention of Y qualified by A, B and C.
        """
        match = SUBORDINATE.match(entries[index][0])
        if match is None:
            return None
        last = self._bodies.get((country, match["body"]))
        category = self.lookup(country, match["category"])
        if last is None or category is None or category.kind is not InstitutionKind.CATEGORY:
            return None
        bodies = [last]
        start = index
        while start > 0 and (body := self._bodies.get((country, entries[start - 1][0]))):
            bodies.insert(0, body)
            start -= 1
        return start, category, bodies

    def resolve_cell(self, country: str, cell: str) -> list[Mention]:
        """Every institution a cell names, in order, each once."""
        entries = [
            (raw.group().strip(), raw.start(), raw.end())
            for raw in re.finditer(r"[^、，,]+", cell)
            if raw.group().strip()
        ]
        resolved: list[tuple[int, list[Mention]]] = []
        for index, (_, _, end) in enumerate(entries):
            qualified = self._qualified_category(country, entries, index)
            if qualified is None:
                resolved.append((index, []))
                continue
            start, category, bodies = qualified
            del resolved[start:]
            written = cell[entries[start][1] : end].strip()
            mention = Mention(category, written, and_others=False, qualified_by=tuple(bodies))
            resolved.append((index, [mention]))
        mentions: list[Mention] = []
        seen: set[str] = set()
        for index, found in resolved:
            for mention in found or self.resolve_entry(country, entries[index][0]):
                if mention.entry.name not in seen:
                    seen.add(mention.entry.name)
                    mentions.append(mention)
        return mentions

"""The one normalisation that search terms and search input share.

Terms are normalised when they are seeded and the user's text when it is searched, with
the same function, so matching is plain string comparison in SQL on any database.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc

_WHITESPACE = re.compile(r"\s+")


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_search_text(text: str) -> str:
    """Fold width, case, traditional characters and spacing: ``臺灣 `` → ``台湾``.

    Spaces are dropped, so ``ri ben`` and ``riben`` meet, and ``Max Planck`` matches
    ``Max Planck Society`` as a prefix.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    simplified: str = _to_simplified().convert(folded)
    return _WHITESPACE.sub("", simplified)

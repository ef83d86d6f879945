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
#: Han characters are words of one character each: the text indexes then find 大学
#: inside 澳门大学 as the phrase 大 学, which no word tokenizer does for unspaced Chinese.
#: A regular-expression class that Python and PostgreSQL read alike (db.search_index
#: pairs these characters in SQL).
HAN_CHARACTER = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN = re.compile(HAN_CHARACTER)
_WORD = re.compile(r"[^\W_]+")


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalize_search_text(text: str) -> str:
    """Fold width, case, traditional characters and spacing: ``臺灣 `` → ``台湾``.

    Spaces are dropped, so ``ri ben`` and ``riben`` meet, and ``Max Planck`` matches
    ``Max Planck Society`` as a prefix.
    """
    return _WHITESPACE.sub("", _fold(text))


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    simplified: str = _to_simplified().convert(folded)
    return simplified


def search_words(text: str) -> list[str]:
    """The words the text indexes hold: ``University of Macau`` → university, of, macau.

    Folded like ``normalize_search_text``, and also without diacritics (Açores → acores);
    punctuation separates words, and each Han character is a word of its own
    (澳门大学 → 澳, 门, 大, 学).
    """
    decomposed = unicodedata.normalize("NFKD", _fold(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(_HAN.sub(lambda han: f" {han.group()} ", bare))


def is_han(word: str) -> bool:
    """Whether a word of ``search_words`` is one Han character."""
    return _HAN.fullmatch(word) is not None


def typo_keys(word: str) -> set[str]:
    """The word and every way of deleting one of its characters.

    Two words within one edit (substitution, insertion, deletion, or two neighbours
    swapped) share a key, so one typo is found by equality on an indexed column.
    """
    return {word} | {word[:n] + word[n + 1 :] for n in range(len(word))}

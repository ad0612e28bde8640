"""Arabic text helpers that never move an offset.

Matching is done on *folded* word forms (no diacritics or tatweel, one alef, ى → ي), but every token
keeps the character offsets of its original spelling, so whatever is found maps back to the source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
TATWEEL = "\u0640"
_STRIP = re.compile(f"[{DIACRITICS}{TATWEEL}]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})

# A word: letters and digits with any diacritics inside. Underscore counts, so #وسم_مركب is one word.
WORD = re.compile(f"[\\w{DIACRITICS}{TATWEEL}]+")
SENTENCE_END = frozenset(".!?؟…")
COMMAS = frozenset("،,؛;")


def fold(s: str) -> str:
    """The matching form of a word or phrase: no diacritics or tatweel, alef forms and ى unified."""
    return _STRIP.sub("", s).translate(_FOLD)


def strip_al(word: str) -> str:
    """A folded word without the article (القاضي → قاضي), for comparing names; short words are kept."""
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


class Token(NamedTuple):
    """One word of the text: its original offsets and its folded form (a tuple: made by the thousand)."""

    start: int
    end: int
    fold: str

    def text(self, source: str) -> str:
        return source[self.start : self.end]


NAME_ALI = "علي_"  # the folded form of the name علي, kept apart from the preposition على (folded علي)


@lru_cache(maxsize=1 << 16)  # news text repeats its words: fold each spelling once
def fold_word(word: str) -> str:
    """``fold`` for one word, except that the name علي (with ي) stays apart from the preposition على."""
    folded = fold(word)
    if folded == "علي" and _STRIP.sub("", word) == "علي":
        return NAME_ALI
    return folded


_new_tuple = tuple.__new__  # a NamedTuple's own __new__ is a Python call per token; this is not


def tokenize(text: str) -> list[Token]:
    return [_new_tuple(Token, (m.start(), m.end(), fold_word(m.group()))) for m in WORD.finditer(text)]


def without_hashtags(name: str) -> str:
    """A name as words where hashtags wrote it (#الجهاد_الإسلامي → الجهاد الإسلامي)."""
    return " ".join(name.replace("_", " ").replace("#", " ").split())


def trim(text: str, start: int, end: int, extra: str = "") -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace (and any characters in ``extra``)."""
    while start < end and (text[start].isspace() or text[start] in extra):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in extra):
        end -= 1
    return start, end

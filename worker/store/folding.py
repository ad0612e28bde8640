"""The search form of Arabic text: what the store indexes and what a query is folded to, the same way.

On top of ``worker.text.fold`` (diacritics and tatweel gone, أ/إ/آ/ٱ → ا, ى → ي) a search also
ignores the other hamza seats (ؤ → و, ئ → ي, a lone ء dropped) and ة/ه, and Latin case: a reader types
مسؤول or مسئول, مدرسة or مدرسه, and finds both. Words are kept, punctuation becomes one space.
"""

from __future__ import annotations

from worker.text import WORD, fold

_SEARCH = str.maketrans({"ؤ": "و", "ئ": "ي", "ة": "ه", "ء": None})


def search_words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return [w for w in (m.group().translate(_SEARCH).lower() for m in WORD.finditer(fold(text))) if w]


def search_text(text: str) -> str:
    """The folded words of ``text`` joined by single spaces: the indexed column."""
    return " ".join(search_words(text))

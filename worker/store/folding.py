"""The search form of Arabic text: what the store indexes and what a query is folded to, the same way.

On top of ``worker.text.fold`` (diacritics and tatweel gone, أ/إ/آ/ٱ → ا, ى → ي) a search ignores the
hamza on its other seats (ؤ، ئ، ء dropped: مسؤول and مسئول are one word), ة/ه and Latin case. Words are
kept, punctuation goes.

Arabic writes its proclitics onto the word (والاقتصاد، بالمسؤولية، للوزير), so the index holds each word
and also the word without each proclitic that leaves three letters or more: a search for الاقتصاد or
اقتصاد finds والاقتصاد. A query's words are not stripped (the index already holds the shorter forms).
"""

from __future__ import annotations

from functools import lru_cache

from worker.text import WORD, fold

_SEARCH = str.maketrans({"ؤ": None, "ئ": None, "ء": None, "ة": "ه"})

#: Proclitic letters and their combinations with the article, longest first (folded forms).
PROCLITICS = (
    "ولل",
    "فلل",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ال",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
MIN_STEM = 3


def search_words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return WORD.findall(fold(text).translate(_SEARCH).lower())


@lru_cache(maxsize=1 << 16)  # news text repeats its words: strip each spelling once
def index_words(word: str) -> str:
    """A folded word and its forms without a proclitic, joined by spaces."""
    forms = [word]
    if len(word) > MIN_STEM:
        for prefix in PROCLITICS:
            if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
                rest = word[len(prefix) :]
                if rest not in forms:
                    forms.append(rest)
    return " ".join(forms)


def search_text(text: str) -> str:
    """The indexed column of a quote: every word's ``index_words``, joined by single spaces."""
    return " ".join(map(index_words, search_words(text)))

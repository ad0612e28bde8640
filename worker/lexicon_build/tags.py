"""Tags before a colon, learned from the corpus: the words an outlet puts before a colon at the start of
a line as a genre or section label (``مباشر:``، ``ريبورتاج:``، ``ورد الآن:``), which are nobody's words.

A label of one or two words that opens lines as ``LABEL:`` in at least ``TAG_MIN_ARTICLES`` articles is a
tag when none of its words names anyone: no word is seen in the mined names of people or organisations
more than ``TAG_NAME_USES`` times, and none is a title, organisation, unnamed-source or document head,
a place or a cue form of the base lists (``ترامب:``، ``سوريا:``، ``دراسة:`` open many lines too, and speak
or are spoken of). ``headlines`` then reads such a line as no source's words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from worker.lexicon import Lexicon
from worker.text import fold_word

TAG_MIN_ARTICLES = 15
TAG_NAME_USES = 10
_LINE_LABEL = re.compile(r"^[ \t•*\-–—]*(\w{2,20}(?:[ \t]+\w{2,20})?)[ \t]*:", re.M)


class TagMiner:
    """Counts, per label, the articles with a line that opens ``LABEL:``."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lx = lexicon
        self.articles: Counter[str] = Counter()

    def add(self, text: str) -> None:
        self.articles.update(
            {" ".join(fold_word(w) for w in m.group(1).split()) for m in _LINE_LABEL.finditer(text)}
        )

    def learned(self, name_uses: Callable[[str], int]) -> dict[str, int]:
        """label -> articles, for the labels that pass the tests of the module's doc; ``name_uses(word)``:
        how often the mined names hold the word."""
        lx = self.lx
        heads = lx.ORG_HEADS | lx.ANONYMOUS_HEADS | lx.DOCUMENT_NOUNS | lx.PLACE_WORDS | lx.FUNCTION_WORDS
        out = {}
        for label, n in self.articles.items():
            if n < TAG_MIN_ARTICLES:
                continue
            words = label.split()
            if any(
                w.isdigit()
                or name_uses(w) > TAG_NAME_USES
                or w in heads
                or w in lx.CUE_FORMS
                or lx.is_title(w)
                for w in words
            ):
                continue
            out[label] = n
        return out

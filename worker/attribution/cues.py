"""Cues the lexicon lacks: a document that speaks (``وجاء في بيان …``) and a speech verb that only the
parse knows. The lexicon's own cues (verbs, participles, source phrases, verbal nouns) are in
``worker.lexicon``; the cheap test that a text may hold a quote at all is ``has_candidate``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from worker import lexicon as lx
from worker.attribution.speakers import word_list
from worker.text import WORD, Token, fold_word

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import Lexicon

# Cheap test first: a text with no quotation mark, colon or cue word has no quote.
_MARKS = re.compile("[:«“”\"„']")
DOCUMENT_CUE = lx.CueForm("جاء", "verb")
IMPERSONAL_CUES = word_list("impersonal_cues.txt")


def has_candidate(text: str, lex: Lexicon) -> bool:
    if _MARKS.search(text):
        return True
    return any(fold_word(w) in lex.CUE_FORMS for w in WORD.findall(text))


def document_cue(a: Article, i: int) -> lx.CueForm | None:
    """وجاء في بيان الوزارة أن …: a document that says something (its issuer is the speaker)."""
    if a.tokens[i].fold not in ("جاء", "وجاء") or i + 2 >= len(a.tokens):
        return None
    if a.tokens[i + 1].fold != "في" or a.tokens[i + 2].fold not in a.lx.DOCUMENT_NOUNS:
        return None
    return DOCUMENT_CUE


def parsed_cue(a: Article, tok: Token) -> lx.CueForm | None:
    """A speech verb the lexicon lacks but the parse recognised (by lemma and part of speech)."""
    hint = a.hints.get(tok.start)
    if hint is None or hint.cue[1] != tok.end or tok.fold in a.lx.FUNCTION_WORDS:
        return None
    if hint.speaker is None or hint.complementizer is None:
        return None  # only a full parse (subject, complementizer, clause) vouches for a new verb
    return lx.CueForm(hint.cue_lemma, "verb")

"""Cues the lexicon lacks: a document that speaks (``وجاء في بيان …``) and a speech verb that only the
parse knows. The lexicon's own cues (verbs, participles, source phrases, verbal nouns) are in
``worker.lexicon``; the cheap test that a text may hold a quote at all is ``has_candidate``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from worker import lexicon as lx
from worker.attribution import names
from worker.attribution.speakers import data_rows, word_list
from worker.text import WORD, Token, fold_word

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import Lexicon

# Cheap test first: a text with no quotation mark, colon or cue word has no quote.
_MARKS = re.compile("[:«“”\"„']")
DOCUMENT_CUE = lx.CueForm("جاء", "verb")
IMPERSONAL_CUES = word_list("impersonal_cues.txt")
# verbs whose quoted fragment is their subject's words, though they are no cue (data file's header)
FRAGMENT_ONLY_VERBS = frozenset(
    fold_word(clitic + form) for form in word_list("fragment_only_verbs.txt") for clitic in ("", "و", "ف")
)


def _conditional_cues(name: str) -> dict[str, lx.CueForm]:
    out: dict[str, lx.CueForm] = {}
    for form, lemma, g, n in data_rows(name, 4):
        agrees = lx.agreement(g, n)
        if agrees is None:
            raise ValueError(f"{name}: bad gender or number in {form!r}")
        for clitic in ("", "و", "ف"):
            out[fold_word(clitic + form)] = lx.CueForm(fold_word(lemma), "verb", *agrees)
    return out


# speech nouns with a genitive subject (تصريح الرئيس بأن): conditional cues after a preposition
NOUN_CUES = _conditional_cues("noun_cues.tsv")
CONDITIONAL_CUES = _conditional_cues("conditional_cues.tsv") | NOUN_CUES
# the words before a speech noun that make it a cue: بعد أيام من تصريح، عقب تأكيد، تشكك في قول
_NOUN_CUE_PREPOSITIONS = frozenset(fold_word(w) for w in ("بعد", "عقب", "إثر", "من", "رغم", "في"))
_SUBJECT_WORDS = 4


def fragment_verb_object(a: Article, v: int, mention: list[Token]) -> bool:
    """``وحث السكان على الابتعاد عن "…"``: the one word after a fragment-only verb (``FRAGMENT_ONLY_VERBS``,
    transitive: حث X على، توعد X بـ) right before its preposition, no name or title, is its object; its
    subject is unnamed (``وحثت موغيريني إلى "…"``: a name is the subject; ``وحثت المنظمة السلطات على``:
    subject and object)."""
    if a.tokens[v].fold not in FRAGMENT_ONLY_VERBS or len(mention) != 1 or mention[0].start < a.tokens[v].end:
        return False
    k = a.token_at(mention[-1].end)
    if k >= len(a.tokens) or not a.tokens[k].fold.lstrip("و").startswith(("علي", "الي", "ب")):
        return False
    return not any(names.is_name_word(a.lx, t.fold) or a.lx.is_title(t.fold) for t in mention)


def has_candidate(text: str, lex: Lexicon) -> bool:
    if _MARKS.search(text):
        return True
    return any(
        (f := fold_word(w)) in lex.CUE_FORMS or f in CONDITIONAL_CUES or f in lex.LEARNED_CUES
        for w in WORD.findall(text)
    )


def present_form(lex: Lexicon, fold: str) -> bool:
    """A verb form (folded) of the present (يتوقع، وتتعهد): ي or ت opens it after و / ف, and it is no past
    form of a verb whose lemma begins with ت (توقعت، وتعهدت، تحدثوا: past, however they start)."""
    form = fold[1:] if fold[:1] in ("و", "ف") and len(fold) > 3 else fold
    if form[:1] not in ("ي", "ت"):
        return False
    cue = lex.CUE_FORMS.get(fold)
    return cue is None or not form.startswith(fold_word(cue.lemma))


def document_cue(a: Article, i: int) -> lx.CueForm | None:
    """وجاء في بيان الوزارة أن …: a document that says something (its issuer is the speaker)."""
    if a.tokens[i].fold not in ("جاء", "وجاء") or i + 2 >= len(a.tokens):
        return None
    if a.tokens[i + 1].fold != "في":
        return None
    doc = a.tokens[i + 2].fold
    if doc == "نص" and i + 3 < len(a.tokens):  # وجاء في نص الرسالة: the text of the document
        doc = a.tokens[i + 3].fold
    if doc not in a.lx.DOCUMENT_NOUNS:
        return None
    return DOCUMENT_CUE


def conditional_cue(a: Article, i: int) -> lx.CueForm | None:
    """وبين المتحدث أن …: a word that is a cue verb only when a short subject and a complementizer
    follow it in its sentence (``data/conditional_cues.tsv``)."""
    cue = CONDITIONAL_CUES.get(a.tokens[i].fold)
    if cue is None:
        return None
    tok = a.tokens[i]
    if tok.fold in NOUN_CUES:
        if not _noun_after_preposition(a, i):
            return None  # إعلان الرئيس أن …، كان بمثابة …: the noun is the sentence's subject
    elif tok.fold[0] not in "وف" and not _opens_clause(a, i):
        return None  # اشتباكات بين الطرفين / في نص القرار: the preposition, the noun
    end = a.sentence_end(tok.end)
    nxt = a.tokens[i + 1].fold if i + 1 < len(a.tokens) else ""
    if nxt in a.lx.COMPLEMENTIZERS or nxt in a.lx.COMPLEMENTIZER_PREPOSITIONS:
        return None  # يظهر أن …: impersonal, no subject
    for k in range(i + 2, min(len(a.tokens), i + 2 + _SUBJECT_WORDS)):
        t = a.tokens[k]
        if t.start >= end or any(c in a.gap(k) for c in '،,:"«»“”'):
            return None
        if t.fold in a.lx.COMPLEMENTIZERS:
            return None if tok.fold in NOUN_CUES and _participle_follows(a, k, end) else cue
    return None


def _participle_follows(a: Article, k: int, end: int) -> bool:
    """A participle cue between token k and ``end`` (the sentence end): it goes on with the sentence's
    subject (وجاءت تغريدة X بعد إعلان ترامب أنه …، قائلا إن …: X's words), which a speech noun's
    quote in between would take over as the last speaker; the noun is left alone."""
    for t in a.tokens[k + 1 :]:
        if t.start >= end:
            return False
        cue = a.lx.CUE_FORMS.get(t.fold)
        if cue is not None and cue.kind == "participle":
            return True
    return False


def _noun_after_preposition(a: Article, i: int) -> bool:
    """Speech noun i (``NOUN_CUES``) right after a preposition of time or cause, its next word no noun
    with a possessive pronoun (من إعلان استقالته وسط اتهامات بأنه: what was announced, no speaker)."""
    if i == 0 or i + 1 >= len(a.tokens) or a.tokens[i - 1].fold not in _NOUN_CUE_PREPOSITIONS:
        return False
    if a.tokens[i + 1].fold.endswith(("ته", "تها", "تهم")):
        return False
    # لافتة في تصريح حصري لـCNN إن …: the adjunct of a cue just before, whose subject speaks
    for k in range(i - 2, max(-1, i - 6), -1):
        if any(c in a.gap(k + 1) for c in "،,.:!?؟\n"):
            break
        if a.tokens[k].fold in a.lx.CUE_FORMS or a.tokens[k].fold in CONDITIONAL_CUES:
            return False
    return True


def _opens_clause(a: Article, i: int) -> bool:
    """Token i opens its sentence, or a clause after a comma or a connector (كما، فيما، بينما)."""
    if i == 0 or a.tokens[i - 1].end <= a.sentence_start(a.tokens[i].start):
        return True
    return any(c in "،,؛;" for c in a.gap(i)) or a.tokens[i - 1].fold in ("كما", "فيما", "بينما", "حيث")


def parsed_cue(a: Article, tok: Token) -> lx.CueForm | None:
    """A speech verb the lexicon lacks but the parse recognised (by lemma and part of speech)."""
    hint = a.hints.get(tok.start)
    if hint is None or hint.cue[1] != tok.end or tok.fold in a.lx.FUNCTION_WORDS:
        return None
    if hint.speaker is None or hint.complementizer is None:
        return None  # only a full parse (subject, complementizer, clause) vouches for a new verb
    return lx.CueForm(hint.cue_lemma, "verb")

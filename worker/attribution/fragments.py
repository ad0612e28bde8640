"""Quoted fragments that no cue claimed (GUIDELINES, Conventions: "a quoted fragment that a source is
said to use is a direct quote of the fragment, whatever the verb"): ``تتوعد برد "مناسب"``، ``يندد
بـ"الزبونية"``، ``أعلن وقفا "فوريا"``، ``حثت الدول على "التفكير جديا"``.

A short quotation is such a fragment when a preposition or an indefinite noun opens it (بـ"…"، على
"…"، وقفا "…"), the name tagger finds no name in it (not ``تنظيم "داعش"``) and no naming word comes
before it (يعرف بـ"…"). Its speaker is the speaker of a quote found earlier in the same sentence, else
the named subject of the nearest verb before it when that verb is a form of a cue verb, base or learned
(SVO before a present verb, else VSO after it); with none, the quotation stays a term (ينخفض بفعل
مخاوف "…"). The tagger, the costly check, is asked last.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from worker.attribution import names
from worker.attribution.article import Found
from worker.attribution.content import NAMING_BEFORE_QUOTE, is_work_head
from worker.attribution.cues import FRAGMENT_ONLY_VERBS, fragment_verb_object, present_form
from worker.attribution.marks import QUOTE_CHARS
from worker.attribution.name_tagger import spans_between
from worker.attribution.objects import speaker_words, verb_stems
from worker.attribution.resolve import resolve
from worker.attribution.speaker_phrase import before_object, is_named_subject, speaker_phrase, subject_before
from worker.attribution.speakers import word_list
from worker.text import COMMAS, fold_word, trim

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import Lexicon
    from worker.text import Token

_NAMING = word_list("naming_words.txt") | NAMING_BEFORE_QUOTE
_MAX_WORDS = 6  # a fragment is a few words; a longer quotation is a statement the cues read
_VERB_WINDOW = 10  # words between the verb and the fragment
_PREPOSITIONS = frozenset(fold_word(w) for w in ("من", "على", "عن", "إلى", "بشأن", "حول", "ضد"))


def fragments(a: Article) -> None:
    for k, q in enumerate(a.quoted):
        if not q.closed or a.quote_words[k] > _MAX_WORDS or a.is_claimed(q.open) or a.in_quote(q.open - 1):
            continue
        j = a.token_at(q.start)
        if j >= len(a.tokens) or j == 0 or a.tokens[j].start >= q.end:
            continue
        if not _opened_as_fragment(a, q.open, j) or _named_before(a, j):
            continue
        _attribute(a, q.start, q.end, j)


def _opened_as_fragment(a: Article, mark: int, j: int) -> bool:
    """The quotation mark follows an attached ب (بـ"…"), a preposition (على "…"، من "…") or an indefinite
    accusative noun (وقفا "فوريا"، بشكل "مناسب")."""
    before = a.text[max(0, mark - 3) : mark].rstrip("ـ ")
    if before.endswith("ب") and (len(before) < 2 or not before[-2].isalpha()):
        return True
    prev = a.tokens[j - 1]
    if a.text[prev.end : mark].strip(" ـ"):
        return False  # a comma or another mark between: no phrase runs into it
    fold = prev.fold
    if fold in _PREPOSITIONS or (fold[:1] == "و" and fold[1:] in _PREPOSITIONS):
        return True
    # an indefinite noun the quotation qualifies (برد "مناسب"، وقفا "فوريا"): not the head of a named
    # thing (تنظيم "داعش"، قناة "الجزيرة"، فيلم "X") nor a name
    lex = a.lx
    return not (
        fold.startswith("ال")
        or len(fold) < 3
        or fold in lex.ORG_HEADS
        or lex.is_title(fold)
        or is_work_head(fold)
        # a name word with and without its ب (the mined names hold noise of either: بشكل 97، اجراء 3)
        or (names.is_name_word(lex, fold) and names.is_name_word(lex, fold.removeprefix("ب")))
        or fold in lex.FUNCTION_WORDS
        or not names.common_word(lex, fold.removeprefix("ب"))
    )


def _named_before(a: Article, j: int) -> bool:
    """A naming word a few words before (يعرف بـ"…"، ما يسمى "…"، الملقب بـ"…"): a name or a label."""
    return any(t.fold in _NAMING for t in a.tokens[max(0, j - 3) : j])


def _names_inside(a: Article, j: int, end: int) -> bool:
    """The name tagger finds a name among the quoted words (with their context): a quoted name."""
    k = j
    while k < len(a.tokens) and a.tokens[k].end <= end:
        k += 1
    spans = spans_between(a.tokens, a.text, j - 4, k + 2, a.lx)
    if spans is None:
        return True  # no model: the quotation stays a term
    return any(s.start < k and j < s.end for s in spans)


def _attribute(a: Article, start: int, end: int, j: int) -> None:
    s, e = trim(a.text, start, end, QUOTE_CHARS)
    if e <= s or a.overlaps_claimed(s, e):
        return
    sent_start = a.sentence_start(a.tokens[j].start)
    earlier = [f for f in a.found if sent_start <= f.content[0] and f.content[1] <= start and f.entity]
    if earlier:  # another quote of the sentence: the fragment is its speaker's too
        f = max(earlier, key=lambda f: f.content[1])
        if not _names_inside(a, j, end):
            a.add(Found("direct", (s, e), f.cue, f.cue_lemma, None, None, f.entity, 0.7))
        return
    first = a.token_at(sent_start)
    for v in range(j - 1, max(first - 1, j - 1 - _VERB_WINDOW), -1):
        tok = a.tokens[v]
        if a.in_quote(tok.start) or not _verb(a, tok):
            continue
        mention = _subject(a, v, j)
        if mention is None or (
            mention and (mention[0].fold in a.lx.FUNCTION_WORDS or mention[0].fold.lstrip("و") == "اما")
        ):
            return  # (أما بشأن X فإن ماي تريد "…": a topic, not the subject)
        if fragment_verb_object(a, v, mention):
            return  # (وحث السكان على "…": the verb's object, its subject unnamed)
        if _names_inside(a, j, end):  # (asked last: the tagger is the costly step)
            return
        # no mention: the verb's subject is implicit, its person and gender tell whom it refers to
        cue = None if mention else a.lx.CUE_FORMS.get(tok.fold) or a.lx.LEARNED_CUES.get(tok.fold)
        feminine, plural = (cue.feminine, cue.plural) if cue is not None else (None, None)
        entity, info = resolve(a, mention or None, feminine, v, plural)
        if entity is None:
            return
        a.add(Found("direct", (s, e), (tok.start, tok.end), tok.fold, mention or None, info, entity, 0.7))
        return


def _verb(a: Article, tok: Token) -> bool:
    """A verb of speech or judgement: a form of a cue verb of the lexicon or of a cue learned from the
    corpus (any person or tense: يندد for the learned نددت), not any verb (ينخفض بفعل مخاوف "…": a term)."""
    cue = a.lx.CUE_FORMS.get(tok.fold)
    if (cue is not None and cue.kind == "verb") or tok.fold in a.lx.LEARNED_CUES:
        return True
    if tok.fold in FRAGMENT_ONLY_VERBS:  # حثت X على "…"، تتوعد برد "…" (cues.py)
        return True
    return not verb_stems(tok.fold).isdisjoint(_cue_stems(a.lx))


@cache
def _cue_stems(lex: Lexicon) -> frozenset[str]:
    verbs = [f for f, c in lex.CUE_FORMS.items() if c.kind == "verb"] + list(lex.LEARNED_CUES)
    return frozenset(x for f in verbs for x in verb_stems(f, f in lex.CUE_FORMS and not present_form(lex, f)))


def _subject(a: Article, v: int, j: int) -> list[Token] | None:
    """The named subject of the verb at token ``v``: before it (SVO: حزب العمال يندد بـ"…") or right
    after it (VSO: أعلن وزير الدفاع X وقفا "…"); an empty list when the words after it are only the
    object of a verb that never leaves it out (``objects.only_object``) and no subject came before:
    the implicit subject."""
    before = subject_before(a, v, known_only=True)
    present = present_form(a.lx, a.tokens[v].fold)  # (not تعهدت، توقعت: past forms that open with ت)
    if not before and present:  # دول غربية تتهم روسيا بـ"…": a present verb follows its subject
        before = subject_before(a, v)
    if before:
        # (ليبيا: حفتر يعلن: a location tag before a colon is no part of the subject)
        k = max((n for n in range(1, len(before)) if ":" in a.gap(a.token_at(before[n].start))), default=0)
        return before[k:]
    if present or (a.tokens[v].fold[:1] == "و" and any(c in COMMAS for c in a.gap(v))):
        return None  # (X …، ولامت الوزارة بـ"…": the verb goes on with X, the words after it are its object)
    pre = a.tokens[v + 1 : j]
    after = speaker_phrase(a, pre)
    if after and not speaker_words(a, v, after, pre):
        return subject_before(a, v) or []  # (ترامب وصف [الخطة] بـ"…"; كما اتهمت [الحكومة] "بالتواطؤ")
    if after:
        after = before_object(a, after)
    return after if after and is_named_subject(a, after) else None

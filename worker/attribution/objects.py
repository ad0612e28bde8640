"""The object of a cue verb that never leaves it out (``data/object_first_verbs.txt``: وصف، اتهم): a
single noun phrase between such a verb and its content is the one described or accused, not the
speaker (كما وصفت [القرار] بأنه "…"، الذي وصف [الرسوم الجديدة] "بالمهينة"). Its speaker is then the
subject before the verb or the implicit one, as for any verb whose subject is a pronoun. Likewise the
press or medium told after a verb of telling (``data/telling_verbs.txt``: وأبلغ [الصحفيين] أن)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from worker.attribution import names
from worker.attribution.speaker_phrase import ADDRESSEE_VERBS, before_object
from worker.attribution.speakers import word_list
from worker.text import fold_word

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import Lexicon
    from worker.text import Token

OBJECT_FIRST_VERBS = frozenset(fold_word(w) for w in word_list("object_first_verbs.txt"))
_TELLING_VERBS = frozenset(fold_word(w) for w in word_list("telling_verbs.txt"))


@lru_cache(maxsize=1 << 13)  # asked of every cue verb and quoted fragment: news repeats its verbs
def verb_stems(fold: str, past: bool = False) -> frozenset[str]:
    """The stems a verb form may have (of three letters or more): without و / ف, with or without the
    prefix of the present (ي، ت، ن: a past verb may start with them too; ``past``: the form is known
    to be one, توقع keeps its ت, so that وقع "signed" is no form of it) and an ending of person or
    number."""
    w = fold[1:] if fold[:1] in ("و", "ف") and len(fold) > 3 else fold
    bases = {w, w[1:]} if w[:1] in ("ي", "ت", "ن") and not past else {w}
    out = set()
    for b in bases:
        out.add(b)
        for ending in ("ون", "ان", "وا", "ت", "ا"):
            if b.endswith(ending):
                out.add(b[: -len(ending)])
    return frozenset(x for x in out if len(x) >= 3)


def object_first(a: Article, i: int) -> bool:
    """The cue verb at token ``i`` is a form of an object-first verb with no object pronoun on it."""
    return _object_first_form(a.lx, a.tokens[i].fold)


@lru_cache(maxsize=1 << 12)  # a question of the verb form alone
def _object_first_form(lx: Lexicon, fold: str) -> bool:
    cue = lx.CUE_FORMS.get(fold) or lx.LEARNED_CUES.get(fold)
    if cue is None or cue.kind != "verb":
        return False
    if fold_word(cue.lemma) not in OBJECT_FIRST_VERBS and verb_stems(fold).isdisjoint(OBJECT_FIRST_VERBS):
        return False
    for suffix in names.OBJECT_PRONOUNS:  # ووصفه X بأنه، اتهمها بـ: the object is on the verb
        if fold.endswith(suffix) and not verb_stems(fold[: -len(suffix)]).isdisjoint(OBJECT_FIRST_VERBS):
            return False
        bare = lx.CUE_FORMS.get(fold[: -len(suffix)]) if fold.endswith(suffix) else None
        if bare is not None and bare.lemma == cue.lemma:  # يصفه
            return False
    return True


def only_object(a: Article, i: int, words: list[Token], pre: list[Token]) -> bool:
    """``words``, the phrase read from ``pre`` (all the words between the object-first cue verb at
    ``i`` and its content) and running to its end, are one noun phrase (the subject and
    object split of ``before_object`` finds no second phrase) that names nobody who could speak: no
    name and no speaker the article knows, and in more than one word no title, unnamed source,
    organisation, group or place either (the split may have missed the object after them). A single word is
    the object whatever it is (واتهم الحكومة "بالتقصير"، ووصف الوزير بأنه), a place too (وصف إيران
    بأنها), unless a name."""
    if not words or words[-1].start != pre[-1].start or not object_first(a, i):
        return False  # (وتصف الكتيبات المشار [إليها اليهود]: words the phrase reader left are the object)
    if len(before_object(a, words)) < len(words):
        return False
    lex = a.lx
    for t in words:
        fold = t.fold
        speaker_head = (
            lex.is_title(fold)
            or fold in lex.TITLE_HEADS
            or fold in lex.ORG_HEADS
            or fold in lex.GROUP_HEADS
            or fold in lex.ANONYMOUS_HEADS
            or fold in lex.PLACES  # (اتهمت روسيا بريطانيا: two places, subject and object)
        )
        if (
            (speaker_head and len(words) > 1)  # (الوزير X القرار: a split the phrase reader missed)
            or fold in lex.FAMILY_NAMES
            or fold in lex.GIVEN_NAMES
            or names.given_name(lex, fold)
            or names.unknown_word(lex, fold)  # (زاهر بيراوي: words no table knows may be a name)
            or (names.is_name_word(lex, fold) and not names.common_word(lex, fold) and fold not in lex.PLACES)
        ):
            return False
    return a.registry.find_by_tokens(words[:2]) is None and a.registry.find_by_tokens(words[:1]) is None


def speaker_words(a: Article, i: int, words: list[Token], pre: list[Token]) -> list[Token]:
    """The speaker's words of the phrase ``words`` read from ``pre`` after the cue verb at ``i``:
    empty when they are all the verb's object (``only_object``) or the audience that a verb of
    telling (``data/telling_verbs.txt``) told (``audience``); cut before an audience after the
    speaker (وأبلغ السائق البريطاني [الصحفيين] أن); else unchanged."""
    if only_object(a, i, words, pre):
        return []
    cue = a.lx.CUE_FORMS.get(a.tokens[i].fold)
    lemma = fold_word(cue.lemma) if cue is not None and cue.kind == "verb" else ""
    telling = lemma in _TELLING_VERBS
    if telling or lemma in ADDRESSEE_VERBS or object_first(a, i):  # (حذرت تركيا [فرنسا] من أن)
        words = words[: _second_party(a, words) or len(words)]
    if not telling:
        return words
    told = (n for n, t in enumerate(words) if audience(a.lx, t.fold) and _opens_audience(a, words, n))
    n = next(told, None)
    if n is None:
        return words
    return words[:n]  # n == 0: وأبلغ [الصحفيين] أن: the speaker is the subject before or implicit


def audience(lex: Lexicon, fold: str) -> bool:
    """A word naming a medium or the press, as the lexicon's media words after ل give them (للصحفيين،
    لموقع، لرويترز): after a verb of telling, the one told."""
    if fold.startswith("ال"):
        return ("لل" + fold[2:]).startswith(lex.MEDIA_PREFIXED)
    return fold[:1] not in ("ل", "و", "ف", "ب") and ("ل" + fold).startswith(lex.MEDIA_PREFIXED)


def _second_party(a: Article, words: list[Token]) -> int | None:
    """Where the object begins in a phrase of two parties juxtaposed after a verb that takes one
    (اتهمت روسيا [بريطانيا] بـ"…"، ووصف أردوغان [نتنياهو] بـ"…"، وأبلغت موسكو [بريطانيا] أن): after
    a place's bare name, after the longest name of a speaker the article knows whose last word ends
    names, or after a family name (no given name) before another, a place or a name word that does
    not go on with it (a word with the article may be its adjective; روسيا وإيران, with و, are one
    group of speakers, and وإيران is no place word)."""
    lex = a.lx
    end = 0
    for n in range(1, len(words)):
        if a.registry.find_by_tokens(words[:n]) is None:
            break
        end = n
    if end and not names.ends_names(lex, words[end - 1].fold):
        end = 0  # (محمد [بن] …: a given name goes on)
    first = words[0].fold
    if not end and first in lex.PLACES and not first.startswith("ال"):
        end = 1
    if not end and len(words) > 1 and names.ends_names(lex, first) and not names.opens_names(lex, first):
        end = 1 if names.ends_names(lex, words[1].fold) else 0  # (أردوغان [نتنياهو]: two family names)
    if not end or end >= len(words):
        return None
    nxt = words[end].fold
    if nxt.startswith("ال") or not nxt.isalpha():
        return None  # (an adjective or a construct's noun goes on with the first)
    if nxt in lex.PLACES or a.registry.knows(words[end]):
        return end
    return end if names.is_name_word(lex, nxt) and not names.common_word(lex, nxt) else None


def _opens_audience(a: Article, words: list[Token], n: int) -> bool:
    """``words[n]`` is no construct's second noun: a word with the article after a bare common noun,
    title or organisation head completes it (إدارة [الموقع]، مدير [القناة]); after a definite word or a
    name it opens the audience (وأبلغ السائق البريطاني [الصحفيين]، وأبلغ إنفانتينو [الصحفيين])."""
    if n == 0 or not words[n].fold.startswith("ال"):
        return True
    before = words[n - 1].fold
    lex = a.lx
    return before.startswith("ال") or not (
        names.common_word(lex, before) or lex.is_title(before) or before in lex.ORG_HEADS
    )

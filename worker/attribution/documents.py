"""A document that speaks stands for whoever issued it.

The issuer is named inside the mention (``بيان صادر عن وزارة الداخلية``، ``تقرير للأمم المتحدة``،
``بيان أصدرته الشركة``), or, for a definite document (``وأوضح البيان الصادر``، ``وقال البيان``), where the
text first mentioned that document: after it (``في بيان للمتحدثة``) or as the subject of the clause that
mentioned it (``أعلن محمد حمية في بيان له``، ``أصدرت الوزارة بيانا``)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from worker.attribution import names
from worker.attribution.speaker_phrase import (
    CONNECTORS,
    is_named_subject,
    opening_verb_subject,
    opens_with_verb,
    speaker_phrase,
    trim_mention,
    verb_after_adverbial,
)
from worker.attribution.speakers import GENERIC_NOUNS, analyse
from worker.text import Token, strip_al

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import Lexicon

_LOOK_BACK = 400  # tokens: the earlier mention of a document is in the few paragraphs before
_ISSUER_PRONOUNS = frozenset({"له", "لها", "لهم", "لهما"})  # في بيان له: the subject issued it
_ISSUED = frozenset({"صادر", "الصادر", "صادرة", "الصادرة"})
_RELATIVES = frozenset({"الذي", "التي"})


def issuer_in_mention(a: Article, words: list[Token], construct: bool = True) -> list[Token]:
    """The issuer a document mention names (``words`` unchanged where it names none). ``construct``:
    also the body a document noun is in construct with (``بيان الشرطة``), for the document that speaks
    at a cue, not one mentioned elsewhere in its sentence (``رفض ما ورد في تقرير منظمة X قائلا``: the
    report is the object of another speaker's verb)."""
    if not words or words[0].fold not in a.lx.DOCUMENT_NOUNS:
        return words
    for k, w in enumerate(words):
        if w.fold == "عن" and k + 1 < len(words):
            return words[k + 1 :]  # بيان صادر عن وزارة الداخلية
        if w.fold == "من" and k + 1 < len(words) and (k == 1 or words[k - 1].fold in _ISSUED):
            return words[k + 1 :]  # بيان من مكتب الرئيس، بيان صادر من الوزارة
    if (
        len(words) > 3
        and words[1].fold == "في"
        and not words[2].fold.startswith("ال")
        and _heads_issuer(a, words[2:])
    ):
        return words[2:]  # تقرير في صحيفة واشنطن بوست: the named medium that published it
    if len(words) > 1 and words[1].fold.startswith("ل") and words[1].fold not in _ISSUER_PRONOUNS:
        # تقرير للأمم المتحدة: the issuer (its ل comes off when it is resolved), the definite words
        # that complete it, not the verb after it (بيان للمتحدثة وصل …)
        n = 2
        while n < len(words) and words[n].fold.startswith("ال"):
            n += 1
        return words[1:n]
    if len(words) > 1 and not words[0].fold.startswith("ال") and a.registry.lookup(words[1:]) is not None:
        return words[1:]  # بيان غوغل: a document in construct with a known speaker
    if construct and len(words) > 1 and not words[0].fold.startswith("ال") and _heads_issuer(a, words[1:]):
        return words[1:]  # بيان الشرطة المحلية، تقرير منظمة العفو: in construct with a body or office
    verb = 2 if len(words) > 3 and words[1].fold in _RELATIVES else 1
    if len(words) > verb + 1 and words[verb].fold.endswith(("ته", "تها", "ها", "ه")):
        # بيان أصدرته الشركة، البيانات التي يوفرها الجهاز: the subject of the relative verb
        return words[verb + 1 :]
    return words


def _heads_issuer(a: Article, words: list[Token]) -> bool:
    """The words after an indefinite document noun in construct name the body or office that issued
    it: a definite word that heads such a name (a listed or mined organisation head, a group or
    generic noun: الشرطة، المجلس، السلطات) or a place, or an indefinite organisation head with its name
    after it (منظمة العفو); not a document, a common noun, which gives its topic (تقرير التنمية
    البشرية), an adjective (تقارير صحفية), nor a title, whose bare form names no one (تقرير الطبيب
    الشرعي). A generic noun alone only when the article has named the body it stands for (`بيان
    الوزارة` after `وزارة الصحة`); else the document names more than the noun would."""
    lex = a.lx
    fold = words[0].fold
    if fold in lex.DOCUMENT_NOUNS:
        return False
    if fold in lex.PLACES:
        return True
    if not fold.startswith("ال"):
        return len(words) > 1 and (fold in lex.ORG_HEADS or fold in lex.ORG_NAME_HEADS)
    if len(words) == 1 and fold in GENERIC_NOUNS:
        return a.registry.names_body(fold)
    return (
        fold in lex.ORG_HEADS
        or fold in GENERIC_NOUNS
        or fold in lex.GROUP_HEADS
        or fold in lex.ORG_NAME_HEADS
    )


def is_bare_document(a: Article, words: list[Token]) -> bool:
    """A definite document with no issuer in the mention: البيان، البيان الصادر، التقرير الأخير."""
    head = words[0].fold
    return (
        head in a.lx.DOCUMENT_NOUNS
        and head.startswith("ال")
        and all(_bare_document_word(w.fold) for w in words[1:])
    )


def _bare_document_word(fold: str) -> bool:
    """A word that may follow a bare definite document: an adjective with the article, its number
    (التقرير الـ 51) or صادر (البيان الصادر)."""
    return fold.startswith("ال") or fold.isdigit() or fold in _ISSUED


def issuer_after(a: Article, words: list[Token]) -> list[Token] | None:
    """For a bare definite document, the issuer a relative clause right after the mention names
    (وفقا للبيانات التي يوفرها جهاز الرادار)."""
    k = a.token_at(words[-1].end)
    following = a.tokens[k : k + 9]
    if not following or a.text[words[-1].end : following[0].start].strip():
        return None
    if following[0].fold not in _RELATIVES:
        return None
    issuer = issuer_in_mention(a, [words[0], *following])
    if issuer is None or len(issuer) == len(following) + 1:
        return None
    return trim_mention(a, issuer)


def earlier_issuer(a: Article, words: list[Token]) -> list[Token] | None:
    """For a bare definite document (``is_bare_document``), the issuer named where the text mentioned
    that document before: the latest indefinite mention of the same noun outside quotes."""
    stem = strip_al(words[0].fold)
    forms = {stem, stem + "ا", "ب" + stem, "و" + stem, "وب" + stem}
    here = a.token_at(words[0].start)
    for k in range(here - 1, max(-1, here - _LOOK_BACK), -1):
        tok = a.tokens[k]
        if a.in_quote(tok.start):
            continue
        if tok.fold in forms:
            return document_issuer(a, k)
        if tok.fold == words[0].fold:  # وأوضح التقرير الذي صدر عن X … . وكشف التقرير: X
            run = [tok]
            while k + len(run) < here and not a.gap(k + len(run)).strip():
                if not _bare_document_word(a.tokens[k + len(run)].fold) or len(run) > 3:
                    break
                run.append(a.tokens[k + len(run)])
            named = issuer_after(a, run)
            if named:
                return named
    return None


def document_issuer(a: Article, k: int) -> list[Token] | None:
    """The issuer of the document mentioned at token ``k``: named after it, else the subject of the
    clause that mentions it (the speaker phrase of the cue verb before it in its sentence, or the
    subject of the verb opening that sentence)."""
    after = trim_mention(a, a.tokens[k : k + 9]) or []
    listed = _listed_form(a, after[0].fold) if after else None
    if listed is not None and listed != after[0].fold:  # وبيان، بيانا: the noun as listed
        offset = 1 if after[0].fold[1:].startswith(listed) else 0
        after = [Token(after[0].start + offset, after[0].end, listed), *after[1:]]
    issuer = issuer_in_mention(a, after, construct=False) if after else after
    if issuer is not after and issuer and issuer[0].fold not in a.lx.DOCUMENT_NOUNS:
        return issuer
    start = a.token_at(a.sentence_start(a.tokens[k].start))
    for v in range(k - 1, max(start, k - 40) - 1, -1):
        cue = a.lx.CUE_FORMS.get(a.tokens[v].fold)
        if cue is not None and cue.kind == "verb":
            words = speaker_phrase(a, a.tokens[v + 1 : k]) or []
            while words and (words[-1].fold in a.lx.FUNCTION_WORDS or words[-1].fold == "في"):
                words = words[:-1]  # وقالت الوزارة في [بيان]
            return words or None
    clause = _clause_verb_before(a, start, k)
    if clause is not None:  # …، بينما أصدر صندوق النقد بيانا: the clause that mentions it
        subject = opening_verb_subject(a, clause, k)
        return subject if subject and is_named_subject(a, subject) else None
    verb = verb_after_adverbial(a, start, k)
    if verb is not None:
        start = verb  # وبعد ذلك، أصدر X بيانا: the verb after the fronted adverbial
    if start < k - 1 and (opens_with_verb(a, start, True) or opens_with_verb(a, start, False)):
        return opening_verb_subject(a, start, k)
    if start < k - 1 and _issuing_verb(a, start):  # أصدرت وزارة الأمن العام بيانا
        subject = opening_verb_subject(a, start, k)
        info = analyse(a.lx, subject, a.text) if subject else None
        return subject if info is not None and (info.title or info.kind == "organization") else None
    return None


_CLAUSE_WORDS = 6  # a document is mentioned a few words after the verb of its clause


def _clause_verb_before(a: Article, start: int, k: int) -> int | None:
    """A verb the corpus knows right after a connector (بينما، فيما، لكن) a few words before the
    document at token ``k``, after the sentence's first words: the clause that mentions it."""
    for v in range(k - 2, max(start + 1, k - _CLAUSE_WORDS) - 1, -1):
        if a.gap(v + 1).strip() or a.gap(v).strip(" ،,"):
            return None  # punctuation inside: the document is not this clause's object
        if a.tokens[v - 1].fold in CONNECTORS and names.looks_verb(a.lx, a.tokens[v].fold):
            return v
    return None


def _issuing_verb(a: Article, k: int) -> bool:
    """A perfect verb with no و opening a sentence before a document (أصدرت، نشر): not definite, not a
    function word, and no known speaker's name."""
    f = a.tokens[k].fold
    return (
        not f.startswith("ال")
        and f not in a.lx.FUNCTION_WORDS
        and f not in a.lx.CUE_FORMS
        and not a.registry.knows(a.tokens[k])
    )


@lru_cache(maxsize=8)
def _document_forms(lex: Lexicon) -> frozenset[str]:
    """Every indefinite form of a document noun, with و / ب before it or the accusative ا after it
    (وبيان، بيانا), computed once per lexicon."""
    bare = {w for w in lex.DOCUMENT_NOUNS if not w.startswith("ال")}
    forms = bare | {w + "ا" for w in bare}
    return frozenset(forms | {p + w for w in forms for p in ("و", "ب")})


def _listed_form(a: Article, fold: str) -> str | None:
    """The listed document noun a word is (بيانا، وبيان، ببيان → بيان), or None."""
    for bare in (fold, fold[1:] if fold[:1] in "وب" else ""):
        if bare in a.lx.DOCUMENT_NOUNS:
            return bare
        if bare.endswith("ا") and bare[:-1] in a.lx.DOCUMENT_NOUNS:
            return bare[:-1]
    return None


_DOCUMENT_BEFORE_CUE = 3  # بيانا جديدا قال فيه: the cue opens a relative clause on the document


def document_before_cue(a: Article, i: int) -> list[Token] | None:
    """The issuer of a document named right before the cue at ``i`` (أصدر X بيانا اعتبر فيه، في تغريدة،
    قال فيها): the cue describes the document, so its issuer speaks, before any other subject."""
    forms = _document_forms(a.lx)
    for k in range(i - 1, max(-1, i - 1 - _DOCUMENT_BEFORE_CUE), -1):
        if a.gap(k + 1).strip(" ،,"):
            return None
        if a.tokens[k].fold in forms and not a.in_quote(a.tokens[k].start):
            return document_issuer(a, k)
    return None


def document_in_sentence(a: Article, i: int) -> list[Token] | None:
    """The issuer of the latest document mentioned earlier in the sentence of the cue at ``i`` (جاء ذلك
    في بيان للمتحدثة …، حيث قالت؛ أصدرت الوزارة بيانا أعلنت فيه): an implicit cue reports what the
    document says."""
    start = max(a.token_at(a.sentence_start(a.tokens[i].start)), i - 30)
    forms = _document_forms(a.lx)
    tokens = a.tokens
    for k in range(i - 1, start - 1, -1):
        if tokens[k].fold in forms and not a.in_quote(tokens[k].start):
            return document_issuer(a, k)
    return None

"""The entity model of an article (issue 16): every person and body the text names, with what the text
says of each, and the link from each speaker mention to one of them.

Two steps of the attributor's order:

1. ``gather`` (before the cues are read): one pass over the words outside quotes registers each
   person named with a title (``الرئيس الأوكراني فولوديمير زيلينسكي``; a title and its apposed name,
   ``عميد كلية …، بوبكر غريب،``) and each body named in full (``الجهاز المركزي للتعبئة …``,
   ``برنامج الأغذية العالمي``), so that the registry (``speakers.EntityRegistry``) knows their titles,
   nationalities and heads when a later mention (a family name, ``العميد``, ``الجهاز``) comes.
2. ``link`` (after the last cue): each speaker the text gave only by a description (a title, an
   office with a nationality, a definite body noun) is linked to the one named entity whose
   attributes fit it: the same head noun or a generic office word (``المسؤول``), the same
   nationality, and as many shared title words as any other. Where two named entities fit equally,
   the description stays the answer: no name is guessed. What this leaves is linked by proximity
   (``EntityRegistry.merge_titled``: the name beside the title).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from worker.attribution import names
from worker.attribution.name_tagger import spans_between
from worker.attribution.speaker_phrase import trim_mention
from worker.attribution.speakers import (
    GENERIC_NOUNS,
    NAME_LINKS,
    Entity,
    MentionInfo,
    analyse,
    canonical,
    is_kinship,
    mined_body_head,
    name_key,
    nisba_key,
    words_besides_links,
)
from worker.text import COMMAS, Token, fold, strip_al, tokenize, without_hashtags

if TYPE_CHECKING:
    from worker.attribution.article import Article, Found
    from worker.lexicon import Lexicon


_OPEN_LINKS = frozenset({"بن", "ابن", "بنت", "آل", "عبد", "ابو", "أبو"})  # (not دي: وانغ دي)
_INNER_LINKS = _OPEN_LINKS | {"ال"}  # the same as folded words (آل folds to ال)
_MENTION_WINDOW = 9  # words read from a title or body word for its mention
_QUOTED_TITLE_NAME = 4  # words of a quoted body's name inside a title (لشركة "X"، …)
_COPULAS = frozenset({"هو", "هي"})  # the pronouns that link a subject to its predicate (الرئيس هو X)
_QUOTED_BODY_MAX = 6  # words of a body's quoted name after a title (تحالف "دعم الشرعية في اليمن")
QUOTE_MARKS = '"«»“”'  # marks around a body's quoted name
_TITLED_APPOSED_MAX = 8  # words of a titled apposition (الفريق أول ركن X بن Y Z)
_COMPLEMENT_MAX = 6  # words of a title's complement before its apposed name (لدى الولايات المتحدة)
_PLACE_PREPOSITIONS = frozenset(fold(w) for w in ("في", "لدى"))  # a title's complement may open so
_TAGGER_CONTEXT = 3  # words before an apposed name the name tagger reads with it
_APPOSED_MAX = 3  # words of a name apposed to a title between commas (بوبكر غريب، محمد ناصر شويخة)


def gather(a: Article) -> None:
    """Register every titled person and every body named in full, outside quotes, as mentions that do
    not speak (``EntityRegistry.resolve(speaks=False)``)."""
    covered = 0  # the end of the latest mention read: a word inside it starts no new one
    for i, tok in enumerate(a.tokens):
        first = tok if a.lx.is_title(tok.fold) else None
        if first is None and tok.fold[:2] in ("لل", "با"):  # (most words: no preposition attached)
            first = _title_after_preposition(a, tok)
        if first is None or tok.fold in a.lx.ADJUNCT_PREPOSITIONS:
            continue  # (أمام: the preposition far more often than the imam)
        if tok.start < covered or a.in_quote(tok.start):
            continue  # (asked only of title words: most words are none)
        words = trim_mention(a, [first, *a.tokens[i + 1 : i + _MENTION_WINDOW]]) or []
        if 0 < len(words) < _MENTION_WINDOW:  # ended at a boundary, not at the window's end
            covered = words[-1].end
        info = analyse(a.lx, words, a.text)
        if info.title and len(info.name) >= 2:
            name = info.name
            if len(name) > 2 and not _ends_at_boundary(a, name[-1]):
                # in running text a long name often runs into the verb after it (… جاستن ترودو
                # تذرع ترامب): without a boundary after it, only the first two words are sure
                name = name[: _two_parts(name)]
            if not _plausible_name(a.lx, [t.fold for t in name]):
                name = []
            if name:  # (not … باعتذار عما: words a title ran into, no one's name)
                a.registry.resolve(a.text, words[: words.index(name[-1]) + 1], tok.start, speaks=False)
        elif words and not _has_name(a.lx, info):
            apposed = apposed_name(a, words[-1])
            plain = apposed is not None
            if not apposed and info.title and info.kind == "person":
                apposed = _apposed_past_complement(a, words[-1]) or _name_after_quoted_body(a, words[-1])
            if apposed:  # عميد كلية …، بوبكر غريب،: the title and the name it is apposed to
                _register_apposed(a, words, apposed, tok.start, plain)
                if not a.lx.is_title(a.tokens[a.token_at(apposed[0].start) - 1].fold):
                    covered = apposed[-1].end  # (الأمير X Y: the rank and name are a mention too)
            elif info.title and info.kind == "person":
                before = _name_before(a, i)
                # X Y، المدير الفني لنادي …،: the name and the title apposed to it, in the order whose
                # reading keeps the whole name the name (title first, else as written)
                for mention in ([*words, *before], [*before, *words]) if before else ():
                    if analyse(a.lx, mention, a.text).name == before:
                        a.registry.resolve(a.text, mention, before[0].start, speaks=False)
                        break


def _register_apposed(a: Article, title: list[Token], name: list[Token], position: int, plain: bool) -> None:
    """Register a person named by a title and the name apposed to it: as one mention where its reading
    keeps the name the name, else (a long title read as a body's name, or as running into the name:
    ``المفوض السامي للأمم المتحدة …، X Y``) the name alone, then the title given to it. Words that are
    not surely a name read alone are registered as one mention with the title when they follow it
    right after the comma (``plain``, as the first pass did: its reading keeps what it can), else not."""
    mention = [*title, *name]
    read = analyse(a.lx, mention, a.text)
    if read.kind == "person" and [t.start for t in read.name] == [t.start for t in name]:
        a.registry.resolve(a.text, mention, position, speaks=False)
        return
    alone = analyse(a.lx, name, a.text)
    if alone.kind != "person" or len(alone.name) != len(name) or not _sure_name(a, name):
        if plain:  # (وزير الدولة …، سعد الدين بشرى: the name the reading keeps, سعد الدين)
            a.registry.resolve(a.text, mention, position, speaks=False)
        return  # (رئيسة الحكومة …، [أحسنت بتقديم استقالتها].: a clause, no name)
    entity, _ = a.registry.resolve(a.text, name, name[0].start, speaks=False)
    if entity.kind == "person":
        a.registry.add_title(entity, title)


def _title_after_preposition(a: Article, tok: Token) -> Token | None:
    """A definite title word with ل or ب attached (للرئيس الأميركي X، بالرئيس X): the title word alone, as
    a token of its own, so that the person it names is gathered like any titled person."""
    for prefix in ("لل", "بال"):
        if tok.fold.startswith(prefix) and len(tok.fold) > len(prefix) + 2:
            bare = "ال" + tok.fold[len(prefix) :]
            if a.lx.is_title(bare):
                return Token(tok.start + 1, tok.end, bare)  # (the text after the ل or ب)
    return None


def _two_parts(name: list[Token]) -> int:
    """How many words of a name make its first two parts, its links not counted (ستافان دي ميستورا:
    three words; أحمد بن علي: three)."""
    for n in range(2, len(name) + 1):
        if words_besides_links(name[:n]) >= 2 and name[n - 1].fold not in NAME_LINKS:
            return n
    return len(name)


def _has_name(lex: Lexicon, info: MentionInfo) -> bool:
    return bool(info.name) and names.person_name(lex, info.name)


def _ends_at_boundary(a: Article, last: Token) -> bool:
    """Whether a clear boundary follows ``last``: punctuation, a complementizer or cue, a function
    word, or the end of the text."""
    k = a.token_at(last.end)
    if k >= len(a.tokens):
        return True
    nxt = a.tokens[k]
    if a.text[last.end : nxt.start].strip():
        return True
    return nxt.fold in a.lx.COMPLEMENTIZERS or nxt.fold in a.lx.CUE_FORMS or nxt.fold in a.lx.FUNCTION_WORDS


def apposed_name(a: Article, last: Token) -> list[Token] | None:
    """The person's name set off by commas right after a title that ends at ``last``
    (``TITLE، X Y،``): two or three words outside quotes, each a name word or a word that is no
    definite, title, body, place, time, function or verb word, with a comma, full stop or
    complementizer after them. A quoted name that ends the title is passed over (المدير التنفيذي
    لشركة "X"، Y Z،)."""
    k = a.token_at(last.end)
    if k < len(a.tokens) and a.in_quote(a.tokens[k].start) and not a.in_quote(last.start):
        j = k
        while j < min(len(a.tokens), k + _QUOTED_TITLE_NAME + 1) and a.in_quote(a.tokens[j].start):
            j += 1
        if j > k + _QUOTED_TITLE_NAME:
            return None  # a quotation, not a name
        last, k = a.tokens[j - 1], j
    if k >= len(a.tokens) or not any(c in COMMAS for c in a.text[last.end : a.tokens[k].start]):
        return None
    if k < len(a.tokens) and a.lx.is_title(a.tokens[k].fold) and any(c in COMMAS for c in a.gap(k)):
        return _titled_apposition(a, k)  # المتحدث باسم …، العقيد الركن X Y،
    words: list[Token] = []
    j = k  # a name's links are not counted among its parts (تركي آل الشيخ: two parts)
    while j < len(a.tokens) and words_besides_links(words) <= _APPOSED_MAX:
        if j > k and a.gap(j).strip():
            break
        words.append(a.tokens[j])
        j += 1
    if len(words) == 1 and "_" in words[0].fold and a.gap(k).strip().endswith("#"):
        return _hashtag_name(a, words[0])  # الممثل اللبناني، #باسم_مغنية،
    if words_besides_links(words) > _APPOSED_MAX:
        return None  # the words run on: no apposition closed by a comma
    if len(words) < 2:
        return None
    end = a.token_at(words[-1].end)
    after = a.text[words[-1].end : a.tokens[end].start] if end < len(a.tokens) else "."
    if not any(c in COMMAS or c in ".:" for c in after):
        return None
    if a.in_quote(words[0].start):
        return None
    return words if _name_words(a.lx, words) or _tagged_person(a, words) else None


def _apposed_past_complement(a: Article, last: Token) -> list[Token] | None:
    """The name apposed to a title whose complement the mention left out (``السفير الروسي [لدى
    الولايات المتحدة]، X Y،``، ``مدير مركز "…" [للدراسات]، X Y،``): up to ``_COMPLEMENT_MAX`` words
    after ``last`` with nothing but a space or quotation marks between them, none a verb, cue,
    complementizer, time or function word other than a place preposition, then the apposition."""
    k = a.token_at(last.end)
    for j in range(k, min(len(a.tokens), k + _COMPLEMENT_MAX)):
        tok = a.tokens[j]
        if a.gap(j).strip(' "«»“”'):
            return None  # punctuation before any complement word: the title ended
        f = tok.fold
        if not a.in_quote(tok.start) and _ends_name_run(a.lx, f) and f not in _PLACE_PREPOSITIONS:
            return None
        if j + 1 < len(a.tokens) and any(c in COMMAS for c in a.gap(j + 1)):
            name = apposed_name(a, tok)
            return name if name and _sure_name(a, name) else None
    return None


def _sure_name(a: Article, name: list[Token]) -> bool:
    """Apposed words that are a person's name read alone: a plausible name; where a later word is a
    common word (a link's word aside), one the name tagger takes for a person's name (سحر [نصر]; not
    الملك في معبد …، مخاطبا [عمال] المحاجر: the clause after the title)."""
    if not _plausible_name(a.lx, [t.fold for t in name]) or any(_attached_latin(t.fold) for t in name):
        return False
    return not any(
        names.common_word(a.lx, t.fold) and name[n].fold not in _INNER_LINKS for n, t in enumerate(name[1:])
    ) or _tagged_person(a, name)


def _name_after_quoted_body(a: Article, last: Token) -> list[Token] | None:
    """The person's name right after a title that ends with a body's quoted name, with no comma
    (``المتحدث باسم تحالف "…" [النائب] X Y إن``، ``المحلل لدى مجموعة "…" X Y إن``): the words after the
    closing mark up to a function, cue, time or verb word or punctuation, read as an optional rank and a
    name that is all the words after it."""
    j = a.token_at(last.end)
    if not a.in_quote(last.start):
        for _ in range(_COMPLEMENT_MAX):  # (المحلل [لدى مجموعة] "…": the title's complement first)
            if j >= len(a.tokens) or a.in_quote(a.tokens[j].start) or a.gap(j).strip():
                break
            f = a.tokens[j].fold
            if _ends_name_run(a.lx, f) and f not in _PLACE_PREPOSITIONS:
                return None
            j += 1
        k = j
        while j < min(len(a.tokens), k + _QUOTED_BODY_MAX + 1) and a.in_quote(a.tokens[j].start):
            j += 1
        if j == k or j > k + _QUOTED_BODY_MAX:
            return None  # no quoted name, or a quotation
    if j >= len(a.tokens) or not any(c in QUOTE_MARKS for c in a.gap(j)) or a.gap(j).strip(QUOTE_MARKS + " "):
        return None  # (a comma after the quoted name: apposed_name's)
    words: list[Token] = []
    for n in range(j, min(len(a.tokens), j + _TITLED_APPOSED_MAX + 1)):
        f = a.tokens[n].fold
        if (n > j and a.gap(n).strip()) or _ends_name_run(a.lx, f):
            break
        if a.in_quote(a.tokens[n].start) or (n > j and f[:1] == "و" and not names.is_name_word(a.lx, f)):
            return None  # (مرشحة "…" X Y [ومرشح] "…": a second person joined by و, no boundary)
        words.append(a.tokens[n])
    if not 2 <= len(words) <= _TITLED_APPOSED_MAX:
        return None  # (running on: no boundary after the name)
    read = analyse(a.lx, words, a.text)
    name = read.name
    if read.kind != "person" or len(name) < 2 or name[-1].start != words[-1].start:
        return None
    if name[0].fold[:1] == "و" and not names.given_name(a.lx, name[0].fold):
        return None  # (شركة "…" [والملياردير] X Y: a second description joined by و, not the name)
    if name[0].fold in _COPULAS:
        return None  # (رئيس وحدة "…" [هو] X Y: a sentence that names him, its pronoun no name)
    if words_besides_links(name) > _APPOSED_MAX or not _sure_name(a, name):
        return None
    return name if _name_words(a.lx, name) or _ranked_name(a.lx, name) or _tagged_person(a, name) else None


def _ends_name_run(lex: Lexicon, fold: str) -> bool:
    """A word that is no part of a name after a title: a function, cue, complementizer, time or verb word."""
    return (
        fold in lex.FUNCTION_WORDS
        or fold in lex.CUE_FORMS
        or fold in lex.COMPLEMENTIZERS
        or fold in lex.TIME_WORDS
        or names.looks_verb(lex, fold)
    )


def _titled_apposition(a: Article, k: int) -> list[Token] | None:
    """The name of an apposition that opens with the person's own rank or honorific (``العقيد الركن X
    Y``، ``الأمير X بن Y``): the words from token ``k`` to the next punctuation, read as a title and a
    name; the name, when it is all the words after the title and one that ``_name_words`` accepts."""
    words: list[Token] = []
    for j in range(k, min(len(a.tokens), k + _TITLED_APPOSED_MAX + 1)):
        if j > k and a.gap(j).strip():
            break
        words.append(a.tokens[j])
    end = a.token_at(words[-1].end)
    after = a.gap(end) if end < len(a.tokens) else "."
    if len(words) > _TITLED_APPOSED_MAX or not any(c in COMMAS or c in ".:" for c in after):
        return None
    if a.in_quote(words[0].start):
        return None
    name = analyse(a.lx, words, a.text).name
    if len(name) < 2 or name[-1] is not words[-1] or words_besides_links(name) > _APPOSED_MAX:
        return None
    rank = words[: len(words) - len(name)]
    if any(t.fold in a.lx.PLACES for t in rank):
        return None  # (نيمار، لاعب باريس [سان جرمان]: a place's name runs on, no name after a rank)
    if _name_words(a.lx, name) or _ranked_name(a.lx, name) or _tagged_person(a, name):
        return name
    return None


def _attached_latin(fold: str) -> bool:
    """A preposition attached to a word in Latin letters (لـCNN): the addressee after a name, no part of
    it."""
    return fold[:1] in "لب" and fold[1:2].isascii() and fold[1:2].isalpha()


def _ranked_name(lex: Lexicon, name: list[Token]) -> bool:
    """The name a rank opens (الدكتور فواز [العلمي]): a given name first, then words that are no
    function, cue or verb words (a family name may be any definite word: العلمي)."""
    return names.is_name_word(lex, name[0].fold) and not any(
        t.fold in lex.FUNCTION_WORDS or t.fold in lex.CUE_FORMS or names.looks_verb(lex, t.fold)
        for t in name[1:]
    )


def _tagged_person(a: Article, words: list[Token]) -> bool:
    """Apposed words whose first the lexicon knows as a common word (وحيد، تركي) but that the name
    tagger, reading them with the title before them, takes for a person's name: each word one that may
    stand in a name, the tagger asked last (the costly check)."""
    if not all(
        _apposable(a.lx, w.fold) or (n and words[n - 1].fold in _INNER_LINKS) for n, w in enumerate(words)
    ):
        return False
    k = a.token_at(words[0].start)
    end = a.token_at(words[-1].end)
    spans = spans_between(a.tokens, a.text, k - _TAGGER_CONTEXT, end + 1, a.lx)
    # a person's name that ends with the words (the tagger may leave out a first word it reads as a
    # nisba: [تركي] المالكي); no model: the lexicon's answer stands
    return any(sp.type == "PER" and sp.end == end and k <= sp.start for sp in spans or ())


def _hashtag_name(a: Article, tok: Token) -> list[Token] | None:
    """A person's name written as one hashtag between commas (#جاستن_ترودو): two or three parts, read
    as the words of an apposed name."""
    k = a.token_at(tok.end)
    after = a.gap(k) if k < len(a.tokens) else "."
    parts = _hashtag_words(a, tok)
    if not 2 <= len(parts) <= _APPOSED_MAX or not any(c in COMMAS or c in ".:" for c in after):
        return None
    return parts if _name_words(a.lx, parts) else None


def _name_before(a: Article, i: int) -> list[Token] | None:
    """The person's name that a title starting at token ``i`` is apposed to, set off by a comma before
    it (``X Y، المدير الفني لنادي …``): two or three words outside quotes with no punctuation between
    them, each one that may stand in an apposed name and the first a name word or a word the corpus
    does not know (as ``apposed_name`` reads them); three words only when the first is a name word the
    corpus knows (not سئلت سارة ساندرز: the words before a name may be a verb it does not know). With
    no comma, the name is a speech verb's subject right after it (``قال X Y المدير الفني للمنتخب
    الروسي``: not ``استقبل X Y وزير الخارجية``, where the title may be the object)."""
    gap = a.gap(i) if i else ""
    if i < 2 or any(c in ".:؟?!\n" for c in gap):
        return None
    apposed = any(c in COMMAS for c in gap)
    if not apposed and gap.strip():
        return None
    found = None
    for n in range(2, min(_APPOSED_MAX, i) + 1):
        words = a.tokens[i - n : i]
        if a.gap(i - n + 1).strip() or a.in_quote(words[0].start):
            break
        if not (_name_words(a.lx, words) and _plausible_name(a.lx, [t.fold for t in words])):
            break
        first = words[0].fold
        if n > 2 and not names.is_name_word(a.lx, first):
            break
        if words[-1].fold in _OPEN_LINKS:
            continue  # علاء بن [نجمة]: a name does not end in a link that needs a name after it
        if first[:1] == "و" and not names.is_name_word(a.lx, first):
            continue  # وارتطم غوميز: a sentence's و and its verb before the name, not its first word
        if not apposed and not _after_speech_verb(a, i - n):
            continue
        found = words
    return found


def _after_speech_verb(a: Article, k: int) -> bool:
    """Whether token ``k`` follows a speech verb with nothing but a space between them."""
    if k < 1 or a.gap(k).strip():
        return False
    cue = a.lx.CUE_FORMS.get(a.tokens[k - 1].fold)
    return cue is not None and cue.kind == "verb"


def _name_words(lex: Lexicon, words: list[Token]) -> bool:
    """Words that may form an apposed person's name: each apposable, the first a name word or a word
    the corpus does not know."""
    first = words[0].fold
    if words[-1].fold in _INNER_LINKS:
        return False  # (علاء بن: a link needs the name after it)
    linked = len(words) > 2 and words[1].fold in _INNER_LINKS  # تركي آل الشيخ، زيد بن رعد
    return all(  # the word a link joins is a name part whatever else it is (آل [الشيخ]، أبو [بكر])
        _apposable(lex, w.fold) or (n and words[n - 1].fold in _INNER_LINKS) for n, w in enumerate(words)
    ) and (linked or names.is_name_word(lex, first) or names.unknown_word(lex, first))


def _apposable(lex: Lexicon, fold: str) -> bool:
    """A word that may stand in an apposed person's name."""
    if fold.startswith("ال"):
        return names.is_family_name(lex, fold) or names.is_name_word(lex, fold)
    return not (
        lex.is_title(fold)
        or fold in lex.ORG_HEADS
        or fold in lex.PLACES
        or fold in lex.TIME_WORDS
        or fold in lex.FUNCTION_WORDS
        or fold in lex.CUE_FORMS
        or names.looks_verb(lex, fold)
        or names.never_a_name(lex, fold)
        or fold.isdigit()
    )


@dataclass(slots=True)
class _Description:
    """What a descriptive mention says of the entity it stands for."""

    heads: frozenset[str]  # its head noun's key, empty for a generic office word (المسؤول)
    words: frozenset[str]  # its other title words' keys, nationalities left out
    nationalities: frozenset[str]


def link(a: Article) -> None:
    """Link each speaker known only by a description to the one named entity that fits it (see the
    module's doc), then by proximity (``merge_titled``) what is left."""
    reg = a.registry
    for e in list(reg.entities):
        if e.alias_of is not None or e.last_spoke < 0:
            continue
        target = _person_for(a, e) if e.kind in ("person", "anonymous") else _body_for(a, e)
        if target is not None and canonical(target) is not e:
            e.alias_of = canonical(target)
    reg.merge_titled(a.text, a.tokens, a.in_quote, lambda e: not _indefinite(a.lx, e.descriptor or ""))
    for f in a.found:
        _generic_referent(a, f)
        _apposed_in_mention(a, f)
        _apposed_after_mention(a, f)
    lead = _lead_speaker(a)
    for e in list(reg.entities):
        unlinked = e.alias_of is None and e.last_spoke >= 0 and e is not lead and e.kind == "person"
        if lead is not None and unlinked and _by_nationality(a, e, lead):
            e.alias_of = lead
        if e.name and ("_" in e.name or "#" in e.name):
            e.name = without_hashtags(e.name)  # سعد_الحريري: the name a hashtag wrote, as words
        if e.descriptor and ("_" in e.descriptor or "#" in e.descriptor):
            e.descriptor = without_hashtags(e.descriptor)


def _generic_referent(a: Article, f: Found) -> None:
    """A generic noun that spoke (وقالت الوزارة) and that the registry gave to the latest body that
    spoke, of another head (a newspaper, a country), is the one body of its own head the text named in
    full before the quote (وزارة الخارجية الفرنسية), when there is one."""
    if f.entity is None or not f.mention or len(f.mention) != 1:
        return
    noun = f.mention[0].fold
    if noun not in GENERIC_NOUNS or strip_al(noun) in a.lx.DOCUMENT_NOUNS:
        return  # (البيان، التقرير: a document stands for its issuer, documents.py)
    e = canonical(f.entity)
    if e.kind != "organization" or name_key(a.lx, noun) in e.name_keys or e.head == name_key(a.lx, noun):
        return
    body = _body_named(a, noun, f.mention[0].start)
    if body is not None and body is not e:
        f.entity = body


def _apposed_in_mention(a: Article, f: Found) -> None:
    """A speaker mention that holds a title and the name apposed to it (``المفوض السامي …، X Y``),
    read as one description, stands for the person ``gather`` registered under that name."""
    if f.entity is None or not f.mention or len(f.mention) < 3:
        return
    e = canonical(f.entity)
    if e.kind == "person" and e.name and not e.descriptor and not any(c in COMMAS for c in e.name):
        return  # (a name that runs over the comma, لشركة [X، Y Z], is the title's body and the name)
    last = next(
        (
            n
            for n in range(len(f.mention) - 1, 0, -1)
            if any(c in COMMAS for c in a.gap(a.token_at(f.mention[n].start)))
        ),
        0,
    )
    if not last or not 2 <= len(f.mention) - last <= _APPOSED_MAX + 2:
        return  # (no comma inside the mention: most mentions)
    tail = f.mention[last:]
    if e.kind == "person" and e.name and any(c in COMMAS for c in e.name):
        name = analyse(a.lx, tail, a.text).name or tail
        if {name_key(a.lx, t.fold) for t in name} <= e.name_keys:  # (لشركة X، Y Z: the name is Y Z)
            e.name = a.text[name[0].start : name[-1].end]
            return
    if e.kind == "person":
        _alias_to_person(a, e, tail)  # (الأمير X بن Y Z: the name after the apposition's rank)
        return
    person = _person_by_name(a, e, tail)
    if person is None:
        return
    for g in a.found:  # a body read from the title (المفوض …): this quote and the implicit ones its
        if g is f or (g.mention is None and g.entity is not None and canonical(g.entity) is e):
            g.entity = person  # speaker stands for are the person's; a generic noun (المفوضية) stays


def _apposed_after_mention(a: Article, f: Found) -> None:
    """A titled speaker mention with the person's name apposed right after it (``قال المدير التنفيذي
    لشركة X، Y Z، …``: the mention stopped at the comma, its last word read as a name) stands for the
    person ``gather`` registered under the apposed name."""
    if f.entity is None or not f.mention or f.info is None or not f.info.title:
        return
    head = f.mention[0].fold
    if _names_people(a.lx, head) or head in a.lx.GROUP_HEADS:
        return  # (عائلة المرشح …، X Y: a group, whose member or relative the name is)
    if f.info.name and (names.person_name(a.lx, f.info.name) or _name_after_title(a, f.mention, f.info.name)):
        return  # (a person's own name: the apposition says more of him; الدكتور علي عربي، أخصائي …)
    apposed = apposed_name(a, f.mention[-1])
    if not apposed:
        return
    e = canonical(f.entity)
    if e.name is None or e.name_keys <= {name_key(a.lx, t.fold) for t in f.info.name}:
        _alias_to_person(a, e, apposed)  # (its name only the mention's misreading: لشركة [آبل])
        return
    person = _person_by_name(a, e, apposed)  # (متحدث باسم X، Y Z: the registry took up another spokesman)
    if person is not None:
        f.entity = person


def _name_after_title(a: Article, mention: list[Token], name: list[Token]) -> bool:
    """Whether a mention's name is a name word after its title (الدكتور [علي]), not a body's name after
    a body noun (لشركة [آبل]) nor a word read as a name before the title (خطيبة الصحفي …)."""
    k = next((n for n, t in enumerate(mention) if t.start == name[0].start), 0)
    if k == 0 or not names.is_name_word(a.lx, name[0].fold):
        return False
    prev = mention[k - 1].fold
    forms = {prev, prev[1:] if prev[:1] in "لب" else prev, "ال" + prev[2:] if prev.startswith("لل") else prev}
    return not any(_body_word(a.lx, strip_al(w)) for w in forms)


def _names_people(lex: Lexicon, fold: str) -> bool:
    """A noun the corpus sets before plural verbs more often than before feminine ones (mined
    ``plural_subjects.tsv``: العائلة قالوا، not الرئيس): a group of people, no one person."""
    use = lex.PLURAL_SUBJECTS.get("ال" + strip_al(fold))
    return use is not None and use.before_plural > use.before_feminine


def _alias_to_person(a: Article, e: Entity, words: list[Token]) -> None:
    """Make ``e`` an alias of the named person whose name these words give (a rank before it read off)."""
    person = _person_by_name(a, e, words)
    if person is not None:
        e.alias_of = person


def _person_by_name(a: Article, e: Entity, words: list[Token]) -> Entity | None:
    """The named person other than ``e`` whose name these words give (a rank before it read off)."""
    keys = {name_key(a.lx, t.fold) for t in analyse(a.lx, words, a.text).name or words}
    person = next(
        (
            o
            for o in a.registry.entities
            if o.kind == "person" and o.name and o is not e and keys <= o.name_keys
        ),
        None,
    )
    return canonical(person) if person is not None and canonical(person) is not e else None


def _person_for(a: Article, e: Entity) -> Entity | None:
    """The named person a description (``e``: a title with no name, or a definite unnamed office with a
    nationality, المسؤول الأمريكي) stands for; None when none or several fit equally."""
    d = _describe(a.lx, e)
    if d is None:
        return None
    best: list[Entity] = []
    best_score = 0
    for o in a.registry.entities:
        if o is e or o.kind != "person" or not o.name or o.alias_of is not None or not o.titles:
            continue
        if not _person_named(a.lx, o.name):
            continue  # (… باعتذار عما: words a title ran into, no one's name)
        score = _fit(a.lx, d, o)
        if score > best_score:
            best, best_score = [o], score
        elif score and score == best_score and canonical(o) not in map(canonical, best):
            best.append(o)
    return best[0] if len(best) == 1 else None


def _lead_speaker(a: Article) -> Entity | None:
    """The first speaker after the headline, when it is a named person with a title: the one the
    story is about."""
    start = _headline_end(a)
    body = (f for f in a.found if f.entity is not None and f.cue[0] > start)
    first = min(body, key=lambda f: f.cue[0], default=None)
    if first is None or first.entity is None:
        return None
    e = canonical(first.entity)
    if e.kind != "person" or not e.name or not e.titles or not _person_named(a.lx, e.name):
        return None
    return e


def _by_nationality(a: Article, e: Entity, lead: Entity) -> bool:
    """Whether a description left unlinked (no named person carries its head noun, none stands beside
    it) is the article's lead speaker, by nationality: the press varies the office of the person a
    story is about by the role it describes (قائد المنتخب البرازيلي X … وقال اللاعب البرازيلي; X،
    المدير الفني لنادي برشلونة الإسباني … وقال المدرب الإسباني). The description's nationality must be
    the lead's and no other person's named before it; a gender the text gives both must agree. A
    headline's label (``مدرب روسيا: …``, its country a place) names the person the lead then names
    (قال X المدير الفني للمنتخب الروسي): no other person of that nationality anywhere."""
    if e.name is not None or len(e.titles) != 1 or not e.head:
        return False
    headline = _in_headline(a, e)
    d = _describe(a.lx, e)
    if not headline and (d is None or lead.order > e.order or not fold(e.descriptor or "").startswith("ال")):
        return False  # (قائد في الجيش الروسي: an indefinite head introduces someone new)
    nationalities = (d.nationalities if d else frozenset()) or _title_nationalities(a.lx, e)
    if not nationalities and not headline:
        return _only_person_before(a, e, lead)
    if not nationalities or not nationalities & _title_nationalities(a.lx, lead):
        return False
    if e.feminine is not None and lead.feminine is not None and e.feminine != lead.feminine:
        return False
    return not any(  # (two persons of that nationality: whose?)
        (o.order < e.order or headline)
        and o is not e
        and o.kind == "person"
        and o.name
        and canonical(o) is not lead
        and nationalities & _title_nationalities(a.lx, o)
        for o in a.registry.entities
    )


def _only_person_before(a: Article, e: Entity, lead: Entity) -> bool:
    """A definite role with no nationality (المهاجم الدولي السابق، المدرب) is the lead speaker when he
    is the only person the text has named before it, none of them carries its head noun, and a gender
    the text gives both agrees. A role that names a body or place (المتحدث باسم الوزارة) is an office of
    its own, not the lead's."""
    if e.feminine is not None and lead.feminine is not None and e.feminine != lead.feminine:
        return False
    words = fold(e.descriptor or "").split()[1:]
    if any(
        w in a.lx.PLACES or _body_word(a.lx, strip_al(w)) or w in GENERIC_NOUNS or w == "باسم" for w in words
    ):
        return False
    return not any(
        o.order < e.order
        and o.kind == "person"
        and o.name
        and (canonical(o) is not lead or e.head in o.title_words)
        for o in a.registry.entities
    )


_HEADLINE_MAX = 200  # characters of a first line that is a headline


def _headline_end(a: Article) -> int:
    """Where the article's headline ends: its first line when that is short and ends with no full stop
    (a sentence), else -1 (none)."""
    end = a.text.find("\n")
    return end if 0 < end <= _HEADLINE_MAX and not a.text[:end].rstrip().endswith(".") else -1


def _in_headline(a: Article, e: Entity) -> bool:
    """Whether a speaker mention of ``e`` stands in the headline."""
    end = _headline_end(a)
    return end > 0 and any(
        f.entity is not None and canonical(f.entity) is e and f.mention and f.mention[-1].end <= end
        for f in a.found
    )


def _title_nationalities(lex: Lexicon, o: Entity) -> set[str]:
    """The nationalities a named person's titles give: their nisba words, or where a title has none,
    its one place that a mined nisba adjective stands for (قائد منتخب بلجيكا: Belgian)."""
    out: set[str] = set()
    places = _place_nationalities(lex)
    for t in o.titles:
        own = {n for n in (nisba_key(lex, k) for k in t) if n}
        if not own:
            own = {places[k] for k in t if k in places}
            if len(own) > 1:
                continue  # (سفير فرنسا لدى روسيا: whose?)
        out |= own
    return out


@cache
def _place_nationalities(lex: Lexicon) -> dict[str, str]:
    """Each place key a mined nisba adjective stands for, and that nationality's comparison form."""
    out: dict[str, str] = {}
    for adjective, place in lex.NATIONALITY_ADJECTIVES.items():
        n = nisba_key(lex, adjective)
        if n:
            out.setdefault(name_key(lex, fold(place)), n)
    return out


def _describe(lex: Lexicon, e: Entity) -> _Description | None:
    """What a speaker with no name says of itself: a title (its head and words), or a definite unnamed
    office that is a title word with a nationality (المسؤول الأمريكي). None for any other speaker."""
    if e.kind == "person":
        if e.name is not None or not e.titles or not e.descriptor or _indefinite(lex, e.descriptor):
            return None  # (صحفي آخر، خبير اقتصادي: someone new, not one the text has named)
        keys = max(e.titles, key=len)
        if any(not t <= keys for t in e.titles):
            return None  # two offices, not one said in full and then short (المحلل لدى X … المحلل)
        head = e.head
    else:
        words = (e.name or "").split()
        if e.plural or len(words) < 2 or strip_al(words[0]) == words[0] or not lex.is_title(words[0]):
            return None  # (المصدر، المسؤولون: a source or a group, never one named person)
        keys = frozenset(e.name_keys)
        head = ""
    nationalities = frozenset(n for n in (nisba_key(lex, k) for k in keys) if n)
    if not head and not nationalities:
        return None
    words_ = frozenset(k for k in keys if not nisba_key(lex, k) and k != head)
    return _Description(frozenset({head}) if head else frozenset(), words_, nationalities)


def _indefinite(lex: Lexicon, descriptor: str) -> bool:
    """An indefinite description: no definite word, and after its head only adjectives or common
    words (صحفي آخر، خبير اقتصادي), not a construct with a name (عميد كلية جندوبة)."""
    words = [w for w in fold(descriptor).split() if w]
    if (
        len(words) < 2
        or any(w.startswith(("ال", "لل")) for w in words)
        or any(is_kinship(lex, w) for w in words[:1])
    ):
        return False
    return all(names.common_word(lex, w) or (len(w) >= 4 and w.endswith(("ي", "ية"))) for w in words[1:])


def _person_named(lex: Lexicon, name: str) -> bool:
    """Whether an entity's name can be a person's: its words can form a name (``names.person_name``)."""
    return _plausible_name(lex, [t.fold for t in tokenize(name)])


def _plausible_name(lex: Lexicon, folds: list[str]) -> bool:
    """Words that may be a person's name: the first can open one, or a later word is a family name,
    a word the corpus does not know or a name link (لاري كودلو، جو دانفورد، تركي آل الشيخ), none with
    a preposition attached."""
    if not folds or any(_prepositional(lex, f) for f in folds):
        return False
    return (
        len(folds) == 1
        or _opens_name(lex, folds[0])
        or any(names.is_family_name(lex, f) or names.unknown_word(lex, f) for f in folds[1:])
        or any(f in NAME_LINKS for f in folds[1:-1])  # a name chain: تركي آل الشيخ، خالد بن سلمان
    )


def _prepositional(lex: Lexicon, fold: str) -> bool:
    """A known word with ل or ب attached (باعتذار، لمعرفة), no name word."""
    return (
        fold[:1] in ("ل", "ب")
        and len(fold) > 3
        and bool(lex.word_use(fold[1:]).freq)
        and not names.is_name_word(lex, fold)
    )


def _opens_name(lex: Lexicon, fold: str) -> bool:
    """A word that can open a person's name: no common noun, verb, function or time word, and no known
    word with a preposition attached (not باعتذار، لمعرفة، تعليمات)."""
    return not (
        _prepositional(lex, fold)
        or fold in lex.FUNCTION_WORDS
        or fold in lex.TIME_WORDS
        or names.common_word(lex, fold)
        or names.never_a_name(lex, fold)
        or names.looks_verb(lex, fold)
    )


def _fit(lex: Lexicon, d: _Description, o: Entity) -> int:
    """How well the named person ``o`` fits a description: 0 when it cannot be it (another head noun,
    another nationality, none where the description gives one with a generic office word), else 1 +
    the title words they share + 1 for a nationality both give."""
    theirs = {nisba_key(lex, k) for t in o.titles for k in t} - {""}
    if d.nationalities and theirs and not d.nationalities & theirs:
        return 0
    title_words = {k for t in o.titles for k in t}
    if d.heads:
        if not d.heads & title_words and not (_counterpart(o) and d.nationalities & theirs):
            return 0  # (نظيره الفرنسي X is الرئيس الفرنسي, not سفيرها)
    elif not (d.nationalities & theirs):
        return 0  # المسؤول الأمريكي: only a person the text calls American
    if d.nationalities and not theirs:
        return 0  # المدرب الإيطالي: only one the text calls Italian
    return 1 + len(d.words & title_words) + (1 if d.nationalities & theirs else 0)


def _counterpart(o: Entity) -> bool:
    """Titled only as someone's counterpart (نظيره الفرنسي X): any office may be his."""
    return all(any(k.startswith("نظير") for k in t) for t in o.titles)


def _body_for(a: Article, e: Entity) -> Entity | None:
    """The named body a definite body noun alone (الجهاز، البرنامج) stands for: the one body the text
    names in full, outside quotes, with the same head noun (الجهاز المركزي للتعبئة العامة والإحصاء،
    برنامج الأغذية العالمي، نادي إيفرتون; also in a hashtag: #هيئة_تنظيم_الكهرباء). None when the
    text names none or several. A generic noun (الهيئة، النادي) that the registry could not take up
    when it spoke (no body of its head named before it) takes the one named before its first quote."""
    if e.kind != "organization" or not e.name or " " in e.name.strip():
        return None
    noun = fold(e.name)
    if not noun.startswith("ال") or not _body_word(a.lx, noun):
        return None
    if noun in a.lx.ORG_NAME_HEADS and noun not in GENERIC_NOUNS:
        return None  # الشرطة، الحكومة: the corpus names a body by the noun alone (باسم الشرطة)
    generic = noun in GENERIC_NOUNS
    return _body_named(a, noun, _first_quote(a, e) if generic else len(a.text))


def _body_named(a: Article, noun: str, before: int) -> Entity | None:
    """The one body the text names in full with the head ``noun`` (definite) before ``before``."""
    generic = noun in GENERIC_NOUNS
    bare = noun[2:]
    found: dict[str, tuple[list[Token], str]] = {}
    for k, tok in enumerate(a.tokens):
        if tok.start >= before:
            break
        parts = _hashtag_words(a, tok) if "_" in tok.fold else []
        if (parts[0].fold if parts else tok.fold) not in (bare, noun) or a.in_quote(tok.start):
            continue
        if parts:
            words = [*parts, *(trim_mention(a, a.tokens[k + 1 : k + _MENTION_WINDOW]) or [])]
        else:
            words = trim_mention(a, a.tokens[k : k + _MENTION_WINDOW]) or []
        info = analyse(a.lx, words, a.text)
        if info.kind != "organization" or len(info.name) < 2 or not _named_body(a.lx, info.name):
            continue
        body = _body_name(a, info.name) if generic else info.name
        if len(body) >= 2:
            found.setdefault(" ".join(t.fold for t in body), (body, _name_text(a, body)))
    if len(found) != 1:
        return None
    ((words, name),) = found.values()
    return canonical(a.registry.resolve(a.text, words, words[0].start, speaks=False, name_text=name)[0])


def _body_name(a: Article, words: list[Token]) -> list[Token]:
    """A body's name up to its last word that belongs to it: after the head, words with the article
    or a word of bodies' names (وزارة الدفاع البلجيكية [مقاضاة …]، الهيئة الوطنية للانتخابات [في مصر
    …]) or quoted (صحيفة "ماركا"); none with ل attached right after the head (شركة للطيران: a
    description, no name)."""
    if words[1].fold.startswith("لل"):
        return []
    if words[0].fold.startswith("ال") and not _adjective_after_head(a.lx, words[1].fold):
        return []  # الهيئة [المحاكم]: a definite noun after a definite head is its object, no name
    out = words[:1]
    for t in words[1:]:
        f = t.fold
        quoted = not words[0].fold.startswith("ال") and a.in_quote(t.start) and _short_quotation(a, t)
        if not (f.startswith(("ال", "لل")) or a.lx.org_roles(f).in_names >= 3 or quoted):
            break
        out.append(t)
    return out


def _adjective_after_head(lex: Lexicon, fold: str) -> bool:
    """A word that may follow a definite body head inside its name: a nisba-shaped adjective
    (السوري، الوطنية), a complement with ل, or a word of bodies' names."""
    return fold.endswith(("ي", "ية", "يه")) or fold.startswith("لل") or lex.org_roles(fold).in_names >= 3


def _short_quotation(a: Article, t: Token) -> bool:
    """Whether the quotation that holds ``t`` is short enough to be a name (صحيفة "ماركا")."""
    k = bisect.bisect_right(a.quoted_opens, t.start) - 1
    return k >= 0 and a.quote_words[k] <= _QUOTED_TITLE_NAME


def _name_text(a: Article, words: list[Token]) -> str:
    """How a body's name is written: its quoted words where it has some (صحيفة "غلوبال تايمز": the
    name the text quotes), else its words (a hashtag's underscores read as spaces)."""
    quoted = [t for t in words if a.in_quote(t.start)]
    return " ".join(a.text[t.start : t.end] for t in (quoted or words))


def _first_quote(a: Article, e: Entity) -> int:
    """Where the first quote of ``e`` (its cue) stands."""
    return min((f.cue[0] for f in a.found if f.entity is not None and canonical(f.entity) is e), default=0)


def _hashtag_words(a: Article, tok: Token) -> list[Token]:
    """The words of a hashtag joined by underscores (#وزارة_الصحة_السعودية), each a token of its own."""
    out = []
    start = tok.start
    for part in a.text[tok.start : tok.end].split("_"):
        if part:
            out.append(Token(start, start + len(part), fold(part)))
        start += len(part) + 1
    return out


def _body_word(lex: Lexicon, fold: str) -> bool:
    """A word that heads bodies' names: a base organisation head or a mined one (جهاز)."""
    return fold in lex.ORG_HEADS or mined_body_head(lex, fold)


def _named_body(lex: Lexicon, words: list[Token]) -> bool:
    """A body's name in full: its head and a definite word or a word of bodies' names right after it
    (برنامج الأغذية العالمي، الجهاز المركزي), not a head and a common noun (شركة طيران)."""
    nxt = words[1].fold
    return nxt.startswith(("ال", "لل")) or lex.org_roles(nxt).in_names >= 3

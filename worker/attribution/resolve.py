"""Resolving a speaker: the entity a mention names (a document stands for its issuer, وفقا للشرطة is
الشرطة), the entity an implicit cue refers to (a subject earlier in the sentence; for a feminine cue, the
subject of the feminine verb that opens its sentence or the one before; else the latest speaker
agreeing in gender and number), and the titled names registered before the pass."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from worker.attribution import names
from worker.attribution.documents import (
    document_before_cue,
    document_in_sentence,
    earlier_issuer,
    is_bare_document,
    issuer_after,
    issuer_in_mention,
)
from worker.attribution.entities import apposed_name
from worker.attribution.name_tagger import spans_between
from worker.attribution.speaker_phrase import (
    _KANA,
    MAX_SPEAKER,
    RELATIVE_PRONOUNS,
    is_named_subject,
    opening_verb_subject,
    opens_adverbial,
    opens_with_verb,
    speaker_phrase,
    trim_mention,
    verb_after_adverbial,
    verb_agrees,
    verb_past_opening,
)
from worker.attribution.speakers import (
    GENERIC_NOUNS,
    PARTITIVE_HEADS,
    Entity,
    MentionInfo,
    analyse,
    name_key,
    word_list,
)
from worker.text import COMMAS, Token, fold

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.lexicon import Lexicon


def resolve(
    a: Article, mention: list[Token] | None, feminine: bool | None, i: int, plural: bool | None = None
) -> tuple[Entity | None, MentionInfo | None]:
    position = a.tokens[i].start
    if mention:
        words = mention
        words = issuer_in_mention(a, words)  # a document stands for its issuer
        if is_bare_document(a, words):  # وأوضح البيان الصادر: the document mentioned before
            issuer = issuer_after(a, words) or earlier_issuer(a, words)
            if issuer and issuer[0].fold not in a.lx.DOCUMENT_NOUNS:
                return resolve(a, issuer, None, i)
        name_text = None
        first = words[0]
        rest = "ال" + first.fold[2:] if first.fold.startswith("لل") else first.fold[1:]
        if first.fold.startswith("ل") and (
            rest in a.lx.ORG_HEADS
            or rest in a.lx.DOCUMENT_NOUNS
            or (rest.startswith("ال") and a.lx.is_title(rest))
        ):
            # وفقا للشرطة الألمانية: the speaker is الشرطة الألمانية (لل = ل + ال)
            shown = (
                ("ال" + a.text[first.start + 2 : first.end])
                if first.fold.startswith("لل")
                else a.text[first.start + 1 : first.end]
            )
            if rest in a.lx.ORG_HEADS or rest in a.lx.DOCUMENT_NOUNS:
                name_text = shown + a.text[first.end : words[-1].end]  # a title has no name of its own
            words = [Token(first.start + 1, first.end, rest), *words[1:]]
            if rest in a.lx.DOCUMENT_NOUNS:
                return resolve(a, words, feminine, i)
        # a generic noun alone, also as a document's issuer (بيان أصدرته الشركة); not بيان للمركز
        named = _named_before(a, words) if words is mention or len(words) == 1 else None
        if named is not None:
            return a.registry.resolve(
                a.text, named, position, feminine, name_text=_quoted_name(a, named), plural=plural
            )
        entity, info = a.registry.resolve(
            a.text, words, position, feminine, name_text=name_text or _quoted_name(a, words), plural=plural
        )
        return entity, info
    implicit = implicit_speaker(a, i, feminine, plural)
    if implicit is not None:
        if implicit.feminine is None and feminine is not None:
            implicit.feminine = feminine  # وقال إن: what the cue's agreement says of its speaker
        a.registry.spoke(implicit, position)
    return implicit, None


def _named_before(a: Article, words: list[Token]) -> list[Token] | None:
    """For a generic noun alone (الصحيفة، الشركة، الوكالة) when no body named with it is known, the
    body the text named last with the same noun and a name of its own, outside quotes (تقرير لشركة
    "كابيتال" … وأشارت الشركة، صحيفة دايلي صباح عنونت … الصحيفة قالت إن); None when there is none
    nearby."""
    head = words[0].fold
    if len(words) > 1 or head not in GENERIC_NOUNS or head in a.lx.DOCUMENT_NOUNS:
        return None  # (الجامعة العربية names its body itself)
    bare = head[2:]
    k = a.token_at(words[0].start)
    if name_key(a.lx, head) in a.registry.name_keys:
        # a body named with this noun is known: the registry takes it up (الوزارة → …), unless the
        # paragraph names one of its own (a press review: صحيفة لا كروا كتبت … . الصحيفة قالت)
        paragraph = a.token_at(a.text.rfind("\n", 0, words[0].start) + 1)
        found = _noun_with_name(a, bare, k, paragraph)
        return found if found else None
    return _noun_with_name(a, bare, k, max(0, k - _NAMED_BEFORE + 1)) or None


def _noun_with_name(a: Article, bare: str, k: int, start: int) -> list[Token] | Literal[False] | None:
    """The nearest phrase before token ``k`` (from token ``start`` on) of the noun ``bare`` with a name
    of its own (شركة "كابيتال"، صحيفة دايلي صباح), outside quotes; False where the nearest use of the
    noun has no name after it (صحيفة بريطانية), None where there is no use."""
    for j in range(k - 1, start - 1, -1):
        f = a.tokens[j].fold
        if not (f == bare or (f[1:] == bare and f[0] in "ولبف")) or a.in_quote(a.tokens[j].start):
            continue
        rest = a.tokens[j + 1 : j + 1 + MAX_SPEAKER]
        if not rest or not _names_body(a, rest[0], a.gap(j + 1)):
            return False  # صحيفة بريطانية، حركة سياسية، صحيفة في …: no name follows
        noun = Token(a.tokens[j].start + len(f) - len(bare), a.tokens[j].end, bare)  # لشركة: شركة
        phrase = speaker_phrase(a, [noun, *rest])
        if phrase and len(phrase) > 1:
            return phrase + quoted_after(a, phrase[-1])  # شركة الطيران الرخيص "رايان أير"
        return False
    return None


def quoted_after(a: Article, last: Token) -> list[Token]:
    """The words of a short quoted name right after ``last`` (شركة الطيران الرخيص "رايان أير"), with
    nothing but a space between: the proper name of the body the words before describe."""
    k = a.token_at(last.end)
    gap = a.text[last.end : a.tokens[k].start] if k < len(a.tokens) else ""
    mark = gap.strip(" ")
    if len(mark) != 1 or mark not in _QUOTE_OPENERS:
        return []
    quoted = a.quoted_by_open.get(last.end + gap.index(mark))
    if quoted is None or not quoted.closed:
        return []
    words = a.tokens[k : a.token_at(quoted.end)]
    return words if 0 < len(words) <= _QUOTED_NAME_WORDS else []


def _quoted_name(a: Article, words: list[Token]) -> str | None:
    """The quoted proper name in a body's phrase (شركة الطيران "رايان أير"، صحيفة "الغارديان"
    البريطانية), as its name."""
    inside = [n for n in range(1, len(words)) if a.in_quote(words[n].start)]
    if not inside or a.in_quote(words[0].start):
        return None
    # the whole quotation, where the mention's words stop inside it (منظمة "يو إن-غلوب": the hyphen ended
    # the words, not the name)
    k = bisect.bisect_right(a.quoted_opens, words[inside[0]].start) - 1
    q = a.quoted[k] if k >= 0 else None
    if (
        q is not None
        and q.closed
        and q.start <= words[inside[0]].start
        and a.quote_words[k] <= _QUOTED_NAME_WORDS
    ):
        return a.text[q.start : q.end].strip()
    return a.text[words[inside[0]].start : words[inside[-1]].end]


_QUOTED_NAME_WORDS = 4  # a quoted name of a body is short: شركة "رايان أير"، منظمة "أطباء بلا حدود"


def _names_body(a: Article, first: Token, gap: str) -> bool:
    """Whether the word after a generic noun starts a name: quoted, definite (وكالة الأنباء), a place
    or a name word of the mined lexicon; not a description (صحيفة بريطانية، حركة سياسية)."""
    if gap.strip(" "):
        return any(c in gap for c in _QUOTE_OPENERS) and not any(c in gap for c in "،,.:")
    f = first.fold
    if f in a.lx.FUNCTION_WORDS or f in a.lx.TITLE_COMPLEMENTS:
        return False
    if f.startswith("ال") or f in a.lx.PLACES or names.is_name_word(a.lx, f) or f in _mined_places(a.lx):
        return True
    # a word the corpus hardly knows is a foreign name (صحيفة لومانيتيه), as descriptions are common
    return a.lx.word_use(f).freq == 0 and not names.looks_verb(a.lx, f)


@lru_cache(maxsize=8)
def _mined_places(lx: Lexicon) -> frozenset[str]:
    """The places the mined nisba adjectives stand for (كوريا، إثيوبيا: ``nationality_adjectives.tsv``),
    those without the article: after a body noun they start its name (صحيفة كوريا تايمز)."""
    return frozenset(p for p in lx.NATIONALITY_ADJECTIVES.values() if not p.startswith("ال"))


_NAMED_BEFORE = 300  # how many words back a generic noun looks for the body it stands for
_QUOTE_OPENERS = frozenset('"«“')  # a quoted name after the noun: صحيفة "الأنباء"


def implicit_speaker(a: Article, i: int, feminine: bool | None, plural: bool | None) -> Entity | None:
    """The entity an implicit cue (وأضاف أن، مشيرا إلى أن) refers to, nearest first: the subject of the
    verb that opens its sentence (when they agree), a subject named earlier in the sentence, the subject
    of a sentence written since the latest quote (a new topic: وأعرب البابا عن … . وقال إنه), else the
    latest speaker agreeing in gender and number. A plural cue (وقالوا، مؤكدين) passes over a referent
    that is one person or body (ويسعى الفلسطينيون …، وظلوا يصرون: not the president named before)."""
    first = None
    for found in _implicit_candidates(a, i, feminine, plural):
        if found is None:
            continue
        if not plural or not _one_speaker(a, found):
            return found
        if first is None:
            first = found
    return first


def _one_speaker(a: Article, e: Entity) -> bool:
    """Whether an entity is one person or body, never the subject of a plural verb: its number as a
    mention showed it, else an organisation, or a person named by mined name words."""
    if e.plural is not None:
        return not e.plural
    if e.kind == "organization":
        return True
    return e.kind == "person" and e.name is not None and names.is_name_word(a.lx, fold(e.name.split()[-1]))


def _plural_subject(a: Article, here: int, i: int) -> Entity | None:
    """For a plural cue, the nearest group of people named earlier in its sentence, not as an object:
    a group's or unnamed sources' head (خبراء، مسؤولو), or a definite sound plural of a participle or
    a nisba (ويسعى الفلسطينيون …، وظلوا يصرون؛ والمتمردين من أقليات … يؤكدون)."""
    for k in range(i - 1, max(here, i - 30) - 1, -1):
        t = a.tokens[k]
        if not _people(a, t.fold) or a.in_quote(t.start):
            continue
        if k > here and _object_position(a, a.tokens[k - 1].fold) and not _partitive(a, here, k):
            continue
        while k - 1 > here and not a.gap(k).strip() and _people(a, a.tokens[k - 1].fold):
            k -= 1  # المسؤولين الصينيين: the nearest plural is the head's adjective
        end = k + 1  # the head and the plural adjectives after it (ناشطون يمنيون), no more: what
        while end < min(i, k + _GROUP_WORDS) and not a.gap(end).strip() and _plural_word(a.tokens[end].fold):
            end += 1  # follows is the verb's object or an adverb (خرج المحتجون بكثافة)
        if end == k + 1 and end < i and not a.gap(end).strip() and _construct_plural(a, a.tokens[k].fold):
            end += 1  # مستخدمي فيسبوك، لاعبو إنجلترا: the construct's noun completes the group
        words = a.tokens[k:end]
        if words[0].fold[:1] == "و":  # بين الجيش والمتمردين: the group without the conjunction
            words = [Token(words[0].start + 1, words[0].end, words[0].fold[1:]), *words[1:]]
        known = a.registry.lookup(words)
        return known or a.registry.resolve(a.text, words, words[0].start, speaks=False, plural=True)[0]
    return None


_GROUP_WORDS = 3  # a group's head and its adjectives (المسؤولين الصينيين)


def _partitive(a: Article, here: int, k: int) -> bool:
    """Whether the group at token ``k`` follows a quantity noun and من (انتقد عدد من العملاء السعر،
    وقالوا): the quantity's group is the subject, not the object of من."""
    if k - 2 < here or a.tokens[k - 1].fold != "من" or a.gap(k - 1).strip() or a.gap(k).strip():
        return False
    head = a.tokens[k - 2].fold
    return head in PARTITIVE_HEADS or (head[:1] in "وف" and head[1:] in PARTITIVE_HEADS)


def _plural_word(fold: str) -> bool:
    """A sound masculine plural (يمنيون، المحليين), with or without the article."""
    stem = fold[2:] if fold.startswith("ال") else fold
    return len(stem) >= 5 and stem.endswith(("ون", "ين"))


def _people(a: Article, fold: str) -> bool:
    """A word that names a group of people: a group head (خبراء، السكان), or a definite sound plural of
    a participle (المتمردون، المحللين) or of a nisba (الفلسطينيون، الحوثيين); not an organisation
    (التلفزيون) or place."""
    word = fold[1:] if fold[:1] == "و" and fold[1:3] == "ال" else fold
    if word in a.lx.GROUP_HEADS or word in _plural_people(a.lx):
        return True
    if _construct_plural(a, word):
        return True
    if not word.startswith("ال") or word in a.lx.ORG_HEADS or word in a.lx.PLACES:
        return False
    stem = word[2:]
    return _plural_word(word) and (stem.startswith("م") or stem.endswith(("يون", "يين")))


def _construct_plural(a: Article, fold: str) -> bool:
    """A sound plural in construct (لاعبو إنجلترا، مستخدمي فيسبوك), whose form with ن names people."""
    word = fold[1:] if fold[:1] == "و" and len(fold) > 5 else fold
    if len(word) < 5 or word[-1] not in "وي":
        return False
    plural = word + "ن"
    return plural in a.lx.GROUP_HEADS or plural in _plural_people(a.lx)


@lru_cache(maxsize=8)
def _plural_people(lx: Lexicon) -> frozenset[str]:
    """Nouns the mined corpus shows as subjects of plural verbs (``plural_subjects.tsv``): seen right
    before a verb of the plural's shape in at least one use in 70, more often than before a feminine
    past verb (which a thing or one woman takes), and taking the article (a noun, not انهم، كانوا).
    This tells a broken plural of people (العرب، الآباء، نشطاء) from its data, as no shape does: both
    forms, with and without the article, count. (Invented: ويرى العرب … ويقولون إن.)"""
    out: set[str] = set()
    table = lx.PLURAL_SUBJECTS
    for w, use in table.items():
        bare = w[2:] if w.startswith("ال") else w
        definite = "ال" + bare
        if (
            use.before_plural < max(_PLURAL_SUBJECT_MIN, _PLURAL_SUBJECT_SHARE * use.freq)
            or use.before_plural <= use.before_feminine
            or len(bare) < 3
            or bare.endswith("ي")  # a nisba without the plural ending is one person (شاب سوري)
            or w in lx.FUNCTION_WORDS
            or w in RELATIVE_PRONOUNS  # الذين قالوا: the relative, not its antecedent
            or w in lx.DOCUMENT_NOUNS  # شملهم الاستطلاع يريدون: the object before the verb
            or w.endswith(_PRONOUN_ENDINGS)  # إليهم قالوا: a preposition with its pronoun
            or (w != definite and lx.word_use(definite).freq < _DEFINITE_MIN_FREQ)
        ):
            continue
        out.add(w)
        other = bare if w == definite else definite
        seen = table.get(other)
        if not other.endswith("ي") and (seen is None or seen.before_plural > seen.before_feminine):
            out.add(other)  # نشطاء → النشطاء; not سوري → السوري (one person, الجيش السوري)
    return frozenset(
        w for w in out if w not in lx.ORG_HEADS and w not in lx.PLACES and w not in lx.FUNCTION_WORDS
    )


_PLURAL_SUBJECT_SHARE = 0.015  # of a word's uses, before a plural verb: names people
_PLURAL_SUBJECT_MIN = 8  # and this often: fewer are as often things (السيناريو، الاستطلاع)
_DEFINITE_MIN_FREQ = 50  # a word without the article whose definite form is this frequent is a noun
_PRONOUN_ENDINGS = ("هم", "ها")


def _implicit_candidates(
    a: Article, i: int, feminine: bool | None, plural: bool | None
) -> Iterator[Entity | None]:
    """The referents ``implicit_speaker`` weighs, nearest first (None where a step finds none)."""
    here = a.token_at(a.sentence_start(a.tokens[i].start))
    yield _subject_after_complementizer(a, here, i)
    issuer = document_before_cue(a, i)  # أصدر X بيانا اعتبر فيه: the document's issuer
    if issuer is not None:
        yield resolve(a, issuer, None, i)[0]
    if i and a.tokens[i - 1].fold in _RELATIVES:
        yield _relative_antecedent(a, here, i, feminine)  # …، كريستيان فولف، الذي أكد أن
    if here < i - 1:
        if plural:
            yield _coordinated_subject(a, here, i)
        yield _opening_subject(a, here, i, feminine, plural)
    yield _topic(a, here, i) or _relative_antecedent(a, here, i, feminine)
    cue = a.lx.CUE_FORMS.get(a.tokens[i].fold)
    coordinated = cue is not None and cue.kind == "verb" and a.tokens[i].fold[:1] in "وف"
    if coordinated:  # فيما ترفض موسكو الادعاءات وتؤكد: the verb goes on with the nearest clause's subject
        yield _clause_subject(a, here, i, feminine, plural)
    yield subject_in_sentence(a, i, feminine)
    if not coordinated:
        yield _clause_subject(a, here, i, feminine, plural)
    if plural:
        yield _plural_subject(a, here, i)
    issuer = document_in_sentence(a, i)  # جاء ذلك في بيان للمتحدثة …، حيث قالت
    if issuer is not None:
        yield resolve(a, issuer, None, i)[0]
    latest = a.registry.recent(feminine, plural)
    since = latest.last_spoke if latest is not None else -1
    end = here
    for _ in range(_SENTENCES_BACK):
        if end == 0:
            break
        k = a.token_at(a.sentence_start(a.tokens[end - 1].start))
        if a.tokens[k].start <= since:
            break  # the latest quote came after this sentence: its speaker is the nearer topic
        if plural:
            yield _coordinated_subject(a, k, end)
        yield _opening_subject(a, k, end, feminine, plural)
        if plural:  # وردد المحتجون هتافات. كما طالبوا …، مؤكدين: the group of a sentence before
            yield _plural_subject(a, k, end)
        end = k
    yield latest


# How many sentences back (since the latest quote) a subject is still the topic an implicit cue continues.
_SENTENCES_BACK = 2


def _opening_subject(
    a: Article, k: int, end: int, feminine: bool | None, plural: bool | None
) -> Entity | None:
    """The entity named as subject of the verb that opens the sentence at token ``k`` (VSO: وقدم الدكتور
    X ورقة، ووجه القاضي رسالة), among the words before token ``end``, when the verb agrees with the cue's
    gender; a كان opening the clause puts the subject before the verb (وكان التحالف عرض)."""
    if k >= end - 1 or a.in_quote(a.tokens[k].start) or a.is_claimed(a.tokens[k].start):
        return None
    verb = a.tokens[k].fold
    after = verb_past_opening(a, k, end)  # أشاد X، وصباح الأربعاء، اتصل X: a bare verb
    connector = after is None and verb in _CONNECTORS and _verb_after_opener(a, k, end)
    if connector:
        after = k + 1  # كما تحدثت X عن …: the verb after the connector, its subject named
    negated = after is None and _verb_after_opener(a, k, end)
    if negated:  # ولم يرغب X في …، وقد وافق X: the verb after the particle opens the clause
        if not _verb_agrees(a, k + 1, feminine):
            return None
        k += 1
    silent = _silent_cue_verb(a, k if after is None else after, end, feminine)
    if silent is not None:
        if not silent:
            return None
        if after is not None:
            k = after  # وفي بيان، أعرب الوزير عن قلقه: still only a subject that names a speaker
    elif negated:
        pass
    elif after is not None:
        if not _verb_agrees(a, after, feminine):
            return None
        k = after
    elif verb in _KANA:
        if k + 2 >= end:
            return None
    elif not _agreeing_verb(a, k, feminine):
        if not (_verb_ending_like_pronoun(a, k) and _verb_agrees(a, k, feminine)):
            return None
        after = k  # واتهم X، ووجه X: a root ending like a pronoun, its subject named
    words = _verb_subject(a, k, end)
    if words is None:
        return None
    if connector and _bare_person_title(a, words) and getattr(a.registry.lookup(words), "name", None) is None:
        return None  # (as in _clause_subject)
    if after is not None and not (is_named_subject(a, words) or _opens_person_name(a, words)):
        # وفي أوروبا يعرف باسم …: after an adverbial, only a subject that names a speaker (the lexicon's
        # or the tagger's: وفي المؤتمر، رفض كورنفيلد …)
        tagged = _tagged_name(a, words)
        if tagged is None:
            return None
        words = tagged
    else:
        tagged = None
    entity = a.registry.lookup(words)
    if entity is None:
        if silent and _bare_person_title(a, words):
            return None  # وذكّر المتحدث باسم الجيش …: a title the article may have named (the speaker)
        if not _can_speak(a, words) or (silent and not _names_subject(a, words)):
            # ونفى إصدار أية بطاقة: the subject left implicit, the object is no subject; but a name the
            # lexicon does not know may be one the tagger finds (وينفي غولن …، ورفضت الولايات المتحدة)
            tagged = _tagged_name(a, words)
            if tagged is None:
                return None
            words = tagged
        entity, _ = a.registry.resolve(a.text, words, words[0].start, feminine, speaks=False)
        if tagged is not None and entity.plural is None:
            entity.plural = False  # one named person, body or country: no plural cue's speaker
    if feminine is not None and entity.feminine is not None and entity.feminine != feminine:
        return None
    if plural is not None and entity.plural is not None and entity.plural != plural:
        return None
    return entity


def _verb_subject(a: Article, v: int, end: int, generic_alone: bool = True) -> list[Token] | None:
    """The words that name the subject of the verb at token ``v`` (VSO), before token ``end``, without
    the verb's object after them; None where they are quoted or a preposition's object (ونظرا لأهمية
    العمل، أجرى …)."""
    words = opening_verb_subject(a, v, end)
    if words is None or any(a.in_quote(w.start) for w in words) or _prepositional(a, words[0].fold):
        return None
    if words[0].fold in PARTITIVE_HEADS and not any(_people(a, w.fold) for w in words[1:3]):
        return None  # وقد زاد عدد الكنائس، فيما بلغ عدد التصاريح: a quantity of things says nothing
    if generic_alone and len(words) > 1 and words[0].fold in GENERIC_NOUNS and words[1].fold.startswith("ال"):
        words = words[:1]  # وتتلقى المجموعة التمويل: a generic noun, then the verb's object
    possessed = (
        n
        for n in range(1, len(words))
        if _possessed_object(a, words[n].fold)
        and not any(names.is_name_word(a.lx, w.fold) for w in words[n + 1 :])  # المنتهية ولايته X Y
    )
    words = words[: next(possessed, len(words))]  # وأبدت المؤسسة [أسفها]: the verb's object
    return _known_subject(a, words)


def _possessed_object(a: Article, fold: str) -> bool:
    """A noun with a possessive pronoun after a subject: the verb's object (عزمه، أسفها، خطابهم، استياءه،
    رغبته): a common noun of the corpus with the pronoun; with a feminine or plural pronoun, any word
    that is no name word; with ه, a word no name uses whose bare form the corpus knows and names do not
    use (not ديدييه، عبده)."""
    if names.possessed_common_noun(a.lx, fold):
        return True
    if len(fold) < 5 or names.is_name_word(a.lx, fold):
        return False
    if fold.endswith(("ها", "هم", "هما")):
        return True
    if not fold.endswith("ه") or a.lx.person_roles(fold).in_names:
        return False
    bare = fold[:-2] + "ة" if fold.endswith("ته") else fold[:-1]
    return a.lx.word_use(bare).freq >= _KNOWN_STEM and not names.is_name_word(a.lx, bare)


_KNOWN_STEM = 50  # uses in the corpus of a noun's bare form, before a possessive ه marks it as one


def _verb_ending_like_pronoun(a: Article, k: int) -> bool:
    """و / ف + a verb whose root ends like an attached pronoun (واتهم، ووجه، وانتبه), which the shape
    test of a verb takes for a noun with a pronoun: a verb by the corpus (``looks_verb``), no title or
    body word."""
    fold = a.tokens[k].fold
    bare = fold[1:]
    if fold[:1] not in "وف" or not bare.endswith(("ه", "هم", "ها")) or fold in a.lx.CUE_FORMS:
        return False
    if a.lx.is_title(bare) or bare in a.lx.ORG_HEADS:
        return False
    return names.looks_verb(a.lx, bare)  # (a given name is no verb by its uses: وطه، وعبده)


def _verb_after_opener(a: Article, k: int, end: int) -> bool:
    """Whether the clause at token ``k`` opens with و / ف + a verb particle (ولم، وقد، ولن: the mined
    lexicon's ``verb_particle`` context) or with a connector (كما، ثم: ``clause_connectors.txt``), and a
    verb of the corpus after it, before token ``end``."""
    if k + 2 >= end or a.gap(k + 1).strip():
        return False
    opener = a.tokens[k].fold
    bare = opener[1:] if opener[:1] in "وف" else ""
    if bare not in a.lx.MINING_CONTEXTS.get("verb_particle", ()) and opener not in _CONNECTORS:
        return False
    verb = a.tokens[k + 1].fold
    return verb not in a.lx.CUE_FORMS and names.looks_verb(a.lx, verb)


_CONNECTORS = frozenset(p + w for w in word_list("clause_connectors.txt") for p in ("", "و", "ف"))


def _opens_verb(a: Article, fold: str) -> bool:
    """A connector (ثم، بعدما) or a verb particle (قد، لم: the mined lexicon's), bare or after و / ف:
    the word after it is a clause's verb."""
    particles = a.lx.MINING_CONTEXTS.get("verb_particle", ())
    return fold in _CONNECTORS or fold in particles or (fold[:1] in "وف" and fold[1:] in particles)


def _clause_subject(
    a: Article, here: int, i: int, feminine: bool | None, plural: bool | None
) -> Entity | None:
    """The subject named in the nearest clause before cue ``i`` in its sentence that has a verb of
    its own (clauses end at commas; one with no verb, …، وذلك بهدف …، is passed over): after a
    connector or a verb particle (…، ثم تعرفت الشرطة على …، وذكرت؛ بعدما عبر X عن حزنه قائلا؛ فقد
    أعلن X عزمه …، وذلك … لما يقول), nearest first, or opening the clause after و / ف (…، ووصل X إلى …،
    وأضاف). Only a subject that names a speaker (a title, body, known name, a person's name by the
    mined statistics or the tagger's); None where the nearest clause with a verb names none."""
    lo = max(here, i - _CLAUSE_WORDS)
    end = i
    while end > lo:
        start = next((j for j in range(end - 1, lo, -1) if any(c in COMMAS for c in a.gap(j))), lo)
        verbs = [j + 1 for j in range(end - 2, start - 1, -1) if _opens_verb(a, a.tokens[j].fold)]
        verbs.append(start)  # (a و / ف verb opening the clause; checked below like the others)
        seen_verb = False
        for v in verbs:
            if not _clause_verb(a, v, v == start, end, feminine):
                continue
            seen_verb = True
            entity = _clause_verb_subject(a, v, i, feminine, plural)
            if entity is not None:
                return entity
        if seen_verb:
            return None  # its subject is left implicit: the referent is an earlier one
        end = start
    return None


def _clause_verb(a: Article, v: int, opening: bool, end: int, feminine: bool | None) -> bool:
    """Whether token ``v`` is the verb of a clause, before token ``end``, agreeing with the cue's gender:
    a verb of the corpus (after و / ف where it ``opening`` the clause), or a cue verb that opened no
    quote of its own (فقد أعلن X عزمه)."""
    fold = a.tokens[v].fold
    if v >= end - 1 or (opening and _opens_verb(a, fold)):
        return False
    if a.in_quote(a.tokens[v].start) or a.is_claimed(a.tokens[v].start):
        return False  # (a cue verb with its own quote: its speaker is known)
    cue = a.lx.CUE_FORMS.get(fold)
    if cue is not None:
        return cue.kind == "verb" and (feminine is None or cue.feminine in (None, feminine))
    if opening:  # و / ف + a verb, or a bare verb after a fronted phrase (وبالتزامن مع …، شنت X)
        bare = fold[1:] if fold[:1] in "وف" and not names.looks_verb(a.lx, fold) else fold
        if bare == fold and _after_fronted_subject(a, v):
            return False  # فالرئيس الفرنسي X، يضع أوروبا ندا …: the subject came first (SVO)
        return names.looks_verb(a.lx, bare) and _verb_agrees(a, v, feminine)
    # after a connector a clause's verb is expected: a word the corpus does not show as a verb (ترفض)
    # is one where it is no noun, name, title, body, place or function word either
    verb = names.looks_verb(a.lx, fold) or not (
        fold.startswith("ال")
        or fold in a.lx.FUNCTION_WORDS
        or a.lx.is_title(fold)
        or fold in a.lx.ORG_HEADS
        or fold in a.lx.PLACES
        or names.is_name_word(a.lx, fold)
        or names.common_word(a.lx, fold)
    )
    return verb and _verb_agrees(a, v, feminine)


def _after_fronted_subject(a: Article, v: int) -> bool:
    """Whether the phrase before the comma at token ``v`` opens its sentence with the subject (a title,
    a known speaker or a name word, after و / ف at most: فالرئيس الفرنسي X، يضع …), so that a bare
    verb after the comma has that subject, not the words after it; not a fronted adverbial (وفي …،
    ندد البيت الأبيض)."""
    here = a.token_at(a.sentence_start(a.tokens[v].start))
    p = next((j for j in range(v - 1, here, -1) if any(c in COMMAS for c in a.gap(j))), here)
    fold = a.tokens[p].fold
    bare = fold[1:] if fold[:1] in "وف" and len(fold) > 2 else fold
    if opens_adverbial(a, p) or fold in a.lx.FUNCTION_WORDS:
        return False
    return (
        a.lx.is_title(bare)
        or bare in a.lx.TITLE_HEADS
        or a.registry.knows(a.tokens[p])
        or names.is_name_word(a.lx, bare)
    )


def _clause_verb_subject(
    a: Article, v: int, i: int, feminine: bool | None, plural: bool | None
) -> Entity | None:
    """The speaker named as the subject of the clause verb at ``v`` (before cue ``i``), if any."""
    # (a clause names its subject in full: نشرت الوكالة الدولية للطاقة الذرية بيانا، not الوكالة)
    words = _verb_subject(a, v, i, generic_alone=False)
    if not words or (len(words) == 1 and words[0].fold in GENERIC_NOUNS):
        return None  # (a generic noun alone: which body is not said in the clause)
    entity = a.registry.lookup(words)
    if _bare_person_title(a, words) and (entity is None or entity.name is None):
        return None  # كما أبدى اللاعب الدولي السابق …: a title the article may have named (the speaker)
    if entity is None:
        if not _names_subject(a, words):
            tagged = _tagged_name(a, words)
            if tagged is None:
                return None
            words = tagged
        entity = a.registry.resolve(a.text, words, words[0].start, feminine, speaks=False)[0]
    if feminine is not None and entity.feminine is not None and entity.feminine != feminine:
        return None
    if plural is not None and entity.plural is not None and entity.plural != plural:
        return None
    return entity


_CLAUSE_WORDS = 40  # how far back in its sentence a cue looks for a clause (as subject_in_sentence)


def _tagged_name(a: Article, words: list[Token]) -> list[Token] | None:
    """The name of a person, body or country that the learned tagger finds at the start of ``words``,
    tagged with a few words of context on each side: a subject the lexicon does not know (a foreign
    name, وينفي غولن …; a place of two words, ورفضت الولايات المتحدة). Asked only where the lexicon's
    checks found no speaker, so most subjects cost nothing; None without a model."""
    k = a.token_at(words[0].start)
    spans = spans_between(a.tokens, a.text, k - _TAGGER_CONTEXT, k + len(words) + _TAGGER_CONTEXT, a.lx)
    for span in spans or ():
        if span.start == k and span.type in _SPEAKER_TYPES and span.end - span.start <= len(words):
            return words[: span.end - span.start]
    return None


_TAGGER_CONTEXT = 3  # words of context on each side of a subject the tagger is asked about
_SPEAKER_TYPES = frozenset({"PER", "ORG", "GPE"})  # the tagger's types that can speak


def _coordinated_subject(a: Article, k: int, end: int) -> Entity | None:
    """For a plural or dual cue, two or more speakers joined by و as the subject of the verb opening
    the sentence at ``k`` (وأعلنت السعودية والإمارات استئناف الرحلات، وقالتا إن …), as one entity: the
    verb agrees with the first only, and the cue speaks for all.
    None where the subject is one speaker; ``_opening_subject`` weighs that."""
    if k >= end - 2 or a.in_quote(a.tokens[k].start) or a.is_claimed(a.tokens[k].start):
        return None
    cue = a.lx.CUE_FORMS.get(a.tokens[k].fold)
    opens = (cue is not None and cue.kind == "verb" and not cue.plural) or a.tokens[k].fold in _KANA
    if not opens and not _agreeing_verb(a, k, None):
        return None  # a cue verb opens it (وأعلنت X وY …، وقالتا), كان (وكانت X وY قد) or another verb
    words = opening_verb_subject(a, k, end)
    if not words or any(a.in_quote(w.start) for w in words) or _prepositional(a, words[0].fold):
        return None
    n = _coordinated(a, words)
    return group_entity(a, words[:n]) if n else None


def listed_speakers(a: Article, words: list[Token]) -> list[Token] | None:
    """The speakers after كل من, right after a cue verb (وأعلنت كل من شركة ألفا وشركة بيتا أنهما …،
    أكدت كل من السعودية والإمارات والكويت أن): كل من announces a list, however long; None without one."""
    if len(words) < 4 or words[0].fold != "كل" or words[1].fold != "من":
        return None
    n = _coordinated(a, words[2:], more=True)
    return words[2 : 2 + n] if n else None


def _coordinated(a: Article, words: list[Token], more: bool = False) -> int:
    """How many of ``words`` name two speakers joined by و (``more``: or a longer list, each after و);
    0 where they do not open with such a pair."""
    for m in range(1, len(words)):
        second = _conjunct(a, words[m:])
        if second:
            break
    else:
        return 0
    if not _conjunct(a, words[:m], bare=True):
        return 0
    end = m + second
    while more and end < len(words) and (extra := _conjunct(a, words[end:])):
        end += extra
    return end


def group_entity(a: Article, words: list[Token]) -> Entity:
    """The entity of speakers named together (السعودية والإمارات), one per article and name. It is kept
    out of the registry's name index: a later mention of one member (قالت الإمارات) names that member
    alone, and the member's entity keeps its own name."""
    name = a.text[words[0].start : words[-1].end]
    for e in a.registry.entities:
        if e.plural and e.name == name and not e.name_keys:
            return e
    n = len(a.registry.entities)
    entity = Entity(f"e{n + 1}", analyse(a.lx, words, a.text).kind, name, order=n, plural=True)
    a.registry.entities.append(entity)
    return entity


def _conjunct(a: Article, words: list[Token], bare: bool = False) -> int:
    """How many of ``words`` name one speaker, the first after و unless ``bare`` (والإمارات،
    ووزير الخارجية سامي كريم): a place, a title or a name as ``analyse`` reads them; 0 for none."""
    w = words[0]
    if not bare:
        if w.fold[:1] != "و" or len(w.fold) < 3:
            return 0
        words = [Token(w.start + 1, w.end, w.fold[1:]), *words[1:]]
    if words[0].fold in a.lx.PLACES:
        return 1
    info = analyse(a.lx, words, a.text)
    if not info.name and not info.title:
        return 0
    if (info.title or info.name)[0] is not words[0]:
        return 0
    last = max(words.index(t) for t in (*info.name, *info.title))
    if bare:
        return last + 1 if last == len(words) - 1 else 0
    n = words.index(info.title[-1]) + 1 if info.title else 0
    if info.kind != "person":
        return last + 1  # an organisation's name as analyse reads it: والجمعية الطبية السورية
    if info.name and n <= words.index(info.name[0]):
        n = words.index(info.name[0]) + 1  # a name goes on with name words only: وسامي كريم [نبأ الاتفاق]
        while n <= last and names.is_name_word(a.lx, words[n].fold):
            n += 1
    return n


def _known_subject(a: Article, words: list[Token]) -> list[Token]:
    """A subject after the verb that starts with a place or a speaker the article knows ends there when
    an indefinite word that is no name word follows: the verb's object (وسجلت الصين إنتاجا قياسيا،
    وتصدرت فتاة الليل عناوين الصحف، وبدأت إيران نهج التوسع)."""
    for n in range(min(len(words) - 1, 3), 0, -1):
        nxt = words[n].fold
        if nxt.startswith("ال") or names.is_name_word(a.lx, nxt) or a.registry.knows(words[n]):
            continue
        head = words[:n]
        if (n == 1 and head[0].fold in a.lx.PLACES) or a.registry.find_by_tokens(head) is not None:
            return head
    return words


def _names_subject(a: Article, words: list[Token]) -> bool:
    """Words that can only be a subject: a title, organisation, source or group, a place or known
    speaker (``is_named_subject``), or a person's name by the mined statistics."""
    info = analyse(a.lx, words, a.text)
    if info.title or info.kind != "person":
        return True
    return is_named_subject(a, words) or _opens_person_name(a, words)


def _bare_person_title(a: Article, words: list[Token]) -> bool:
    """A person's title with no name (المتحدث باسم الجيش، المثقف اليمني)."""
    info = analyse(a.lx, words, a.text)
    return info.kind == "person" and bool(info.title) and not info.name


def _silent_cue_verb(a: Article, v: int, end: int, feminine: bool | None) -> bool | None:
    """For a cue verb at token ``v`` that opened no quote of its own (ونفت روسيا أي ضلوع لها، وأعرب
    الوزير عن قلقه: its object is a noun phrase), whether it agrees with the cue's gender, so that its
    subject is the referent as any verb's is; None for a word that is no such verb."""
    cue = a.lx.CUE_FORMS.get(a.tokens[v].fold)
    if cue is None or cue.kind != "verb" or v + 1 >= end:
        return None
    if a.is_claimed(a.tokens[v].start):
        return None  # it has its quote (or lies in one): its speaker is recorded already
    return feminine is None or cue.feminine is None or cue.feminine == feminine


def _opens_person_name(a: Article, words: list[Token]) -> bool:
    """Words that open with a person's name by the mined statistics: a given name the corpus knows,
    then words that can form a name with it (أشاد زين الدين زيدان …، من جهتها كانت ماريا زاخاروفا …)."""
    if not words or words[0].fold not in a.lx.GIVEN_NAMES:
        return False
    return any(names.person_name(a.lx, words[:n]) for n in (4, 3, 2) if n <= len(words))


def _subject_after_complementizer(a: Article, here: int, i: int) -> Entity | None:
    """إلا أن القصيدة تقول، غير أن المجموعة الحقوقية تشير إلى أنه: after أن / إن the noun phrase right
    before the verb is its subject (SVO), a definite noun included. (Not before a participle, which
    describes the subject of the main clause.)"""
    cue = a.lx.CUE_FORMS.get(a.tokens[i].fold)
    if cue is None or cue.kind != "verb":
        return None
    for k in range(i - 1, max(here, i - 4) - 1, -1):
        if a.tokens[k].fold in ("ان", "إن", "لكن", "ولكن"):
            words = a.tokens[k + 1 : i]
            if not words or a.in_quote(words[0].start) or any(a.gap(j).strip() for j in range(k + 1, i + 1)):
                return None
            if any(w.fold in a.lx.FUNCTION_WORDS or w.fold in a.lx.CUE_FORMS for w in words):
                return None
            known = a.registry.lookup(words)
            if known is not None:
                return known
            if not (words[0].fold.startswith("ال") or _can_speak(a, words)):
                return None
            if len(words) > 1 and words[0].fold in GENERIC_NOUNS and words[1].fold.startswith("ال"):
                words = words[:1]  # المجموعة الحقوقية: the generic noun names the body
            return a.registry.resolve(a.text, words, words[0].start, speaks=False)[0]
    return None


def _topic(a: Article, here: int, i: int) -> Entity | None:
    """أما رشيد تيمال، العضو في المجلس، فقال: the topic that أما puts first is the subject of the verb
    its ف opens."""
    if a.tokens[here].fold not in ("اما", "واما") or not a.tokens[i].fold.startswith("ف") or here + 1 >= i:
        return None
    words = trim_mention(a, a.tokens[here + 1 : min(i, here + 1 + _TOPIC_WORDS)])
    if not words:
        return None
    apposed = apposed_name(a, words[-1])
    if apposed and a.token_at(apposed[-1].end) == i:
        words = apposed  # أما القيادي بحزب التحرير، X Y، فقال: the name apposed to the description
    elif not _can_speak(a, words):
        return None
    return a.registry.resolve(a.text, words, words[0].start, speaks=False)[0]


_TOPIC_WORDS = 12  # a topic is a short phrase: look no further than this after أما


def _relative_antecedent(a: Article, here: int, i: int, feminine: bool | None) -> Entity | None:
    """… فيليب با، الذي دافع عن التعديلات قائلا: an implicit cue inside a relative clause set off by a
    comma refers to the name before the comma, when the relative pronoun agrees with the cue."""
    for k in range(i - 1, max(here, i - 15), -1):
        rel = _RELATIVES.get(a.tokens[k].fold)
        if rel is None:
            continue
        if "،" not in a.gap(k) and "," not in a.gap(k):
            return None
        if feminine is not None and rel != feminine:
            return None
        before: list[Token] = []
        for j in range(k - 1, max(here, k - 9) - 1, -1):
            before.insert(0, a.tokens[j])
            if j == here or a.gap(j).strip() or a.tokens[j - 1].fold in a.lx.CUE_FORMS:
                break  # the phrase starts after punctuation, a cue verb or the sentence start
        words = _titled_or_named(a, before)
        if not words or not _can_speak(a, words):
            return None
        return a.registry.lookup(words) or a.registry.resolve(a.text, words, words[0].start, speaks=False)[0]
    return None


_RELATIVES = {"الذي": False, "التي": True}  # relative pronoun -> whether its antecedent is feminine
# relative pronoun -> (feminine, plural) of the verb whose subject it is
_RELATIVE_AGREEMENT = {**{r: (f, False) for r, f in _RELATIVES.items()}, "الذين": (False, True)}
_ANTECEDENT_WORDS = 6  # how far back from a relative pronoun its antecedent may start


def relative_subject(a: Article, i: int) -> list[Token] | None:
    """The antecedent of a subject relative pronoun right before cue verb ``i`` (الهيئة العلمية التي
    رأت أن، الباحثون الذين وصفوا الرسوم بأنها): the verb's subject, so the words after the verb are its
    object. The pronoun must agree with the verb, which carries no object pronoun (الاتفاق الذي يصفه
    ترامب: the speaker follows) and has no subject of its own after it; the antecedent is a group of
    people, a title or body with its words, a known name, else the definite words right before the
    pronoun, that can speak."""
    if i < 2:
        return None
    rel = a.tokens[i - 1].fold
    rel = rel[1:] if rel[:1] == "و" and rel[1:] in _RELATIVE_AGREEMENT else rel
    agreement = _RELATIVE_AGREEMENT.get(rel)
    cue = a.lx.CUE_FORMS.get(a.tokens[i].fold)
    if agreement is None or cue is None or cue.kind != "verb" or a.gap(i).strip():
        return None
    if (cue.feminine is not None and cue.feminine != agreement[0]) or cue.plural != agreement[1]:
        return None
    if _object_pronoun(a, a.tokens[i].fold) or a.gap(i - 1).strip():
        return None  # (after a comma, …، التي ذكرت: the antecedent may be the sentence's subject)
    if i + 1 < len(a.tokens) and not a.gap(i + 1).strip() and is_named_subject(a, a.tokens[i + 1 : i + 2]):
        return None  # الميناء الذي يقول التحالف إن: the verb has its own subject
    here = a.token_at(a.sentence_start(a.tokens[i].start))
    words: list[Token] = []
    for j in range(i - 2, max(here, i - 2 - _ANTECEDENT_WORDS) - 1, -1):
        t = a.tokens[j]
        if t.fold in a.lx.CUE_FORMS or t.fold in a.lx.FUNCTION_WORDS or t.fold in _OBJECT_PREPOSITIONS:
            break
        if a.in_quote(t.start):
            break
        words.insert(0, t)
        if j == here or a.gap(j).strip():
            break  # the phrase starts after punctuation or at the sentence start
    if not words:
        return None
    if agreement[1] and (_people(a, words[-1].fold) or _plural_word(words[-1].fold)):
        n = len(words)
        while n and (_people(a, words[n - 1].fold) or _plural_word(words[n - 1].fold)):
            n -= 1  # أغضب القرار الفلسطينيين الذين يعتبرون، المانحين الدوليين الذين تعهدوا
        if _people(a, words[n].fold):
            return words[n:]
    heads = (n for n, w in enumerate(words) if a.lx.is_title(w.fold) or w.fold in a.lx.ORG_HEADS)
    start = next(heads, None)  # حزب الديمقراطية الجديدة المحافظ: from the first title or body word
    if start is None:
        start = next((n for n in range(len(words)) if a.registry.find_by_tokens(words[n:])), None)
    if start is not None:
        phrase = trim_mention(a, words[start:]) or []
    else:
        n = len(words)
        while n and words[n - 1].fold.startswith("ال"):
            n -= 1  # توصيات الهيئة العلمية: the definite words that end the phrase
        phrase = words[n:]
    if agreement[1] and not any(_plural_word(w.fold) or _people(a, w.fold) for w in phrase):
        return None  # أنصار السيسى الذين أعلنوا: a plural antecedent, not the one person named
    return phrase if phrase and _can_speak(a, phrase) else None


def _object_pronoun(a: Article, fold: str) -> bool:
    """A cue verb with an attached object pronoun (يصفه، وصفتها، قاله): the form without it is a cue."""
    return any(fold.endswith(p) and fold[: -len(p)] in a.lx.CUE_FORMS for p in ("هما", "هم", "ها", "ه"))


def _titled_or_named(a: Article, words: list[Token]) -> list[Token] | None:
    """The speaker mention that ends ``words``: from its first title word (التقت رئيس لجنة … فيليب با),
    else a known name, else the words themselves when they are all name words."""
    for n, w in enumerate(words):
        if a.lx.is_title(w.fold) and not w.fold.startswith(("ل", "ب")):
            return trim_mention(a, words[n:])
    for n in range(len(words)):
        if a.registry.find_by_tokens(words[n:]) is not None:
            return words[n:]
    named = [w for w in words if names.is_name_word(a.lx, w.fold)]
    return words if words and len(named) * 2 >= len(words) else None


def _agreeing_verb(a: Article, k: int, feminine: bool | None) -> bool:
    """Whether the word at ``k`` is a verb after و/ف that agrees with the cue's gender (either, for
    ``None``); never a cue verb, whose speaker the cues find."""
    bare = a.tokens[k].fold[1:]
    if bare in a.lx.FUNCTION_WORDS or opens_adverbial(a, k):
        return False  # وبعد انتخاب …، وفي خطابه، وبشأن: an adverbial, not a verb
    if feminine is not False and _short_feminine_verb(a, a.tokens[k].fold):
        return True
    if feminine is None:
        return opens_with_verb(a, k, True) or opens_with_verb(a, k, False)
    return opens_with_verb(a, k, feminine)


def _verb_agrees(a: Article, k: int, feminine: bool | None) -> bool:
    """``verb_agrees``, and a perfect of three letters with the feminine ت, bare or after و / ف (دعت،
    ونفت: too short for its shape test), agrees with a feminine cue only."""
    fold = a.tokens[k].fold
    if _short_feminine_verb(a, fold if fold[:1] in "وف" else "و" + fold):
        return feminine is not False
    return verb_agrees(a, k, feminine)


def _short_feminine_verb(a: Article, fold: str) -> bool:
    """و / ف + a perfect of three letters with the feminine ت (ونفت، ودعت، وردت: too short for the
    shape test), when the corpus knows the bare form as a verb; never a cue verb."""
    return (
        len(fold) == 4
        and fold[0] in "وف"
        and fold.endswith("ت")
        and fold not in a.lx.CUE_FORMS
        and names.looks_verb(a.lx, fold[1:])
    )


def _prepositional(a: Article, fold: str) -> bool:
    """Whether a word is a noun with an attached preposition ل or ب (لصحف، لأهمية، بلاعبه، لميليشيا
    الحوثي): the object of a preposition, never the subject of a clause. The bare word must be a title,
    organisation or document noun, or a common word of the corpus, and the word itself no name word or
    place (ليبرمان، بومبيو، لندن stay)."""
    if len(fold) < 4 or fold[0] not in "لب" or fold in a.lx.PLACES or names.is_name_word(a.lx, fold):
        return False
    rest = "ال" + fold[2:] if fold.startswith("لل") else fold[1:]
    return (
        rest.startswith("ال")
        or a.lx.is_title(rest)
        or rest in a.lx.ORG_HEADS
        or rest in a.lx.DOCUMENT_NOUNS
        or names.common_word(a.lx, rest)
    )


def _can_speak(a: Article, words: list[Token]) -> bool:
    """Whether a subject the article has not named before can be a speaker: a title, an organisation,
    a source or group, or a name (not a common noun: الرحلة، انتخاب; not a verb of the corpus: وصل،
    سئل)."""
    info = analyse(a.lx, words, a.text)
    if info.title or info.kind != "person":
        return True
    first = info.name[0].fold if info.name else ""
    if first.startswith("ال") and not names.is_family_name(a.lx, first):
        return False
    if first and names.looks_verb(a.lx, first):
        return False  # وعندما سئل فالفيردي، ولاحقا اتخذ أحدهم: the verb, not its subject
    return bool(first) and not names.never_a_name(a.lx, first)


def subject_in_sentence(a: Article, i: int, feminine: bool | None = None) -> Entity | None:
    """An implicit speaker named earlier in the same sentence (ونعت سليماني ترامب … مؤكدا أنه): the first
    known name in subject position, not one quoted, after a preposition (رد على روحاني) or a noun in
    construct (تصريحات سليماني), and not one whose known gender the cue contradicts (وقال
    الوزير X إنه اتفق مع الجانب الآخر، غير أن الحكومة الأخرى تغيبت قائلة: not the minister)."""
    start = a.token_at(a.sentence_start(a.tokens[i].start))
    after = verb_after_adverbial(a, start, i + 1)  # the cue itself may be that verb
    start = max(after if after is not None else start, i - 40)  # وبشأن X تابع: X is no subject
    contrasted = _subject_after_contrast(a, start, i, feminine)
    if contrasted is not None:
        return contrasted
    lex, known = a.lx, a.registry.name_keys
    object_end = -1  # the last word of an object phrase found: its words name no subject
    for k in range(start, i):
        if k <= object_end:
            continue
        fold = a.tokens[k].fold
        titled = fold in lex.TITLE_HEADS
        if not titled and name_key(lex, fold) not in known:
            continue  # no title and no known name starts with this word
        if a.in_quote(a.tokens[k].start):
            continue
        if (
            (k > start and _object_position(a, a.tokens[k - 1].fold))
            or _prepositional(a, fold)
            or (k > start + 1 and _in_prepositional_construct(a, k))
        ):
            # رد على روحاني، الدعم المقدم لمنظمة الصحة العالمية: an object, with the definite words
            # that continue it (الصحة العالمية), not the subject
            object_end = k
            while object_end + 1 < i and not a.gap(object_end + 1).strip():
                if not a.tokens[object_end + 1].fold.startswith("ال"):
                    break
                object_end += 1
            continue
        if titled:  # وكان الرئيس الأمريكي رد … وقال
            e = a.registry.lookup(trim_mention(a, a.tokens[k:i]) or [])
            if e is not None and e.last_spoke >= 0 and _agrees(e, feminine):
                return e
        for n in (3, 2, 1):
            if k + n <= i:
                e = a.registry.find_by_tokens(a.tokens[k : k + n])
                if e is not None:
                    if _agrees(e, feminine):
                        return e
                    break
    return None


def _subject_after_contrast(a: Article, start: int, i: int, feminine: bool | None) -> Entity | None:
    """وأضاف X …، لكن المتحدث باسم الضريح نفى التقارير وقال: the subject that a bare connector of
    contrast (لكن، في حين، إلا أن) puts after itself, before the cue, is the nearer subject; a title, a
    body or a known speaker, agreeing with the cue. (Not لكنه: its pronoun is the earlier subject.)"""
    for k in range(i - 2, start - 1, -1):
        before = _CONTRAST_LAST.get(a.tokens[k].fold)
        if before is None or a.in_quote(a.tokens[k].start):
            continue
        if before and (k == start or a.tokens[k - 1].fold != before):
            continue  # حين only in في حين, أن only in إلا أن
        words = speaker_phrase(a, a.tokens[k + 1 : min(i, k + 1 + MAX_SPEAKER)])
        if not words or words[-1] is a.tokens[i - 1] or _prepositional(a, words[0].fold):
            return None  # the words run on to the cue: no verb of their own
        known = a.registry.find_by_tokens(words)
        if known is None:
            info = analyse(a.lx, words, a.text)
            if not (info.title or info.kind != "person") or not _can_speak(a, words):
                return None
            if info.title and info.name and all(_definite_word(a, w.fold) for w in info.name):
                return None  # رئيس وزراء الحكومة [اليمينية]: an adjective the split took for a name
            if info.title and len(info.name) == 1 and not names.is_name_word(a.lx, info.name[0].fold):
                return None  # إلا أن الرئيس الكوري [امتنع] عن …: one unknown word after a title, the verb
            known = a.registry.lookup(words)
            if known is None:
                known = a.registry.resolve(a.text, words, words[0].start, speaks=False)[0]
        return known if _agrees(known, feminine) else None
    return None


def _definite_word(a: Article, fold: str) -> bool:
    """A word with the article that is no family name (اليمينية، المقربة): an adjective, not a name."""
    return fold.startswith("ال") and not names.is_family_name(a.lx, fold)


# the last word of each connector -> the word that must come before it ("" for a connector of one word)
_CONTRAST_LAST = {c.split()[-1]: " ".join(c.split()[:-1]) for c in word_list("contrast_subjects.txt")}


def _agrees(e: Entity, feminine: bool | None) -> bool:
    """Whether an entity's gender, as a cue with a mention of it showed it (not an implicit cue's
    guess), agrees with a cue's; unknown agrees. (Not number: a verb before its subject is singular,
    ويقول مسؤولون … وأضافوا.)"""
    return not e.agreement_named or feminine is None or e.feminine is None or e.feminine == feminine


def _in_prepositional_construct(a: Article, k: int) -> bool:
    """A name after a preposition and a bare noun in construct with it (أما عن ذهاب بومبيو، بعد لقاء
    ماكرون): the complement of the preposition's object, no subject. (Not a title: على لسان is a source,
    and مع الرئيس ماكرون is already an object.)"""
    prep, noun = a.tokens[k - 2].fold, a.tokens[k - 1].fold
    return (
        prep in _OBJECT_PREPOSITIONS
        and not noun.startswith("ال")
        and not a.lx.is_title(noun)
        and noun not in a.lx.ORG_HEADS
        and not a.gap(k - 1).strip()
        and not a.gap(k).strip()
    )


def _object_position(a: Article, before: str) -> bool:
    """Whether a name after the word ``before`` is an object: a preposition (على، عن) or a noun in
    construct, indefinite with ة or a plural ات (تصريحات سليماني، حكومة نتنياهو)."""
    if before in _OBJECT_PREPOSITIONS or _prepositional(a, before):
        return True  # (لميليشيا الحوثي: the rest of a prepositional object)
    return not before.startswith("ال") and (
        before.endswith("ة") or (len(before) >= 5 and before.endswith("ات"))
    )


_OBJECT_PREPOSITIONS = frozenset(
    p + w
    for w in word_list("prepositions.txt") | word_list("object_prepositions.txt")
    for p in ("", "و", "ف")
)

"""The speaker phrase: which words at a cue name its speaker. The words between cue and content, cut at
adjuncts and clause words; a bare title completed by its apposition; the subject before the verb
(SVO); the subject of the verb that governs a participle; the source a relay names; the parse's
subject where the rules found none."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from worker.attribution import names
from worker.attribution.content import PREPOSITIONS, SECOND_OBJECT_VERBS
from worker.attribution.marks import QUOTE_CHARS
from worker.attribution.names import is_adverbial_participle, not_in_name
from worker.attribution.speakers import (
    GENERIC_NOUNS,
    analyse,
    group_share_words,
    opens_title,
    word_list,
    words_besides_links,
)
from worker.text import COMMAS, Token, fold_word, without_hashtags

_QUOTE_CHAR_RE = re.compile(f"[{re.escape(QUOTE_CHARS)}]")
# what ends a mention between two of its words: a comma, a quotation mark, a bracket or a stop
_BREAK_CHARS = "".join(sorted(COMMAS)) + QUOTE_CHARS + "():.!?؟\n"
_MENTION_BREAK_RE = re.compile(f"[{re.escape(_BREAK_CHARS)}]")

if TYPE_CHECKING:
    from worker.attribution.article import Article
    from worker.attribution.speakers import Entity
    from worker.lexicon import Lexicon

CONNECTORS = frozenset({"لكن", "ولكن", "لكنه", "بينما", "فيما", "كما", "و", "ف", "إذ", "اذ", "حيث", "ثم"})
# what a clause's subject comes after; أما puts its topic first (أما الوزير فقال), itself no subject word
_CLAUSE_CONNECTORS = CONNECTORS | {"وبينما", "اما", "واما"}


@lru_cache(maxsize=8)
def _leading_prepositions(lex: Lexicon) -> frozenset[str]:
    """Words that never open a speaker phrase: function words, adjunct prepositions, و + preposition."""
    return frozenset(
        lex.FUNCTION_WORDS
        | lex.ADJUNCT_PREPOSITIONS
        | {
            "بشان",
            "وبشان",
            "وحول",
            "وعن",
            "وفي",
            "وعلي",
            "ومع",
            "وبعد",
            "وقبل",
            "وخلال",
            "ومن",
            "وعند",
            "ولدي",
        }
    )


MAX_SPEAKER = 10
# Between a cue verb and its opener a long title runs longer (ضابط ارتباط القوات السودانية في التحالف
# العربي العميد الركن X Y): the words end at the opener, so the phrase may be longer than a window.
MAX_SPEAKER_BEFORE_OPENER = 15
_ADDRESSEE_PRONOUNS = word_list("addressee_pronouns.txt")
# عنه، إليها، به …: a preposition with an object pronoun before the verb's subject
_OBJECT_PRONOUN_PHRASES = frozenset(
    p + s for p in word_list("pronoun_prepositions.txt") for s in names.OBJECT_PRONOUNS
)
_EXISTENTIALS = frozenset(p + w for w in word_list("existentials.txt") for p in ("", "و", "ف"))
NAMING_WORDS = word_list("naming_words.txt")
_KANA = frozenset(p + w for w in word_list("kana.txt") for p in ("", "و", "ف"))


def speech_event(lex: Lexicon, fold: str) -> bool:
    """حديثه، حوارا، تصريحاته: a word for the speech itself (not an organisation such as موقع)."""
    if fold in lex.ORG_HEADS:
        return False
    return fold.startswith(_long_event_stems(lex))


@lru_cache(maxsize=8)
def _long_event_stems(lex: Lexicon) -> tuple[str, ...]:
    """The speech-event stems long enough not to begin names too (حديث، حوار; not رد، قم)."""
    return tuple(stem for stem in lex.SPEECH_EVENT_STEMS if len(stem) >= 4)


def is_addressee(lex: Lexicon, fold: str) -> bool:
    """لوسائل، للصحفيين، لقناة: a ل-prefixed word that names whom the speaker addressed."""
    if fold.startswith(lex.MEDIA_PREFIXED) or (fold.startswith("ل") and len(fold) > 1 and fold[1].isascii()):
        return True  # لـCNN
    rest = fold[1:] if fold.startswith("ل") else ""
    return bool(rest) and (rest in lex.ORG_HEADS or rest in lex.TITLE_HEADS or ("ا" + rest) in lex.ORG_HEADS)


def speaker_phrase(a: Article, pre: list[Token], longest: int = MAX_SPEAKER) -> list[Token] | None:
    """The speaker words among those between a cue and its content: up to a comma, an adjunct
    (في بيان، خلال، أمس، لـ«وكالة»), a clause word or a quotation mark. An apposition after a comma
    completes a bare title: المتحدث باسم الكرملين، ديمتري بيسكوف. None when it runs to ``longest``
    parts (a window of words read past the content's opener names no one)."""
    out: list[Token] = []
    if pre and pre[0].fold in _ADDRESSEE_PRONOUNS:
        pre = pre[1:]  # وقال لنا بيار أوزولياس: the speaker follows the addressee
    elif pre and pre[0].fold in _OBJECT_PRONOUN_PHRASES:
        if not _subject_after_object(a, pre):
            return None  # رد عليها سريعا: no subject named here
        pre = pre[1:]  # وفقا لما أعلنت عنه الوزارة، ما كشفت عنها الشرطة: the verb's object, then its subject
    share = _share_of_group(a, pre)
    if share:  # وقال 60 في المئة من المشاركين: the share of the group that it names speaks
        group = speaker_phrase(a, pre[share:], longest)
        return pre[:share] + group if group else None
    # a share of a group (بعض المتظاهرين، عدد من المسؤولين): the quantity and its من open the phrase
    partitive = group_share_words(pre)
    for n, t in enumerate(pre):
        f = t.fold
        if n:
            gap = a.text[pre[n - 1].end : t.start]
            if any(c in QUOTE_CHARS or c in "()[]:.!?؟\n" for c in gap) and not names_org(a.lx, out, gap):
                break
            if any(c in COMMAS for c in gap):
                if (
                    n + 1 < len(pre)
                    and f not in a.lx.FUNCTION_WORDS
                    and (bare_title(a.lx, out) or unnamed_title(a.lx, out))
                    and not ends_speaker(a, pre, n)
                ):  # not a clause after the comma: رئيسة بلدية مدريد، [وهي شخصية …]
                    continue_with = trim_mention(a, pre[n:])
                    if continue_with and (
                        (
                            len(continue_with) <= 4
                            and (
                                names.person_name(a.lx, continue_with)
                                or (bare_title(a.lx, out) and all(t.fold.isalpha() for t in continue_with))
                            )  # an age (، 45 عاما،) names no one
                        )
                        or _ranked_name(a, continue_with)
                    ):
                        out.extend(continue_with)
                break
        if n == 0 and (
            f in a.lx.PRONOUN_SUBJECTS
            or (f in _leading_prepositions(a.lx) and not partitive)
            or (f.startswith(a.lx.SPEECH_EVENT_STEMS) and f not in a.lx.ORG_HEADS)
            or (is_adverbial_participle(f) and not names.opens_names(a.lx, f))  # (ماريا، مونيكا: names)
            or names.possessed_noun(a.lx, f)
            or _governed_noun(a.lx, f)
        ):
            return None  # وواصل عن … / وركز حديثه على أن / ووصفت استقالتها: no speaker named here
        if n and f in NAMING_WORDS:
            named = trim_mention(a, pre[n + 1 :])
            return cut_after_known_name(a, named) if named else None  # رجل يدعى X: X speaks
        if (
            ends_speaker(a, pre, n)
            and not (f in ("لدي", "عن") and _posts_title(a.lx, pre, n))
            and n >= partitive  # not the quantity or its من
        ):
            break  # (السفيرة لدى الأمم المتحدة، النائبة عن حزب العمال: the title's post, no adjunct)
        if (
            n
            and is_addressee(a.lx, f)
            and not bare_title(a.lx, out)
            and out[0].fold not in a.lx.DOCUMENT_NOUNS
        ):
            break  # an addressee after a name: ويلباك لوسائل إعلام
        if n and speech_event(a.lx, f):
            break  # وتابع النجم المصري حديثه / أجرى محمد صلاح حوارا: the event, not the speaker
        if n and not_in_name(f) and (not bare_title(a.lx, out) or names.possessed_common_noun(a.lx, f)):
            break  # سليماني موجها خطابه، الوليد دعمه الكلي، المبعوث الخاص عزمه: the name has ended
        out.append(t)
        if words_besides_links(out) >= longest:
            return None
    if words_besides_links(out) >= MAX_SPEAKER and not _ends_in_person_name(a, out):
        return None  # a long title is taken only with the person it names (… تحت الماء is no name)
    out = _without_dangling_word(a.lx, out)
    return cut_after_known_name(a, out) if out else None


_GOVERNED_NOUN_USES = 50  # بال + a noun the corpus uses at least this often with the article


def _governed_noun(lex: Lexicon, fold: str) -> bool:
    """A noun the cue verb governs with ب, where a subject would stand (وواصل [بقوله]، تتعهد [بوقف]
    "…"، وصفه [بالوضع] المأساوي): a speech noun (بقوله، بالقول), or بال + a frequent common noun
    (not a name the corpus knows: بالاك، بالخير are family names of speakers too)."""
    if not fold.startswith("ب") or len(fold) < 4 or names.is_name_word(lex, fold) or fold in lex.FAMILY_NAMES:
        return False
    rest = fold[1:]
    cue = lex.CUE_FORMS.get(rest)
    if cue is not None and cue.kind == "noun":
        return True
    return (
        rest.startswith("ال")
        and lex.word_use(rest).freq >= _GOVERNED_NOUN_USES
        and names.common_word(lex, rest[2:])
        and rest not in lex.ORG_HEADS
        and rest[2:] not in lex.ORG_HEADS
        and not lex.is_title(rest)
    )


def _subject_after_object(a: Article, words: list[Token]) -> bool:
    """Whether the word after an object pronoun phrase (رد عليها …) can open the verb's subject: a name,
    a body, a title, an unnamed source or group, a document, or any other noun; not a function, time or
    verb word, a word with ب، ل or ك attached (رد عليها [برسالة]، [بمثابة]، [بعبارات]) or و / ف before a
    known word (عنها [ولا]), nor an adverbial accusative names never use (رد عليها [سريعا]، [كاتبا]):
    those leave the subject unnamed here, and so does a comma or any mark after the pronoun (ولم ترد
    عليها، [سيأتيك] …). ``words``: the pronoun phrase and what follows it."""
    if len(words) < 2 or a.text[words[0].end : words[1].start].strip():
        return False
    lex = a.lx
    f = words[1].fold
    if f in lex.FUNCTION_WORDS or f in lex.TIME_WORDS or not f.isalpha() or names.looks_verb(lex, f):
        return False
    if (
        names.known_name_word(lex, f)
        or lex.org_roles(f).in_names >= 3
        or f in lex.ORG_HEADS
        or f in lex.ANONYMOUS_HEADS
        or f in lex.GROUP_HEADS
        or f in lex.DOCUMENT_NOUNS
        or lex.is_title(f)
    ):
        return True
    if f[:1] in ("ب", "ل", "ك") or (f[:1] in ("و", "ف") and lex.word_use(f[1:]).freq > 0):
        return False
    accusative = f.endswith("ا") and not f.endswith(("نا", "ها"))  # (not مراسلنا، مراسلتها)
    return not (accusative and names.seldom_named(lex, f))


def _without_dangling_word(lex: Lexicon, words: list[Token]) -> list[Token]:
    """A phrase cut before the object of its last word (a preposition or another function word) ends
    before that word too: a mention never ends in في، عن، على (`وقالت النقابة في [بيانها]` is النقابة)."""
    end = len(words)
    while end > 1 and words[end - 1].fold in lex.FUNCTION_WORDS:
        end -= 1
    return words[:end] if end < len(words) else words


_SHARE_HEADS = frozenset({"نسبة", "نحو", "حوالي", "قرابة"})  # نسبة 80% من، نحو 40 في المئة من
_PERCENT = frozenset({"بالمئة", "بالمائة", "المئة", "المائة", "في"})


def _share_of_group(a: Article, pre: list[Token]) -> int:
    """A share of a group as the speaker (a survey's figure: ``90% من ممثلي الجهات``، ``60 في المئة من
    المشاركين``): how many words the share and its من take before the group's words; 0 for anything
    else (a count, ``3 مسؤولين``; a share with no group named, ``86% إلى أن``)."""
    k = 1 if pre and pre[0].fold in _SHARE_HEADS else 0
    if k >= len(pre) or not pre[k].fold[:1].isdigit():
        return 0
    number = k
    k += 1
    while k < len(pre) and pre[k].fold in _PERCENT:
        k += 1
    percent = k > number + 1 or (
        k < len(pre) and any(c in "%٪" for c in a.text[pre[number].end : pre[k].start])
    )
    if percent and k + 1 < len(pre) and pre[k].fold == "من":
        return k + 1
    return 0


def _ends_in_person_name(a: Article, words: list[Token]) -> bool:
    """Whether the name the mention analyses to can be a person's name (two to four name words)."""
    name = analyse(a.lx, words, a.text).name
    return bool(name) and names.person_name(a.lx, name)


def _ranked_name(a: Article, words: list[Token]) -> bool:
    """A rank or title word before a person's name (العقيد X Y، الدكتور X Y), the apposition that names
    the holder of an office: `رئيس هيئة البيئة في عاصمة البلاد، العقيد X Y،`."""
    if len(words) > 5 or words[0].fold not in a.lx.TITLE_HEADS:
        return False
    info = analyse(a.lx, words, a.text)
    return bool(info.name) and info.name[-1] is words[-1] and names.person_name(a.lx, info.name)


def relayed_source(a: Article, pre: list[Token], relay_verb: bool) -> list[Token] | None:
    """The speaker a relay names: نقلت الوكالة عن الوزير (after نقل), … على لسان الوزير and وذكرت
    الصحيفة نقلا عن مسؤول (any cue)."""
    for k, t in enumerate(pre[:-1]):
        before = pre[k - 1].fold if k else ""
        if (t.fold == "عن" and (relay_verb or before in ("نقلا", "ونقلا"))) or (
            t.fold == "لسان" and before == "علي"
        ):
            return trim_mention(a, pre[k + 1 :])
    return None


def governing_subject(a: Article, i: int) -> list[Token] | None:
    """وعلق ماركيش على التجديد قائلا: the participle's speaker is the subject of the cue verb
    before it in the same sentence."""
    start = max(a.token_at(a.sentence_start(a.tokens[i].start)), i - 15)
    for v in range(i - 1, start - 1, -1):
        cue = a.lx.CUE_FORMS.get(a.tokens[v].fold)
        if cue is not None and cue.kind == "verb":
            if a.overlaps_claimed(a.tokens[v].start, a.tokens[v].end):
                return None  # that verb has its own quote: its speaker is already the latest
            words = speaker_phrase(a, a.tokens[v + 1 : i])
            return words if words and is_named_subject(a, words) else None
    return None


def opens_with_verb(a: Article, k: int, feminine: bool) -> bool:
    """Whether the word at ``k`` (which opens a sentence) looks like a verb after و/ف agreeing with a
    feminine subject (perfect …ت, imperfect ت…) or, for ``feminine=False``, like one that does not
    (not definite, no feminine or pronoun ending); never a cue verb, whose speaker the cues find."""
    verb = a.tokens[k].fold
    if verb[:1] not in "وف" or verb in a.lx.CUE_FORMS:
        return False
    return _verb_shape(a, verb, feminine)


def _looks_feminine(verb: str) -> bool:
    """A verb after و/ف whose subject is feminine by its shape: perfect …ت, imperfect ت…."""
    return len(verb) >= 5 and (verb.endswith("ت") or verb[1] == "ت")


def _verb_shape(a: Article, verb: str, feminine: bool) -> bool:
    """The shape test of ``opens_with_verb`` for a word that starts with و / ف."""
    looks_feminine = _looks_feminine(verb)
    if feminine:
        return looks_feminine
    return (
        len(verb) >= 4
        and not looks_feminine
        and not verb[1:].startswith("ال")
        and not verb.endswith(("ة", "ه", "ها", "هم"))
        and verb not in a.lx.FUNCTION_WORDS
    )


@lru_cache(maxsize=8)
def _adverbial_openers(lex: Lexicon) -> frozenset[str]:
    """Words that open an adverbial fronted before the verb (في، بعد، صباح، بشأن), bare or after و / ف."""
    base = PREPOSITIONS | word_list("fronted_adverbials.txt") | lex.ADJUNCT_PREPOSITIONS
    return frozenset(p + w for w in base for p in ("", "و", "ف"))


_ADVERBIAL_WORDS = 8  # a fronted adverbial is a short phrase: وفي مؤتمر صحفي عقده بالعاصمة أمس،
_UNCOMMA_ADVERBIAL = 4  # without a comma after it, fewer words: وفي بيان له أشاد X
RELATIVE_PRONOUNS = word_list("relative_pronouns.txt")


def verb_after_adverbial(a: Article, k: int, end: int) -> int | None:
    """The token of the verb that opens the clause after an adverbial fronted at the start of the
    sentence at ``k`` (a preposition or time noun with its object: `وفي بيان له أشاد X`، `وصباح الأربعاء،
    اتصل X`، `من جانبه ردّ X`), before token ``end``; None when the sentence opens otherwise, or no verb
    follows the phrase (a comma, or within a few words) before a complementizer, relative or cue."""
    lex = a.lx
    if k + 2 >= end or not opens_adverbial(a, k):
        return None
    for j in range(k + 1, min(end, k + 1 + _ADVERBIAL_WORDS)):
        gap = a.gap(j).strip()
        fold = a.tokens[j].fold
        if gap:
            return j if gap in COMMAS and j > k + 1 and _clause_verb(a, fold) else None
        if fold in lex.COMPLEMENTIZERS or fold in RELATIVE_PRONOUNS or fold in lex.CUE_FORMS:
            return j if fold in lex.CUE_FORMS and j > k + 1 else None
        if j > k + 1 and j <= k + _UNCOMMA_ADVERBIAL and names.looks_verb(lex, fold):
            return j
    return None


def verb_past_opening(a: Article, k: int, end: int) -> int | None:
    """The verb with no و/ف that opens the clause of the sentence at token ``k``, before token
    ``end``: the sentence's first word when the corpus knows it as a verb (a lede: `أشاد اللاعب X …`،
    `دعت جماعة X …`), or the verb after a fronted adverbial (``verb_after_adverbial``); None for a
    cue verb there, whose speaker the cues find, or a sentence that opens otherwise."""
    after = verb_after_adverbial(a, k, end)
    if after is not None:
        return after
    fold = a.tokens[k].fold
    if k + 1 >= end or fold in a.lx.CUE_FORMS or fold in a.lx.FUNCTION_WORDS:
        return None
    return k if names.looks_verb(a.lx, fold) else None


def opens_adverbial(a: Article, k: int) -> bool:
    """Whether the word at ``k`` opens a fronted adverbial (وفي، وبشأن، وصباح), so it is not the verb."""
    return a.tokens[k].fold in _adverbial_openers(a.lx)


def _clause_verb(a: Article, fold: str) -> bool:
    """A word that opens a clause as its verb (أصدر، اتصل، وأكد): by the corpus, or a cue verb."""
    if fold in a.lx.CUE_FORMS:
        return a.lx.CUE_FORMS[fold].kind == "verb"
    # the corpus contexts decide (التقى looks definite); و / ف may be the root's own letter (وصل، فاز),
    # so the word is asked as written first
    return names.looks_verb(a.lx, fold) or (fold[:1] in "وف" and names.looks_verb(a.lx, fold[1:]))


def verb_agrees(a: Article, k: int, feminine: bool | None) -> bool:
    """Whether the verb at ``k`` that ``verb_after_adverbial`` found (bare or after و/ف) agrees with the
    cue's gender (either, for ``None``): feminine by its shape (perfect …ت, imperfect ت…); never a cue
    verb, whose speaker the cues find."""
    fold = a.tokens[k].fold
    if fold in a.lx.CUE_FORMS:
        return False
    as_written = fold[:1] not in "وف" or names.looks_verb(a.lx, fold)  # وصل is a verb, not و + صل
    shaped = "و" + fold if as_written else fold
    return feminine is None or _looks_feminine(shaped) == feminine


def opening_verb_subject(a: Article, k: int, i: int) -> list[Token] | None:
    """VSO: the subject right after the verb at ``k`` that opens a sentence (وتقدمت شركة نوفا بشكوى),
    among the words before token ``i``; it ends at the verb's complement. None where the words name
    no one (وتم الاتفاق على)."""
    words = speaker_phrase(a, a.tokens[k + 1 : min(k + 1 + MAX_SPEAKER, i)])
    if not words or words[0].fold in a.lx.FUNCTION_WORDS or words[0].fold in a.lx.TIME_WORDS:
        return None
    for n in range(1, len(words)):
        if _opens_complement(a, words[n].fold) or _next_verb(a, words[n].fold):
            words = words[:n]
            break
    words = before_object(a, words)  # وتمنع الشرطة [ناخبين] …، وانتقد المجلس الأعلى [القرار]: the object
    info = analyse(a.lx, words, a.text)
    if info.name and info.name[-1] is not words[-1] and not (info.title and info.title[-1] is words[-1]):
        words = words[: words.index(info.name[-1]) + 1]  # انتقد الرئيس X Y Z [قرار الحكومة]: the object
    words = _without_dangling_word(a.lx, words)  # وجهت الشرطة الوطنية في [بلد X تحذيرا]
    return words if info.name or info.title else None


def _next_verb(a: Article, fold: str) -> bool:
    """و + a verb of the corpus that is no name word (وسحب، وأضاف): the next clause, coordinated."""
    return (
        fold[:1] == "و"
        and not names.is_name_word(a.lx, fold)
        and (fold in a.lx.CUE_FORMS or names.looks_verb(a.lx, fold[1:]))
    )


def _opens_complement(a: Article, fold: str) -> bool:
    """A word with the preposition ب attached that the mined statistics never saw in a name (بشكوى،
    بتعويض): it opens the verb's complement, not a part of its subject (بن، بوتين are name words)."""
    return (
        fold.startswith("ب")
        and len(fold) >= 4
        and not names.is_name_word(a.lx, fold)
        and a.lx.org_roles(fold).in_names < 3
    )


def is_named_subject(a: Article, words: list[Token]) -> bool:
    """Words that can only be a subject: a title, organisation, source or place word, or a
    speaker the article already knows (not an object such as بقدرة المرأة)."""
    head = words[0].fold
    if (
        head in a.lx.TITLE_HEADS
        or head in a.lx.ORG_HEADS
        or head in a.lx.ANONYMOUS_HEADS
        or head in a.lx.PLACES
    ):
        return True
    return (
        a.registry.find_by_tokens(words[:2]) is not None or a.registry.find_by_tokens(words[:1]) is not None
    )


def cut_after_known_name(a: Article, words: list[Token]) -> list[Token]:
    """A phrase that starts with the name of a known speaker ends with that name: what follows is
    the verb's object (وتوقع بومبيو إحراز "تقدم")."""
    for k in range(len(words), 0, -1):
        if (
            all(t.fold in _PATRONYMIC_LINKS for t in words[:k])
            and k < len(words)
            and names.is_name_word(a.lx, words[k].fold)
        ):
            continue  # (بن [جاسم]: a patronymic link and a name the corpus knows: another's patronymic)
        e = a.registry.find_by_tokens(words[:k])
        if e is not None and e.kind == "person":
            if k < len(words) and _another_family_name(a, e, words, k):
                return words  # فلاديمير [تيموشكوف]: a given name the known person shares, another's name
            return words[:k]
    return words


_PATRONYMIC_LINKS = frozenset({"بن", "ابن", "بنت"})  # (not أبو: a kunya the known person may bear)
_PROCLITIC_LETTERS = frozenset("بلوفك")  # letters a preposition or conjunction attaches to a word


def _another_family_name(a: Article, e: Entity, words: list[Token], k: int) -> bool:
    """``words[:k]`` only open the known person's name (his given name), and ``words[k]``, no part of
    it, is a name word or one the corpus does not know: the name of another person with that given
    name."""
    own = without_hashtags(e.name or "").split()  # (a hashtag: فلاديمير_بوتين)
    if len(own) <= k or [fold_word(w) for w in own[:k]] != [t.fold for t in words[:k]]:
        return False
    if not words_besides_links(words[:k]) or not all(names.given_name(a.lx, t.fold) for t in words[:k]):
        return False  # (المملكة …: only a given name is shared by two people)
    nxt = words[k].fold
    if (
        fold_word(own[k]) == nxt
        or a.text[words[k - 1].end : words[k].start].strip()
        or a.registry.knows(words[k])
    ):
        return False  # (وصف كيم ترامب: a name the article gave another, the object)
    if nxt[:1] in _PROCLITIC_LETTERS:
        return False  # (تعهد أزهري [بإرجاع]: a preposition or conjunction attached, no name)
    return names.is_family_name(a.lx, nxt) or names.is_name_word(a.lx, nxt) or names.unknown_word(a.lx, nxt)


def ends_speaker(a: Article, words: list[Token], n: int) -> bool:
    """Whether the speaker phrase ends before ``words[n]``: an adjunct, a clause word, or (from the
    mined word statistics) the next clause's verb or a noun that opens the verb's object."""
    f = words[n].fold
    if n and not _quoted_name(a, words, n):
        after = words[n + 1].fold if n + 1 < len(words) else ""
        if names.looks_verb(a.lx, f) or _opens_object(a.lx, words[n - 1].fold, f, after):
            return True  # مجموعة سعودية لحقوق الإنسان [تطلق]، يواصل الزعماء الثلاثة [عملية]
    if a.text[words[n].start] == "آ" and not f.startswith("ال"):
        return False  # آنا، آن: a name; the pronoun أنا and the particle أن are never written with madda
    if f in a.lx.TIME_WORDS or f in a.lx.ADJUNCT_PREPOSITIONS or f in a.lx.SPEAKER_BREAKERS:
        return True
    if f in _YEAR_WORDS and n + 1 < len(words) and _dates_year(words[n + 1].fold):
        return True  # قال عام 2016، وقال العام الماضي: a time (not الأمين العام، مدير عام الشركة)
    if n and f[:1] in ("و", "ف") and f[1:] in a.lx.SPEAKER_BREAKERS and not _unnamed(a.lx, words[:n]):
        return True  # ميكيل آلفاريز [وهو طالب]: a clause about the speaker (but أحدهم وهو X names him)
    if f in a.lx.CUE_FORMS or f in a.lx.COMPLEMENTIZERS:
        return True
    if f in a.lx.FUNCTION_WORDS and f not in ("في", "وفي", "علي", "عن", "الي", "مع", "لدي", "بين"):
        return True
    if f == "ل" or f.startswith(a.lx.MEDIA_PREFIXED):
        return True
    if f in ("في", "وفي", "علي", "عن", "الي", "مع") and n + 1 < len(words):
        nxt = words[n + 1].fold
        stem = nxt[2:] if nxt.startswith("ال") else nxt
        if nxt in a.lx.TIME_WORDS or stem.startswith(a.lx.SPEECH_EVENT_STEMS) or f in ("علي", "الي", "مع"):
            return True
        third = words[n + 2].fold if n + 2 < len(words) else ""
        construct = third.startswith("ال") and third not in a.lx.FUNCTION_WORDS  # not الي (إلى)
        if f in ("في", "وفي") and _indefinite_common(a.lx, nxt) and not construct:
            return True  # … ماتويدي [في إشارة إلى]: an adjunct (في المنظمة، في مصلحة السجون stay)
        if f in ("في", "وفي") and n and _adjunct_after_named(a.lx, words, n):
            return True
        if (
            f == "عن"
            and n
            and words[n - 1].fold not in a.lx.DOCUMENT_NOUNS
            and words[n - 1].fold not in ("صادر", "الصادر", "صادرة", "الصادرة")
        ):
            return True
    return False


_YEAR_WORDS = frozenset({"عام", "العام", "سنة", "السنة"})
_RELATIVE_TIMES = frozenset({"الماضي", "المقبل", "القادم", "الجاري", "الحالي", "المنصرم"})


def _dates_year(fold: str) -> bool:
    """The word after عام / سنة makes it a year: a number (2016) or a relative time (الماضي)."""
    return fold.isdigit() or fold in _RELATIVE_TIMES


_PLURALS = ("ون", "ين", "ات")
_MONTHS = word_list("months.txt")


def _adjunct_after_named(lex: Lexicon, words: list[Token], n: int) -> bool:
    """في after a speaker that is named: a person's name or a place takes no place of its own (`وقالت
    هالة X في المحكمة`، `وأعلنت طهران في وقت سابق`); after any speaker في opens an adjunct before a time,
    a number or a possessed noun (`في تقريرها`، `في عام 2010`); after an organisation also before a
    common noun that heads no title, organisation or place (`وقالت الهيئة في ردها`، `في المذكرة`;
    `مكتب المدعي في ولاية X` stays). An unnamed source or a title keeps its complement (`خبير في
    المجال`، `مصادر في وزارة الداخلية`)."""
    head = words[0].fold
    nxt = words[n + 1].fold
    if nxt in _MONTHS:
        return True  # في فبراير، في أيار/مايو: a date, after any speaker (مسؤول عراقي [في أيار])
    if head in lex.ANONYMOUS_HEADS or head in lex.GROUP_HEADS or head.isdigit():
        return False
    if head in lex.PLACES and n == 1:
        return True
    info = analyse(lex, words[:n])
    last = words[n - 1].fold
    named = info.kind == "person" and not info.title and info.name and info.name[-1] is words[n - 1]
    if named and not names.in_titles(lex, last):  # (جون X الاقتصادي في بنك …: a title after the name)
        name = info.name
        one = name[0].fold
        # (a word the corpus does not know may be a name: not with ل / ب or a plural ending, لمصدر، قياديون)
        unknown = names.unknown_word(lex, one)
        unknown = unknown and not one.startswith(("ل", "ب")) and not one.endswith(_PLURALS)
        known = names.known_name_word(lex, one)
        single = len(name) == 1 and (unknown or known or names.is_family_name(lex, one))
        if single or names.person_name(lex, name):
            return True
    third = words[n + 2].fold if n + 2 < len(words) else ""
    if not nxt.isalpha() or third[:1].isdigit() or nxt in lex.TIME_WORDS:
        return True  # في 12 يوليو، في عام 2010، في وقت سابق
    if names.possessed_noun(lex, nxt) or not_in_name(nxt):
        return True  # في تقريرها، في رده
    if not (head in lex.ORG_HEADS or lex.org_roles(head).opens >= 3):
        return False
    bare = nxt[2:] if nxt.startswith("ال") else nxt
    return (
        names.common_word(lex, bare)
        and not names.in_titles(lex, bare)
        and not names.in_titles(lex, nxt)
        and bare not in lex.ORG_HEADS
        and nxt not in lex.ORG_HEADS
        and bare not in lex.PLACE_WORDS
        and nxt not in lex.PLACE_WORDS
        and lex.org_roles(nxt).in_names < 3
    )


def takes_object_after_subject(a: Article, i: int) -> bool:
    """Whether the cue verb at ``i`` is one that takes an object and a predicate (``data/
    second_object_verbs.txt``: ووصف X الخطوة بأنها، اعتبرت X القرار "…") or an object told or warned
    (``data/addressee_verbs.txt``: حذرت X تركيا من أن) written without an object pronoun (ووصفه X
    بأنه has its object already), so its object follows the speaker's words."""
    fold = a.tokens[i].fold
    cue = a.lx.CUE_FORMS.get(fold)
    if cue is None or cue.kind != "verb":
        return False
    lemma = fold_word(cue.lemma)
    if lemma not in SECOND_OBJECT_VERBS and lemma not in ADDRESSEE_VERBS:
        return False
    for suffix in names.OBJECT_PRONOUNS:
        bare = a.lx.CUE_FORMS.get(fold[: -len(suffix)]) if fold.endswith(suffix) else None
        if bare is not None and bare.lemma == cue.lemma:
            return False
    return True


ADDRESSEE_VERBS = word_list("addressee_verbs.txt")  # حذرت X [تركيا] من أن: the one warned follows X


def before_object(a: Article, words: list[Token]) -> list[Token]:
    """The speaker's words of a phrase after a verb that takes an object (``takes_object_after_
    subject``): they end where a definite phrase is followed by a definite word that is not its
    adjective nor part of a name, or by a frequent bare noun (ووصف الدبلوماسي الغربي [الخطوة] بأنها،
    واعتبرت الوزارة [قرار] المحكمة …)."""
    titled = bool(words) and a.lx.is_title(words[0].fold)  # (a title's name may be a word too: رمضان)
    for n in range(1, len(words)):
        before, fold = words[n - 1].fold, words[n].fold
        if _quoted_name(a, words, n):
            continue
        written_definite = a.text.startswith("ال", words[n - 1].start)  # not أل…: ألوية folds to الوية
        if (written_definite and _definite_object(a.lx, before, fold)) or (
            not titled and _opens_object_noun(a.lx, before, fold)
        ):
            return words[:n]
        if written_definite and (_place_not_adjective(a.lx, fold) or fold in GENERIC_NOUNS):
            return words[
                :n
            ]  # حذرت الخارجية الأميركية [تركيا]، أبلغت اللجنة الأوروبية [الشركة]: a second body
    return words


def _place_not_adjective(lex: Lexicon, fold: str) -> bool:
    """A place's name that is no nationality adjective too (not السعودية: وكالة الأنباء السعودية)."""
    if fold not in lex.PLACES:
        return False
    return not (fold.startswith("ال") and fold.endswith("ة") and fold[2:-1] in lex.NATIONALITY_ADJECTIVES)


def _definite_object(lex: Lexicon, before: str, fold: str) -> bool:
    """A definite noun phrase never continues with a definite noun (a construct's first noun has no
    article): a definite word after one is its adjective, or it opens the verb's object. The corpus
    and the word's shape tell them apart: the words that continue a speaker's name are seen in names
    of organisations, titles or persons, or are adjectives (a nisba, a participle, an elative or
    colour: السورية، المقرب، الأعلى، السوداء), places and title complements (الخارجية [السورية]، البيت
    [الأبيض]); another definite noun is the object (ووصف الدبلوماسي [الخطوة] بأنها)."""
    if not before.startswith("ال") or not fold.startswith("ال") or len(fold) < 5 or len(before) < 4:
        return False
    bare = fold[2:]
    adjective = (
        bare.endswith(("ي", "ية", "يين", "يون", "يات", "اء"))  # nisba; فعلاء (السوداء)
        or bare.startswith("م")  # a participle (المقرب، الواردة، المدعومة)
        or (bare.startswith("ا") and len(bare) == 4)  # أفعل (الأعلى، الأبيض، الأول)
    )
    return not (
        adjective
        or fold in lex.TITLE_COMPLEMENTS
        or fold in lex.PLACE_WORDS
        or fold in lex.PLACES
        or fold in lex.ORG_HEADS
        or fold in lex.TITLE_HEADS
        or fold in lex.FUNCTION_WORDS
        or lex.is_title(fold)
        or _in_names_often(lex, fold)
        or (names.is_name_word(lex, fold) and not names.seldom_named(lex, fold))
        or (not lex.word_use(fold).freq and lex.is_title(before))  # الفنان [الحلاني]: a family name
    )


def _in_names_often(lex: Lexicon, fold: str) -> bool:
    """Seen in organisations' names or in titles in at least one use in 20 (الخارجية، الأمن، الوزراء),
    or a family name the corpus knows: a word that continues a speaker's name."""
    freq = lex.word_use(fold).freq
    title = lex.TITLE_WORDS.get(fold)
    in_titles = title.in_titles if title is not None else 0
    return (
        (lex.org_roles(fold).in_names + in_titles) * 20 >= freq
        and (lex.org_roles(fold).in_names + in_titles) >= 3
    ) or fold in lex.FAMILY_NAMES


def _opens_object_noun(lex: Lexicon, before: str, fold: str) -> bool:
    """After a definite word that is no title, a frequent bare noun that names hardly ever use, neither
    person's nor organisation's, and that is no title, place, time or function word, opens the verb's
    object even when the corpus seldom gives it the article (a verbal noun: `واعتبرت الرابطة [إلغاء]
    …`): a definite phrase is continued by a definite adjective, a construct's noun or a name."""
    after_name = names.ends_names(lex, before) or before in lex.FAMILY_NAMES  # X مورينيو [مباريات] …
    if not (before.startswith("ال") or after_name) or len(before) <= 3 or lex.is_title(before):
        return False
    if fold.startswith(("ال", "ل", "ب", "و", "ف", "ك")) or not fold.isalpha():
        return False
    freq = lex.word_use(fold).freq
    return (
        names.seldom_named(lex, fold)
        and fold not in lex.GIVEN_NAMES
        and not names.opens_names(lex, fold)
        and fold not in lex.FAMILY_NAMES
        and lex.org_roles(fold).in_names * 20 < freq
        and not lex.is_title(fold)
        and not names.in_titles(lex, fold)
        and fold not in lex.TITLE_HEADS
        and fold not in lex.ORG_HEADS
        and fold not in lex.ANONYMOUS_HEADS
        and fold not in lex.PLACE_WORDS
        and fold not in lex.PLACES
        and fold not in lex.TIME_WORDS
        and fold not in lex.FUNCTION_WORDS
        and fold not in lex.NATIONALITY_ADJECTIVES
    )


def _posts_title(lex: Lexicon, words: list[Token], n: int) -> bool:
    """لدى or عن after a title with no name, before the body or place the holder is posted to or
    stands for (السفير الروسي لدى الأمم المتحدة، النائبة عن حزب العمال، النائب عن ولاية …; not لدى
    وصوله, a time, nor المتحدث عن الأزمة, a topic: after عن only an organisation or place)."""
    if n + 1 >= len(words) or not unnamed_title(lex, words[:n]) or words[0].fold in lex.ANONYMOUS_HEADS:
        return False
    nxt = words[n + 1].fold
    body = nxt in lex.ORG_HEADS or nxt in lex.PLACES or nxt in lex.PLACE_WORDS
    return body or (words[n].fold == "لدي" and nxt.startswith("ال") and nxt not in lex.TIME_WORDS)


def _unnamed(lex: Lexicon, words: list[Token]) -> bool:
    """An unnamed source (مصدر، أحدهم: a head of ``anonymous_heads`` or a word with a plural or
    feminine pronoun, which no name has), whose name a following وهو may give."""
    return words[0].fold in lex.ANONYMOUS_HEADS or words[-1].fold.endswith(("هم", "ها", "هما"))


def _indefinite_common(lex: Lexicon, fold: str) -> bool:
    """A common word (``names.common_word``) without the article or a proclitic, that heads no
    title, organisation or place (مقترح، عملية، إشارة; not وزارة، مدينة، جامعة)."""
    return (
        not fold.startswith(("ال", "ل", "ب", "و", "ف", "ك"))
        and names.common_word(lex, fold)
        and not names.in_titles(lex, fold)
        and fold not in lex.TITLE_HEADS
        and fold not in lex.ORG_HEADS
        and fold not in lex.ANONYMOUS_HEADS
        and fold not in lex.PLACE_WORDS
        and fold not in lex.FUNCTION_WORDS
    )


def _quoted_name(a: Article, words: list[Token], n: int) -> bool:
    """A quotation mark before ``words[n]`` in the phrase: a quoted name (صحيفة "خبر ترك"), whose words
    the word statistics do not judge."""
    return _QUOTE_CHAR_RE.search(a.text, words[0].start, words[n].start) is not None


def _opens_object(lex: Lexicon, before: str, fold: str, after: str = "") -> bool:
    """A noun phrase with the article is never continued by an indefinite common noun (an adjective of
    a definite noun takes the article; a construct's first noun has none): after جيش الإسلام or
    الزعماء الثلاثة, مقترح and عملية open the verb's object. Not after a title, which a name follows
    (الوزيرة منى: folded, منى is also مني), nor when it is a given name or a name word follows (…
    المتحدة رياض منصور، المتشدد إدوار ليمونوف: a city's or a common noun's spelling)."""
    return (
        not (after and (names.unknown_word(lex, after) or names.known_name_word(lex, after)))
        and before.startswith("ال")
        and len(before) > 3
        and not lex.is_title(before)
        and _indefinite_common(lex, fold)
        and not names.opens_names(lex, fold)
    )


def trim_mention(a: Article, words: list[Token]) -> list[Token] | None:
    if words and words[0].fold in _OBJECT_PRONOUN_PHRASES and _subject_after_object(a, words):
        words = words[1:]  # وفقا لما أعلنت عنه [الوزارة] (as in ``speaker_phrase``)
    out: list[Token] = []
    for n, t in enumerate(words):
        broken = n and _MENTION_BREAK_RE.search(a.text, words[n - 1].end, t.start) is not None
        if broken and not names_org(a.lx, out, a.text[words[n - 1].end : t.start]):
            break
        if ends_speaker(a, words, n) and n:
            break
        out.append(t)
    return _without_dangling_word(a.lx, out) or None


def names_org(lex: Lexicon, words: list[Token], gap: str) -> bool:
    """An organisation word followed by its quoted or bracketed name: قناة "BFM"، محطة (WILX)، also with
    the ل of a source phrase (وفقا لوكالة "X"، بحسب لصحيفة "Y")."""
    if len(words) not in (1, 2) or any(c in gap for c in ":.!?؟\n،,"):
        return False
    head = words[0].fold
    bare = ("ال" + head[2:]) if head.startswith("لل") else head[1:] if head.startswith("ل") else ""
    return head in lex.ORG_HEADS or (bool(bare) and bare in lex.ORG_HEADS)


def bare_title(lex: Lexicon, words: list[Token]) -> bool:
    if len(words) == 1 and words[0].fold.startswith(lex.KINSHIP_STEMS):
        return True  # والدتها، زينب أحمد
    if not words:
        return False
    # a title head opens it, or a word the mined titles open with before one (مساعد مفوض الشرطة)
    opener = words[0].fold in lex.TITLE_HEADS or opens_title(lex, [w.fold for w in words[:2]])
    return opener and all(_title_part(lex, w.fold) for w in words[1:])


def unnamed_title(lex: Lexicon, words: list[Token]) -> bool:
    """A title (or an office of an unnamed source: مسؤول ملف …) with its complements (organisations,
    places, adjectives, في + a place) and no given name in it: المدير العام للهيئة … في الإمارات، لاعب
    نادي الزمالك السابق. Its apposition names the person when that looks like a name
    (``names.person_name``)."""
    return (
        bool(words)
        and (words[0].fold in lex.TITLE_HEADS or words[0].fold in lex.ANONYMOUS_HEADS)
        and not any(names.opens_names(lex, w.fold) for w in words)
    )


def _title_part(lex: Lexicon, fold: str) -> bool:
    """A word that continues a title and names no one: with the article (also after ب or ل: بالبرلمان،
    للأمم), a title head or complement, باسم، لدى, or a common word of the mined corpus (عضو آخر; not
    one with ل or ب, which may head an organisation's name: لمجلس القضاء الأعلى، عبد …)."""
    return (
        fold.startswith(("ال", "بال", "لل"))
        or fold in lex.TITLE_HEADS
        or fold in lex.TITLE_COMPLEMENTS
        or fold in ("باسم", "لدي")
        or (names.common_word(lex, fold) and not fold.startswith(("ل", "ب")))
    )


def subject_before(a: Article, i: int, known_only: bool = False) -> list[Token] | None:
    """SVO: ``العطية قال:``، ``لكن غوغل أكدت أن`` — a short noun phrase opening the clause."""
    tok = a.tokens[i]
    start = a.sentence_start(tok.start)
    start = max(start, tok.start - 200)  # a subject is a short phrase: look no further back
    comma = _last_comma(a, start, tok.start)
    if comma >= 0:
        if _only_qad_after(a, comma, i):
            apposed = _apposed_subject(a, start, comma, i) or _subject_before_insertion(a, start, comma, i)
            if apposed and not _own_subject_after(a, i):
                # (not …، أمام مجلس العموم، قالت ماي إن: VSO, the verb names its own speaker)
                return apposed
        start = comma + 1
    words = _clause_subject(a, a.tokens[a.token_at(start) : i])
    if not words or len(words) > 7:
        return None
    if words[0].fold in a.lx.AUXILIARY_VERBS or names.possessed_noun(a.lx, words[0].fold):
        return None
    if names.verb_with_clitics(a.lx, words[0].fold):
        return None  # وانتقده البعض وقالوا: a clause of its own before the cue, not its subject
    if any(w.fold in a.lx.COMPLEMENTIZERS for w in words):
        return None  # بيد أنها اعترفت: a clause, not a subject
    head = words[0].fold
    if head in _leading_prepositions(a.lx) or head in a.lx.PRONOUN_SUBJECTS or head in a.lx.LABELS:
        return None
    if any(w.fold in a.lx.CUE_FORMS or w.fold in a.lx.SPEAKER_BREAKERS for w in words):
        return None
    if any(c in QUOTE_CHARS or c in "()[]-–—" for c in a.text[words[0].start : words[-1].end]):
        return None  # a dateline or an aside, not a subject
    if any(
        w.fold in a.lx.TIME_WORDS or (_function_word(a.lx, w.fold) and w.fold not in ("في", "وفي"))
        for w in words
    ):
        return None  # (فقد صرح: a particle with its ف, no subject)
    if is_named_subject(a, words):
        return words
    if not known_only and len(words) <= 3 and start == a.sentence_start(tok.start):
        return words
    return None


def _function_word(lex: Lexicon, fold: str) -> bool:
    """A function word, or one with و / ف attached (فقد، ولقد، فإذا)."""
    return fold in lex.FUNCTION_WORDS or (fold[:1] in ("و", "ف") and fold[1:] in lex.FUNCTION_WORDS)


# The first word of a connector made with bare أن (إلا أن، غير أن، بيد أن، إذ أن): a subject follows it.
_AN_CONNECTORS = frozenset({"الا", "غير", "بيد", "اذ", "وبما", "بما", "رغم", "ورغم"})


def _clause_subject(a: Article, words: list[Token]) -> list[Token]:
    """The words before a verb less what opens the clause: a connector (… لكن المهاجم قال إن), an
    existential (وثمة مزاعم تقول) or كان with its قد (وكان أردوغان قد صرح)."""
    for k in range(len(words) - 1, -1, -1):
        if words[k].fold in _CLAUSE_CONNECTORS:
            words = words[k + 1 :]
            break
    if len(words) > 2 and words[0].fold in _AN_CONNECTORS and words[1].fold in ("ان", "أن"):
        words = words[2:]  # إلا أن المجلس كشف، إذ أن دراسة أكدت (with a pronoun, بيد أنها, no subject)
    if words and words[0].fold in _EXISTENTIALS:
        words = words[1:]
    if words and words[0].fold in _KANA:
        words = words[1:]
        if words and words[-1].fold in ("قد", "لقد"):
            words = words[:-1]
    return words


def _last_comma(a: Article, start: int, end: int) -> int:
    """The position of the last comma (Arabic or Latin) in ``a.text[start:end]``, or -1."""
    return max(a.text.rfind("،", start, end), a.text.rfind(",", start, end))


def _apposed_subject(a: Article, start: int, comma: int, i: int) -> list[Token] | None:
    """SVO with the subject set off by commas: ``وكان TITLE، NAME، قد VERB``، ``لكن TITLE، NAME، VERB``
    (a title with no given name, then two to four words that can form a person's name, then the
    verb, with at most قد between): the title and its name. ``comma`` is the last comma before the
    verb at token ``i``."""
    inner = _last_comma(a, start, comma)
    if inner < 0:
        return None
    name = a.tokens[a.token_at(inner + 1) : a.token_at(comma)]
    title = _clause_subject(a, a.tokens[a.token_at(start) : a.token_at(inner)])
    if not title or len(title) > 8 or not names.person_name(a.lx, name) or not unnamed_title(a.lx, title):
        return None
    if any(c in QUOTE_CHARS or c in "()[]-–—:" for c in a.text[title[0].start : name[-1].end]):
        return None
    return title + name


def _subject_before_insertion(a: Article, start: int, comma: int, i: int) -> list[Token] | None:
    """SVO with a phrase set off by commas between subject and verb: a relative clause, a title in
    apposition or an adverbial (``لكن NAME، مؤسسة منظمة "X"، تقول``، ``وإسرائيل، من جانبها، قالت``،
    ``إن TITLE، NAME، قال``): the subject is the short noun phrase that opens the clause before the
    first comma, after a connector or complementizer; it must name a speaker (a title, organisation,
    place, known speaker, or a person's name). ``comma`` is the last comma before the verb at ``i``."""
    verb = a.tokens[i].fold
    if verb[:1] in "وف" and verb[1:] in a.lx.CUE_FORMS:
        return None  # …، وأضاف: a verb coordinated with the clause before, not one after its subject
    inner = _last_comma(a, start, comma)
    if inner < 0:
        return None
    inserted = a.tokens[a.token_at(inner + 1) : a.token_at(comma)]
    if not inserted or not _insertion(a, inserted):
        return None
    if any(w.fold in a.lx.COMPLEMENTIZERS or w.fold in a.lx.CUE_FORMS for w in inserted):
        return None  # …، خلال الاتصال بأنه كان "محبطا"، : a clause of its own, not an insertion
    outer = _last_comma(a, start, inner)
    before = a.tokens[a.token_at(max(start, outer + 1)) : a.token_at(inner)]
    for k in range(len(before) - 1, -1, -1):
        if before[k].fold in a.lx.COMPLEMENTIZERS:
            before = before[k + 1 :]  # ذكرت الوكالة إن TITLE، NAME، قال: the clause after إن
            break
    words = _clause_subject(a, before)
    if not words or words_besides_links(words) > 4 or words[0].fold in _leading_prepositions(a.lx):
        return None
    if any(
        w.fold in a.lx.CUE_FORMS or w.fold in a.lx.FUNCTION_WORDS or w.fold in a.lx.TIME_WORDS for w in words
    ):
        return None
    if any(c in QUOTE_CHARS or c in "()[]-–—:" for c in a.text[words[0].start : words[-1].end]):
        return None
    first = words[0]
    if first.fold[:1] == "و" and len(first.fold) > 3 and not is_named_subject(a, words):
        bare = [Token(first.start + 1, first.end, first.fold[1:]), *words[1:]]
        if is_named_subject(a, bare):
            words = bare  # وإسرائيل، من جانبها، قالت: و is the connector
    if _relative_start(inserted[0].fold) or opens_adverbial(a, a.token_at(inserted[0].start)):
        named = is_named_subject(a, words) or names.person_name(a.lx, words)
        return words if named else None
    if unnamed_title(a.lx, words) and names.person_name(a.lx, inserted):
        return words + inserted  # إن وزير الدفاع، سيرغي شويغو، قال: the title and its name
    if names.person_name(a.lx, words) or a.registry.find_by_tokens(words) is not None:
        return words  # لكن NAME، مؤسسة منظمة "X"، تقول: the name, its title in apposition
    return None


def _only_qad_after(a: Article, comma: int, i: int) -> bool:
    """Whether nothing but قد stands between the last comma and the verb at ``i``: the verb may take its
    subject from before the commas (``_apposed_subject``, ``_subject_before_insertion``)."""
    return all(w.fold in ("قد", "لقد") for w in a.tokens[a.token_at(comma + 1) : i])


def _own_subject_after(a: Article, i: int) -> bool:
    """Whether the verb at ``i`` is followed by a subject of its own (a speaker phrase, not a function
    word) before any colon or quotation mark opens its content."""
    if i + 1 >= len(a.tokens) or any(c in a.gap(i + 1) for c in ":" + QUOTE_CHARS):
        return False
    own = speaker_phrase(a, a.tokens[i + 1 : i + 1 + MAX_SPEAKER])
    return own is not None and own[0].fold not in a.lx.FUNCTION_WORDS


def _insertion(a: Article, words: list[Token]) -> bool:
    """A phrase that commas set off between a subject and its verb: a relative clause (التي نشرت …),
    an adverbial (من جانبها، بدوره), a title (مؤسسة منظمة "X") or a person's name."""
    first = words[0].fold
    return (
        _relative_start(first)
        or opens_adverbial(a, a.token_at(words[0].start))
        or first in a.lx.TIME_WORDS
        or first in a.lx.TITLE_HEADS
        or names.person_name(a.lx, words)
    )


def _relative_start(fold: str) -> bool:
    """الذي، والتي: a relative pronoun, bare or after و."""
    return fold in RELATIVE_PRONOUNS or (fold[:1] == "و" and fold[1:] in RELATIVE_PRONOUNS)


def after_an(a: Article, i: int) -> list[Token] | None:
    """نقلت الصحيفة عن مصادر قولها: the speaker is what follows عن."""
    for k in range(i - 1, max(-1, i - 9), -1):
        if a.tokens[k].fold == "عن":
            return trim_mention(a, a.tokens[k + 1 : i])
    return None


def parsed_speaker(a: Article, i: int) -> list[Token] | None:
    """The subject of cue token i in the parse, as tokens (None when the parse gives none)."""
    hint = a.hints.get(a.tokens[i].start)
    if hint is None or hint.speaker is None:
        return None
    s, e = hint.speaker
    if a.in_quote(s) or a.overlaps_claimed(s, e):
        return None
    words = a.tokens[a.token_at(s) : a.token_at(e)]
    # the same checks as a speaker phrase the rules read (no adverb, event noun or participle)
    return speaker_phrase(a, words) if 0 < len(words) <= MAX_SPEAKER else None

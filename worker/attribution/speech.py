"""A speech cue (verb, participle, verbal noun): its content and its speaker, in that order; and the
quote right before a cue (``"…"، قال الوزير``)."""

from __future__ import annotations

import bisect
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from worker import lexicon as lx
from worker.attribution import names
from worker.attribution.article import Found
from worker.attribution.content import (
    NAME_QUOTE_WORDS,
    PREPOSITIONS,
    content_span,
    find_opener,
    fragment_opens,
    object_relative_before,
)
from worker.attribution.cues import DOCUMENT_CUE, IMPERSONAL_CUES, present_form
from worker.attribution.marks import QUOTE_CHARS
from worker.attribution.objects import speaker_words
from worker.attribution.resolve import group_entity, listed_speakers, relative_subject, resolve
from worker.attribution.sources import clause_final, subject_of_opening_verb
from worker.attribution.speaker_phrase import (
    MAX_SPEAKER,
    MAX_SPEAKER_BEFORE_OPENER,
    NAMING_WORDS,
    after_an,
    before_object,
    governing_subject,
    opening_verb_subject,
    opens_with_verb,
    parsed_speaker,
    relayed_source,
    speaker_phrase,
    subject_before,
    takes_object_after_subject,
    trim_mention,
)
from worker.attribution.speakers import MentionInfo, canonical, data_rows, word_list
from worker.text import COMMAS, Token, fold_word, trim

if TYPE_CHECKING:
    from worker.attribution.article import Article

_ON_IT = frozenset({"عليه", "عليها", "عليهم", "عليهما"})
# يُدعى / تُدعى "is named" folds like يدعي / تدعي "claims" (ادعى); spelled with ى it names someone.
_CLAUSE_PUNCTUATION = frozenset("\n.:!?؟،,؛;-–—")
_AS_SAID = frozenset({"كما", "وكما"})
_BELIEF_VERBS = frozenset({"توقع", "اعتقد", "رجح", "ظن", "قدر", "اعتبر", "رأى"})


class PronounSource(NamedTuple):
    relay: bool  # على لسانه / نقل عنه (else an honorific subject: معاليه)
    feminine: bool | None
    plural: bool


def _pronoun_sources() -> dict[str, PronounSource]:
    out = {}
    for word, how, g, n in data_rows("pronoun_sources.tsv", 4):
        agrees = lx.agreement(g, n)
        if how not in ("relay", "honorific") or agrees is None:
            raise ValueError(f"pronoun_sources.tsv: bad kind, gender or number in {word!r}")
        out[fold_word(word)] = PronounSource(how == "relay", *agrees)
    return out


PRONOUN_SOURCES = _pronoun_sources()
# Forms of cue verbs that are mostly another word (يزيد، واصل، أعاد، تبلغ، ردا), mined by train/weak_cues.py.
WEAK_CUES = frozenset(fold_word(row[0]) for row in data_rows("weak_cues.tsv", 3))  # folded forms
_WEAK_SUBJECT_WORDS = 4


def close_opener(a: Article, i: int, kind: str, j: int, pos: int, pre: list[Token]) -> bool:
    """The content of weak cue verb i opens as that of a speech verb does (``data/weak_cues.tsv``): a
    complementizer or colon after a subject of at most four words with no comma (وأعاد الوزير التأكيد
    على أن، وواصل:), or a quotation longer than a name right after the verb; any opener further on when
    a person is the verb's subject (its first word a title, a family name, an unnamed source's head, or a
    given name before a family name: وهدد رئيس الوزراء … الخميس في لندن نظام الأسد بأنه). A quotation
    after an object (أعادت طرح الهاتف "…") or content far on (قدر الإمكان، حيث يتوقع أن) is not its
    content."""
    person = bool(pre) and _names_person(a, i + 1)
    if kind == "quote":
        q = a.quoted_by_open[pos]
        return person or (not pre and len(a.text[q.start : q.end].split()) > NAME_QUOTE_WORDS)
    between = a.text[a.tokens[i].end : a.tokens[j].start if j < len(a.tokens) else pos]
    return person or (len(pre) <= _WEAK_SUBJECT_WORDS and not any(c in COMMAS for c in between))


def _names_person(a: Article, k: int) -> bool:
    """Token k opens a mention of a person or an unnamed source (a title, a family name, an unnamed
    source's head, a given name before a family name), not an object noun (طرح، الإمكان)."""
    word = a.tokens[k].fold
    if a.lx.is_title(word) or word in a.lx.FAMILY_NAMES or word in a.lx.ANONYMOUS_HEADS:
        return True
    return word in a.lx.GIVEN_NAMES and k + 1 < len(a.tokens) and a.tokens[k + 1].fold in a.lx.FAMILY_NAMES


def _names_medium(a: Article, k: int) -> bool:
    """Token k opens the name of a medium: a word of the lexicon's media beginnings (شبكة، صحيفة، قناة،
    وكالة، موقع …), with or without the article."""
    word = a.tokens[k].fold.removeprefix("ال")
    return any(word.startswith(m) for m in _media_beginnings(a.lx))


@cache
def _media_beginnings(lex: lx.Lexicon) -> tuple[str, ...]:
    """The media beginnings of ``media_prefixed.txt`` without their ل (صحيف، قنا، شبك …), not the
    titles it also lists (لنظيره: the counterpart a speaker talks to)."""
    bare = (m[1:] for m in lex.MEDIA_PREFIXED if m.startswith("ل") and len(m) > 3)
    return tuple(m for m in bare if not lex.is_title(m) and not lex.is_title(m.removeprefix("ل")))


def _names_speaker(a: Article, k: int) -> bool:
    """Token k opens a mention of a person or a body: ``_names_person``, or an organisation's head, a
    group, a place (the words the lexicon builder counts after a learned cue)."""
    word = a.tokens[k].fold
    lex = a.lx
    return _names_person(a, k) or word in lex.ORG_HEADS or word in lex.GROUP_HEADS or word in lex.PLACES


def pronoun_source(a: Article, pre: list[Token], relay_verb: bool) -> PronounSource | None:
    """The pronoun that names the speaker among the words between a cue verb and its content: على
    لسانه, عنها after a relaying verb or نقلا (ونقلت الوكالة عنه), or an honorific subject right after
    the verb (وأكد معاليه). Its referent is found like an implicit speaker's, with its agreement."""
    for k, t in enumerate(pre):
        found = PRONOUN_SOURCES.get(t.fold)
        if found is None:
            continue
        before = pre[k - 1].fold if k else ""
        after_relay = relay_verb or before in ("نقلا", "ونقلا")
        if found.relay and (before in ("علي", "وعلي") if t.fold.startswith("لسان") else after_relay):
            return found
        if not found.relay and k == 0:
            return found
    return None


def _opens_at_once(a: Article, i: int) -> bool:
    """A complementizer right after cue i (تدعى أن …: "claims", misspelled with ى)."""
    return i + 1 < len(a.tokens) and a.tokens[i + 1].fold in a.lx.COMPLEMENTIZERS


def speech_cue(a: Article, i: int, cue: lx.CueForm) -> None:
    tok = a.tokens[i]
    if cue.kind == "participle" and i and a.tokens[i - 1].fold in PREPOSITIONS:
        return  # يتحدث عن لافتة "…": after a preposition the word is a noun (a banner), not a cue
    if cue.lemma == "كتب" and i + 1 < len(a.tokens) and a.tokens[i + 1].fold in _ON_IT:
        return  # صورة كتب عليها "…": an inscription (كُتب عليها), nobody's words
    if i + 2 < len(a.tokens) and a.tokens[i + 1].fold == "كتب" and a.tokens[i + 2].fold in _ON_IT:
        return  # يرفع لافتة كتب عليها "…": the word is the noun that bears the inscription, not a cue
    if tok.fold in NAMING_WORDS and a.text[tok.end - 1] == "ى" and not _opens_at_once(a, i):
        return  # ولديها ابنة تدعى "لي لي": the passive "is named", not ادعى "claims"
    cue_span = (tok.start, tok.end)
    limit = a.sentence_end(tok.end)
    opener = find_opener(a, i, limit)
    if opener is None:
        if cue.kind == "verb" and i and a.tokens[i - 1].fold in _AS_SAID:
            as_said(a, i, cue)
        elif object_relative_before(a, i):
            _name_subject(a, i, cue, limit)  # وفق ما أوردت وكالة الأنباء "وفا": known for الوكالة later
        elif cue.kind == "verb":
            quote_before_cue(a, i, cue)
        return
    kind, j, pos = opener
    pre = a.tokens[i + 1 : j]
    while pre and pre[-1].fold in a.lx.COMPLEMENTIZER_PREPOSITIONS:
        pre = pre[:-1]
    if not pre and kind == "comp" and _impersonal(a, i):
        return  # يذكر أن …: the journalist's formula, nobody's words
    learned = cue is a.lx.LEARNED_CUES.get(tok.fold)  # learned from the corpus (lexicon_build/cues.py)
    fragment = learned and tok.fold in a.lx.FRAGMENT_CUES  # its ب takes the speaker's words
    weak = (learned and not fragment) or tok.fold in WEAK_CUES
    if cue.kind == "verb" and weak and not close_opener(a, i, kind, j, pos, pre):
        return  # ويواصل التحالف نهج "…" / تبلغ نحو 5 آلاف: the verb's other sense, with an object
    if learned and not (pre and _names_speaker(a, i + 1)):
        return  # a learned cue as the corpus saw it, a person or body right after it (not اكتشفتُ أن)
    if learned and not fragment and any(c in COMMAS for c in a.text[tok.end : pos]):
        return  # كرر X دعمه، إذ قال، "…": what opens after a comma is another verb's content
    if learned and not fragment and _names_medium(a, i + 1):
        return  # وعلمت شبكة X أن …: an outlet's own reporting, nobody's words (GUIDELINES)
    if fragment and any(c in COMMAS for c in a.gap(i)):
        return  # X، واتهمت البيت الأبيض بـ"…": its subject came before, the words after are its object
    if fragment and not fragment_opens(a, i, kind, j, pos):
        return  # طالبت الحكومة بحقوقها: a learned fragment cue speaks only through its ب
    content = content_span(a, kind, j, pos)
    if content is None:
        return
    qtype, (cs, ce) = content
    if a.overlaps_claimed(cs, ce) or (cue.kind == "participle" and len(pre) > 3):
        return  # taken already; or a participle with a long phrase before its content
    mention: list[Token] | None = None
    relayed = relayed_source(a, pre, cue.lemma == "نقل") if cue.kind == "verb" else None
    # a source named after عن wins (عن المصادر التي لم تكشف عنها): the pronoun is only asked without one
    pronoun = pronoun_source(a, pre, cue.lemma == "نقل") if cue.kind == "verb" and not relayed else None
    feminine: bool | None
    plural: bool | None
    feminine, plural = (pronoun.feminine, pronoun.plural) if pronoun else (cue.feminine, cue.plural)
    if pronoun is not None:
        mention = None  # ونقلت الوكالة على لسانه / وأكد معاليه: whom the pronoun refers to speaks
    elif cue is DOCUMENT_CUE:
        doc = pre[2:] if len(pre) > 2 and pre[1].fold == "نص" else pre[1:]  # في نص الرسالة
        mention = trim_mention(a, doc)  # after في: بيان مشترك لمحامي الرجلين
    elif relayed:  # ونقلت الوكالة عن الوزير / على لسان الوزير: the source speaks, not the relay
        mention = _relayed_phrase(a, relayed, j)
        feminine = plural = None  # the verb agrees with the relay (ونقلت الوكالة), not with its source
    elif cue.kind == "participle":
        mention = governing_subject(a, i) or subject_of_opening_verb(a, i, bool(cue.feminine))
    elif cue.kind == "verb":
        # SVO (الحكومة السورية تصف … بأنه): a known subject before the verb wins, and what follows
        # the verb is its object; otherwise the words after the verb name the speaker.
        mention = relative_subject(a, i) or subject_before(a, i, known_only=True)  # الذين وصفوا الرسوم
        group = None if mention else listed_speakers(a, pre)  # وأعلنت كل من X وY أنهما: all speak
        if group:
            members = group_entity(a, group)
            a.registry.spoke(members, tok.start)
            listed = MentionInfo([], group, members.kind)
            confidence = 0.9 if qtype == "direct" else 0.8
            a.add(Found(qtype, (cs, ce), cue_span, cue.lemma, group, listed, members, confidence))
            return
        described = False  # كما وصفت [القرار] بأنه: the one described; the subject is before or implicit
        if mention is None and not cue.plural:
            # (a plural verb never precedes its subject: ووصفوا التقرير بأنه، قالوا حينها إن, the
            # words after it are its object or an adverb, and the speaker is implicit)
            mention = speaker_phrase(a, pre, MAX_SPEAKER_BEFORE_OPENER)
            if mention:
                mention = speaker_words(a, i, mention, pre)
                described = not mention
            if described:
                mention = None
            elif mention and (fragment or takes_object_after_subject(a, i)):
                mention = before_object(a, mention)  # ووصف X [الخطوة] بأنها: the object follows
        parsed = not (cue.plural or described)  # (the parse reads that object as the subject too)
        mention = mention or subject_before(a, i) or (parsed_speaker(a, i) if parsed else None)
    elif cue.kind == "noun" and cue.passive_subject:
        mention = after_an(a, i)
    belief = cue.kind == "verb" and cue.lemma in _BELIEF_VERBS
    if mention is None and belief and _passive_reading(a, i, cue, pos):
        return  # ويتوقع أن / ويعتقد أن: "it is expected", nobody's words
    pointing = _pronoun_mention(a, mention) if mention and pronoun is None else None
    if pointing is not None:
        mention = None  # لكنها قالت إن، واقترحت عليه: no speaker named here
        if pointing[0]:  # لكنها: its pronoun is the subject; عليه, an object, tells nothing of it
            feminine, plural = pointing[1]
    verb_first = mention is not None and bool(mention) and not plural and mention[0].start > tok.start
    if verb_first:
        plural = None  # ويقول مسؤولون: a verb before its subject is singular; it tells nothing of number
    entity, info = resolve(a, mention, feminine, i, plural)
    if verb_first and entity is not None and entity.plural is None and info and _named_person(a, info):
        entity.plural = False  # وقالت الوزيرة ليلى حداد: a person named is one
    confidence = (0.9 if qtype == "direct" else 0.8) if mention else 0.7
    a.add(Found(qtype, (cs, ce), cue_span, cue.lemma, mention, info, entity, confidence))


def _relayed_phrase(a: Article, relayed: list[Token], j: int) -> list[Token]:
    """The source a relay names, read as a speaker phrase is: a title's apposition after a comma
    names its holder (نقلت الوكالة عن مندوب البلاد لدى المنظمة، سامي وليد، قوله), and a speech noun
    ends it (عن النادي تأكيده أن)."""
    words = speaker_phrase(a, a.tokens[a.token_at(relayed[0].start) : j])
    return words if words and words[0] is relayed[0] else relayed


# An attached pronoun -> the (feminine, plural) of its referent (a dual tells neither, as a dual cue).
_ATTACHED = (("هما", None, None), ("هم", False, True), ("ها", True, False), ("ه", False, False))
# Connectors of contrast of one word (لكن، ولكن): with a pronoun, the pronoun is the verb's subject
_CONNECTORS = frozenset(c for c in word_list("contrast_subjects.txt") if " " not in c)


_SUBJECT_PRONOUNS = frozenset(p + w for w in ("هو", "هي", "هم") for p in ("", "و", "ف"))


def _passive_reading(a: Article, i: int, cue: lx.CueForm, pos: int) -> bool:
    """Belief verb i, its content opening at ``pos``, with no subject named around it: it reads as the
    passive (يُعتقد أن، ويُتوقع أن، تُعتبر), nobody's belief, unless

    - it is a past form (توقعت، توقعوا: no passive reading) that opens a clause of its own with و
      (وتوقع أن, after the speaker's last words), comes right after a function word (كما توقع أن; after
      a noun, ذي ميل توقعت, its subject went unread) or after a subject pronoun (لكنها توقعت أن);
    - a subject pronoun stands right before it (لكنه يعتقد أن، وهو يرى أن، بدوره يرى أن); a plural one
      only where the paragraph's last quote has a plural speaker (فهم يرون أن with none before: a
      generic "they").

    Only with its content close: a complementizer after a comma (توقعوا نهاية …، كيف لا وهو … على أن)
    is another verb's."""
    tok = a.tokens[i]
    form = tok.fold.lstrip("وف")
    if form[:1] not in "يت":
        return False
    if i == 0 or any(c in COMMAS for c in a.text[tok.end : pos]):
        return True
    present = present_form(a.lx, tok.fold)
    if not present and tok.fold != form:
        return False  # وتوقع أن
    if any(c in _CLAUSE_PUNCTUATION for c in a.gap(i)):
        return True
    if not present and a.tokens[i - 1].fold in a.lx.FUNCTION_WORDS:
        return False  # كما توقع أن
    agreement = _subject_pronoun(a, i - 1)
    if agreement is None:
        return True
    feminine, plural = agreement
    return present and bool(plural) and not _last_speaker_agrees(a, tok.start, feminine, plural)


def _subject_pronoun(a: Article, k: int) -> tuple[bool | None, bool | None] | None:
    """Token k is a pronoun that stands for a subject (وهو، فهي، لكنه، بدورها): its agreement, else
    None (not من, the first word of من جانبه)."""
    fold = a.tokens[k].fold
    if fold in _SUBJECT_PRONOUNS:
        bare = fold.lstrip("وف")
        return bare == "هي", bare == "هم"
    if fold in a.lx.PRONOUN_SUBJECTS:
        return next(((f, p) for suffix, f, p in _ATTACHED if fold.endswith(suffix)), None)
    pointing = _pronoun_mention(a, [a.tokens[k]])
    return pointing[1] if pointing is not None and pointing[0] else None


def _last_speaker_agrees(a: Article, start: int, feminine: bool | None, plural: bool | None) -> bool:
    """The latest quote found before ``start`` in its paragraph has a speaker of this agreement."""
    para = a.text.rfind("\n", 0, start) + 1
    earlier = [f for f in a.found if para <= f.cue[0] < start and f.entity is not None]
    if not earlier:
        return False
    entity = max(earlier, key=lambda f: f.cue[0]).entity
    assert entity is not None
    e = canonical(entity)
    return (feminine is None or e.feminine is None or e.feminine == feminine) and (
        plural is None or e.plural is None or e.plural == plural
    )


def _pronoun_mention(a: Article, mention: list[Token]) -> tuple[bool, tuple[bool | None, bool | None]] | None:
    """A mention of one word that is a connector, preposition or function word with an attached
    pronoun (لكنها، عليه، بعدها، خلالها) names no speaker: whether the pronoun is the subject (after
    a connector) and its agreement, or None for any other mention. (Not a partitive: بعضهم، the
    head of unnamed sources.)"""
    if len(mention) != 1 or names.is_name_word(a.lx, mention[0].fold) or a.registry.knows(mention[0]):
        return None  # (أيهم أحمد … وقال أيهم: a name)
    f = mention[0].fold
    for suffix, feminine, plural in _ATTACHED:
        base = f[: -len(suffix)]
        if not f.endswith(suffix) or len(base) < 2:
            continue
        if base in _CONNECTORS:
            return True, (feminine, plural)
        if base in PREPOSITIONS or (base in a.lx.FUNCTION_WORDS and "ال" + base not in a.lx.ANONYMOUS_HEADS):
            return False, (feminine, plural)
        return None
    return None


def _named_person(a: Article, info: MentionInfo) -> bool:
    """A mention of one person by name: a person whose name has a word the mined names know (ليلى
    حداد; not القائمون عليه, a description the split left as a name)."""
    return info.kind == "person" and any(names.is_name_word(a.lx, t.fold) for t in info.name)


def _name_subject(a: Article, i: int, cue: lx.CueForm, limit: int) -> None:
    """The subject of a cue verb whose object is ما (وفق ما ذكر موقع "X"): no quote of its own, but
    a source the text may take up again (وذكرت الوكالة), so it is resolved like a speaker."""
    pre = a.tokens[i + 1 : min(a.token_at(limit), i + 2 + MAX_SPEAKER)]
    mention = speaker_phrase(a, pre)
    if mention:
        resolve(a, mention, cue.feminine, i, cue.plural)


def as_said(a: Article, i: int, cue: lx.CueForm) -> None:
    """``…، كما يقول قادة الميليشيا.``: كما + a cue verb closing the sentence is a source phrase after
    the clause (like ``حسبما قال X``); the clause before it is the content."""
    mention, content = clause_final(a, i - 1, i + 1)
    if not mention or content is None or len(mention) > MAX_SPEAKER:
        return
    qtype, (cs, ce) = content
    if a.overlaps_claimed(cs, ce):
        return
    entity, info = resolve(a, mention, cue.feminine, i, cue.plural)
    tok = a.tokens[i]
    a.add(Found(qtype, (cs, ce), (tok.start, tok.end), cue.lemma, mention, info, entity, 0.7))


def thus_said(a: Article, i: int) -> None:
    """``"…".. هكذا بدأ X حديثه`` / ``"…"، هكذا علق X``: هكذا right after a closed quotation that opens
    its clause, then a verb (a cue verb or any other: بدأ، ختم، لخص), then the speaker."""
    tok = a.tokens[i]
    if i + 2 >= len(a.tokens):
        return
    k = bisect.bisect_right(a.quoted_opens, tok.start) - 1
    if k < 0:
        return
    q = a.quoted[k]
    if not q.closed or q.close >= tok.start or a.is_claimed(q.open) or not _opens_clause(a.text, q.open):
        return
    if a.text[q.close + 1 : tok.start].strip(" \t،,.…-–—"):
        return
    verb = a.tokens[i + 1]
    if a.gap(i + 1).strip() or verb.fold in a.lx.FUNCTION_WORDS:
        return
    end = a.sentence_end(verb.end)
    mention = speaker_phrase(a, a.tokens[i + 2 : min(a.token_at(end), i + 2 + MAX_SPEAKER + 1)])
    if not mention:
        return
    cue = a.lx.CUE_FORMS.get(verb.fold)
    entity, info = resolve(a, mention, cue.feminine if cue else None, i + 1)
    s, e = trim(a.text, q.start, q.end)
    lemma = cue.lemma if cue else verb.fold
    a.add(Found("direct", (s, e), (verb.start, verb.end), lemma, mention, info, entity, 0.8))


def issued_document(a: Article, i: int) -> None:
    """``وأصدر المنتدى بيانا: "…"``: a document noun right before a colon, in a sentence that opens with
    the verb issuing it; what follows the colon is the document's, and its issuer (the verb's subject)
    speaks (GUIDELINES, Conventions: a document speaks for the body that issued it)."""
    tok = a.tokens[i]
    if tok.fold.removesuffix("ا") not in a.lx.DOCUMENT_NOUNS or i + 1 >= len(a.tokens):
        return
    gap = a.gap(i + 1)
    if ":" not in gap or gap.strip(" \t:" + QUOTE_CHARS):
        return
    colon = tok.end + gap.index(":")
    k = a.token_at(a.sentence_start(tok.start))
    if k >= i - 1 or not (opens_with_verb(a, k, False) or opens_with_verb(a, k, True)):
        return
    if a.tokens[k].fold in ("جاء", "وجاء") or a.tokens[k + 1].fold in a.lx.FUNCTION_WORDS:
        return  # وجاء في نص الرسالة: the document's author is not named here
    mention = opening_verb_subject(a, k, i)
    content = content_span(a, "colon", i + 1, colon)
    if not mention or content is None:
        return
    qtype, (cs, ce) = content
    if a.overlaps_claimed(cs, ce):
        return
    entity, info = resolve(a, mention, None, i)
    a.add(Found(qtype, (cs, ce), (colon, colon + 1), ":", mention, info, entity, 0.8))


def _opens_clause(text: str, pos: int) -> bool:
    """A quotation at ``pos`` opens its clause (text start, after a paragraph break, a sentence end, a
    colon or a comma): only then can a cue after it attribute it (``"…"، قال X``); one inside a clause
    (نشر مقاطع من "…"، ويبلغ) names something."""
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] in _CLAUSE_PUNCTUATION


def _impersonal(a: Article, i: int) -> bool:
    """An impersonal formula (يذكر، يشار، تبين) that opens its sentence or a clause after a comma:
    no subject before it."""
    tok = a.tokens[i]
    if tok.fold not in IMPERSONAL_CUES:
        return False
    if i == 0 or a.tokens[i - 1].end <= a.sentence_start(tok.start):  # no word before it
        return True
    return any(c in COMMAS for c in a.gap(i))  # …، يذكر أن …: it opens a clause after a comma


def quote_before_cue(a: Article, i: int, cue: lx.CueForm) -> None:
    """``"…"، قال الوزير``: a closed quote right before the cue is its content."""
    tok = a.tokens[i]
    before = a.text[max(0, tok.start - 4) : tok.start]
    k = bisect.bisect_right(a.quoted_opens, tok.start) - 1
    if k < 0:
        return
    q = a.quoted[k]
    if not q.closed or q.close >= tok.start or a.is_claimed(q.open):
        return
    between = a.text[q.close + 1 : tok.start]
    if between.strip(" \t،,.-–—") or "\n" in before or not _opens_clause(a.text, q.open):
        return
    if not between.strip() and a.quote_words[k] <= 3:
        return  # "الصحة" تعلن …: a quoted name as the subject of the verb (a headline), not its words
    end = a.sentence_end(tok.end)
    j = a.token_at(tok.end)
    pre = a.tokens[j : min(a.token_at(end), j + MAX_SPEAKER + 1)]
    mention = speaker_phrase(a, pre)
    if not mention:
        return
    entity, info = resolve(a, mention, cue.feminine, i)
    s, e = trim(a.text, q.start, q.end)
    a.add(Found("direct", (s, e), (tok.start, tok.end), cue.lemma, mention, info, entity, 0.85))

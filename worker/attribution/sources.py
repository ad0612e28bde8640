"""Source phrases: ``بحسب X، …`` before the clause and ``…، بحسب X.`` after it; ``نقلا عن X``,
``على لسان X``."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from worker import lexicon as lx
from worker.attribution.article import Found
from worker.attribution.content import content_span
from worker.attribution.marks import QUOTE_CHARS
from worker.attribution.resolve import quoted_after, resolve
from worker.attribution.speaker_phrase import (
    CONNECTORS,
    MAX_SPEAKER,
    opening_verb_subject,
    opens_with_verb,
    speaker_phrase,
    trim_mention,
    verb_agrees,
    verb_past_opening,
)
from worker.attribution.speakers import analyse
from worker.quotes import QuoteType
from worker.text import COMMAS, Token, trim

if TYPE_CHECKING:
    from worker.attribution.article import Article

# ، وذلك بحسب X: the demonstrative that leads a clause-final source phrase.
_CLAUSE_FINAL_LEADS = frozenset({"وذلك", "ذلك"})
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"})
_SOURCE_CONTENT_OPENERS = frozenset({"فان", "فانه", "فانها", "فانهم", "فقد", "فهناك"})
# After the verb of a source phrase with no source (حسبما قال في حوار، وفقا لما قاله خلال مؤتمر، وفق ما قال
# أمام المحكمة): an adjunct, not a source. As folded.
_ADJUNCT_OPENERS = frozenset({"في", "خلال", "امام", "عبر", "على", "لدي", "عند", "اثناء", "من"})


def source_phrase(a: Article, i: int, cue: lx.CueForm) -> None:
    """بحسب X، … / …، وفقا لـ X / نقلا عن X / على لسان X."""
    tok = a.tokens[i]
    cue_start = tok.start
    j = i + 1
    if tok.fold.endswith("لسان"):
        if i == 0 or a.tokens[i - 1].fold not in ("علي", "وعلي"):
            return
        cue_start = a.tokens[i - 1].start
    elif tok.fold.endswith("نقلا"):
        if j >= len(a.tokens) or a.tokens[j].fold != "عن":
            return
        j += 1
    # وفقا لما ذكره X / بحسب ما أعلنت X: skip the relative and its verb.
    relative_verb: lx.CueForm | None = None
    while j < len(a.tokens) and a.tokens[j].fold in ("ل", "لـ", "ما", "لما", "بما"):
        if a.tokens[j].fold != "ل" and j + 1 < len(a.tokens):
            relative_verb = _speech_verb(a, a.tokens[j + 1].fold)
        j += 2 if a.tokens[j].fold != "ل" else 1
    # حسبما قال X: the relative is part of the source word; skip its verb.
    if tok.fold.endswith("ما") and j < len(a.tokens):
        verb = a.lx.CUE_FORMS.get(a.tokens[j].fold)
        if verb is not None and verb.kind == "verb":
            relative_verb = verb
            j += 1
    sent_start = a.sentence_start(tok.start)
    lead = [t for t in a.tokens[max(a.token_at(sent_start), i - 3) : i] if t.fold not in CONNECTORS]
    sent_end = a.sentence_end(tok.end)
    if not lead:  # clause-initial: بحسب X، CONTENT
        stop = next_comma(a, j, sent_end)
        if stop is None:  # بحسب الوزير فإن …: no comma, the فإن / فقد opens the content
            k = next(
                (
                    k
                    for k in range(j + 1, min(len(a.tokens), j + MAX_SPEAKER + 1))
                    if a.tokens[k].fold in _SOURCE_CONTENT_OPENERS
                ),
                None,
            )
            if k is None or a.tokens[k].start >= sent_end:
                # … جنود إسرائيليين. وفق ما أفادت الوزارة.: a source phrase that is a sentence of its
                # own attributes the sentence before it, as one after a comma would
                mention, content = _after_full_stop(a, i, j, sent_start, sent_end)
                if mention and content is not None and not a.overlaps_claimed(*content[1]):
                    entity, info = resolve(a, mention, None, i)
                    a.add(Found(*content, (cue_start, tok.end), cue.lemma, mention, info, entity, 0.6))
                return
            stop = a.tokens[k].start - 1
        mention = trim_mention(a, a.tokens[j : a.token_at(stop)])
        k = a.token_at(stop + 1)
        opener = a.tokens[k].fold if k < len(a.tokens) else ""
        verb = a.lx.CUE_FORMS.get(opener)
        if (
            verb is not None
            and verb.kind == "verb"
            and k + 1 < len(a.tokens)
            and not a.gap(k + 1).strip()
            and mention
            and analyse(a.lx, mention, a.text).kind not in ("anonymous", "group")
        ):
            # وحسب وكالة الأنباء، أوضح المالكي أن …: the verb's subject speaks, the medium only relays
            # (not وبحسب مسؤول بارز، حذر X من أن …: an unnamed source is the speaker's witness)
            return
        if opener[:1] == "ف" and opener[1:] in a.lx.COMPLEMENTIZERS:  # بحسب X، فإن …: after the فإن
            content = content_span(a, "comp", k + 1, a.tokens[k].end)
        else:
            content = content_span(a, "comp", k, stop + 1)
    else:  # clause-final: CONTENT، بحسب X.
        mention, content = clause_final(a, a.token_at(cue_start), j)
        if mention is None and relative_verb is not None:
            mention, content = _unnamed_clause_final(a, i, j, relative_verb)
    if mention and content is None and cue.lemma == "على لسان" and len(mention) <= MAX_SPEAKER:
        resolve(a, mention, None, i)  # جاء ذلك على لسان X، … حيث قال: X speaks next
        return
    if not mention or content is None or len(mention) > MAX_SPEAKER:
        return
    qtype, (cs, ce) = content
    if a.overlaps_claimed(cs, ce):
        return  # the medium of a quote already attributed
    entity, info = resolve(a, mention, None, i)
    a.add(Found(qtype, (cs, ce), (cue_start, tok.end), cue.lemma, mention, info, entity, 0.7))


def clause_final(
    a: Article, i: int, j: int
) -> tuple[list[Token] | None, tuple[QuoteType, tuple[int, int]] | None]:
    """``CONTENT، بحسب X.`` / ``CONTENT، وذلك وفقا لـ X.`` / ``CONTENT، كما يقول X.`` / ``"…" بحسب X.``:
    the source phrase opening at token i (its source from token j) closes the sentence and attributes all of
    it before the phrase. Returns the source's words and the content (None when the phrase does not
    close a clause)."""
    tok = a.tokens[i]
    sent_start, sent_end = a.sentence_start(tok.start), a.sentence_end(tok.end)
    # speaker_phrase: cut at adjuncts (وفقا لما قاله خلال مؤتمر صحفي: no source named), completed by
    # an apposition after a bare title (بحسب ما نقله المتحدث باسمه، ستيفان دوجاريك)
    words = a.tokens[j : min(a.token_at(sent_end), j + MAX_SPEAKER + 1)]
    mention = speaker_phrase(a, words)
    if mention is None and words and words[0].fold.removeprefix("ل") in a.lx.DOCUMENT_NOUNS:
        mention = trim_mention(a, words)  # وفقا لبيان أصدرته الشركة: the document speaks
    if not mention or mention[0].fold in a.lx.TIME_WORDS:
        return None, None  # حسبما أعلنت الأحد: a time, not a source
    # What comes before the phrase ends the content: a comma (، بحسب X / ، وذلك بحسب X) or a closing
    # quotation mark (… "وهو واع" بحسب X).
    k = i - 1 if i and a.tokens[i - 1].fold in _CLAUSE_FINAL_LEADS else i
    if a.tokens[k].start <= sent_start:
        return mention, None
    gap = a.gap(k)
    base = a.tokens[k].start - len(gap)  # the end of the word before (0 for the text's first word)
    comma = next((base + n for n, c in enumerate(gap) if c in COMMAS), -1)
    if comma < 0 and not _closes_quote(a, k):
        return mention, None
    named = quoted_after(a, mention[-1])  # بحسب ما ذكر موقع "إن بي سي نيوز": the quoted name is the source's
    mention = mention + named
    tail = _past_quoted_name(a, mention[-1].end) if named else mention[-1].end
    rest = a.text[tail:sent_end]
    closes = (
        (sent_end - tail < 8 and not rest.strip(" \t.،,)" + QUOTE_CHARS))
        # a source phrase that runs on to the end: …، وفقا للبيانات التي يوفرها جهاز الرادار.
        or not a.punctuated(tok.end, sent_end)
        # or a description of the source after a comma (، ومقره لندن / ، الذي نشر …), no new content
        or (
            rest[:1] in COMMAS
            and _describes_source(a, a.token_at(tail))
            and not _opens_content(a, a.token_at(tail), a.token_at(sent_end))
        )
        # or the journalist's own clause after a comma (، وكانت في طريقها …، ، حيث …): the source
        # attributes what came before it (not a cue after the comma: ، موضحا أن … goes on with the source)
        or (
            rest[:1] in COMMAS
            and a.is_boundary(tail)
            and a.tokens[a.token_at(tail + 1)].fold not in a.lx.CUE_FORMS
        )
    )
    if not closes:
        return mention, None
    end = comma if comma >= 0 else a.tokens[k].start  # … "وهو واع" بحسب X: the mark stays in
    s, e = trim(a.text, sent_start, end)
    whole = a.quoted_by_open.get(s)
    if whole is not None and whole.closed and whole.close == e - 1:  # "…"، بحسب X.
        s, e = trim(a.text, whole.start, whole.end)
        return mention, (("direct", (s, e)) if e > s else None)
    if e - s > 10:
        return mention, ("mixed" if a.has_quote_inside(s, e) else "indirect", (s, e))
    return mention, None


def _speech_verb(a: Article, fold: str) -> lx.CueForm | None:
    """A cue verb's form, with or without an object pronoun (ذكر، ذكرته، قاله): the verb of a source
    phrase's relative (وفقا لما قاله، بحسب ما ذكرته)."""
    for form in (fold, fold[:-1], fold[:-2]):
        cue = a.lx.CUE_FORMS.get(form) if len(form) >= 2 else None
        if cue is not None and cue.kind == "verb":
            return cue
    return None


def _unnamed_clause_final(
    a: Article, i: int, j: int, verb: lx.CueForm
) -> tuple[list[Token] | None, tuple[QuoteType, tuple[int, int]] | None]:
    """``CONTENT، حسبما أعلنت الأحد.`` / ``…، وذلك وفقا لما قاله خلال مؤتمر صحفي.``: a source phrase
    whose verb names no source after it (its subject is the sentence's, حسبما أعلنت [المنظمة]) closes
    the sentence; the subject of the verb that opens the sentence, agreeing with the phrase's verb, is
    the speaker (تلقت المنظمة … استقالة …، حسبما أعلنت). Only where the verb is followed by nothing but
    times and an adjunct (في حوار، خلال مؤتمر، أمام المحكمة): a word after it names the source, one the
    speaker finder may have missed (حسبما أعلنت الثلاثاء النيابة العامة، وفق ما أورد مراسلنا)."""
    end = a.token_at(a.sentence_end(a.tokens[i].end))
    n = j
    while n < end and a.tokens[n].fold in a.lx.TIME_WORDS:
        n += 1  # حسبما أعلنت الأحد
    if n < end and a.tokens[n].fold not in _ADJUNCT_OPENERS:
        return None, None  # حسبما أعلنت الثلاثاء النيابة العامة / وفق ما أورد مراسلنا: a source after all
    if _opens_content(a, j, end):
        return None, None
    k = i - 1 if i and a.tokens[i - 1].fold in _CLAUSE_FINAL_LEADS else i
    sent_start = a.sentence_start(a.tokens[i].start)
    if a.tokens[k].start <= sent_start:
        return None, None
    gap = a.gap(k)
    if not any(c in COMMAS for c in gap):
        return None, None
    comma = a.tokens[k].start - len(gap) + next(n for n, c in enumerate(gap) if c in COMMAS)
    s, e = trim(a.text, sent_start, comma)
    if e - s <= 10 or _opens_content(a, a.token_at(s), k):
        return None, None  # a clause with its own cue, complementizer or quotation has its own source
    mention = subject_of_opening_verb(a, i, bool(verb.feminine))
    if not mention:
        return None, None
    return mention, ("indirect", (s, e))


def subject_of_opening_verb(a: Article, i: int, feminine: bool) -> list[Token] | None:
    """وترفض الجماعة المقترح قائلة إن / تلقت المنظمة …، حسبما أعلنت: a participle (a حال) or a source
    phrase with no source of its own speaks for the subject of the verb that opens its sentence, when
    the verb agrees with it in gender."""
    k = a.token_at(a.sentence_start(a.tokens[i].start))
    after = verb_past_opening(a, k, i)  # وصباح الأربعاء، اتصل X …، مؤكدا
    if after is not None:
        return opening_verb_subject(a, after, i) if verb_agrees(a, after, feminine) else None
    if k >= i - 1 or not opens_with_verb(a, k, feminine):
        return None
    return opening_verb_subject(a, k, i)


def _past_quoted_name(a: Article, pos: int) -> int:
    """Past the quotation mark that closes the quoted name ending at ``pos``."""
    k = bisect.bisect_right(a.quoted_opens, pos) - 1
    return a.quoted[k].close + 1 if k >= 0 and a.quoted[k].start <= pos <= a.quoted[k].close else pos


def _after_full_stop(
    a: Article, i: int, j: int, sent_start: int, sent_end: int
) -> tuple[list[Token] | None, tuple[QuoteType, tuple[int, int]] | None]:
    """The source phrase opening at token i (its source from token j) is its whole sentence, and the
    sentence before it, in the same paragraph, is its content (``… برصاص جنود. وفق ما أفادت وزارة
    الصحة.``): the source and that sentence, or (None, None)."""
    end = a.token_at(sent_end)
    mention = speaker_phrase(a, a.tokens[j : min(end, j + MAX_SPEAKER + 1)])
    if not mention or mention[0].fold in a.lx.TIME_WORDS:
        return None, None
    after = a.token_at(mention[-1].end)
    if a.punctuated(a.tokens[i].end, sent_end) or end - after > 4 or _opens_content(a, after, end):
        return None, None  # more than a source and its place or time (في القطاع، الجمعة): a clause
    k = a.token_at(sent_start) - 1  # the last word of the sentence before
    if k < 0 or "\n" in a.text[a.tokens[k].end : a.tokens[i].start]:
        return None, None
    s, e = trim(a.text, a.sentence_start(a.tokens[k].start), a.tokens[k].end)
    if e - s <= 10 or _opens_content(a, a.token_at(s), k + 1):
        return None, None  # a sentence with its own cue, complementizer or quotation has its own source
    return mention, ("indirect", (s, e))


def _describes_source(a: Article, k: int) -> bool:
    """Token k opens a description of the source before it: a relative (، الذي نشر …) or its seat
    (، ومقره لندن), not more content (…، وبحسب X، يتعلق الأمر …)."""
    return k < len(a.tokens) and (a.tokens[k].fold in _RELATIVES or a.tokens[k].fold.startswith("ومقر"))


def _opens_content(a: Article, start: int, end: int) -> bool:
    """Whether tokens start..end hold a cue, a complementizer or a quotation: new content."""
    if start >= end:
        return False
    if a.has_quote_inside(a.tokens[start].start, a.tokens[end - 1].end):
        return True
    return any(t.fold in a.lx.CUE_FORMS or t.fold in a.lx.COMPLEMENTIZERS for t in a.tokens[start:end])


def _closes_quote(a: Article, k: int) -> bool:
    """The gap before token k is a closing quotation mark (… "وهو واع" بحسب X)."""
    gap = a.gap(k)
    mark = gap.strip()
    if len(mark) != 1 or mark not in QUOTE_CHARS:
        return False
    pos = a.tokens[k].start - len(gap) + gap.index(mark)
    n = bisect.bisect_right(a.quoted_opens, pos) - 1
    return n >= 0 and a.quoted[n].closed and a.quoted[n].close == pos


def next_comma(a: Article, j: int, limit: int) -> int | None:
    for k in range(j, min(len(a.tokens), j + MAX_SPEAKER + 1)):
        gap_start = a.tokens[k - 1].end if k else 0
        if gap_start >= limit:
            return None
        gap = a.text[gap_start : a.tokens[k].start]
        for c in COMMAS:
            if c in gap:
                return gap_start + gap.index(c)
    return None

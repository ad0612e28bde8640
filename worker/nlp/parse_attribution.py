"""Attribution read from a dependency parse: cue verb by lemma and part of speech, speaker as the
subject subtree of the cue, content as the clause after the complementizer (إن/أن).

This gives evidence, not decisions: where the parse gives nothing, nothing is returned and the rule
attributor decides. All spans are character offsets into the article text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from worker.nlp.doc import Region, Sentence, Word
from worker.nlp.speech import PARTICIPLE_LEMMAS, QUOTE_MARKS, SPEECH_VERB_LEMMAS, cue_lemma, fold

_COMPLEMENTIZERS = frozenset({"ان", "بان", "لان"})  # folded word text or lemma of the mark
_CLAUSAL = ("ccomp", "xcomp", "advcl", "parataxis", "csubj", "obj", "obl")
_SUBJECT = ("nsubj", "nsubj:pass", "csubj")
_SPEAKER_EXT = ("appos", "flat", "flat:name", "flat:foreign", "amod", "nmod", "compound")
_TRIM = set(QUOTE_MARKS) | set(".,،;؛:!?؟…-–—()[]{}") | {" ", "\n", "\t", "\xa0"}
_WEAK_TAGS = ("PART", "X", "ADV", "ADJ", "INTJ")
_MAX_CUE_TO_COMP = 30  # words between a cue and its complementizer


@dataclass(frozen=True, slots=True)
class ParsedAttribution:
    cue: Region  # the cue token as written, with attached letters (وقال, مشيرا)
    cue_lemma: str  # the speech verb, folded (قال, اكد, اشار ...; participles map to their verb)
    speaker: Region | None  # subject of the cue verb with its name/title/apposition words
    content: Region | None  # the attributed clause, after the complementizer
    complementizer: Region | None  # the token of إن/أن/بأن/أنه ...


def is_cue(word: Word, require_comp: Callable[[Word], bool] | None = None) -> str | None:
    """The cue lemma of ``word`` if it is a speech verb (lemma + UPOS VERB) or a cue participle."""
    lem = cue_lemma(word.lemma)
    if lem is None:
        return None
    f = fold(word.lemma or "")
    if f in SPEECH_VERB_LEMMAS and word.upos in ("VERB", "AUX"):
        return lem
    if f in SPEECH_VERB_LEMMAS and word.upos in _WEAK_TAGS and require_comp is not None:
        # a small model mistags the verb (أضاف as PART): accept it when a complementizer follows
        return lem if require_comp(word) else None
    if f in PARTICIPLE_LEMMAS and word.upos != "PUNCT":  # مشيرا is tagged ADJ/NOUN/ADP by turns
        return lem
    return None


def _is_comp(w: Word) -> bool:
    return fold(w.text) in _COMPLEMENTIZERS or (
        fold(w.lemma or "") in _COMPLEMENTIZERS and w.upos in ("SCONJ", "ADP", "PART")
    )


def _trim(text: str, start: int, end: int) -> Region | None:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return (start, end) if end > start else None


def attributions(sentence: Sentence, text: str) -> list[ParsedAttribution]:
    """Every cue of a parsed ``sentence`` with what the parse says about its speaker and content."""
    if not sentence.parsed:
        return []
    words = sentence.words

    def comp_follows(w: Word) -> bool:
        return any(_is_comp(x) for x in words[w.index : w.index + _MAX_CUE_TO_COMP])

    cues = [(w, lem) for w in words if (lem := is_cue(w, comp_follows)) is not None]
    cue_idx = {w.index for w, _ in cues}
    out: list[ParsedAttribution] = []
    for cue, lem in cues:
        comp = _complementizer(sentence, cue, cue_idx)
        content = _content(sentence, text, cue, comp, cue_idx)
        limit = comp.token_start if comp is not None else (content[0] if content else sentence.end)
        speaker = _speaker(sentence, text, cue, limit)
        if content is None and speaker is None:
            continue
        out.append(
            ParsedAttribution(
                cue=cue.token_span,
                cue_lemma=lem,
                speaker=speaker,
                content=content,
                complementizer=comp.token_span if comp is not None else None,
            )
        )
    return out


def _complementizer(sentence: Sentence, cue: Word, cue_idx: set[int]) -> Word | None:
    for w in sentence.words[cue.index : cue.index + _MAX_CUE_TO_COMP]:
        if w.index in cue_idx:
            return None  # the next cue comes first: its clause, not ours
        if _is_comp(w) and w.token_start >= cue.token_end:
            return w
    return None


def _content(sentence: Sentence, text: str, cue: Word, comp: Word | None, cue_idx: set[int]) -> Region | None:
    words = sentence.words
    if comp is not None:
        head = _clause_head(sentence, cue, comp)
        if head is None:
            return None
        after = [
            w for w in sentence.subtree(head.index) if w.index > comp.index and w.start >= comp.token_end
        ]
        # the subtree of a clause head may hold the cue itself (participles parsed as its dependent)
        after = [w for w in after if w.index > cue.index]
        if not after:
            return None
        start, last = after[0].start, after[-1].index
    else:
        kids = [
            w
            for w in sentence.children(cue.index)
            if w.deprel in ("ccomp", "parataxis") and w.index > cue.index
        ]
        if not kids:
            return None
        sub = sentence.subtree(kids[0].index)
        sub = [w for w in sub if w.index > cue.index]
        if not sub:
            return None
        start, last = sub[0].start, sub[-1].index
    # stop before ", <another cue>" (مشيرا إلى أن ..., وفقا لـ ...): that is an attribution of its own
    end = words[last - 1].end
    for w in words[cue.index : last]:
        if w.index in cue_idx and w.index > cue.index and w.start > start:
            prev = words[w.index - 2]
            cut = prev.start if prev.upos == "PUNCT" or prev.text in ("،", ",") else w.token_start
            end = min(end, cut)
            break
    return _trim(text, start, end)


def _clause_head(sentence: Sentence, cue: Word, comp: Word) -> Word | None:
    """The head of the clause that ``comp`` introduces."""
    if comp.head and comp.head != cue.index:
        h = sentence.word(comp.head)
        if h.index > comp.index:
            return h
        if h.index == cue.index or h.deprel == "fixed":  # إلى أن fixed under مشيرا
            pass
        elif h.head and sentence.word(h.head).index > comp.index:
            return sentence.word(h.head)
    if cue.head and cue.head > comp.index:  # participle parsed as a dependent of the clause
        return sentence.word(cue.head)
    later = [w for w in sentence.children(cue.index) if w.index > comp.index and w.deprel in _CLAUSAL]
    return later[0] if later else None


def _speaker(sentence: Sentence, text: str, cue: Word, limit: int) -> Region | None:
    subj = [w for w in sentence.children(cue.index) if w.deprel in _SUBJECT and w.upos != "PRON"]
    if not subj:
        # a weak parse labels the post-verbal subject obj ("أكد وزير الخارجية أن"): accept a noun right
        # after the cue when a complementizer follows
        nxt = [w for w in sentence.children(cue.index) if w.index == cue.index + 1 and w.deprel == "obj"]
        if not nxt or nxt[0].upos not in ("NOUN", "PROPN") or limit >= sentence.end:
            return None
        subj = nxt
    head = subj[0]
    sub = [w for w in sentence.subtree(head.index) if w.end <= limit or w.index < cue.index]
    sub = [w for w in sub if w.index != cue.index]
    # appositions/flat names attached elsewhere but running on right after the subject
    nxt_idx = sub[-1].index + 1 if sub else head.index + 1
    while nxt_idx <= len(sentence.words):
        w = sentence.word(nxt_idx)
        if w.end > limit or w.index == cue.index:
            break
        if w.text == "ب" and w.head and fold(sentence.word(w.head).lemma or "") == "اسم":
            # المتحدث باسم الكرملين: "spokesman for" belongs to the speaker
            sub.extend(x for x in sentence.subtree(w.head) if x.end <= limit and x not in sub)
            sub.sort(key=lambda x: x.index)
            nxt_idx = sub[-1].index + 1
            continue
        if w.deprel not in ("appos", "flat", "flat:name", "punct"):
            break
        if w.deprel == "punct" and (
            nxt_idx + 1 > len(sentence.words) or sentence.word(nxt_idx + 1).deprel not in ("appos", "flat")
        ):
            break
        sub.append(w)
        nxt_idx += 1
    if not sub:
        return None
    # contiguous run around the head, not crossing the cue
    if head.index > cue.index:
        sub = [w for w in sub if w.index > cue.index]
    else:
        sub = [w for w in sub if w.index < cue.index]
    while sub and (sub[0].upos in ("PUNCT", "CCONJ") or (sub[0].upos == "PART" and not sub[0].exact)):
        sub = sub[1:]
    if not sub:
        return None
    return _trim(text, sub[0].start, max(w.end for w in sub))

"""The built-in analyser: no models, no parse. Tokens with offsets, sentences, a clitic-aware lemma guess.

It fills the same ``Doc``/``Sentence``/``Word`` objects as stanza (``head``/``deprel`` are None), so the
attributor has one model to read whatever the backend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from worker.nlp.candidates import sentence_spans
from worker.nlp.doc import Doc, Region, Sentence, Word
from worker.nlp.speech import CUE_WORD_RE, DIACRITICS, SPEECH_VERB_LEMMAS, fold

_DIACRITICS_RE = re.compile(f"[{DIACRITICS}]")

# A token: a number (3.5, 1,200), a run of letters/marks (with diacritics and tatweel), or one symbol.
_TOKEN_RE = re.compile(rf"\d+(?:[.,٫٬]\d+)*|[\w{DIACRITICS}]+|[^\w\s]", re.UNICODE)

_FUNCTION_WORDS: dict[str, tuple[str, str]] = {
    # folded form -> (lemma, upos)
    **{
        w: (w, "ADP")
        for w in [
            "في",
            "من",
            "الي",
            "علي",
            "عن",
            "مع",
            "حتي",
            "منذ",
            "عند",
            "لدي",
            "نحو",
            "حول",
            "خلال",
            "بين",
            "ضد",
            "عبر",
        ]
    },
    **{w: (w, "SCONJ") for w in ["ان", "اذا", "لو", "كي", "لان", "حيث", "بينما"]},
    **{
        w: ("ان", "SCONJ")
        for w in ["انه", "انها", "انهم", "انهن", "انني", "اننا", "انك", "انكم", "بان", "بانه", "بانها"]
    },
    **{w: (w, "CCONJ") for w in ["و", "ف", "او", "ام", "ثم", "لكن", "بل"]},
    **{w: (w, "PART") for w in ["لا", "لم", "لن", "قد", "سوف", "ما"]},
    **{
        w: (w, "PRON")
        for w in [
            "هو",
            "هي",
            "هم",
            "هن",
            "انا",
            "نحن",
            "انت",
            "انتم",
            "هذا",
            "هذه",
            "ذلك",
            "تلك",
            "الذي",
            "التي",
            "الذين",
        ]
    },
}
_PERSON_PREFIX = "يتنا"  # folded: أ -> ا
_SUFFIXES = ("تما", "تم", "ون", "ين", "وا", "ان", "تا", "ت", "ن", "ا", "ه", "ها", "هم", "ي", "ة")
_PROCLITIC_RE = re.compile(r"^(?:[وف])?(?:[بلسك])?")


def _verb_forms() -> dict[str, str]:
    """Surface stems of the speech verbs -> lemma: the perfect stem and the imperfect stem after its
    person prefix (قال -> قول via يقول is listed explicitly where the stem changes)."""
    forms = {lemma: lemma for lemma in SPEECH_VERB_LEMMAS}
    extra = {
        "قول": "قال",
        "قل": "قال",
        "قائل": "قال",
        "ؤكد": "اكد",
        "موكد": "اكد",
        "مؤكد": "اكد",
        "ضيف": "اضاف",
        "مضيف": "اضاف",
        "وضح": "اوضح",
        "موضح": "اوضح",
        "شير": "اشار",
        "مشير": "اشار",
        "علن": "اعلن",
        "معلن": "اعلن",
        "عتبر": "اعتبر",
        "معتبر": "اعتبر",
        "ري": "راي",
        "عتقد": "اعتقد",
        "فيد": "افاد",
        "لافت": "لفت",
        "واصف": "وصف",
        "صف": "وصف",
        "نفي": "نفي",
        "نف": "نفي",
        "محذر": "حذر",
        "مشدد": "شدد",
        "ردف": "اردف",
        "جيب": "اجاب",
        "عرب": "اعرب",
        "مذكر": "ذكر",
    }
    forms.update({fold(k): v for k, v in extra.items()})
    return forms


_VERB_FORMS = _verb_forms()


def guess_lemma(word: str) -> tuple[str, str | None]:
    """(lemma, upos guess) for one written word: proclitics و/ف + ب/ل/س/ك are stripped against the
    speech-verb and function-word lexicon, then person prefixes and suffixes; otherwise the folded
    word itself with the article kept."""
    f = fold(word)
    if f in _FUNCTION_WORDS:
        return _FUNCTION_WORDS[f]
    m = _PROCLITIC_RE.match(f)
    cores = [f]
    if m and m.end():
        for k in range(1, m.end() + 1):
            cores.append(f[k:])
    for core in cores:
        if not core:
            continue
        if core in _FUNCTION_WORDS and core != f:
            return _FUNCTION_WORDS[core]
        for stem in _stems(core):
            if stem in _VERB_FORMS:
                return _VERB_FORMS[stem], "VERB"
    return _DIACRITICS_RE.sub("", word), None


def _stems(core: str) -> list[str]:
    out = [core]
    bodies = [core]
    if len(core) >= 3 and core[0] in _PERSON_PREFIX:
        bodies.append(core[1:])
    for b in bodies:
        if b is not core:
            out.append(b)
        for suf in _SUFFIXES:
            if b.endswith(suf) and len(b) - len(suf) >= 2:
                out.append(b[: -len(suf)])
    return out


class RulesAnalyser:
    """The model-free backend. ``analyse`` for a whole text; ``parse``/``parse_many`` as the stanza
    backend has them (regions of a text), so the attributor can take either."""

    name = "rules"

    def analyse(self, text: str) -> Doc:
        return Doc(text, tuple(self.parse(text, [(0, len(text))])))

    def parse(self, text: str, regions: Sequence[Region]) -> list[Sentence]:
        sentences: list[Sentence] = []
        for r_start, r_end in regions:
            for s, e in sentence_spans(text[r_start:r_end]):
                sentences.append(self._sentence(text, r_start + s, r_start + e))
        return sentences

    def parse_many(self, items: Sequence[tuple[str, Sequence[Region]]]) -> list[list[Sentence]]:
        return [self.parse(text, regions) for text, regions in items]

    def _sentence(self, text: str, start: int, end: int) -> Sentence:
        words: list[Word] = []
        for m in _TOKEN_RE.finditer(text, start, end):
            tok = m.group()
            upos: str | None
            if tok[0].isdigit():
                lemma, upos = tok, "NUM"
            elif not (tok[0].isalnum() or tok[0] == "_"):
                lemma, upos = tok, "PUNCT"
            else:
                lemma, upos = guess_lemma(tok)
                if upos is None and CUE_WORD_RE.fullmatch(tok):
                    upos = "X"  # shaped like a cue word but not in the lexicon
            words.append(Word(len(words) + 1, tok, m.start(), m.end(), lemma, upos))
        return Sentence(start, end, tuple(words))

"""Speech-verb knowledge shared by the NLP side: folding, cue lemmas, and the stem pattern of cue words.

Built on the core's lexicon (``worker/lexicon.py``): the verb and participle lists come from there, with
the few extra verbs a parse can take; the stem pattern below is the pre-filter's own (it must over-match).
"""

from __future__ import annotations

import re

from worker.lexicon import PARTICIPLES, SPEECH_VERBS
from worker.text import DIACRITICS as _TEXT_DIACRITICS
from worker.text import TATWEEL
from worker.text import fold as _text_fold

# harakat, superscript alef, Quranic marks, tatweel: the same marks the core strips (worker/text.py)
DIACRITICS = _TEXT_DIACRITICS + TATWEEL


def fold(s: str) -> str:
    """The core's folding plus ة → ه, for comparing lemmas (قَال -> قال, أَكَّد -> اكد, رَأَى -> راي)."""
    return _text_fold(s).replace("ة", "ه")


# Speech / attribution verbs by (folded) lemma. Stanza's Arabic lemmas are vocalised perfect-tense
# forms (قَال, أَكَّد, أَشَار); fold() makes them comparable with these.
SPEECH_VERB_LEMMAS: frozenset[str] = frozenset(fold(past) for past, _ in SPEECH_VERBS) | frozenset(
    fold(w)
    # Verbs the parse may take as cues beyond the lexicon: it sees their subject and clausal complement,
    # which the rules cannot (سأل، رفض، تحدث، عبر …).
    for w in [
        "أعرب",
        "بين",
        "أشاد",
        "سأل",
        "اتهم",
        "طالب",
        "دعا",
        "حث",
        "وعد",
        "أبدى",
        "رفض",
        "ردد",
        "تحدث",
        "أعلم",
        "عبر",
        "قص",
        "نصح",
        "أنكر",
        "صاغ",
    ]
)

# Participles used adverbially (مشيرا، مضيفا ...) map to their verb.
PARTICIPLE_LEMMAS: dict[str, str] = {fold(masc[:-1]): fold(verb) for masc, verb in PARTICIPLES} | {
    fold("مشير إلى"): fold("أشار")
}

# Verbal nouns used as cues (بالقول، قوله، قولها).
MASDAR_LEMMAS: dict[str, str] = {fold(k): fold(v) for k, v in {"قول": "قال"}.items()}


def cue_lemma(lemma: str | None) -> str | None:
    """The speech verb (folded) that ``lemma`` is, or is a participle/verbal noun of; None if none."""
    if not lemma:
        return None
    f = fold(lemma)
    if f in SPEECH_VERB_LEMMAS:
        return f
    return PARTICIPLE_LEMMAS.get(f) or MASDAR_LEMMAS.get(f)


# ---------------------------------------------------------------------------------------------------
# The stem pattern: one regex finds any inflection of a cue word, with attached و/ف/ب/ل/س.
# A word = proclitics + (person/participle prefix) + stem + suffix letters. It over-matches a little
# (some nouns of the same roots); that is fine for a pre-filter, which must not miss.

_D = f"[{DIACRITICS}]*"  # diacritics may follow any letter (مشيرًا، نبّه)
_LETTER_CLASS = {
    "ا": "[اأإآ]",
    "أ": "[اأإآ]",
    "إ": "[اأإآ]",
    "آ": "[اأإآ]",
    "ى": "[ىي]",
    "ي": "[يى]",
    "ة": "[ةه]",
}


def _tolerant(s: str) -> str:
    return "".join(_LETTER_CLASS.get(ch, re.escape(ch)) + _D for ch in s)


# Stems after any verbal/participle prefix (ي ت ن أ ا م ست است) has been taken off.
CUE_STEMS: tuple[str, ...] = tuple(
    [
        "قال",
        "قول",
        "قائل",
        "قالو",
        "القول",
        "أكد",
        "ؤكد",
        "ضاف",
        "ضيف",
        "وضح",
        "شار",
        "شير",
        "صرح",
        "علن",
        "ذكر",
        "ذاكر",
        "كشف",
        "كاشف",
        "لفت",
        "لافت",
        "شدد",
        "نفى",
        "نفي",
        "نفت",
        "نفو",
        "زعم",
        "حذر",
        "تابع",
        "عتبر",
        "رأى",
        "رأي",
        "رأت",
        "رأو",
        "عتقد",
        "فاد",
        "فيد",
        "نقل",
        "واصل",
        "وصف",
        "ردف",
        "ستطرد",
        "ختم",
        "ختتم",
        "نوه",
        "نبه",
        "جاب",
        "جيب",
        "علق",
        "توقع",
        "رجح",
        "دعى",
        "دعي",
        "شاد",
        "شيد",
        "بلغ",
        "خبر",
        "غرد",
        "أقر",
        "عترف",
        "تساءل",
        "ساءل",
        "سأل",
        "جادل",
        "تهم",
        "ركز",
        "زاد",
        "تبع",
        "صاغ",
        "صوغ",
        "جاء",
        "تحدث",
    ]
)

# Source phrases that attribute a clause.
SOURCE_PHRASES: tuple[str, ...] = ("بحسب", "حسب", "حسبما", "وفق", "وفقا", "طبقا", "نقلا", "على لسان")

# Stems too short or too ambiguous to stand without a person/participle prefix (يرى، يؤكد، أعرب، مبينا،
# أبان).
CUE_STEMS_PREFIXED: tuple[str, ...] = ("رى", "كد", "صف", "عرب", "قر", "بين", "بان")

_PROCLITICS = f"(?:[وف]{_D})?(?:[بلسك]{_D})?"
_PERSON = f"(?:(?:است|ست|[يتنأاإم]){_D})"
_PREFIX = f"{_PROCLITICS}{_PERSON}?"
_SUFFIX = f"(?:[تنوايةهكمى]{_D}){{0,5}}"
_STEM_ALT = "|".join(sorted({_tolerant(s) for s in CUE_STEMS}, key=len, reverse=True))
_STEM_P_ALT = "|".join(_tolerant(s) for s in CUE_STEMS_PREFIXED)
_PHRASE_ALT = "|".join(_tolerant(p).replace(r"\ ", r"\s+") for p in SOURCE_PHRASES)

# One compiled pattern: a cue word (any inflection), a source phrase, a quote mark, or a colon.
CUE_WORD_RE = re.compile(
    rf"(?<!\w)(?:{_PREFIX}(?:{_STEM_ALT}){_SUFFIX}|{_PROCLITICS}{_PERSON}(?:{_STEM_P_ALT}){_SUFFIX}|(?:[وف]{_D})?(?:{_PHRASE_ALT}){_SUFFIX})(?!\w)"
)
QUOTE_MARKS = "\"“”«»'‘’„"
TRIGGER_RE = re.compile(rf"[{re.escape(QUOTE_MARKS)}:]|{CUE_WORD_RE.pattern}")

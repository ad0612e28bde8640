"""Property tests: on any text the extractor never raises and every offset it reports is honest; on any
bytes ``process_message`` never raises and returns either valid records or a known reason code; and
pathological inputs finish in bounded time."""

from __future__ import annotations

import json
import time
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worker.records import REASONS, process_message, validate

QUOTE_MARKS = ['"', "“", "”", "«", "»", "'", "‘", "’", "„", "‹", "›"]
PUNCT = [":", "،", ".", "؛", "؟", "!", ",", "-", "—", "(", ")", "•"]
WHITESPACE = [" ", " ", " ", "\n", "\n\n", "\t", "\u00a0", "\u200f", "\u200c", "\r\n"]
CUES = [
    "قال",
    "وقال",
    "قالت",
    "أكد",
    "وأكد",
    "وأضاف",
    "أضافت",
    "مشيرا",
    "مشيرا إلى أن",
    "مضيفا أن",
    "بحسب",
    "وبحسب",
    "وفقا لـ",
    "وفقا لما ذكره",
    "نقلا عن",
    "على لسان",
    "حسبما ذكر",
    "أن",
    "إن",
    "بأن",
    "إلى أن",
    "على أن",
    "أنه",
    "فإن",
    "ومن جانبه",
    "قائلا",
    "نفى",
    "أعلن",
    "يرى",
    "سيقول",
]
WORDS = [
    "الرئيس",
    "وزير",
    "الخارجية",
    "الروسي",
    "سيرجي",
    "لافروف",
    "بوتين",
    "الكرملين",
    "المتحدث",
    "باسم",
    "مصدر",
    "مطلع",
    "الحكومة",
    "الحرب",
    "السلام",
    "غزة",
    "اليوم",
    "ال",
    "و",
    "ف",
    "2025",
    "STC",
    "(CNN)",
    "ـــ",
    "الْحُكُومَةُ",
    "آ",
    "ى",
]
ARABIC_LETTERS = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)

token = st.one_of(
    st.sampled_from(CUES),
    st.sampled_from(WORDS),
    st.sampled_from(QUOTE_MARKS),
    st.sampled_from(PUNCT),
    st.sampled_from(WHITESPACE),
    st.text(ARABIC_LETTERS, min_size=1, max_size=6),
)
arabic_news = st.lists(token, max_size=120).map(" ".join) | st.lists(token, max_size=120).map("".join)
any_text = st.text(max_size=400)  # arbitrary unicode, surrogates and controls included
SINGLE_MARKS = [c for c in QUOTE_MARKS + PUNCT + WHITESPACE if len(c) == 1]
marks_only = st.text(st.sampled_from(SINGLE_MARKS), max_size=60)
texts = st.one_of(arabic_news, any_text, marks_only)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def extractor() -> Any:
    from worker.extractor import Extractor

    return Extractor("rules")


def check_quotes(text: str, quotes: list[Any]) -> None:
    n = len(text)
    for q in quotes:
        assert 0 <= q.span.start < q.span.end <= n, q
        assert text[q.span.start : q.span.end] == q.text
        assert q.text, q
        assert 0 <= q.cue.span.start <= q.cue.span.end <= n, q
        assert text[q.cue.span.start : q.cue.span.end] == q.cue.text
        sp = q.speaker
        if sp.span is not None:
            assert 0 <= sp.span.start <= sp.span.end <= n, q
            assert text[sp.span.start : sp.span.end] == sp.mention
        else:
            assert sp.mention is None, q
        assert q.type in ("direct", "indirect", "mixed")
        assert sp.kind in ("person", "organization", "group", "anonymous", "unknown")
        assert 0.0 <= q.confidence <= 1.0


@SETTINGS
@given(texts)
def test_extract_never_raises_and_spans_are_honest(text: str) -> None:
    check_quotes(text, extractor().extract(text))


@SETTINGS
@given(arabic_news, arabic_news)
def test_extract_article_title_and_text(title: str, text: str) -> None:
    quotes = extractor().extract_article(text, title)
    check_quotes(title, [q for q in quotes if q.field == "title"])
    check_quotes(text, [q for q in quotes if q.field == "text"])


@SETTINGS
@given(texts)
def test_extract_is_deterministic(text: str) -> None:
    assert extractor().extract(text) == extractor().extract(text)


def encode(value: Any) -> bytes:
    """JSON as a producer might send it: big integers and Infinity included (the decoder must cope)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def check_outcome(raw: bytes) -> None:
    outcome = process_message(raw, extractor())
    if outcome.error is not None:
        assert outcome.error.reason in REASONS
        assert outcome.records == []
        return
    for record in outcome.records:
        assert validate("quote", record) == [], record


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
articles = st.fixed_dictionaries(
    {"id": st.text(max_size=10) | st.integers(), "text": texts | json_values},
    optional={
        "title": st.none() | texts,
        "published_at": st.sampled_from(["2025-03-01T10:00:00Z", "yesterday", "2025-03-01T10:00:00+03:00"]),
        "lang": st.none() | st.just("ar"),
        "extra": json_values,
    },
)


@SETTINGS
@given(st.binary(max_size=300))
def test_process_message_on_any_bytes(raw: bytes) -> None:
    check_outcome(raw)


@SETTINGS
@given(articles)
def test_process_message_on_article_like_json(doc: dict[str, Any]) -> None:
    check_outcome(encode(doc))


@SETTINGS
@given(json_values)
def test_process_message_on_any_json(value: Any) -> None:
    check_outcome(encode(value))


# Pathological inputs: each must finish well under the limit (the rules must not backtrack).
LIMIT_S = 2.0
N = 200_000
PATHOLOGICAL = {
    "guillemets-open": "«" * N,
    "guillemets-alternating": "«»" * (N // 2),
    "straight-quotes": '"' * N,
    "unclosed-quote-after-cue": 'قال الرئيس: "' + "كلمة " * (N // 5),
    "colons": ":" * N,
    "cue-words": "قال " * (N // 4),
    "cue-and-complementizer": "وأضاف أن " * (N // 9),
    "participles": "، مشيرا إلى أن " * (N // 15),
    "source-phrases": "وفقا لما ذكره " * (N // 14),
    "titles": "الرئيس الروسي وزير الخارجية " * (N // 28),
    "one-long-word": "ا" * N,
    "one-long-sentence": "الحكومة " * (N // 8),
    "newlines": "\n" * N,
    "quoted-cues": '«قال» "أكد" ' * (N // 12),
    "colon-lines": "الكرملين: روسيا\n" * (N // 16),
    "diacritics": "\u064b" * N,
    "repeated-mixed-quotes": 'قال الرئيس إن "الحرب" ' * (N // 22),
}


# Known slow inputs of the rules: (name) -> reason; strict, so a fix shows up.
SLOW_XFAIL: dict[str, str] = {}


@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=[pytest.mark.xfail(strict=True, reason=SLOW_XFAIL.get(n))] * (n in SLOW_XFAIL))
        for n in sorted(PATHOLOGICAL)
    ],
)
def test_pathological_input_is_fast(name: str) -> None:
    text = PATHOLOGICAL[name]
    ex = extractor()
    # CPU time of this process, so that other work on a shared machine does not fail the test.
    started = time.process_time()
    quotes = ex.extract(text)
    elapsed = time.process_time() - started
    assert elapsed < LIMIT_S, f"{name}: {len(text)} characters took {elapsed:.2f} s of CPU"
    check_quotes(text, quotes)

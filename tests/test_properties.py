"""Property tests: on any text the extractor never raises and every offset it reports is honest; on any
bytes ``process_message`` never raises and returns either valid records or a known reason code; and
pathological inputs finish in bounded time."""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
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
@example(": ، على لسان الرئيس")  # a source phrase at the first word: no word before it to read a gap from
@example('قال ، ، قال " قال')  # two commas with no word between: an empty name apposed to nothing
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
    "cue-and-open-quote": 'قال "' * (N // 5),
    "closing-mark-cue-open-quote": '”قال "' * (N // 6),
    "many-speakers": "".join(
        f"وقال {chr(0x628 + k % 20)}{chr(0x628 + k // 20 % 20)}ور إن الأمر صعب. " for k in range(N // 22)
    ),
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
    # CPU time of this process, so that other work on a shared machine does not fail the test; and the
    # least of up to three runs, since a busy machine (or the collector) only ever adds to it.
    elapsed = float("inf")
    for _ in range(3):
        started = time.process_time()
        quotes = ex.extract(text)
        elapsed = min(elapsed, time.process_time() - started)
        if elapsed < LIMIT_S:
            break
    assert elapsed < LIMIT_S, f"{name}: {len(text)} characters took {elapsed:.2f} s of CPU (least of 3 runs)"
    check_quotes(text, quotes)


# Hostile text grows linearly: the per-character cost at ~8n is about that at n (a ratio, not a
# wall-clock bound, so a slow or busy machine does not fail it; each cost is the least of a few runs).
HOSTILE_PIECES = ['"', "«", "»", "”", "“", ":", "،", "قال", "وقال", "وأضاف", "أن", "إن", "مشيرا", "إلى",
                  "بحسب", "وفقا", "لما", "على", "لسان", "نقلا", "عن", "الرئيس", "لافروف", "ودافع", "حيث",
                  "وجاء", "في", "بيان", "قوله", "مصدر", "(", "-", "@", "@"]  # fmt: skip
# "@" stands for a name of its own at each repetition: an article with thousands of speakers
hostile_units = st.tuples(
    st.lists(st.sampled_from(HOSTILE_PIECES), min_size=1, max_size=8), st.sampled_from(["", " ", "  "])
).map(lambda t: t[1].join(t[0]) + t[1])
SMALL, LARGE = 4_000, 32_000


def _cost_per_char(text: str, repeats: int = 3) -> float:
    ex = extractor()
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        ex.extract(text)
        best = min(best, time.process_time() - started)
    return best / len(text)


@cache
def _news_cost_per_char() -> float:
    """The per-character cost of ordinary news: the sample articles, one after another."""
    rows = (
        (Path(__file__).resolve().parents[1] / "samples" / "articles.jsonl").read_text("utf-8").splitlines()
    )
    news = "\n\n".join(json.loads(r)["text"] for r in rows if r.strip())
    return _cost_per_char(news * (LARGE // len(news) + 1))


def _repeat(unit: str, length: int) -> str:
    """``unit`` repeated to ``length`` characters, each "@" a name of its own (بكور، تكور …)."""
    out: list[str] = []
    size = k = 0
    while size < length:
        name = "".join(chr(0x628 + d) for d in (k % 18, k // 18 % 18, k // 324 % 18)) + "ور"
        out.append(unit.replace("@", name))
        size += len(out[-1])
        k += 1
    return "".join(out)


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_units)
@example('قال "')
@example('”قال "')
@example("وقال @ إن الأمر صعب. ")
@example("قال إن كذا، لكن وزير ")
@example("وفقا لما ذكره ")
def test_extraction_time_is_linear_in_length_on_hostile_text(unit: str) -> None:
    small, large = _repeat(unit, SMALL), _repeat(unit, LARGE)  # one huge paragraph, ~8x longer
    floor = 2e-7  # s per character: below this a text is too cheap for its time to say anything
    small_cost, large_cost = max(_cost_per_char(small), floor), max(_cost_per_char(large), floor)
    ratio = large_cost / small_cost
    assert ratio < 2.5, f"{unit!r}: per-character cost grows {ratio:.1f}x from {len(small)} to {len(large)}"
    # and the constant stays small: no more than a few times the cost of news text
    news = _news_cost_per_char()
    assert large_cost < 15 * news, f"{unit!r}: {large_cost / news:.1f}x the per-character cost of news"


def test_a_run_of_quotations_after_a_cue_bounds_the_look_ahead() -> None:
    """A cue passes at most a few quotations looking for its opener: quoted names, as in news, still
    let the content open after them; past a long run of them it no longer looks."""
    ex = extractor()
    (q,) = ex.extract('وقال مراسل "قناة الشرق" لـ"وكالة المغرب" إن الطريق مغلق.')
    assert q.text == "الطريق مغلق"
    names = [f'"اسم {k}"' for k in range(12)]
    assert [q.text for q in ex.extract(f"وقال {' '.join(names[:3])} إن الطريق مغلق.")] == ["الطريق مغلق"]
    assert "الطريق مغلق" not in [q.text for q in ex.extract(f"وقال {' '.join(names)} إن الطريق مغلق.")]

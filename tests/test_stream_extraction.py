"""Extraction in child processes within a time budget (issue 12), and the health rules behind /healthz and
/readyz; no broker needed. An article over the budget is one whose extraction never ends (a test
extractor that hangs on a marker), so the tests hold on a machine of any speed."""

from __future__ import annotations

import time
from typing import Any

import orjson
import pytest
from machine_speed import slowness

from worker.records import (
    EMPTY_TEXT,
    EXTRACTION_FAILED,
    EXTRACTION_TIMEOUT,
    ArticleError,
    empty_text,
    parse_article,
)
from worker.stream.extraction import ProcessRunner


def good(i: int) -> bytes:
    text = f'قال الوزير أحمد سالم إن "الاقتصاد ينمو بنسبة {i} في المئة".'
    return orjson.dumps({"id": f"g{i}", "text": text})


@pytest.mark.parametrize(
    "text",
    [" ", "\n\t ", "\u200f", " \u200f\n", "\u200e\u200b\ufeff", "\u2066\u2067\u2068\u2069", "\u200d\u200c"],
)
def test_invisible_text_is_empty(text: str) -> None:
    assert empty_text(text)
    with pytest.raises(ArticleError) as err:
        parse_article(orjson.dumps({"id": "a", "text": text}))
    assert err.value.reason == EMPTY_TEXT


def test_visible_text_is_not_empty() -> None:
    assert not empty_text("\u200f قال")
    assert not empty_text("1")
    assert parse_article(orjson.dumps({"id": "a", "text": "\u200fنعم"})).text == "\u200fنعم"


@pytest.mark.parametrize("processes", [1, 2])
def test_article_over_budget_is_stopped_and_the_rest_goes_on(processes: int) -> None:
    # the budget: 0.5 s on an unloaded machine (a good article takes ~2 ms), stretched on a busy one
    budget = 0.5 * slowness()
    runner = ProcessRunner(MisbehavingFactory(), processes, 2_000_000, timeout_s=budget)
    try:
        hostile = orjson.dumps({"id": "hostile", "text": "قال الوزير: HANG"})
        values = [good(i) for i in range(4)] + [hostile] + [good(i) for i in range(4, 8)]
        started = time.monotonic()
        out = runner.submit(values).result(timeout=120)
        took = time.monotonic() - started
        assert [p.article_id for p in out] == [f"g{i}" for i in range(4)] + ["hostile"] + [
            f"g{i}" for i in range(4, 8)
        ]
        late = out[4]
        assert late.reason == EXTRACTION_TIMEOUT and "budget" in (late.message or "")
        assert budget <= late.seconds < 10 * budget
        assert all(p.ok and p.quotes for k, p in enumerate(out) if k != 4)
        # per-message time: each normal article's own, far below the hostile one's
        assert max(p.seconds for k, p in enumerate(out) if k != 4) < late.seconds / 2
        assert runner.timeouts == 1
        # the replacement child works
        assert all(p.ok for p in runner.submit([good(9)]).result(timeout=60))
        print(f"a hanging extraction stopped at {late.seconds:.2f}s; batch done in {took:.1f}s")
    finally:
        runner.close()


class MisbehavingFactory:
    """An extractor whose process dies (as by a segfault or the OOM killer) on texts with ``CRASH``, and
    whose extraction never ends on texts with ``HANG``."""

    def __call__(self) -> Any:
        import os

        from worker.extractor import Extractor

        extractor = Extractor("rules")
        original = extractor.extract_articles

        def extract_articles(articles: list[tuple[str, str | None]]) -> Any:
            if any("CRASH" in text for text, _ in articles):
                os._exit(3)
            if any("HANG" in text for text, _ in articles):
                time.sleep(3600)
            return original(articles)

        extractor.extract_articles = extract_articles  # type: ignore[method-assign]
        return extractor


def test_a_child_that_dies_is_replaced_and_its_article_dead_lettered() -> None:
    runner = ProcessRunner(MisbehavingFactory(), 1, 1_000_000, timeout_s=5)
    try:
        crash = orjson.dumps({"id": "crash", "text": "قال الوزير: CRASH"})
        out = runner.submit([good(1), crash, good(2)]).result(timeout=120)
        assert [p.article_id for p in out] == ["g1", "crash", "g2"]
        assert out[1].reason == EXTRACTION_FAILED and "exit status 3" in (out[1].message or "")
        assert out[0].ok and out[2].ok and runner.restarts == 1
    finally:
        runner.close()

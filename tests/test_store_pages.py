"""The store's pages (``/search`` of ``quote-worker serve --database``) in a real headless chromium, at
a desktop's and a phone's width (issue 17): a search with filters, a speaker's page with its chart
of quotes per week drawn as SVG by the page, an article's quotes; right to left, nothing loaded from
elsewhere, no sideways scrolling on a phone.

``QUOTE_WORKER_SCREENSHOTS=docs pytest tests/test_store_pages.py -k screenshot`` writes
``docs/store-search.png`` and ``docs/store-speaker.png``.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from serve_fixtures import RunningServer, get
from store_feed import article, as_consumed, worker_output
from test_review_page import browser, needs_chromium

from worker.extractor import Extractor
from worker.serve.app import create_app
from worker.store.database import open_database
from worker.store.ingest import apply_batch
from worker.store.migrations import migrate

__all__ = ["browser"]

WIDTHS = {"desktop": (1400, 1000), "phone": (390, 844)}
TRUMP = "دونالد-ترامب"


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'quotes.db'}"
    docs = [article(i) for i in range(60)]
    docs.append(
        {"id": "alone", "text": "وقال ترامب: «سنواصل العمل».", "published_at": "2024-03-29T10:00:00Z"}
    )
    with open_database(url) as db:
        migrate(db)
        records = as_consumed(worker_output(docs, "quotes", "article-status"))
        for i in range(0, len(records), 50):
            apply_batch(db, records[i : i + 50], "quotes", "article-status")
    with RunningServer(create_app(Extractor("rules"), database=url)) as running:
        yield running.url


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    width, height = WIDTHS[request.param]
    browser.set_window_size(width, height)
    yield browser
    browser.set_window_size(1400, 1000)


def wait_for(browser: Any, css: str, count: int = 1) -> list[Any]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, css)) >= count)
    return list(browser.find_elements(By.CSS_SELECTOR, css))


def no_sideways_scroll(browser: Any) -> None:
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        "the page is wider than the window"
    )


def loaded_from_elsewhere(browser: Any, base: str) -> list[str]:
    names = browser.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)")
    return [n for n in names if not n.startswith(base)]


@needs_chromium
def test_search_speaker_and_article_pages(sized: Any, store_url: str) -> None:
    from selenium.webdriver.common.by import By

    browser = sized
    browser.get(store_url + "search")
    cards = wait_for(browser, "#results .quote-card", 20)
    assert len(cards) == 20 and browser.find_element(By.ID, "more").is_displayed()
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    top = wait_for(browser, ".top-speakers li")
    assert top and TRUMP in urllib.parse.unquote(top[0].find_element(By.TAG_NAME, "a").get_attribute("href"))
    no_sideways_scroll(browser)

    # A search with words and a type: every card is a match, and the address keeps the filters.
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys("المشروع رقم 7")
    browser.find_element(By.ID, "search").click()
    wait_for(browser, "#results .quote-card")
    assert "q=" in browser.current_url
    _, _, body = get(store_url, "v1/quotes?" + urllib.parse.urlencode({"q": "المشروع رقم 7"}))
    want = {q["quote_id"] for q in orjson.loads(body)["quotes"]}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        shown = {
            c.get_attribute("data-quote-id") for c in browser.find_elements(By.CSS_SELECTOR, ".quote-card")
        }
        if shown == want:
            break
        time.sleep(0.1)
    assert shown == want
    assert "format=csv" in browser.find_element(By.ID, "csv").get_attribute("href")

    # The speaker page: the chart's bars are the API's weeks, drawn as SVG by the page.
    link = browser.find_element(By.CSS_SELECTOR, ".quote-card a.speaker")
    key = urllib.parse.parse_qs(urllib.parse.urlsplit(link.get_attribute("href")).query)["key"][0]
    link.click()
    bars = wait_for(browser, "#chart svg rect.bar-week")
    _, _, body = get(store_url, "v1/speakers/" + urllib.parse.quote(key))
    speaker = orjson.loads(body)
    drawn = {b.get_attribute("data-week"): int(b.get_attribute("data-quotes")) for b in bars}
    assert {w: n for w, n in drawn.items() if n} == {
        w["week"]: w["quotes"] for w in speaker["quotes_per_week"]
    }
    assert browser.find_element(By.CSS_SELECTOR, "#speaker-page h2").text.startswith(speaker["name"])
    inner = browser.execute_script("return window.innerWidth")
    assert 0 < browser.find_element(By.ID, "chart").size["width"] <= inner
    no_sideways_scroll(browser)

    # The article page, from a quote's link.
    browser.find_element(By.CSS_SELECTOR, ".quote-card a.article").click()
    cards = wait_for(browser, "#article-page .quote-card")
    aid = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)["id"][0]
    _, _, body = get(store_url, "v1/articles/" + urllib.parse.quote(aid))
    assert [c.get_attribute("data-quote-id") for c in cards] == [
        q["quote_id"] for q in orjson.loads(body)["quotes"]
    ]
    no_sideways_scroll(browser)
    assert loaded_from_elsewhere(browser, store_url) == []


@needs_chromium
def test_a_bad_filter_shows_the_reason(browser: Any, store_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(store_url + "search?min_confidence=7")
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 20).until(lambda d: "bad_parameter" in status.text)
    assert status.text.startswith("400 bad_parameter: min_confidence")


@needs_chromium
def test_screenshots_of_the_search_and_speaker_pages(browser: Any, store_url: str, tmp_path: Path) -> None:
    """The pictures in docs/ (QUOTE_WORKER_SCREENSHOTS=docs); taken either way."""
    folder = Path(os.environ.get("QUOTE_WORKER_SCREENSHOTS") or tmp_path)
    browser.set_window_size(1400, 1000)
    for name, path, css in (
        ("store-search.png", "search?q=" + urllib.parse.quote("الموعد"), "#results .quote-card"),
        ("store-speaker.png", "search?view=speaker&key=" + urllib.parse.quote(TRUMP), "#chart svg rect"),
    ):
        browser.get(store_url + path)
        wait_for(browser, css)
        wait_for(browser, ".top-speakers li" if "speaker" not in name else ".quote-card")
        height = browser.execute_script("return document.documentElement.scrollHeight")
        metrics = {"width": 1400, "height": min(height, 2400), "deviceScaleFactor": 1, "mobile": False}
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        try:
            assert browser.save_screenshot(str(folder / name))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

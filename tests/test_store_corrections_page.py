"""Editors' corrections on the stored article's page (``/search?view=article&id=…``, issue 18) in a
real headless chromium at a desktop's width (1366×900) and a phone's (390×844): sign in with a token,
correct a speaker by keyboard, reload and see it corrected; a bad or revoked token refused with a
message on the page; a missed quote added from text selected in the article; no sideways scrolling.

``QUOTE_WORKER_SCREENSHOTS=docs pytest tests/test_store_corrections_page.py -k screenshot`` writes
``docs/correction-in-progress.png``.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from serve_fixtures import RunningServer, get
from store_feed import article, as_consumed, worker_output
from test_review_page import browser, needs_chromium
from test_store_pages import no_sideways_scroll, wait_for

from worker.extractor import Extractor
from worker.serve.app import create_app
from worker.store.database import open_database
from worker.store.editors import add_editor, revoke_editor
from worker.store.ingest import Consumed, apply_batch
from worker.store.migrations import migrate

__all__ = ["browser"]

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
DOCS = [article(i) for i in range(8)]


@dataclass
class Site:
    url: str
    token: str
    revoked: str
    database: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('corrections-page') / 'quotes.db'}"
    with open_database(url) as db:
        migrate(db)
        records = as_consumed(worker_output(DOCS, "quotes", "article-status"))
        texts = [Consumed("articles", 0, i, None, orjson.dumps(d)) for i, d in enumerate(DOCS)]
        apply_batch(db, records + texts, "quotes", "article-status", ["articles"])
        token = add_editor(db, "نور")
        revoked = add_editor(db, "قديم")
        revoke_editor(db, "قديم")
    with RunningServer(create_app(Extractor("rules"), database=url)) as running:
        yield Site(running.url, token, revoked, url)


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    width, height = WIDTHS[request.param]
    browser.set_window_size(width, height)
    yield browser
    browser.execute_script("sessionStorage.clear()")
    browser.set_window_size(1400, 1000)


def article_url(site: Site, article_id: str) -> str:
    return site.url + "search?" + urllib.parse.urlencode({"view": "article", "id": article_id})


def stored(site: Site, article_id: str) -> dict[str, Any]:
    _, _, body = get(site.url, "v1/articles/" + urllib.parse.quote(article_id))
    result: dict[str, Any] = orjson.loads(body)
    return result


def text_of(browser: Any, element_id: str) -> str:
    """The text of an element now (read in the page: the page redraws itself after a correction)."""
    text: str = browser.execute_script(
        "const e = document.getElementById(arguments[0]); return e ? e.textContent : ''", element_id
    )
    return text


def sign_in(browser: Any, token: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = wait_for(browser, "#editor-token")[0]
    box.send_keys(token)
    box.send_keys(Keys.ENTER)  # the form's submit, by keyboard


def test_sign_in_correct_a_speaker_and_see_it_after_a_reload(sized: Any, site: Site) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser = sized
    article_id = "art-00001" if browser.get_window_size()["width"] > 1000 else "art-00002"
    first = stored(site, article_id)["quotes"][0]
    browser.get(article_url(site, article_id))
    wait_for(browser, "#article-text .qv-field .seg.quote")
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    assert browser.find_elements(By.CSS_SELECTOR, ".quote-card .correct") == []  # not signed in
    sign_in(browser, site.token)
    assert wait_for(browser, "#editor-name")[0].text == "المحرر: نور"
    buttons = wait_for(browser, ".quote-card .correct", 2)

    # by keyboard: the card's button, the typed name, the button that sends it
    buttons[0].send_keys(Keys.ENTER)
    panel = browser.find_element(By.ID, "editor")
    WebDriverWait(browser, 10).until(lambda d: panel.is_displayed())
    assert browser.switch_to.active_element == browser.find_element(By.ID, "editor-title")
    no_sideways_scroll(browser)
    typed = browser.find_element(By.ID, "speaker-typed")
    typed.send_keys("سمير يوسف")
    browser.find_element(By.ID, "set-speaker").send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "حُفظ التصحيح" in text_of(d, "editor-status"))
    assert stored(site, article_id)["quotes"][0]["speaker"]["name"] == "سمير يوسف"

    browser.refresh()
    card = wait_for(browser, f'.quote-card[data-quote-id="{first["quote_id"]}"] .corrected-mark')[0]
    assert "المتحدث" in card.text
    shown = browser.find_element(
        By.CSS_SELECTOR, f'.quote-card[data-quote-id="{first["quote_id"]}"] .speaker'
    )
    assert shown.text == "سمير يوسف"
    # the text marks who speaks at the quote: the corrected name
    label = browser.execute_script(
        "return document.querySelector('#article-text .seg.quote-start').dataset.speakerLabel"
    )
    assert label.endswith("سمير يوسف")
    assert wait_for(browser, "#editor-name")[0].is_displayed()  # still signed in (this tab's session)
    no_sideways_scroll(browser)

    browser.find_element(By.ID, "sign-out").click()
    wait_for(browser, "#editor-token")
    assert browser.find_elements(By.CSS_SELECTOR, ".quote-card .correct") == []


@pytest.mark.parametrize("which", ["bad", "revoked"])
def test_a_bad_or_revoked_token_is_refused_with_a_message(sized: Any, site: Site, which: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser = sized
    browser.get(article_url(site, "art-00003"))
    sign_in(browser, "not-a-token" if which == "bad" else site.revoked)
    want = "رمز غير صحيح" if which == "bad" else "أُلغي هذا الرمز"
    WebDriverWait(browser, 10).until(lambda d: want in text_of(d, "editor-status"))
    status = browser.find_element(By.ID, "editor-status")
    assert status.is_displayed() and status.get_attribute("role") == "alert"
    assert browser.find_elements(By.ID, "editor-name") == []
    assert browser.find_elements(By.CSS_SELECTOR, ".quote-card .correct") == []
    assert browser.execute_script("return sessionStorage.length") == 0
    no_sideways_scroll(browser)


# Selects the code points [start, end) of an article field on the page, as a reader's drag would.
SELECT = """
const [field, start, end] = arguments;
const box = document.querySelector(`#article-text .qv-field[data-field="${field}"]`);
const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
const range = document.createRange();
let seen = 0;
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const points = Array.from(node.data);
  const at = (n) => points.slice(0, n - seen).join("").length;
  if (start >= seen && start < seen + points.length) range.setStart(node, at(start));
  if (end > seen && end <= seen + points.length) range.setEnd(node, at(end));
  seen += points.length;
}
const sel = document.getSelection();
sel.removeAllRanges();
sel.addRange(range);
return range.toString();
"""


def test_add_a_missed_quote_from_selected_text(sized: Any, site: Site) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser = sized
    article_id = "art-00004" if browser.get_window_size()["width"] > 1000 else "art-00005"
    text = next(d["text"] for d in DOCS if d["id"] == article_id)
    browser.get(article_url(site, article_id))
    sign_in(browser, site.token)
    wait_for(browser, ".quote-card .correct")
    browser.find_element(By.ID, "add-missed").click()
    start, end = text.index("نحن"), text.index("بالموعد") - 1
    assert browser.execute_script(SELECT, "text", start, end) == "نحن ملتزمون"
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".editor-selection").text == "«نحن ملتزمون»"
    )
    browser.find_element(By.ID, "set-span").click()
    cue = text.index("وأضاف")
    browser.execute_script(SELECT, "text", cue, cue + 5)
    browser.find_element(By.ID, "set-cue").click()
    Select(browser.find_element(By.ID, "speaker-choice")).select_by_index(1)  # the article's speaker
    browser.find_element(By.ID, "add-quote").click()
    WebDriverWait(browser, 10).until(lambda d: "حُفظ التصحيح" in text_of(d, "editor-status"))
    quotes = stored(site, article_id)["quotes"]
    added = [q for q in quotes if q["correction"] and q["correction"]["action"] == "add"]
    assert [(q["span"], q["text"], q["cue"]["text"]) for q in added] == [
        ([start, end], "نحن ملتزمون", "وأضاف")
    ]
    assert wait_for(browser, f'.quote-card[data-quote-id="{added[0]["quote_id"]}"] .corrected-mark')
    no_sideways_scroll(browser)


def test_an_editor_revoked_while_signed_in_is_refused_and_signed_out(browser: Any, site: Site) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with open_database(site.database) as db:
        token = add_editor(db, "مؤقت")
    browser.get(article_url(site, "art-00003"))
    sign_in(browser, token)
    wait_for(browser, ".quote-card .correct")[0].click()
    with open_database(site.database) as db:
        revoke_editor(db, "مؤقت")
    before = stored(site, "art-00003")
    browser.find_element(By.ID, "reject").click()
    WebDriverWait(browser, 10).until(lambda d: "أُلغي هذا الرمز" in text_of(d, "editor-status"))
    assert browser.find_elements(By.CSS_SELECTOR, ".quote-card .correct") == []
    assert not browser.find_element(By.ID, "editor").is_displayed()
    assert browser.execute_script("return sessionStorage.length") == 0
    assert stored(site, "art-00003") == before


def test_an_add_without_a_selection_says_what_to_do(browser: Any, site: Site) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(article_url(site, "art-00006"))
    sign_in(browser, site.token)
    wait_for(browser, ".quote-card .correct")
    browser.find_element(By.ID, "add-missed").click()
    browser.find_element(By.ID, "add-quote").click()
    WebDriverWait(browser, 10).until(lambda d: "حدد نص الاقتباس" in text_of(d, "editor-message"))
    browser.execute_script("sessionStorage.clear()")


@needs_chromium
def test_screenshot_of_a_correction_in_progress(browser: Any, site: Site, tmp_path: Path) -> None:
    """docs/correction-in-progress.png (QUOTE_WORKER_SCREENSHOTS=docs); taken either way."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    folder = Path(os.environ.get("QUOTE_WORKER_SCREENSHOTS") or tmp_path)
    browser.set_window_size(390, 844)
    try:
        browser.get(article_url(site, "art-00007"))
        sign_in(browser, site.token)
        wait_for(browser, ".quote-card .correct")[0].click()
        Select(browser.find_element(By.ID, "speaker-choice")).select_by_index(1)
        browser.find_element(By.ID, "speaker-typed").send_keys("أحمد سالم")
        text = DOCS[7]["text"]
        browser.execute_script(SELECT, "text", text.index("المشروع"), text.index("سيكتمل") - 1)
        metrics = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        try:
            # the text scrolls up above the open panel: the selected words in sight
            browser.execute_script("document.getElementById('article-page').scrollIntoView({block: 'start'})")
            assert browser.save_screenshot(str(folder / "correction-in-progress.png"))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    finally:
        browser.execute_script("sessionStorage.clear()")
        browser.set_window_size(1400, 1000)
    assert (folder / "correction-in-progress.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

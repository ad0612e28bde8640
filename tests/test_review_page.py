"""The review page in a real headless chromium (Debian's ``chromium`` and ``chromium-driver``, driven over
WebDriver by selenium with the system driver; nothing is downloaded), and the ``quote-worker eval
--html`` report: what the page highlights is what the API returned, and the report's marks are the
scorer's.

``QUOTE_WORKER_SCREENSHOTS=docs pytest tests/test_review_page.py -k screenshot`` also saves the page on
a sample article, at a desktop's and a phone's width, as docs/review-page.png and
docs/review-page-phone.png.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pytest
from serve_fixtures import extractor, post, sample_articles, serve_url
from shared_data import DEV, needs

from worker.cli import main
from worker.extractor import Extractor
from worker.records import quote_record
from worker.scoring import score
from worker.serve.report import BOUNDARY, CUE, MISSED, SPAN, SPURIOUS, TYPE, WRONG_SPEAKER, judge

__all__ = ["extractor", "serve_url"]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT_SAMPLE = "sample-03-health"  # all three quote types, four speakers, a quote in the title

needs_chromium = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason=f"no headless browser: {CHROMIUM} or {CHROMEDRIVER} is absent "
    "(Debian: apt-get install chromium chromium-driver)",
)

# Reads back, from the DOM alone, which characters of each field every quote, cue and mention
# element covers: offsets in code points (Python's indices), counted over the text nodes in order.
READ_MARKS = """
const root = arguments[0];
const out = {};
for (const box of root.querySelectorAll('.qv-field')) {
  const marks = {quote: {}, cue: {}, mention: {}};
  const colours = {};
  let offset = 0;
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const n = Array.from(node.data).length;
    const seg = node.parentElement.closest('.seg');
    if (seg && box.contains(seg)) {
      for (const [attr, role] of [['quotes', 'quote'], ['cues', 'cue'], ['mentions', 'mention']]) {
        for (const i of (seg.dataset[attr] || '').split(' ').filter(Boolean)) {
          (marks[role][i] = marks[role][i] || []).push([offset, offset + n]);
        }
      }
      if (seg.dataset.quotes) colours[seg.dataset.quotes] = getComputedStyle(seg).backgroundColor;
    }
    offset += n;
  }
  const style = getComputedStyle(box);
  out[box.dataset.field] = {text: box.textContent, marks, colours, direction: style.direction,
                            font: style.fontFamily};
}
return out;
"""

CONFIDENCES = """
return [...arguments[0].querySelectorAll('.seg.quote-end')].map(
  (seg) => [seg.dataset.quotes, getComputedStyle(seg, '::after').content]);
"""


def merged(pieces: list[list[int]]) -> list[list[int]]:
    """Adjacent pieces of one mark joined: the spans that a reader sees highlighted."""
    out: list[list[int]] = []
    for start, end in sorted(pieces):
        if out and out[-1][1] == start:
            out[-1][1] = end
        else:
            out.append([start, end])
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip(f"no headless browser: {CHROMIUM} or {CHROMEDRIVER} is absent")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium look for a driver or browser online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1400,1000")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def show_sample(browser: Any, serve_url: str, article_id: str) -> Any:
    """Load the page, pick a sample, press the button; the article's view once drawn."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(serve_url)
    wait = WebDriverWait(browser, 20)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#sample option")) > 1)
    Select(browser.find_element(By.ID, "sample")).select_by_value(article_id)
    browser.find_element(By.ID, "extract").click()
    wait.until(
        lambda d: [h.text for h in d.find_elements(By.CSS_SELECTOR, "#result .qv-heading")] == [article_id]
    )
    return browser.find_element(By.CSS_SELECTOR, "#result .qv-view")


def page_message(article: dict[str, Any]) -> dict[str, Any]:
    """What the page sends for a sample: its id, title and text from the form."""
    return {"id": article["id"], "text": article["text"], "title": article.get("title")}


@needs_chromium
def test_highlighted_spans_on_the_page_are_the_api_quote_spans(browser: Any, serve_url: str) -> None:
    colours: dict[str, set[str]] = {}
    checked = 0
    for article in sample_articles():
        status, _, body = post(serve_url, "v1/extract", orjson.dumps(page_message(article)))
        assert status == 200
        quotes = orjson.loads(body)["quotes"]
        view = show_sample(browser, serve_url, article["id"])
        fields = browser.execute_script(READ_MARKS, view)
        assert fields["text"]["text"] == article["text"]  # the page shows the text, nothing added
        if article.get("title"):
            assert fields["title"]["text"] == article["title"]
        for field, shown in fields.items():
            arabic = article["id"] != "sample-06-english"  # the one English sample runs left to right
            assert shown["direction"] == ("rtl" if arabic else "ltr") and "Noto Naskh Arabic" in shown["font"]
            for role, attr in (("quote", "span"), ("cue", "cue"), ("mention", "speaker")):
                want = {
                    str(i): [(q[attr] if role == "quote" else q[attr]["span"])]
                    for i, q in enumerate(quotes)
                    if q["field"] == field and (q[attr] if role == "quote" else q[attr]["span"])
                }
                got = {i: merged(pieces) for i, pieces in shown["marks"][role].items()}
                assert got == want, (article["id"], field, role)
            for indices, colour in shown["colours"].items():
                if " " not in indices:  # one quote: its type's colour
                    colours.setdefault(quotes[int(indices)]["type"], set()).add(colour)
        want_conf = {str(i): f'"{q["confidence"]:.2f}"' for i, q in enumerate(quotes)}
        assert dict(browser.execute_script(CONFIDENCES, view)) == want_conf
        checked += len(quotes)
    assert checked > 20
    # Each type has one highlight colour, not transparent, and no two types share one.
    assert set(colours) == {"direct", "indirect", "mixed"}
    assert all(len(c) == 1 and "rgba(0, 0, 0, 0)" not in c for c in colours.values()), colours
    assert len(set().union(*colours.values())) == 3


@needs_chromium
def test_choosing_a_speaker_highlights_their_quotes(browser: Any, serve_url: str) -> None:
    from selenium.webdriver.common.by import By

    article = next(a for a in sample_articles() if a["id"] == SCREENSHOT_SAMPLE)
    quotes = orjson.loads(post(serve_url, "v1/extract", orjson.dumps(page_message(article)))[2])["quotes"]
    view = show_sample(browser, serve_url, article["id"])
    buttons = view.find_elements(By.CSS_SELECTOR, ".qv-speakers button")
    legend = Counter(
        {
            (b.find_element(By.CLASS_NAME, "name").text, b.find_element(By.CLASS_NAME, "kind").text): int(
                b.find_element(By.CLASS_NAME, "count").text
            )
            for b in buttons
        }
    )
    assert legend == Counter((q["speaker"]["name"], q["speaker"]["kind"]) for q in quotes)
    assert len(buttons) >= 2
    chosen_button = buttons[1]
    chosen = chosen_button.find_element(By.CLASS_NAME, "name").text
    chosen_button.click()
    theirs = {str(i) for i, q in enumerate(quotes) if q["speaker"]["name"] == chosen}
    state = browser.execute_script(
        "return [...arguments[0].querySelectorAll('.seg[data-quotes]')].map("
        "(s) => [s.dataset.quotes, s.classList.contains('chosen'), getComputedStyle(s).opacity]);",
        view,
    )
    for indices, is_chosen, opacity in state:
        mine = bool(set(indices.split()) & theirs)
        assert is_chosen == mine and (float(opacity) == 1.0) == mine, (indices, chosen)
    assert chosen_button.get_attribute("aria-pressed") == "true"
    chosen_button.click()  # again: nobody chosen, everything shown
    assert not view.find_elements(By.CSS_SELECTOR, ".seg.chosen")


@needs_chromium
def test_bad_input_shows_the_reason(browser: Any, serve_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(serve_url)
    browser.find_element(By.ID, "article-text").send_keys("   ")
    browser.find_element(By.ID, "extract").click()
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 20).until(lambda d: "empty_text" in status.text)
    assert status.text.startswith("422 empty_text:") and "error" in status.get_attribute("class")


# --- the page at a desktop's and a phone's width (issue 18) ------------------------------------------

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


@contextmanager
def screen(browser: Any, size: str) -> Iterator[None]:
    """The browser's viewport at ``SIZES[size]`` (a phone: mobile metrics, as a phone lays out)."""
    width, height = SIZES[size]
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def extract_pasted(browser: Any, serve_url: str, text: str) -> Any:
    """Load the page, paste ``text``, press the button; the status element once it has an answer."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(serve_url)
    box = browser.find_element(By.ID, "article-text")
    browser.execute_script("arguments[0].value = arguments[1];", box, text)  # fast, and exact
    browser.find_element(By.ID, "extract").click()
    status = browser.find_element(By.ID, "status")
    WebDriverWait(browser, 20).until(lambda d: status.text and status.text != "extracting…")
    return status


def quotes_of(serve_url: str, message: dict[str, Any]) -> list[dict[str, Any]]:
    status, _, body = post(serve_url, "v1/extract", orjson.dumps(message))
    assert status == 200
    return list(orjson.loads(body)["quotes"])


# A made-up article (nothing of a publisher's): 24 speakers, one quoted four times, enough text to scroll.
FIRST_NAMES = ("سامر", "نبيل", "هالة", "فؤاد", "جواد", "ليلى", "كريم", "منى")
LAST_NAMES = ("الحلبي", "الخطيب", "منصور")
CLAIMS = ("الخطة جاهزة للتنفيذ", "الأسعار ستنخفض قريبا", "المدارس ستبقى مفتوحة", "الميناء يعمل كالمعتاد")


def many_speakers_text() -> str:
    paragraphs = []
    for n, (first, last) in enumerate((f, la) for f in FIRST_NAMES for la in LAST_NAMES):
        paragraphs.append(f"وقال المتحدث {first} {last}: «{CLAIMS[n % len(CLAIMS)]} في المحافظة رقم {n}».")
        if n % 7 == 3:
            paragraphs.append(f"وقال المتحدث سامر الحلبي: «{CLAIMS[n % 3]} في الدائرة رقم {n}».")
    return "\n\n".join(paragraphs)


FITS = """
const view = innerWidth;
const box = (sel) => [...document.querySelectorAll(sel)].map((n) => {
  const r = n.getBoundingClientRect(); return [r.left, r.right, r.width]; });
return {view, scrollWidth: document.documentElement.scrollWidth, fields: box('.qv-field'),
        content: box('.qv-list td.content'), picker: box('#sample'), side: box('.qv-side')};
"""


@needs_chromium
@pytest.mark.parametrize("size", SIZES)
def test_the_page_fits_the_screen(browser: Any, serve_url: str, size: str) -> None:
    """Nothing runs off either edge (in RTL an overflow went off the left one, out of reach), the quote
    list's content column has room, and the sample picker fits."""
    with screen(browser, size):
        for article in sample_articles():
            show_sample(browser, serve_url, article["id"])
            fit = browser.execute_script(FITS)
            view = fit["view"]
            assert view == SIZES[size][0]
            assert fit["scrollWidth"] <= view, (article["id"], fit)
            for left, right, _ in fit["fields"] + fit["picker"] + fit["side"]:
                assert left >= 0 and right <= view + 0.5, (article["id"], fit)
            assert all(width >= 150 for _, _, width in fit["content"]), (article["id"], fit["content"])


SPEAKER_LABELS = """
return [...arguments[0].querySelectorAll('.seg[data-quote-start]')].map((seg) => {
  const before = getComputedStyle(seg, '::before');
  return [Number(seg.dataset.quoteStart), before.content, before.display, seg.classList.contains('implicit')];
});
"""


@needs_chromium
@pytest.mark.parametrize("size", SIZES)
def test_every_quote_says_who_speaks_in_the_text(browser: Any, serve_url: str, size: str) -> None:
    """Each quote's first piece shows its speaker's name (a speaker carried over from an earlier sentence
    marked ↩), without a tooltip; tapping the quote, or Enter on it, says it in words beside the text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    article = next(a for a in sample_articles() if a["id"] == SCREENSHOT_SAMPLE)
    quotes = quotes_of(serve_url, page_message(article))
    carried = [i for i, q in enumerate(quotes) if q["speaker"]["span"] is None]
    assert carried  # the sample has a speaker carried over (وأضافت, after a named quote)
    with screen(browser, size):
        view = show_sample(browser, serve_url, article["id"])
        labels = {
            i: (content, display, implicit)
            for i, content, display, implicit in browser.execute_script(SPEAKER_LABELS, view)
        }
        assert sorted(labels) == list(range(len(quotes)))
        for i, q in enumerate(quotes):
            content, display, implicit = labels[i]
            name = q["speaker"]["name"] or q["speaker"]["mention"]
            assert content == (f'"↩ {name}"' if i in carried else f'"{name}"') and display != "none"
            assert implicit == (i in carried)
        detail = view.find_element(By.CSS_SELECTOR, ".qv-detail")
        assert not detail.is_displayed()
        first = view.find_element(By.CSS_SELECTOR, f'.seg[data-quote-start="{carried[0]}"]')
        if size == "phone":
            first.click()  # a tap
        else:
            first.send_keys(Keys.ENTER)
        assert detail.is_displayed()
        assert quotes[carried[0]]["speaker"]["name"] in detail.text and "carried over" in detail.text


@needs_chromium
def test_quotes_and_rows_are_reached_and_chosen_by_keyboard(browser: Any, serve_url: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    article = next(a for a in sample_articles() if a["id"] == SCREENSHOT_SAMPLE)
    n = len(quotes_of(serve_url, page_message(article)))
    view = show_sample(browser, serve_url, article["id"])
    browser.find_element(By.ID, "extract").send_keys("")  # focus where a keyboard user would be
    reached = []
    for _ in range(6 * n + 40):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        reached.append(
            browser.execute_script(
                "const a = document.activeElement;"
                "return a.dataset.quoteStart !== undefined ? 'quote ' + a.dataset.quoteStart :"
                " a.dataset.quoteRow !== undefined ? 'row ' + a.dataset.quoteRow : a.tagName;"
            )
        )
    assert {f"quote {i}" for i in range(n)} <= set(reached)
    assert {f"row {i}" for i in range(n)} <= set(reached)
    row = view.find_element(By.CSS_SELECTOR, '.qv-list tr[data-quote-row="2"]')
    row.send_keys(Keys.ENTER)
    current = browser.execute_script(
        "return [...arguments[0].querySelectorAll('.seg.current')].map((s) => s.dataset.quotes);", view
    )
    assert current and all("2" in c.split() for c in current)
    assert "current" in row.get_attribute("class")


CHAR_X = """
const field = arguments[0];
const walker = document.createTreeWalker(field, NodeFilter.SHOW_TEXT);
const rects = [];
while (walker.nextNode()) {
  const node = walker.currentNode;
  for (let k = 0; k < node.data.length; k++) {
    const range = document.createRange(); range.setStart(node, k); range.setEnd(node, k + 1);
    const r = range.getBoundingClientRect(); if (r.width) rects.push([node.data[k], r.left]);
  }
}
return rects;
"""


@needs_chromium
def test_the_page_is_arabic_and_english_runs_left_to_right(browser: Any, serve_url: str) -> None:
    """The page is Arabic and right to left; English typed in runs left to right in the box and on the
    page (its full stop at its end, on the right), and its '0 quotes' says that only Arabic is read."""
    from selenium.webdriver.common.by import By

    english = "The minister said that the port would open on Monday. Nothing else was said."
    status = extract_pasted(browser, serve_url, english)
    assert browser.execute_script("return [document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    box = browser.find_element(By.ID, "article-text")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", box) == "ltr"
    assert status.text.startswith("0 quote(s)") and "reads Arabic only" in status.text
    field = browser.find_element(By.CSS_SELECTOR, ".qv-field-text")
    xs = browser.execute_script(CHAR_X, field)
    assert xs[-1][0] == "." and xs[-1][1] > xs[0][1]  # the full stop is right of the first letter
    box.clear()
    box.send_keys("قال الوزير: «الخطة جاهزة».")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", box) == "rtl"


@needs_chromium
@pytest.mark.parametrize("size", SIZES)
def test_a_colon_cue_is_wide_enough_to_see(browser: Any, serve_url: str, size: str) -> None:
    article = next(a for a in sample_articles() if a["id"] == SCREENSHOT_SAMPLE)
    assert any(q["cue"]["text"] == ":" for q in quotes_of(serve_url, page_message(article)))
    with screen(browser, size):
        view = show_sample(browser, serve_url, article["id"])
        widths = browser.execute_script(
            "return [...arguments[0].querySelectorAll('.seg.cue')].map("
            "(s) => [s.textContent, s.getBoundingClientRect().width]);",
            view,
        )
    colons = [w for text, w in widths if text.strip() == ":"]
    assert colons and min(colons) >= 10, widths


@needs_chromium
@pytest.mark.parametrize("size", SIZES)
def test_many_speakers_keep_the_legend_small_and_one_steps_through_a_speaker(
    browser: Any, serve_url: str, size: str
) -> None:
    from selenium.webdriver.common.by import By

    text = many_speakers_text()
    quotes = quotes_of(serve_url, {"id": "pasted", "text": text})
    assert len(quotes) >= 24 and len({q["speaker"]["id"] for q in quotes}) >= 20
    with screen(browser, size):
        extract_pasted(browser, serve_url, text)
        view = browser.find_element(By.CSS_SELECTOR, "#result .qv-view")
        legend = view.find_element(By.CSS_SELECTOR, ".qv-speakers")
        assert legend.rect["height"] <= 0.25 * SIZES[size][1]
        if size == "desktop":  # the side column stays in sight while the text scrolls
            field = view.find_element(By.CSS_SELECTOR, ".qv-field-text")
            assert field.rect["height"] > 2 * SIZES[size][1]
            browser.execute_script(
                "window.scrollTo(0, arguments[0])", field.rect["y"] + field.rect["height"] / 2
            )
            side = browser.execute_script(
                "return arguments[0].getBoundingClientRect().toJSON()",
                view.find_element(By.CSS_SELECTOR, ".qv-side"),
            )
            assert 0 <= side["top"] < 100, side
        most = Counter(q["speaker"]["id"] for q in quotes).most_common(1)[0]
        theirs = [i for i, q in enumerate(quotes) if q["speaker"]["id"] == most[0]]
        assert len(theirs) >= 3
        button = view.find_element(By.CSS_SELECTOR, ".qv-speakers button")  # most quoted first
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        step = view.find_element(By.CSS_SELECTOR, ".qv-step")
        assert step.is_displayed()
        seen = []
        for name in ("next", "next", "next", "previous"):
            step.find_element(By.CLASS_NAME, name).click()
            state = browser.execute_script(
                "const v = arguments[0]; const seg = v.querySelector('.seg.quote-start.current');"
                "const r = seg.getBoundingClientRect();"
                "return [Number(seg.dataset.quoteStart), r.top >= 0 && r.bottom <= innerHeight];",
                view,
            )
            assert state[1], (name, state)
            seen.append(state[0])
        assert seen == [theirs[0], theirs[1], theirs[2], theirs[1]]
        assert step.find_element(By.CLASS_NAME, "where").text == f"2 / {len(theirs)}"


@needs_chromium
def test_broken_json_is_said_to_be_broken_and_can_be_sent_as_text(browser: Any, serve_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    broken = '{"id": "a1",\n "text": "قال الوزير: «نعم»" "title": "x"}'
    status = extract_pasted(browser, serve_url, broken)
    assert "not valid JSON (line 2, column" in status.text and "error" in status.get_attribute("class")
    assert not browser.find_elements(By.CSS_SELECTOR, "#result .qv-view")  # nothing guessed
    status.find_element(By.ID, "as-text").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#result .qv-view"))
    view = browser.find_element(By.CSS_SELECTOR, "#result .qv-view")
    assert view.find_element(By.CLASS_NAME, "qv-heading").text == "pasted"
    assert browser.execute_script(READ_MARKS, view)["text"]["text"] == broken


@needs_chromium
@pytest.mark.parametrize("size", SIZES)
def test_the_page_says_what_the_confidence_means(browser: Any, serve_url: str, size: str) -> None:
    from selenium.webdriver.common.by import By

    with screen(browser, size):
        show_sample(browser, serve_url, SCREENSHOT_SAMPLE)
        note = browser.find_element(By.CSS_SELECTOR, ".qv-about-confidence")
        note.find_element(By.TAG_NAME, "summary").click()
        text = note.find_element(By.TAG_NAME, "p").text
    assert note.is_displayed() and "0.70" in text and "carried over" in text and "not a probability" in text


@needs_chromium
@pytest.mark.parametrize("size", SIZES)
def test_screenshot_of_the_page_on_a_sample(browser: Any, serve_url: str, size: str, tmp_path: Path) -> None:
    """The pictures in docs/ (set QUOTE_WORKER_SCREENSHOTS=docs to write them there): the page on a sample,
    the first quote chosen, whole; taken either way."""
    from selenium.webdriver.common.by import By

    folder = Path(os.environ.get("QUOTE_WORKER_SCREENSHOTS") or tmp_path)
    target = folder / ("review-page.png" if size == "desktop" else f"review-page-{size}.png")
    width, _ = SIZES[size]
    with screen(browser, size):
        view = show_sample(browser, serve_url, SCREENSHOT_SAMPLE)
        view.find_element(By.CSS_SELECTOR, '.seg[data-quote-start="1"]').click()
        browser.execute_script("window.scrollTo(0, 0)")
        height = browser.execute_script("return document.documentElement.scrollHeight")
    # The whole page in one picture: a viewport as tall as the page (no scroll bar), over DevTools.
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": size == "phone"}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        assert browser.save_screenshot(str(target))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- the eval report ---------------------------------------------------------------------------------

KINDS = (MISSED, SPURIOUS, BOUNDARY, WRONG_SPEAKER, TYPE, CUE, SPAN)


def sample_gold(extractor: Extractor) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """A gold set from our own sample articles: the extractor's quotes taken as gold, then one removed
    (a spurious prediction), one speaker changed (a wrong speaker), one quote cut to a third of its
    length (found with the wrong boundaries), one quote's type and cue changed (a matched quote that
    differs) and one quote added where nothing was found (a missed quote). Returns the gold articles and
    the errors so made."""
    gold: list[dict[str, Any]] = []
    for article in sample_articles():
        text = article["text"]
        quotes = []
        for q in extractor.extract(text):
            quotes.append(
                {
                    "type": q.type,
                    "content": q.text,
                    "content_start": q.span.start,
                    "content_end": q.span.end,
                    "cue": q.cue.text,
                    "cue_start": q.cue.span.start,
                    "cue_end": q.cue.span.end,
                    "mention": q.speaker.mention,
                    "mention_start": q.speaker.span.start if q.speaker.span else None,
                    "mention_end": q.speaker.span.end if q.speaker.span else None,
                    "speaker": q.speaker.name or q.speaker.mention or "",
                    "speaker_aliases": [],
                }
            )
        gold.append({"id": article["id"], "text": text, "quotes": quotes})
    with_quotes = [a for a in gold if len(a["quotes"]) >= 2]
    del with_quotes[0]["quotes"][0]
    differing = with_quotes[0]["quotes"][0]
    differing["type"] = "indirect" if differing["type"] == "direct" else "direct"
    differing["cue"] = "تساءل"
    with_quotes[1]["quotes"][0]["speaker"] = "متحدث لم يذكر في النص"
    cut = with_quotes[1]["quotes"][1]
    cut["content_end"] = cut["content_start"] + (cut["content_end"] - cut["content_start"]) // 3
    cut["content"] = with_quotes[1]["text"][cut["content_start"] : cut["content_end"]]
    article, first_line_end = next(
        (a, a["text"].index("\n"))
        for a in with_quotes[2:]
        if all(q["content_start"] > a["text"].index("\n") for q in a["quotes"])
    )
    article["quotes"].insert(
        0,
        {
            "type": "indirect",
            "content": article["text"][:first_line_end],
            "content_start": 0,
            "content_end": first_line_end,
            "cue": None,
            "speaker": "مصدر",
        },
    )
    made = dict.fromkeys(KINDS, 0)
    made.update({MISSED: 1, SPURIOUS: 1, BOUNDARY: 1, WRONG_SPEAKER: 1, TYPE: 1, CUE: 1})
    return gold, made


def predictions_of(gold: list[dict[str, Any]], extractor: Extractor) -> list[dict[str, Any]]:
    """As ``quote-worker eval`` makes them."""
    return [
        quote_record(a["id"], q, extractor.version, extractor.backend_name)
        for a in gold
        for q in extractor.extract(a["text"])
    ]


def error_counts(result: dict[str, Any]) -> dict[str, int]:
    kinds = {"missed": MISSED, "spurious": SPURIOUS, "wrong speaker": WRONG_SPEAKER}
    counts = dict.fromkeys(kinds.values(), 0)
    for error in result["errors"]:
        counts[kinds[error["kind"]]] += 1
    return counts


def marks_of(judged: list[dict[str, Any]]) -> dict[str, int]:
    return {k: sum(a["counts"][k] for a in judged) for k in KINDS}


def as_the_scorer_counts(marks: dict[str, int]) -> dict[str, int]:
    """The scorer's errors from the report's marks: a boundary error is one missed and one spurious."""
    return {
        MISSED: marks[MISSED] + marks[BOUNDARY],
        SPURIOUS: marks[SPURIOUS] + marks[BOUNDARY],
        WRONG_SPEAKER: marks[WRONG_SPEAKER],
    }


def check_marks_against_the_scorer(gold: list[dict[str, Any]], predictions: list[dict[str, Any]]) -> dict:
    judged = judge(gold, predictions)
    marks = marks_of(judged)
    result = score(gold, predictions)
    assert as_the_scorer_counts(marks) == error_counts(result)
    main = result["iou>=0.5"]
    matched = result["gold_quotes"] - marks[MISSED] - marks[BOUNDARY]
    assert marks[CUE] == round(
        matched * (1 - main["cue_accuracy"])
    )  # cue differences: the scorer's cue errors
    return marks


def test_report_marks_are_the_scorers_errors(extractor: Extractor) -> None:
    gold, made = sample_gold(extractor)
    predictions = predictions_of(gold, extractor)
    assert check_marks_against_the_scorer(gold, predictions) == made
    for article in judge(gold, predictions):  # every quote judged; a linked pair's two sides agree
        pairs: dict[int, list[dict[str, Any]]] = {}
        for side in ("predicted", "gold"):
            for q in article[side]:
                assert q["side"] == side and q["verdict"] in ("ok", MISSED, SPURIOUS, BOUNDARY, WRONG_SPEAKER)
                assert ("pair" in q) == (q["verdict"] not in (MISSED, SPURIOUS))
                if "pair" in q:
                    pairs.setdefault(q["pair"], []).append(q)
        for p, g in pairs.values():
            assert p["verdict"] == g["verdict"] and p[
                "differences" if "differences" in p else "verdict"
            ] == g.get("differences", g["verdict"])
            assert p["other"]["span"] == g["span"] and g["other"]["span"] == p["span"]


def test_a_quote_found_with_wrong_boundaries_is_one_linked_boundary_error(extractor: Extractor) -> None:
    gold, _ = sample_gold(extractor)
    judged = judge(gold, predictions_of(gold, extractor))
    article = next(a for a in judged if a["counts"][BOUNDARY])
    (g,) = [q for q in article["gold"] if q["verdict"] == BOUNDARY]
    (p,) = [q for q in article["predicted"] if q["verdict"] == BOUNDARY]
    assert g["pair"] == p["pair"] and p["span"][0] == g["span"][0] and p["span"][1] > g["span"][1]
    assert article["counts"][MISSED] == article["counts"][SPURIOUS] == 0


@needs(DEV)
def test_report_marks_are_the_scorers_errors_on_the_dev_set(extractor: Extractor) -> None:
    gold = [orjson.loads(line) for line in DEV.read_bytes().splitlines() if line.strip()]
    marks = check_marks_against_the_scorer(gold, predictions_of(gold, extractor))
    assert marks[BOUNDARY] > 0 and marks[TYPE] > 0 and marks[SPAN] > 0  # the dev set has each kind


@pytest.fixture(scope="module")
def report(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    folder = tmp_path_factory.mktemp("report")
    gold, _ = sample_gold(extractor)
    gold_file = folder / "gold.jsonl"
    gold_file.write_bytes(b"".join(orjson.dumps(a) + b"\n" for a in gold))
    out = folder / "report.html"
    assert main(["eval", "--gold", str(gold_file), "--html", str(out)]) == 0
    return out, gold


def test_eval_html_is_one_self_contained_file(report: tuple[Path, list[dict]]) -> None:
    out, _ = report
    html = out.read_text(encoding="utf-8")
    assert "<script src" not in html and '<link rel="stylesheet"' not in html  # all inside
    assert "https://" not in html and "http://" not in html
    assert html.count("</script>") == 3  # the data cannot end its element early


def test_eval_html_says_where_it_wrote_the_report(
    report: tuple[Path, list[dict]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out, _ = report
    target = tmp_path / "again.html"
    assert main(["eval", "--gold", str(out.parent / "gold.jsonl"), "--html", str(target)]) == 0
    assert f"quote-worker eval: wrote the report to {target.resolve()}" in capsys.readouterr().err
    assert target.exists()


def verdict_shown(q: dict[str, Any]) -> str:
    return " · ".join([q["verdict"].replace("-", " "), *(f"{d} differs" for d in q.get("differences", ()))])


@needs_chromium
def test_eval_html_shows_prediction_beside_gold_with_the_marks(
    browser: Any, report: tuple[Path, list[dict]], extractor: Extractor
) -> None:
    from selenium.webdriver.common.by import By

    out, gold = report
    judged = {a["id"]: a for a in judge(gold, predictions_of(gold, extractor))}
    browser.get(out.as_uri())
    pairs = browser.find_elements(By.CSS_SELECTOR, ".pair")
    assert [p.get_attribute("data-article") for p in pairs] == [a["id"] for a in gold]
    for pair in pairs:
        article = judged[pair.get_attribute("data-article")]
        predicted, gold_view = pair.find_elements(By.CSS_SELECTOR, ".qv-view")
        for view, side in ((predicted, "predicted"), (gold_view, "gold")):
            marks = browser.execute_script(READ_MARKS, view)["text"]["marks"]["quote"]
            assert {i: merged(p) for i, p in marks.items()} == {
                str(i): [q["span"]] for i, q in enumerate(article[side])
            }
            shown = browser.execute_script(
                "return [...arguments[0].querySelectorAll('tbody tr')].map("
                "(r) => r.querySelector('td.verdict').textContent);",
                view,
            )
            assert shown == [verdict_shown(q) for q in article[side]]
    top = browser.find_element(By.CSS_SELECTOR, ".scores").text
    result = score(gold, predictions_of(gold, extractor))
    assert f"{result['iou>=0.5']['quote']['f1']:.3f}" in top
    totals = (
        "missed 1 · spurious 1 · boundary 1 · wrong speaker 1 · type differs 1 · cue differs 1 · span differs"
    )
    assert totals in top


@needs_chromium
def test_eval_html_links_a_boundary_error_across_the_two_sides(
    browser: Any, report: tuple[Path, list[dict]]
) -> None:
    from selenium.webdriver.common.by import By

    out, _ = report
    browser.get(out.as_uri())
    pair = next(p for p in browser.find_elements(By.CSS_SELECTOR, ".pair") if "boundary 1" in p.text)
    predicted, gold_view = pair.find_elements(By.CSS_SELECTOR, ".qv-view")
    row = predicted.find_element(By.CSS_SELECTOR, "tr.verdict-boundary")
    browser.execute_script("arguments[0].scrollIntoView()", row)
    row.click()
    current = [
        c.get_attribute("class") for c in gold_view.find_elements(By.CSS_SELECTOR, ".seg.quote.current")
    ]
    assert current and all("verdict-boundary" in c for c in current)
    assert "current" in gold_view.find_element(By.CSS_SELECTOR, "tr.verdict-boundary").get_attribute("class")
    assert "gold says" in predicted.find_element(By.CSS_SELECTOR, ".qv-detail").text


@needs_chromium
def test_eval_html_shows_a_wrong_speaker_differently_on_each_side(
    browser: Any, report: tuple[Path, list[dict]]
) -> None:
    from selenium.webdriver.common.by import By

    out, _ = report
    browser.get(out.as_uri())
    pair = next(p for p in browser.find_elements(By.CSS_SELECTOR, ".pair") if "wrong speaker 1" in p.text)
    predicted, gold_view = pair.find_elements(By.CSS_SELECTOR, ".qv-view")
    wrong = predicted.find_element(By.CSS_SELECTOR, "tr.verdict-wrong-speaker td.speaker")
    right = gold_view.find_element(By.CSS_SELECTOR, "tr.verdict-wrong-speaker td.speaker")
    assert "speaker-wrong" in wrong.get_attribute("class") and "speaker-right" in right.get_attribute("class")
    assert "gold: متحدث لم يذكر في النص" in wrong.text
    predicted_name = wrong.find_element(By.CLASS_NAME, "name").text
    assert f"predicted: {predicted_name}" in right.text
    looks = "return [getComputedStyle(arguments[0]).textDecorationLine, getComputedStyle(arguments[0]).color]"
    wrong_look = browser.execute_script(looks, wrong.find_element(By.CLASS_NAME, "name"))
    right_look = browser.execute_script(looks, right.find_element(By.CLASS_NAME, "name"))
    assert "line-through" in wrong_look[0] and "line-through" not in right_look[0]
    assert wrong_look[1] != right_look[1]
    labels = [  # the speaker named in the text, at the quote, also differs
        browser.execute_script(
            "const s = arguments[0].querySelector('.seg.quote-start.verdict-wrong-speaker');"
            "const b = getComputedStyle(s, '::before'); return [b.content, b.textDecorationLine, b.color];",
            view,
        )
        for view in (predicted, gold_view)
    ]
    assert labels[0] != labels[1] and "line-through" in labels[0][1]


def scored_errors(article: dict[str, Any]) -> int:
    return sum(article["counts"][k] for k in (MISSED, SPURIOUS, BOUNDARY, WRONG_SPEAKER))


def displayed(browser: Any, selector: str) -> list[str]:
    """The articles of the elements that ``selector`` finds and that are shown, in order."""
    from selenium.webdriver.common.by import By

    return [
        e.get_attribute("data-article")
        for e in browser.find_elements(By.CSS_SELECTOR, selector)
        if e.is_displayed()
    ]


@needs_chromium
@pytest.mark.parametrize("size", SIZES)
def test_eval_html_index_sorts_and_filters_by_kind_of_error(
    browser: Any, report: tuple[Path, list[dict]], extractor: Extractor, size: str
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, gold = report
    judged = judge(gold, predictions_of(gold, extractor))
    with screen(browser, size):
        browser.get(out.as_uri())
        assert browser.execute_script("return document.documentElement.scrollWidth") <= SIZES[size][0]
        index = browser.find_elements(By.CSS_SELECTOR, ".index tbody tr")
        assert [r.get_attribute("data-article") for r in index] == [a["id"] for a in judged]

        def shown() -> list[str]:
            return displayed(browser, ".pair")

        def listed() -> list[str]:
            return displayed(browser, ".index tbody tr")

        kinds = Select(browser.find_element(By.ID, "error-kind"))
        kinds.select_by_value("errors")  # "only articles with errors" hides the others
        with_errors = [a["id"] for a in judged if scored_errors(a)]
        assert 0 < len(with_errors) < len(judged)
        assert shown() == listed() == with_errors
        for kind in KINDS:
            kinds.select_by_value(kind)
            assert shown() == listed() == [a["id"] for a in judged if a["counts"][kind]], kind
        kinds.select_by_value("")
        assert shown() == [a["id"] for a in judged]
        header = browser.find_element(By.CSS_SELECTOR, '.index th button[data-sort="errors"]')
        header.click()  # most errors first, the articles below in the same order
        assert listed() == shown() == [a["id"] for a in sorted(judged, key=lambda a: -scored_errors(a))]
        header.click()  # reversed (ties stay in the file's order)
        assert listed() == shown() == [a["id"] for a in sorted(judged, key=scored_errors)]
        link = browser.find_element(By.CSS_SELECTOR, ".index tbody tr a")
        target = link.get_attribute("href").split("#")[1]
        assert browser.find_element(By.ID, target).get_attribute("data-article") == link.text, (
            target,
            link.get_attribute("href"),
        )


def test_eval_html_that_cannot_be_written_is_a_clear_error(
    report: tuple[Path, list[dict]], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = report
    target = out.parent / "no-such-folder" / "report.html"
    assert main(["eval", "--gold", str(out.parent / "gold.jsonl"), "--html", str(target)]) == 2
    assert f"cannot write {target}" in capsys.readouterr().err

"""The review page in a real headless chromium (Debian's ``chromium`` and ``chromium-driver``, driven over
WebDriver by selenium with the system driver; nothing is downloaded), and the ``quote-worker eval
--html`` report: what the page highlights is what the API returned, and the report's marks are the
scorer's.

``QUOTE_WORKER_SCREENSHOT=docs/review-page.png pytest tests/test_review_page.py -k screenshot`` also
saves the page on a sample article as that picture.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
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
from worker.serve.report import MISSED, SPURIOUS, WRONG_SPEAKER, judge

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
            assert shown["direction"] == "rtl" and "Noto Naskh Arabic" in shown["font"]
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


@needs_chromium
def test_screenshot_of_the_page_on_a_sample(browser: Any, serve_url: str, tmp_path: Path) -> None:
    """The picture in docs/ (set QUOTE_WORKER_SCREENSHOT to write it there); a picture is taken either way."""
    view = show_sample(browser, serve_url, SCREENSHOT_SAMPLE)
    assert view.is_displayed()
    target = Path(os.environ.get("QUOTE_WORKER_SCREENSHOT") or tmp_path / "review-page.png")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    # The whole page in one picture: a viewport as tall as the page (no scroll bar), over DevTools.
    metrics = {"width": 1400, "height": height, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        assert browser.save_screenshot(str(target))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- the eval report ---------------------------------------------------------------------------------


def sample_gold(extractor: Extractor) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """A gold set from our own sample articles: the extractor's quotes taken as gold, then one removed
    (a spurious prediction), one speaker changed (a wrong speaker) and one quote added where nothing was
    found (a missed quote). Returns the gold articles and the errors so made."""
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
    with_quotes[1]["quotes"][0]["speaker"] = "متحدث لم يذكر في النص"
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
    return gold, {MISSED: 1, SPURIOUS: 1, WRONG_SPEAKER: 1}


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
    return {k: sum(a["counts"][k] for a in judged) for k in (MISSED, SPURIOUS, WRONG_SPEAKER)}


def test_report_marks_are_the_scorers_errors(extractor: Extractor) -> None:
    gold, made = sample_gold(extractor)
    predictions = predictions_of(gold, extractor)
    judged = judge(gold, predictions)
    assert marks_of(judged) == error_counts(score(gold, predictions)) == made
    for article in judged:  # every quote judged; a pair's two sides agree
        pairs: dict[int, set[str]] = {}
        for side in ("predicted", "gold"):
            for q in article[side]:
                assert q["verdict"] in ("ok", MISSED, SPURIOUS, WRONG_SPEAKER)
                if "pair" in q:
                    pairs.setdefault(q["pair"], set()).add(q["verdict"])
        assert all(len(v) == 1 for v in pairs.values())


@needs(DEV)
def test_report_marks_are_the_scorers_errors_on_the_dev_set(extractor: Extractor) -> None:
    gold = [orjson.loads(line) for line in DEV.read_bytes().splitlines() if line.strip()]
    predictions = predictions_of(gold, extractor)
    assert marks_of(judge(gold, predictions)) == error_counts(score(gold, predictions))


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
            assert shown == [q["verdict"].replace("-", " ") for q in article[side]]
    top = browser.find_element(By.CSS_SELECTOR, ".scores").text
    result = score(gold, predictions_of(gold, extractor))
    assert f"{result['iou>=0.5']['quote']['f1']:.3f}" in top
    assert "missed 1 · spurious 1 · wrong speaker 1" in top


def test_eval_html_that_cannot_be_written_is_a_clear_error(
    report: tuple[Path, list[dict]], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = report
    target = out.parent / "no-such-folder" / "report.html"
    assert main(["eval", "--gold", str(out.parent / "gold.jsonl"), "--html", str(target)]) == 2
    assert f"cannot write {target}" in capsys.readouterr().err

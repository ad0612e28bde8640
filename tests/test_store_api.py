"""The quote store's API in ``quote-worker serve --database`` (issue 17), on SQLite and a real
PostgreSQL: every filter of ``GET /v1/quotes`` against a reference computed from the records
themselves, cursor pagination, CSV read back with the csv module, speakers, articles, and bad
parameters answered with a 4xx naming them."""

from __future__ import annotations

import csv
import io
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from serve_fixtures import RunningServer, extractor, get, request, serve_url  # noqa: F401  (fixtures)
from store_feed import article, as_consumed, worker_output
from store_fixtures import postgres  # noqa: F401  (fixture)

from worker.extractor import Extractor
from worker.serve.app import create_app
from worker.store.database import open_database
from worker.store.folding import search_words
from worker.store.ingest import apply_batch, normalise_time
from worker.store.migrations import migrate

Q, S = "quotes", "article-status"
EXTRA = [
    # the family name alone, a hamza on another seat (مسئولية), a word with a proclitic (فالاقتصاد)
    {"id": "extra-1", "text": "وقال ترامب: «المسئولية كبيرة فالاقتصاد يتعافى».", "source": "وكالة الأنباء",
     "published_at": "2024-03-30T12:00:00Z", "title": "ترامب يتحدث"},
    # no date, no outlet
    {"id": "extra-2", "text": 'قال الوزير أحمد سالم إن "الاقتصاد ينمو ببطء".'},
    # reported speech (indirect, mixed), an anonymous source (no speaker key), lower confidence
    {"id": "extra-3", "text": "وأكد المتحدث باسم الوزارة سامي نادر أن الاقتصاد سيتحسن خلال العام المقبل.",
     "source": "موقع المدينة", "published_at": "2024-02-12T09:00:00Z"},
    {"id": "extra-4", "text": "وقال مصدر مطلع إن المفاوضات متعثرة حتى الآن.", "source": "موقع المدينة",
     "published_at": "2024-02-13T09:00:00Z"},
    {"id": "extra-5", "text": 'وأوضحت ليلى حداد أن "الشركة ستفتتح فرعا جديدا" في المدينة قريبا.',
     "source": "صحيفة الشروق", "published_at": "2024-01-20T09:00:00Z"},
]  # fmt: skip
DOCS = [article(i) for i in range(40)] + EXTRA


def records() -> list[dict[str, Any]]:
    return [orjson.loads(r.value) for r in worker_output(DOCS, Q, S) if r.topic == Q]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'quotes.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    with open_database(url) as db:
        migrate(db)
        consumed = as_consumed(worker_output(DOCS, Q, S), partitions=2)
        for i in range(0, len(consumed), 20):
            apply_batch(db, consumed[i : i + 20], Q, S)
    app = create_app(Extractor("rules"), database=url)
    with RunningServer(app) as running:
        yield running.url


def fetch(base: str, path: str, **params: Any) -> tuple[int, Any]:
    status, _, body = get(base, path + ("?" + urllib.parse.urlencode(params) if params else ""))
    return status, orjson.loads(body)


def all_pages(base: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        status, page = fetch(base, "v1/quotes", **params, **({"cursor": cursor} if cursor else {}))
        assert status == 200, page
        out += page["quotes"]
        cursor = page["next_cursor"]
        if cursor is None:
            return out


def published(rec: dict[str, Any]) -> str:
    return normalise_time(rec["article"]["published_at"]) or ""


def key_of(name: str) -> str:
    return "-".join(search_words(name))


CASES: dict[str, tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = {
    "all": ({}, lambda r: True),
    "speaker": ({"speaker": key_of("ليلى حداد")}, lambda r: r["speaker"]["name"] == "ليلى حداد"),
    "speaker merges the family name alone": (
        {"speaker": key_of("دونالد ترامب")},
        lambda r: r["speaker"]["name"] in ("دونالد ترامب", "ترامب"),
    ),
    "words, another hamza seat": ({"q": "المسؤولية"}, lambda r: "المسئولية" in r["text"]),
    "words, hamza folded both ways": (
        {"q": "مسئوليه"},
        lambda r: "مسؤولية" in r["text"] or "مسئولية" in r["text"],
    ),
    "words, proclitic in the text": ({"q": "الاقتصاد"}, lambda r: "الاقتصاد" in r["text"]),
    "words, all of them": ({"q": "المشروع رقم 7"}, lambda r: "المشروع رقم 7 " in r["text"]),
    "words, diacritics and tatweel in the query": ({"q": "المـشْروع"}, lambda r: "المشروع" in r["text"]),
    "outlet": ({"outlet": "موقع المدينة"}, lambda r: r["article"]["source"] == "موقع المدينة"),
    "from": ({"from": "2024-02-10"}, lambda r: published(r) >= "2024-02-10"),
    "to (a day, inclusive)": ({"to": "2024-01-15"}, lambda r: "" < published(r) < "2024-01-16"),
    "date range, RFC 3339": (
        {"from": "2024-02-01T00:00:00+00:00", "to": "2024-03-01T00:00:00Z"},
        lambda r: "2024-02-01" <= published(r) < "2024-03-01",
    ),
    "type direct": ({"type": "direct"}, lambda r: r["type"] == "direct"),
    "type indirect": ({"type": "indirect"}, lambda r: r["type"] == "indirect"),
    "type mixed": ({"type": "mixed"}, lambda r: r["type"] == "mixed"),
    "confidence": ({"min_confidence": "0.85"}, lambda r: r["confidence"] >= 0.85),
    "max confidence": ({"max_confidence": "0.85"}, lambda r: r["confidence"] <= 0.85),
    "article": ({"article": "art-00003"}, lambda r: r["article_id"] == "art-00003"),
    "combined": (
        {"outlet": "وكالة الأنباء", "type": "direct", "from": "2024-02-01"},
        lambda r: (
            r["article"]["source"] == "وكالة الأنباء"
            and r["type"] == "direct"
            and published(r) >= "2024-02-01"
        ),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_filter(api: str, case: str) -> None:
    params, keep = CASES[case]
    expected = {r["quote_id"] for r in records() if keep(r)}
    assert expected, f"the fixture has no quote for {case}"
    found = all_pages(api, **params, limit=7)
    assert [q["quote_id"] for q in found if q["quote_id"] not in expected] == []
    assert {q["quote_id"] for q in found} == expected
    assert len(found) == len(expected)


def test_pagination_is_newest_first_without_repeats(api: str) -> None:
    found = all_pages(api, limit=3)
    ids = [q["quote_id"] for q in found]
    assert len(ids) == len(set(ids)) == len(records())
    keys = [(q["article"]["published_at"] or "", q["quote_id"]) for q in found]
    assert keys == sorted(keys, reverse=True)
    status, first = fetch(api, "v1/quotes", limit=500)
    assert status == 200 and first["next_cursor"] is None and len(first["quotes"]) == len(ids)


def test_quote_items_are_the_records_with_speaker_key_and_article(api: str) -> None:
    by_id = {r["quote_id"]: r for r in records()}
    for item in all_pages(api, limit=100):
        original = by_id[item["quote_id"]]
        assert item["correction"] is None  # no editor corrected it
        assert {k: v for k, v in item.items() if k not in ("speaker_key", "article", "correction")} == {
            k: v for k, v in original.items() if k != "article"
        }
    status, page = fetch(api, "v1/quotes", article="extra-1")
    assert status == 200
    assert page["quotes"][0]["article"] == {
        "title": "ترامب يتحدث", "source": "وكالة الأنباء", "url": None, "published_at": "2024-03-30T12:00:00Z"
    }  # fmt: skip
    assert page["quotes"][0]["speaker_key"] == key_of("دونالد ترامب")


@pytest.mark.parametrize("how", ["format", "accept"])
def test_csv_opens_with_the_csv_module_arabic_intact(api: str, how: str) -> None:
    params = {"outlet": "صحيفة الشروق"}
    if how == "format":
        status, headers, body = get(api, "v1/quotes?" + urllib.parse.urlencode({**params, "format": "csv"}))
    else:
        url = api + "v1/quotes?" + urllib.parse.urlencode(params)
        status, headers, body = request(url, headers={"Accept": "text/csv"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    expected = {r["quote_id"]: r for r in records() if r["article"]["source"] == "صحيفة الشروق"}
    assert {row["quote_id"] for row in rows} == set(expected)
    for row in rows:
        rec = expected[row["quote_id"]]
        assert row["quote"] == rec["text"] and row["speaker"] == rec["speaker"]["name"]
        assert row["outlet"] == "صحيفة الشروق" and row["article_title"] == (rec["article"]["title"] or "")
        assert float(row["confidence"]) == rec["confidence"]


def test_csv_pages_with_a_cursor_header(api: str) -> None:
    status, headers, body = get(api, "v1/quotes?format=csv&limit=5")
    assert status == 200 and headers["X-Next-Cursor"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert len(rows) == 6  # header + 5


BAD = [
    ({"type": "quoted"}, "type"),
    ({"from": "last week"}, "from"),
    ({"to": "2024-13-01"}, "to"),
    ({"from": "2024-03-01", "to": "2024-02-01"}, "to"),
    ({"limit": "0"}, "limit"),
    ({"limit": "501"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"min_confidence": "1.5"}, "min_confidence"),
    ({"max_confidence": "high"}, "max_confidence"),
    ({"q": "!!! ..."}, "q"),
    ({"format": "xml"}, "format"),
    ({"speakr": "x"}, "speakr"),
]


@pytest.mark.parametrize(("params", "parameter"), BAD, ids=[p for _, p in BAD])
def test_bad_parameters_get_a_400_naming_them(api: str, params: dict[str, str], parameter: str) -> None:
    status, body = fetch(api, "v1/quotes", **params)
    assert status == 400
    assert body["reason"] == "bad_parameter" and body["parameter"] == parameter
    assert parameter in body["message"]


def test_speakers_most_quoted_in_a_range_and_by_name(api: str) -> None:
    in_range = [r for r in records() if "2024-02-01" <= published(r) < "2024-03-01" and r["speaker"]["name"]]
    counts: dict[str, int] = {}
    for r in in_range:
        if r["speaker"]["kind"] == "anonymous":
            continue  # no one across articles
        key = key_of("دونالد ترامب") if r["speaker"]["name"] == "ترامب" else key_of(r["speaker"]["name"])
        counts[key] = counts.get(key, 0) + 1
    status, body = fetch(api, "v1/speakers", **{"from": "2024-02-01", "to": "2024-02-29"})
    assert status == 200
    assert {s["key"]: s["quotes"] for s in body["speakers"]} == counts
    assert [s["quotes"] for s in body["speakers"]] == sorted(counts.values(), reverse=True)
    status, body = fetch(api, "v1/speakers", q="حدا")
    assert [s["name"] for s in body["speakers"]] == ["ليلى حداد"]
    status, body = fetch(api, "v1/speakers", q="!!")
    assert status == 400 and body["parameter"] == "q"
    status, body = fetch(api, "v1/speakers", limit="1000")
    assert status == 400 and body["parameter"] == "limit"


def test_speaker_page(api: str) -> None:
    key = key_of("دونالد ترامب")
    status, body = fetch(api, f"v1/speakers/{urllib.parse.quote(key)}")
    assert status == 200
    mine = [r for r in records() if r["speaker"]["name"] in ("دونالد ترامب", "ترامب")]
    assert body["name"] == "دونالد ترامب" and body["kind"] == "person" and body["quotes"] == len(mine)
    assert {n["name"] for n in body["names"]} == {"دونالد ترامب", "ترامب"}
    assert sum(w["quotes"] for w in body["quotes_per_week"]) == len([r for r in mine if published(r)])
    assert [w["week"] for w in body["quotes_per_week"]] == sorted(w["week"] for w in body["quotes_per_week"])
    assert len(body["latest_quotes"]) == min(10, len(mine))
    assert body["latest_quotes"][0]["article_id"] == "extra-1"
    status, body = fetch(api, "v1/speakers/" + urllib.parse.quote("لا-احد"))
    assert status == 404 and body["reason"] == "not_found"


def test_article(api: str) -> None:
    status, body = fetch(api, "v1/articles/art-00005")
    assert status == 200
    doc = DOCS[5]
    assert body["article"]["title"] == doc["title"] and body["article"]["url"] == doc["url"]
    assert body["article"]["status"] == "ok"
    expected = [r["quote_id"] for r in records() if r["article_id"] == "art-00005"]
    assert [q["quote_id"] for q in body["quotes"]] == expected
    status, body = fetch(api, "v1/articles/nope")
    assert status == 404 and body["reason"] == "not_found"


def test_openapi_names_the_store_paths(api: str) -> None:
    from openapi_spec_validator import validate as validate_openapi

    status, body = fetch(api, "openapi.json")
    assert status == 200
    validate_openapi(body)
    assert {"/v1/quotes", "/v1/speakers", "/v1/speakers/{key}", "/v1/articles/{id}", "/search"} <= set(
        body["paths"]
    )
    names = {p["name"] for p in body["paths"]["/v1/quotes"]["get"]["parameters"]}
    from worker.store.queries import QuoteQuery

    assert names == set(QuoteQuery.PARAMETERS)


def test_without_a_database_the_store_paths_are_absent(serve_url: str) -> None:  # noqa: F811
    status, _, _ = get(serve_url, "v1/quotes")
    assert status == 404
    status, body = fetch(serve_url, "openapi.json")
    assert "/v1/quotes" not in body["paths"]


def test_serve_refuses_a_bad_database_url(tmp_path: Path) -> None:
    from worker.cli import main

    assert main(["serve", "--database", f"sqlite:///{tmp_path / 'missing' / 'q.db'}", "--port", "0"]) == 2


@pytest.mark.parametrize("words", ["المسؤولية", "الاقتصاد", "المشروع رقم 7", "المشروع"])
def test_word_search_gives_the_same_pages_by_either_plan(
    api: str, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite walks the date index for a word with many matches and sorts the matches otherwise."""
    from worker.store import queries

    sorted_plan = all_pages(api, q=words, limit=4)
    monkeypatch.setattr(queries, "MANY_MATCHES", 0)
    walked = all_pages(api, q=words, limit=4)
    assert [q["quote_id"] for q in walked] == [q["quote_id"] for q in sorted_plan]
    assert walked

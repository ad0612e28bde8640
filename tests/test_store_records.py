"""Article metadata on quote records (issue 17): the input message's title, source, url and
published_at travel on every quote record, null where the message had none."""

from __future__ import annotations

import orjson

from worker.extractor import Extractor
from worker.records import ARTICLE_METADATA, process_batch, process_message, validate

TEXT = 'قال الوزير أحمد سالم إن "الاقتصاد ينمو بسرعة". وأضاف سالم: «الموسم المقبل أفضل».'
FULL = {
    "id": "meta-1",
    "text": TEXT,
    "title": 'الوزير: "الموسم المقبل أفضل"',
    "source": "صحيفة المثال",
    "url": "https://news.example/meta-1",
    "published_at": "2024-03-05T10:00:00Z",
    "lang": "ar",
}


def test_every_record_carries_the_article_metadata() -> None:
    outcome = process_message(orjson.dumps(FULL), Extractor("rules"))
    assert outcome.ok and len(outcome.records) >= 2
    for record in outcome.records:
        assert validate("quote", record) == []
        assert record["article"] == {name: FULL[name] for name in ARTICLE_METADATA}


def test_missing_metadata_is_null_and_valid() -> None:
    outcome = process_message(orjson.dumps({"id": "meta-2", "text": TEXT}), Extractor("rules"))
    assert outcome.records
    for record in outcome.records:
        assert validate("quote", record) == []
        assert record["article"] == {"title": None, "source": None, "url": None, "published_at": None}


def test_batch_and_single_paths_agree() -> None:
    raws = [orjson.dumps(FULL), orjson.dumps({**FULL, "id": "meta-3", "source": None})]
    extractor = Extractor("rules")
    batched = [o.records for o in process_batch(raws, extractor)]
    single = [process_message(r, extractor).records for r in raws]
    assert batched == single
    assert batched[1][0]["article"]["source"] is None


def test_records_without_metadata_stay_valid() -> None:
    """Records written before the field existed (and the eval report's, which have no message) validate."""
    outcome = process_message(orjson.dumps(FULL), Extractor("rules"))
    record = dict(outcome.records[0])
    del record["article"]
    assert validate("quote", record) == []


def test_bad_metadata_is_refused_by_the_schema() -> None:
    outcome = process_message(orjson.dumps(FULL), Extractor("rules"))
    record = orjson.loads(orjson.dumps(outcome.records[0]))
    record["article"]["published_at"] = "yesterday"
    assert validate("quote", record)
    record["article"] = {"source": "x"}
    assert validate("quote", record)

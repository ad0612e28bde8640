"""The message schemas are valid JSON Schema (draft 2020-12) and hold for real messages; bad messages
are rejected with the right reason code."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator
from shared_data import DEV, needs

from worker.records import (
    EMPTY_TEXT,
    NOT_JSON,
    NOT_UTF8,
    SCHEMA_DIR,
    SCHEMA_VIOLATION,
    TOO_LARGE,
    ArticleError,
    load_schema,
    parse_article,
    process_message,
    validate,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles.jsonl"
SCHEMAS = sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json"))


def sample_lines() -> list[bytes]:
    return [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]


@cache
def extractor() -> Any:
    from worker.extractor import Extractor

    return Extractor("rules")


def test_schema_files_exist() -> None:
    assert {"article", "quote"} <= set(SCHEMAS)


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_sample_article_is_valid() -> None:
    lines = sample_lines()
    assert lines
    for line in lines:
        doc = json.loads(line)
        assert validate("article", doc) == [], doc["id"]
        article = parse_article(line)
        assert article.id == doc["id"]


def test_records_of_the_samples_are_valid() -> None:
    total = 0
    for line in sample_lines():
        outcome = process_message(line, extractor())
        assert outcome.ok, outcome.error
        for record in outcome.records:
            assert validate("quote", record) == [], record
            total += 1
    assert total > 0, "the samples should yield quotes"


@needs(DEV)
def test_records_of_the_dev_set_are_valid() -> None:
    total = 0
    for line in DEV.read_bytes().splitlines():
        if not line.strip():
            continue
        gold = orjson.loads(line)
        message = orjson.dumps({"id": gold["id"], "text": gold["text"]})
        outcome = process_message(message, extractor())
        assert outcome.ok, outcome.error
        for record in outcome.records:
            assert validate("quote", record) == [], record
            total += 1
    assert total > 0


def test_record_ids_are_deterministic() -> None:
    line = sample_lines()[0]
    first = process_message(line, extractor()).records
    second = process_message(line, extractor()).records
    assert [r["quote_id"] for r in first] == [r["quote_id"] for r in second]
    assert len({r["quote_id"] for r in first}) == len(first)


GOOD = {"id": "a1", "text": "قال الوزير إن الاجتماع كان مثمرا."}
BAD_MESSAGES = [
    pytest.param(b"\xff\xfe{", NOT_UTF8, id="not-utf8"),
    pytest.param(
        '{"id": "a1", "text": "قال\udcff"}'.encode("utf-8", "surrogatepass"), NOT_UTF8, id="surrogate"
    ),
    pytest.param(b"{not json", NOT_JSON, id="not-json"),
    pytest.param(b"", NOT_JSON, id="empty-message"),
    pytest.param(b'{"id": "a1", "text": "x"} trailing', NOT_JSON, id="trailing-garbage"),
    pytest.param(b"[1, 2]", SCHEMA_VIOLATION, id="array"),
    pytest.param(b'"just a string"', SCHEMA_VIOLATION, id="string"),
    pytest.param(b'{"text": "no id"}', SCHEMA_VIOLATION, id="no-id"),
    pytest.param(b'{"id": "a1"}', SCHEMA_VIOLATION, id="no-text"),
    pytest.param(b'{"id": 7, "text": "x"}', SCHEMA_VIOLATION, id="id-not-string"),
    pytest.param(b'{"id": "", "text": "x"}', SCHEMA_VIOLATION, id="empty-id"),
    pytest.param(b'{"id": "a1", "text": ["x"]}', SCHEMA_VIOLATION, id="text-not-string"),
    pytest.param(b'{"id": "a1", "text": "x", "published_at": "yesterday"}', SCHEMA_VIOLATION, id="bad-date"),
    pytest.param(b'{"id": "a1", "text": "x", "title": 3}', SCHEMA_VIOLATION, id="title-not-string"),
    pytest.param(b'{"id": "a1", "text": ""}', EMPTY_TEXT, id="empty-text"),
    pytest.param(b'{"id": "a1", "text": " \\n\\t "}', EMPTY_TEXT, id="blank-text"),
]


@pytest.mark.parametrize(("raw", "reason"), BAD_MESSAGES)
def test_bad_messages_are_rejected_with_their_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(ArticleError) as info:
        parse_article(raw)
    assert info.value.reason == reason
    outcome = process_message(raw, extractor())
    assert not outcome.ok and outcome.error is not None
    assert outcome.error.reason == reason
    assert outcome.records == []


def test_too_large() -> None:
    raw = orjson.dumps({"id": "big", "text": "قال " * 1000})
    with pytest.raises(ArticleError) as info:
        parse_article(raw, max_bytes=len(raw) - 1)
    assert info.value.reason == TOO_LARGE
    outcome = process_message(raw, extractor(), max_bytes=100)
    assert outcome.error is not None and outcome.error.reason == TOO_LARGE
    assert parse_article(raw, max_bytes=len(raw)).id == "big"


def test_unknown_fields_and_nulls_are_allowed() -> None:
    doc = {
        **GOOD,
        "title": None,
        "url": None,
        "lang": "ar",
        "published_at": "2025-03-01T10:00:00+03:00",
        "x": 1,
    }
    assert validate("article", doc) == []
    assert parse_article(orjson.dumps(doc)).id == "a1"


def test_a_broken_record_is_caught_by_the_quote_schema() -> None:
    outcome = process_message(orjson.dumps(GOOD), extractor())
    assert outcome.ok
    if not outcome.records:
        pytest.skip("the extractor found no quote in the probe sentence")
    record = outcome.records[0]
    assert validate("quote", {**record, "type": "rumour"})
    assert validate("quote", {**record, "span": [1]})
    assert validate("quote", {**record, "quote_id": "not-hex"})
    assert validate("quote", {**record, "confidence": 1.5})
    assert validate("quote", {k: v for k, v in record.items() if k != "speaker"})

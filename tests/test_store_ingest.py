"""The store's write path on SQLite and a real PostgreSQL, without Kafka: worker output in, rows out;
a re-extracted article replaces its quotes (also with none); the same records again, or in another
interleaving of the two topics, give the same rows."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest
from store_feed import article, as_consumed, worker_output
from store_fixtures import database_url, postgres  # noqa: F401  (fixtures)

from worker.store.database import Database, open_database
from worker.store.ingest import Consumed, apply_batch, normalise_time, stored_offsets
from worker.store.migrations import LATEST, current_version, migrate

Q, S = "quotes", "article-status"


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted (what "the same rows" means)."""
    tables = ("articles", "quotes", "speaker_names", "name_variants", "store_offsets")
    return {t: sorted(db.query(f"SELECT * FROM {t}"), key=repr) for t in tables}


def load(db: Database, records: list[Consumed], batch: int = 7) -> None:
    for i in range(0, len(records), batch):
        apply_batch(db, records[i : i + batch], Q, S)


def current_quotes(db: Database) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for aid, qid in db.query(
        "SELECT article_id, quote_id FROM quotes WHERE current = 1 ORDER BY article_id, position"
    ):
        out.setdefault(aid, []).append(qid)
    return out


def expected_quotes(docs: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in worker_output(docs, Q, S):
        if r.topic == Q:
            doc = orjson.loads(r.value)
            out.setdefault(doc["article_id"], []).append(doc["quote_id"])
    return out


@pytest.fixture
def db(database_url: str) -> Any:  # noqa: F811
    with open_database(database_url) as database:
        assert migrate(database) == list(range(1, LATEST + 1))
        yield database


def test_migrations_are_versioned_and_idempotent(db: Database) -> None:
    assert current_version(db) == LATEST
    assert migrate(db) == []
    assert db.scalar("SELECT count(*) FROM store_schema") == LATEST


def test_every_quote_once_with_metadata(db: Database) -> None:
    docs = [article(i) for i in range(12)]
    load(db, as_consumed(worker_output(docs, Q, S), partitions=3))
    assert current_quotes(db) == expected_quotes(docs)
    row = db.query(
        "SELECT title, source, url, published_at, status, quote_count FROM articles WHERE article_id = ?",
        ("art-00004",),
    )
    assert row == [("خبر رقم 4", docs[4]["source"], docs[4]["url"], "2024-02-05T05:00:00Z", "ok", 2)]
    assert (
        db.scalar("SELECT count(*) FROM quotes WHERE current = 1 AND source = ?", (docs[1]["source"],)) == 8
    )


def test_reextracted_article_replaces_its_quotes(db: Database) -> None:
    first = [article(i) for i in range(6)]
    load(db, as_consumed(worker_output(first, Q, S)))
    again = [article(1, version=2), article(2, version=0)]  # new words; no quotes at all
    records = as_consumed(worker_output(first, Q, S) + worker_output(again, Q, S))
    load(db, records[len(records) - len(as_consumed(worker_output(again, Q, S))) :])
    expected = expected_quotes(first)
    expected.update(expected_quotes([again[0]]))
    del expected["art-00002"]
    assert current_quotes(db) == expected
    assert db.scalar("SELECT quote_count FROM articles WHERE article_id = 'art-00002'") == 0
    stale = set(expected_quotes(first)["art-00001"])
    assert not stale & {q for (q,) in db.query("SELECT quote_id FROM quotes WHERE current = 1")}


def test_replay_and_interleaving_give_the_same_rows(db: Database, tmp_path: Any) -> None:
    docs = [article(i) for i in range(10)] + [article(3, version=2), article(5, version=0)]
    records = as_consumed(worker_output(docs, Q, S), partitions=2)
    load(db, records)
    first = snapshot(db)
    load(db, records, batch=5)  # the same topic again
    assert snapshot(db) == first
    # Another order of the two topics (each partition's own order kept), into a fresh SQLite store.
    with open_database(f"sqlite:///{tmp_path / 'other.db'}") as other:
        migrate(other)
        quotes_first = [r for r in records if r.topic == Q] + [r for r in records if r.topic == S]
        load(other, quotes_first, batch=3)
        assert current_quotes(other) == current_quotes(db)
        statuses_first = [r for r in records if r.topic == S] + [r for r in records if r.topic == Q]
        with open_database(f"sqlite:///{tmp_path / 'third.db'}") as third:
            migrate(third)
            load(third, statuses_first, batch=4)
            assert snapshot(third)["quotes"] == snapshot(other)["quotes"]
            assert current_quotes(third) == current_quotes(db)


def test_random_batch_boundaries(db: Database) -> None:
    docs = [article(i) for i in range(8)] + [article(2, version=3)]
    records = as_consumed(worker_output(docs, Q, S), partitions=2)
    rng = random.Random(7)
    i = 0
    while i < len(records):
        n = rng.randint(1, 9)
        apply_batch(db, records[i : i + n], Q, S)
        i += n
    assert current_quotes(db) == {**expected_quotes(docs[:8]), **expected_quotes([docs[8]])}
    ends: dict[tuple[str, int], int] = {}
    for r in records:
        ends[(r.topic, r.partition)] = r.offset + 1
    assert stored_offsets(db) == ends


def test_dead_lettered_status_keeps_the_previous_quotes(db: Database) -> None:
    docs = [article(i) for i in range(3)]
    load(db, as_consumed(worker_output(docs, Q, S)))
    failed = {
        "schema_version": 1,
        "article_id": "art-00001",
        "status": "dead_lettered",
        "quote_count": 0,
        "quote_ids": [],
        "reason": "extraction_timeout",
        "source": {"topic": "articles", "partition": 0, "offset": 9},
        "extractor": {"version": "0.1.0", "backend": "rules"},
        "processing_ms": 1.0,
        "processed_at": "2024-01-01T00:00:00Z",
    }
    apply_batch(db, [Consumed(S, 0, 100, b"art-00001", orjson.dumps(failed))], Q, S)
    assert current_quotes(db) == expected_quotes(docs)
    assert db.query("SELECT status, reason FROM articles WHERE article_id = 'art-00001'") == [
        ("dead_lettered", "extraction_timeout")
    ]


def test_unreadable_records_are_skipped_and_counted(db: Database) -> None:
    result = apply_batch(db, [Consumed(Q, 0, 0, b"k", b"not json"), Consumed(Q, 0, 1, b"k", b"[1]")], Q, S)
    assert result.skipped == {"not_json": 1, "no_article_id": 1}
    assert stored_offsets(db) == {(Q, 0): 2}


def test_published_at_is_normalised_to_utc() -> None:
    assert normalise_time("2024-03-05T10:00:00+02:00") == "2024-03-05T08:00:00Z"
    assert normalise_time("2024-03-05T10:00:00Z") == "2024-03-05T10:00:00Z"
    assert normalise_time("yesterday") is None and normalise_time(None) is None

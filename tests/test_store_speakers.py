"""One speaker across articles (issue 17): the merging rules on invented names, and their pairwise
precision and recall on the dev set's speakers against a hand-checked fixture
(``tests/store_dev_speakers.tsv``)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from shared_data import DEV, needs
from store_feed import as_consumed, worker_output

from worker.store.database import Database, open_database
from worker.store.ingest import Consumed, apply_batch
from worker.store.migrations import migrate
from worker.store.speakers import name_key, variant_pair

FIXTURE = Path(__file__).with_name("store_dev_speakers.tsv")
Q, S = "quotes", "status"


@pytest.fixture
def db() -> Any:
    with open_database("sqlite:///:memory:") as database:
        migrate(database)
        yield database


def record(article_id: str, n: int, name: str, kind: str = "person") -> dict[str, Any]:
    qid = f"{abs(hash((article_id, n))) % 16**32:032x}"
    return {
        "schema_version": 1, "quote_id": qid, "article_id": article_id, "field": "text", "type": "direct",
        "text": f"كلام رقم {n}", "span": [0, 5], "cue": {"text": "قال", "lemma": "قال", "span": [0, 3]},
        "speaker": {"name": name, "mention": name, "span": [4, 9], "title": None, "kind": kind, "id": "e1"},
        "confidence": 0.9, "extractor": {"version": "0.1.0", "backend": "rules"},
    }  # fmt: skip


def feed(db: Database, speakers: list[tuple[str, str]]) -> None:
    """One article per (article id, name), each with one quote and its ok status, in one batch each."""
    for i, (aid, name) in enumerate(speakers):
        quote = record(aid, i, name)
        status = {"article_id": aid, "status": "ok", "quote_ids": [quote["quote_id"]]}
        apply_batch(
            db,
            [
                Consumed(Q, 0, 2 * i, None, orjson.dumps(quote)),
                Consumed(S, 0, 2 * i, None, orjson.dumps(status)),
            ],
            Q,
            S,
        )


def key_of(db: Database, article_id: str) -> str | None:
    return db.scalar("SELECT speaker_key FROM quotes WHERE article_id = ?", (article_id,))


def test_spellings_that_differ_in_folding_are_one_name() -> None:
    assert name_key("إيمانويل ماكرون", "person") == name_key("ايمانويل ماكرون", "person")
    assert name_key("مصطفى", "person") == name_key("مصطفي", "person")
    assert name_key("مصدر عسكري", "anonymous") is None
    assert name_key("الشرطة", "organization") is None  # a head noun alone names no one


def test_family_name_alone_merges_with_the_one_full_name(db: Database) -> None:
    feed(db, [("a1", "إيمانويل ماكرون"), ("a2", "ماكرون")])
    assert key_of(db, "a2") == key_of(db, "a1") == "ايمانويل-ماكرون"


def test_family_name_with_two_full_names_stays_apart(db: Database) -> None:
    feed(db, [("a1", "بوريس جونسون"), ("a2", "جونسون")])
    assert key_of(db, "a2") == key_of(db, "a1")
    feed(db, [("a3", "كيفين جونسون")])  # now two people end with it: the family name alone is no one's
    assert key_of(db, "a2") == "جونسون"
    assert key_of(db, "a1") == "بوريس-جونسون" and key_of(db, "a3") == "كيفين-جونسون"


def test_transliteration_variants_are_learned_both_ways(db: Database) -> None:
    feed(db, [("a1", "بنيامين نتنياهو"), ("a2", "بنيامين نتانياهو"), ("a3", "نتنياهو")])
    assert key_of(db, "a1") == key_of(db, "a2") == key_of(db, "a3") == "بنيامين-نتانياهو"
    assert db.query("SELECT variant, canonical FROM name_variants") == [("نتنياهو", "نتانياهو")]


def test_arab_names_one_letter_apart_stay_apart(db: Database) -> None:
    assert variant_pair("سالم", "سلم") is None  # no foreign name among them: different people
    feed(db, [("a1", "أحمد سالم"), ("a2", "أحمد سلم"), ("a3", "محمد علي"), ("a4", "محمود علي")])
    assert len({key_of(db, a) for a in ("a1", "a2", "a3", "a4")}) == 4


def test_keys_and_names_do_not_depend_on_arrival_order() -> None:
    names = [
        ("a1", "دونالد ترمب"),
        ("a2", "ترامب"),
        ("a3", "دونالد ترامب"),
        ("a4", "ماكرون"),
        ("a5", "إيمانويل ماكرون"),
        ("a6", "ايمانويل ماكرون"),
    ]
    keys, tables = [], []
    for order in (names, names[::-1], names[2:] + names[:2]):
        with open_database("sqlite:///:memory:") as db:
            migrate(db)
            feed(db, order)
            keys.append({aid: key_of(db, aid) for aid, _ in names})
            tables.append(db.query("SELECT * FROM speaker_names ORDER BY name_key"))
    assert keys[0] == keys[1] == keys[2]
    assert tables[0] == tables[1] == tables[2]
    assert keys[0]["a1"] == keys[0]["a2"] == keys[0]["a3"] == "دونالد-ترامب"
    assert keys[0]["a4"] == keys[0]["a5"] == keys[0]["a6"]


# ------------------------------------------------------------------------------- the dev set measure


def pairwise(
    units: list[tuple[str, str]], gold: dict[tuple[str, str], str], pred: dict[tuple[str, str], str]
) -> tuple[float, float, int, int, int]:
    """Pairwise precision and recall of ``pred``'s clusters against ``gold``'s over ``units``; also the
    counts: pairs merged rightly, pairs merged, pairs that should be."""
    tp = merged = should = 0
    for a, b in itertools.combinations(units, 2):
        same_gold = gold[a] == gold[b]
        same_pred = pred[a] == pred[b]
        tp += same_gold and same_pred
        merged += same_pred
        should += same_gold
    return (tp / merged if merged else 1.0), (tp / should if should else 1.0), tp, merged, should


def dev_merging() -> dict[str, tuple[float, float, int, int, int]]:
    labels = {}
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, label = line.split("\t")
            labels[name] = label
    docs = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [{"id": d["id"], "text": d["text"]} for d in docs]
    with open_database("sqlite:///:memory:") as db:
        migrate(db)
        records = as_consumed(worker_output(docs, Q, S))
        for i in range(0, len(records), 50):
            apply_batch(db, records[i : i + 50], Q, S)
        rows = db.query("SELECT DISTINCT article_id, speaker_name, speaker_key FROM quotes WHERE current = 1")
    units = sorted({(aid, name) for aid, name, _ in rows if name in labels})
    keys = {(aid, name): key for aid, name, key in rows}
    gold = {u: (f"*{u}" if labels[u[1]] == "*" else labels[u[1]]) for u in units}
    pred = {u: keys[u] if keys[u] is not None else f"none:{u}" for u in units}
    exact = {u: u[1] for u in units}
    return {
        "store": pairwise(units, gold, pred),
        "exact name": pairwise(units, gold, exact),
        "units": (len(units), 0, 0, 0, 0),
    }


@needs(DEV)
def test_merging_on_the_dev_speakers() -> None:
    scores = dev_merging()
    for name, (p, r, tp, merged, should) in scores.items():
        if name != "units":
            print(f"{name}: pairwise precision {p:.3f} ({tp}/{merged}), recall {r:.3f} ({tp}/{should})")
    print(f"units (article, canonical name): {scores['units'][0]}")
    precision, recall = scores["store"][:2]
    # Floors a little under the measured figures (docs/store.md); precision matters more than recall.
    assert precision >= 0.9
    assert recall >= 0.6
    assert recall > scores["exact name"][1]

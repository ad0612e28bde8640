"""Editors' corrections (issue 18) through the real API of ``quote-worker serve --database``, on SQLite
and a real PostgreSQL: who may write (every refusal leaves the store as it was and is audited), each
action and how the API serves its result, the list of corrections (JSON, CSV), corrections kept when
the stream sends the article again, and corrections exported as a gold set that ``eval`` scores."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from serve_fixtures import RunningServer, request
from store_feed import article, as_consumed, worker_output
from store_fixtures import database_url, postgres  # noqa: F401  (fixtures)

from worker.cli import main
from worker.extractor import Extractor
from worker.serve.app import create_app
from worker.store.api import MAX_CORRECTION_BYTES
from worker.store.database import Database, open_database
from worker.store.editors import add_editor, revoke_editor
from worker.store.ingest import Consumed, apply_batch
from worker.store.migrations import migrate

Q, S, A = "quotes", "article-status", "articles"
DOCS = [article(i) for i in range(6)]
NO_TEXT = {
    "id": "no-text",
    "text": 'قال الوزير أحمد سالم إن "الاقتصاد ينمو ببطء".',
    "source": "وكالة الأنباء",
}
ARTICLE = "art-00001"  # two quotes of ليلى حداد: قال … إن "…" and وأضاف حداد: «…»
EDITOR = "ليلى المحررة"
REVOKED = "سمير المحرر"
STATE_TABLES = {
    "quotes": "quote_id",
    "corrections": "id",
    "speaker_names": "name_key",
    "article_texts": "article_id",
    "editors": "name",
}


def feed(db: Database, with_texts: bool = True) -> None:
    """The worker's records of DOCS (their input messages too, as store --article-texts reads them) and
    of NO_TEXT (without its input message)."""
    consumed = as_consumed(worker_output([*DOCS, NO_TEXT], Q, S), partitions=2)
    texts = [Consumed(A, 0, i, None, orjson.dumps(d)) for i, d in enumerate(DOCS)] if with_texts else []
    apply_batch(db, consumed + texts, Q, S, [A])


@dataclass
class Store:
    url: str
    database: str
    token: str
    revoked_token: str

    def db(self) -> Database:
        return open_database(self.database)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:  # noqa: F811  (the fixture, SQLite and PostgreSQL)
    url = database_url
    with open_database(url) as db:
        migrate(db)
        feed(db)
        token = add_editor(db, EDITOR)
        revoked = add_editor(db, REVOKED)
        revoke_editor(db, REVOKED)
    with RunningServer(create_app(Extractor("rules"), database=url)) as running:
        yield Store(running.url, url, token, revoked)


def call(
    store: Store, method: str, path: str, body: Any = None, token: str | None = None, **headers: str
) -> tuple[int, Any, dict[str, str]]:
    sent = {k.replace("_", "-"): v for k, v in headers.items()}
    if token is not None:
        sent.setdefault("Authorization", f"Bearer {token}")
    data = None
    if method == "POST":
        sent.setdefault("Content-Type", "application/json")
        data = body if isinstance(body, bytes) else orjson.dumps(body)
    path = urllib.parse.quote(path, safe="/?&=%:")  # the Arabic of a speaker key, percent-encoded
    status, answer_headers, raw = request(store.url + path, data, sent)
    parsed = orjson.loads(raw) if raw and answer_headers.get_content_type() == "application/json" else raw
    return status, parsed, dict(answer_headers.items())


def correct(store: Store, body: dict[str, Any], token: str | None = None, **headers: str) -> tuple[int, Any]:
    status, answer, _ = call(store, "POST", "v1/corrections", body, token or store.token, **headers)
    return status, answer


def article_quotes(store: Store, article_id: str = ARTICLE) -> list[dict[str, Any]]:
    status, body, _ = call(store, "GET", f"v1/articles/{article_id}")
    assert status == 200, body
    return list(body["quotes"])


def correct_speaker_and_reject(store: Store, first: dict[str, Any], second: dict[str, Any]) -> None:
    """The two corrections several tests start from: ``first`` gets speaker سمير يوسف, ``second`` is
    rejected."""
    speaker = {"article_id": ARTICLE, "quote_id": first["quote_id"], "action": "speaker"}
    assert correct(store, {**speaker, "speaker": {"name": "سمير يوسف"}})[0] == 200
    reject = {"article_id": ARTICLE, "quote_id": second["quote_id"], "action": "reject"}
    assert correct(store, reject)[0] == 200


def state(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.db() as db:
        return {t: db.query(f"SELECT * FROM {t} ORDER BY {key}") for t, key in STATE_TABLES.items()}


def last_audit(store: Store) -> tuple[Any, ...]:
    with store.db() as db:
        return db.query("SELECT editor, action, target, outcome FROM audit ORDER BY id DESC LIMIT 1")[0]


def audit_count(store: Store) -> int:
    with store.db() as db:
        return int(db.scalar("SELECT count(*) FROM audit"))


# --------------------------------------------------------------------------- who may write
REFUSALS = {
    "no token": ({"token": ""}, 401, "no_token", None),
    "a token no editor has": ({"token": "not-a-token-of-anyone"}, 401, "bad_token", None),
    "not a bearer header": ({"Authorization": "Basic bGlsYTpzZWNyZXQ="}, 401, "bad_token", None),
    "a revoked editor": ({"token": "REVOKED"}, 403, "revoked", REVOKED),
    "another site's Origin": ({"Origin": "https://evil.example"}, 403, "cross_origin", EDITOR),
    "a cross-site fetch": ({"Sec_Fetch_Site": "cross-site"}, 403, "cross_origin", EDITOR),
    "a form post": (
        {"Content_Type": "application/x-www-form-urlencoded"},
        415,
        "unsupported_media_type",
        EDITOR,
    ),
    "plain text": ({"Content_Type": "text/plain"}, 415, "unsupported_media_type", EDITOR),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_every_refused_write_changes_nothing_and_is_audited(store: Store, case: str) -> None:
    how, status, reason, who = REFUSALS[case]
    target = article_quotes(store)[0]
    before, audited = state(store), audit_count(store)
    headers = {k: v for k, v in how.items() if k != "token"}
    given = how.get("token", store.token)
    token = {"": None, "REVOKED": store.revoked_token}.get(given, given)
    sent = {"Authorization": f"Bearer {token}"} if token is not None else {}
    body = {"article_id": ARTICLE, "quote_id": target["quote_id"], "action": "reject"}
    got, answer, answer_headers = call(store, "POST", "v1/corrections", body, **{**sent, **headers})
    assert (got, answer["reason"]) == (status, reason), answer
    assert answer["message"]
    if status == 401:
        assert answer_headers["www-authenticate"].startswith("Bearer")
    assert state(store) == before  # nothing changed: quotes, corrections, speakers, texts, editors
    assert article_quotes(store)[0] == target
    assert audit_count(store) == audited + 1
    assert last_audit(store) == (who, "correct", "/v1/corrections", reason)


def test_a_body_over_the_limit_is_refused_and_audited(store: Store) -> None:
    """A correction body over ``MAX_CORRECTION_BYTES`` gets 413 ``too_large`` and changes nothing."""
    target = article_quotes(store)[0]
    before, audited = state(store), audit_count(store)
    body = {"article_id": ARTICLE, "quote_id": target["quote_id"], "action": "reject"}
    big = orjson.dumps({**body, "note": "x" * MAX_CORRECTION_BYTES})
    got, answer, _ = call(store, "POST", "v1/corrections", big, store.token)
    assert (got, answer["reason"]) == (413, "too_large"), answer
    assert state(store) == before
    assert audit_count(store) == audited + 1


def test_a_write_from_the_servers_own_origin_is_accepted(store: Store) -> None:
    target = article_quotes(store)[0]
    origin = store.url.rstrip("/")
    status, answer = correct(
        store,
        {"article_id": ARTICLE, "quote_id": target["quote_id"], "action": "type", "type": "indirect"},
        Origin=origin,
        Sec_Fetch_Site="same-origin",
    )
    assert status == 200, answer
    assert last_audit(store) == (EDITOR, "type", f"{ARTICLE}/{target['quote_id']}", "accepted")


def test_reading_stays_open_and_sign_in_names_the_editor(store: Store) -> None:
    assert call(store, "GET", "v1/quotes")[0] == 200
    assert call(store, "GET", "v1/corrections")[0] == 200
    status, body, _ = call(store, "GET", "v1/editors/me")
    assert (status, body["reason"]) == (401, "no_token")
    assert call(store, "GET", "v1/editors/me", token="wrong")[1]["reason"] == "bad_token"
    assert call(store, "GET", "v1/editors/me", token=store.revoked_token)[0:2] == (
        403,
        {"reason": "revoked", "message": f"the token of {REVOKED!r} was revoked", "parameter": None},
    )
    assert call(store, "GET", "v1/editors/me", token=store.token)[0:2] == (200, {"name": EDITOR})


def test_the_store_keeps_only_a_hash_of_each_token(store: Store) -> None:
    with store.db() as db:
        dump = repr(db.query("SELECT * FROM editors")) + repr(db.query("SELECT * FROM audit"))
    assert store.token not in dump and store.revoked_token not in dump


# --------------------------------------------------------------------------- the actions
def test_reject_hides_the_quote_from_lists_but_not_from_its_article(store: Store) -> None:
    first, second = article_quotes(store)
    status, answer = correct(
        store, {"article_id": ARTICLE, "quote_id": first["quote_id"], "action": "reject"}
    )
    assert status == 200, answer
    skip = ("speaker_key", "correction", "article")  # the API adds these, the article as stored
    assert {k: v for k, v in answer["original"].items() if k != "article"} == {
        k: v for k, v in first.items() if k not in skip
    }
    assert answer["editor"] == EDITOR and answer["action"] == "reject"
    assert answer["extractor_version"] == first["extractor"]["version"]
    listed = call(store, "GET", f"v1/quotes?article={ARTICLE}")[1]["quotes"]
    assert [q["quote_id"] for q in listed] == [second["quote_id"]]
    in_article = article_quotes(store)
    assert [q["quote_id"] for q in in_article] == [first["quote_id"], second["quote_id"]]
    assert in_article[0]["correction"]["action"] == "reject"
    assert in_article[0]["correction"]["by"] == EDITOR
    speaker = call(store, "GET", f"v1/speakers/{second['speaker_key']}")[1]
    assert second["quote_id"] in [q["quote_id"] for q in speaker["latest_quotes"]]
    assert first["quote_id"] not in [q["quote_id"] for q in speaker["latest_quotes"]]


def test_speaker_typed_or_chosen_among_the_articles_speakers(store: Store) -> None:
    first, second = article_quotes(store)
    status, answer = correct(
        store,
        {
            "article_id": ARTICLE,
            "quote_id": first["quote_id"],
            "action": "speaker",
            "speaker": {"name": "سمير  يوسف", "kind": "person"},
        },
    )
    assert status == 200, answer
    served = article_quotes(store)[0]
    assert served["speaker"] == {
        "name": "سمير يوسف",
        "mention": None,
        "span": None,
        "title": None,
        "kind": "person",
        "id": None,
    }
    assert served["speaker_key"] == "سمير-يوسف"
    assert served["correction"]["action"] == "speaker"
    found = call(store, "GET", "v1/quotes?speaker=سمير-يوسف&article=" + ARTICLE)[1]["quotes"]
    assert [q["quote_id"] for q in found] == [first["quote_id"]]
    # back to the article's own speaker, by its id: the latest correction wins
    status, answer = correct(
        store,
        {
            "article_id": ARTICLE,
            "quote_id": first["quote_id"],
            "action": "speaker",
            "speaker": {"id": second["speaker"]["id"]},
        },
    )
    assert status == 200, answer
    served = article_quotes(store)[0]
    assert served["speaker"]["name"] == second["speaker"]["name"]
    assert served["speaker"]["id"] == second["speaker"]["id"]
    assert served["speaker_key"] == second["speaker_key"]


def test_span_cue_and_type_take_their_words_from_the_article(store: Store) -> None:
    first = article_quotes(store)[0]
    text = DOCS[1]["text"]
    start = text.index("المشروع")
    end = text.index("سيكتمل") - 1
    assert (
        correct(
            store,
            {"article_id": ARTICLE, "quote_id": first["quote_id"], "action": "span", "span": [start, end]},
        )[0]
        == 200
    )
    cue = [text.index("إن"), text.index("إن") + 2]
    assert (
        correct(store, {"article_id": ARTICLE, "quote_id": first["quote_id"], "action": "cue", "cue": cue})[0]
        == 200
    )
    assert (
        correct(
            store, {"article_id": ARTICLE, "quote_id": first["quote_id"], "action": "type", "type": "mixed"}
        )[0]
        == 200
    )
    served = article_quotes(store)[0]
    assert (
        (served["span"], served["text"]) == ([start, end], text[start:end]) == ([start, end], "المشروع رقم 1")
    )
    assert served["cue"] == {"text": "إن", "lemma": "إن", "span": cue}
    assert served["type"] == "mixed"
    assert served["quote_id"] == first["quote_id"]
    # the search index follows the corrected words
    words = call(store, "GET", "v1/quotes?" + urllib.parse.urlencode({"q": "سيكتمل", "article": ARTICLE}))[1]
    assert words["quotes"] == []


def test_add_a_missed_quote(store: Store) -> None:
    text = DOCS[1]["text"]
    start = text.index("نحن")
    end = text.index("بالموعد") - 1
    body = {
        "article_id": ARTICLE,
        "action": "add",
        "span": [start, end],
        "type": "direct",
        "cue": [text.index("وأضاف"), text.index("وأضاف") + 5],
        "speaker": {"name": "مصدر مطلع", "kind": "anonymous"},
    }
    status, answer = correct(store, body)
    assert status == 200, answer
    assert answer["original"] is None
    added = [q for q in article_quotes(store) if q["quote_id"] == answer["quote_id"]]
    assert len(added) == 1
    assert added[0]["text"] == "نحن ملتزمون" and added[0]["cue"]["text"] == "وأضاف"
    assert added[0]["correction"]["action"] == "add" and added[0]["confidence"] == 1.0
    listed = call(store, "GET", f"v1/quotes?article={ARTICLE}")[1]["quotes"]
    assert answer["quote_id"] in [q["quote_id"] for q in listed]
    # the same quote again is refused: correct it instead
    assert correct(store, body)[1]["reason"] == "exists"


BAD_REQUESTS = {
    "unknown action": ({"action": "delete"}, 400, "bad_parameter", "action"),
    "unknown quote": ({"action": "reject", "quote_id": "0" * 32}, 404, "not_found", "quote_id"),
    "unknown article": ({"action": "reject", "article_id": "nope"}, 404, "not_found", "article_id"),
    "offsets past the end": ({"action": "span", "span": [10, 100_000]}, 400, "bad_parameter", "span"),
    "offsets reversed": ({"action": "span", "span": [30, 10]}, 400, "bad_parameter", "span"),
    "offsets not numbers": ({"action": "cue", "cue": ["a", 3]}, 400, "bad_parameter", "cue"),
    "offsets on blanks": ({"action": "span", "span": [3, 4]}, 400, "bad_parameter", "span"),
    "a type not in the schema": ({"action": "type", "type": "rumour"}, 400, "bad_parameter", "type"),
    "a speaker id not in the article": (
        {"action": "speaker", "speaker": {"id": "e99"}},
        400,
        "bad_parameter",
        "speaker",
    ),
    "an empty speaker name": (
        {"action": "speaker", "speaker": {"name": " "}},
        400,
        "bad_parameter",
        "speaker",
    ),
    "a field the action does not take": (
        {"action": "reject", "type": "direct"},
        400,
        "bad_parameter",
        "type",
    ),
    "a missing field": ({"action": "type"}, 400, "bad_parameter", "type"),
    "no text stored": (
        {"action": "span", "article_id": "no-text", "span": [0, 5]},
        409,
        "no_article_text",
        "article_id",
    ),
}


@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_bad_corrections_get_a_clear_4xx_and_change_nothing(store: Store, case: str) -> None:
    change, status, reason, parameter = BAD_REQUESTS[case]
    article_id = change.get("article_id", ARTICLE)
    quote = article_quotes(store, article_id)[0]["quote_id"] if article_id != "nope" else "x"
    before = state(store)
    got, answer = correct(store, {"article_id": article_id, "quote_id": quote, **change})
    assert (got, answer["reason"], answer["parameter"]) == (status, reason, parameter), answer
    assert answer["message"]
    assert state(store) == before
    assert last_audit(store)[0] == EDITOR and last_audit(store)[3] == reason


def test_a_body_that_is_not_json(store: Store) -> None:
    before = state(store)
    status, answer = correct(store, b"{not json")  # type: ignore[arg-type]
    assert (status, answer["reason"], answer["parameter"]) == (400, "bad_parameter", "body")
    assert state(store) == before


# --------------------------------------------------------------------------- the list, the stream
def test_corrections_listed_filtered_and_as_csv(store: Store) -> None:
    first, second = article_quotes(store)
    other = article_quotes(store, "art-00002")[0]
    correct(store, {"article_id": ARTICLE, "quote_id": first["quote_id"], "action": "reject"})
    correct(
        store, {"article_id": ARTICLE, "quote_id": second["quote_id"], "action": "type", "type": "indirect"}
    )
    correct(store, {"article_id": "art-00002", "quote_id": other["quote_id"], "action": "reject"})
    listed = call(store, "GET", "v1/corrections")[1]["corrections"]
    assert [c["action"] for c in listed] == ["reject", "type", "reject"]  # newest first
    assert {c["editor"] for c in listed} == {EDITOR}
    by_article = call(store, "GET", f"v1/corrections?article_id={ARTICLE}")[1]["corrections"]
    assert [c["quote_id"] for c in by_article] == [second["quote_id"], first["quote_id"]]
    assert call(store, "GET", "v1/corrections?editor=someone")[1]["corrections"] == []
    assert len(call(store, "GET", "v1/corrections?since=2000-01-01")[1]["corrections"]) == 3
    assert call(store, "GET", "v1/corrections?since=2999-01-01")[1]["corrections"] == []
    assert call(store, "GET", "v1/corrections?since=yesterday")[1]["parameter"] == "since"
    status, raw, headers = call(store, "GET", f"v1/corrections?article_id={ARTICLE}&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["type", "reject"]
    assert rows[0]["type_before"] == second["type"] and rows[0]["type_after"] == "indirect"
    assert rows[1]["speaker_before"] == "ليلى حداد" and rows[1]["editor"] == EDITOR


def test_the_stream_sending_the_article_again_keeps_the_corrections(store: Store) -> None:
    first, second = article_quotes(store)
    correct_speaker_and_reject(store, first, second)
    corrected = article_quotes(store)
    with store.db() as db:
        feed(db)  # a replay: every record and status again
    assert article_quotes(store) == corrected
    listed = call(store, "GET", f"v1/quotes?article={ARTICLE}")[1]["quotes"]
    assert [(q["quote_id"], q["speaker"]["name"]) for q in listed] == [(first["quote_id"], "سمير يوسف")]


# --------------------------------------------------------------------------- the command line
def test_editors_command_adds_lists_and_revokes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'quotes.db'}"
    assert main(["editors", "--database", url, "add", "نور"]) == 0
    token = capsys.readouterr().out.strip()
    assert len(token) >= 43  # 32 random bytes, base64
    assert main(["editors", "--database", url, "add", "نور"]) == 2
    assert "already" in capsys.readouterr().err
    assert main(["editors", "--database", url, "list"]) == 0
    assert "نور\tadded " in capsys.readouterr().out
    assert main(["editors", "--database", url, "revoke", "نور"]) == 0
    assert main(["editors", "list", "--database", url]) == 0  # the database after the action too
    assert "\trevoked " in capsys.readouterr().out
    assert main(["editors", "--database", url, "revoke", "someone"]) == 2
    capsys.readouterr()
    with open_database(url) as db:
        assert token not in repr(db.query("SELECT * FROM editors"))


def test_editors_audit_prints_the_writes(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    target = article_quotes(store)[0]["quote_id"]
    correct(store, {"article_id": ARTICLE, "quote_id": target, "action": "reject"})
    correct(store, {"article_id": ARTICLE, "quote_id": target, "action": "reject"}, token="guess")
    assert main(["editors", "audit", "--database", store.database]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == ["at", "editor", "action", "target", "outcome", "detail"]
    assert [row[1:5] for row in lines[1:3]] == [
        ["", "correct", "/v1/corrections", "bad_token"],
        [EDITOR, "reject", f"{ARTICLE}/{target}", "accepted"],
    ]


def test_corrections_export_is_gold_that_eval_scores(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = article_quotes(store)
    assert first["speaker"]["name"] == second["speaker"]["name"] == "ليلى حداد"
    correct_speaker_and_reject(store, first, second)
    other = article_quotes(store, "art-00002")
    correct(
        store,
        {
            "article_id": "art-00002",
            "quote_id": other[0]["quote_id"],
            "action": "type",
            "type": other[0]["type"],
        },
    )  # checked: left as it was
    gold = tmp_path / "gold.jsonl"
    capsys.readouterr()
    assert main(["corrections", "--database", store.database, "export", "--out", str(gold)]) == 0
    assert "wrote 2 articles (3 quotes)" in capsys.readouterr().err
    rows = {r["id"]: r for r in map(json.loads, gold.read_text(encoding="utf-8").splitlines())}
    row = rows[ARTICLE]
    assert row["text"] == f"{DOCS[1]['title']}\n\n{DOCS[1]['text']}"
    assert [q["speaker"] for q in row["quotes"]] == ["سمير يوسف"]
    for gold_article in rows.values():  # offsets into the title + blank line + body
        text = gold_article["text"]
        for q in gold_article["quotes"]:
            assert text[q["content_start"] : q["content_end"]] == q["content"]
            assert text[q["cue_start"] : q["cue_end"]] == q["cue"]
    assert {q["correction"] for q in rows["art-00002"]["quotes"]} == {"type", None}  # checked, unchanged
    assert rows["art-00002"]["checked_by"] == [EDITOR]

    assert main(["eval", "--gold", str(gold), "--json", "--backend", "rules"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["gold_quotes"], result["predicted_quotes"]) == (3, 4)
    mine = [e for e in result["errors"] if e["article"] == ARTICLE]
    # the extractor's speaker of the corrected quote is now wrong; the rejected quote is now spurious
    assert sorted(e["kind"] for e in mine) == ["spurious", "wrong speaker"]
    wrong = next(e for e in mine if e["kind"] == "wrong speaker")
    assert (wrong["gold"], wrong["pred"]) == ("سمير يوسف", "ليلى حداد")
    assert [e for e in result["errors"] if e["article"] == "art-00002"] == []  # left standing: all right


def test_openapi_describes_the_correction_endpoints(store: Store) -> None:
    from openapi_spec_validator import validate as validate_openapi

    from worker.store.api import STATUS_OF_REASON

    status, doc, _ = call(store, "GET", "openapi.json")
    assert status == 200
    validate_openapi(doc)
    assert {"post", "get"} <= set(doc["paths"]["/v1/corrections"])
    assert "/v1/editors/me" in doc["paths"]
    refusal = doc["components"]["schemas"]["QueryRefusal"]["properties"]["reason"]["enum"]
    assert set(refusal) == set(STATUS_OF_REASON)
    post = doc["paths"]["/v1/corrections"]["post"]["responses"]
    assert {str(code) for code in STATUS_OF_REASON.values()} <= set(post) | {"200"}

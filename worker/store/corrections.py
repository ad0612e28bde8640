"""Editors' corrections of stored quotes (``POST /v1/corrections``) and their list.

An editor says of a quote of a stored article: it is not a quote (``reject``), its speaker is another
(``speaker``: a name typed, or the speaker ``id`` of another quote of the article), its content or cue
is elsewhere (``span``, ``cue``: offsets into the article's text, the words taken from the text), its
type is another (``type``); or adds a quote the extractor missed (``add``). Each correction is kept
with the editor, the time, the extractor version it corrects and the record before and after it.

The quote's row in ``quotes`` then holds the corrected record, so that every query, page, count and
speaker key shows it, with ``correction`` (by, at, action) as its mark; the latest correction of a
quote wins (a ``speaker`` correction after a ``reject`` brings the quote back). The stream does not
overwrite a corrected row's content (``worker.store.ingest``): replaying or re-extracting an article
keeps its corrections. A rejected quote stays in its article, marked, and leaves the lists.

Bad requests raise ``QueryError`` (``bad_parameter`` naming the parameter, ``not_found``,
``no_article_text`` when the store has not the text the offsets point into, ``exists``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from worker.records import quote_id as make_quote_id
from worker.records import validate
from worker.store.audit import ACCEPTED, audit
from worker.store.database import Database
from worker.store.editors import now
from worker.store.ingest import QUOTE_COLUMNS, quote_row
from worker.store.queries import QUOTE_TYPES, QueryError, bad, date_bound, limit_of
from worker.store.speakers import first_kind, refresh_speakers

ACTIONS = ("reject", "speaker", "span", "cue", "type", "add")
SPEAKER_KINDS = ("person", "organization", "group", "anonymous", "unknown")
FIELDS = ("text", "title")
MAX_NAME = 200
#: What each action reads besides ``article_id``, ``quote_id`` and ``action`` (required, optional).
ACTION_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "reject": ((), ()),
    "speaker": (("speaker",), ()),
    "span": (("span",), ()),
    "cue": (("cue",), ()),
    "type": (("type",), ()),
    "add": (("span", "type", "speaker"), ("cue", "field")),
}
#: A correction's columns, in ``corrections``.
COLUMNS = ("id", "article_id", "quote_id", "action", "change", "editor", "at", "extractor_version",
           "original", "corrected")  # fmt: skip


def _offsets(parameter: str, value: Any, text: str) -> tuple[int, int]:
    """``[start, end]`` checked against ``text``: inside it, in order, holding a word."""
    if not (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise bad(parameter, "[start, end]: two character offsets into the article's text")
    start, end = value
    if not 0 <= start < end <= len(text):
        raise bad(parameter, f"[{start}, {end}] is not a span inside the text's {len(text)} characters")
    if not text[start:end].strip():
        raise bad(parameter, f"[{start}, {end}] holds no words")
    return start, end


def article_texts(db: Database, article_id: str) -> dict[str, str] | None:
    """The article's fields as the input message gave them (``text``, ``title``); None if not stored."""
    rows = db.query("SELECT title, text FROM article_texts WHERE article_id = ?", (article_id,))
    if not rows:
        return None
    title, text = rows[0]
    return {"title": title or "", "text": text}


def _needs_text(texts: dict[str, str] | None) -> dict[str, str]:
    if texts is None:
        raise QueryError(
            "no_article_text",
            "the store has no text of this article, which offsets point into: run quote-worker store "
            "with --article-texts (it reads the worker's input topic) and replay the article",
            "article_id",
        )
    return texts


def _article_records(db: Database, article_id: str) -> list[tuple[dict[str, Any], int, int]]:
    """The article's quotes in it (rejected ones too): (record, current, rejected)."""
    rows = db.query(
        "SELECT record, current, rejected FROM quotes WHERE article_id = ? AND current IN (1, 2) "
        "ORDER BY CASE WHEN field = 'title' THEN 0 ELSE 1 END, span_start, quote_id",
        (article_id,),
    )
    return [(orjson.loads(record), int(current), int(rejected)) for record, current, rejected in rows]


def _speaker(value: Any, records: list[tuple[dict[str, Any], int, int]]) -> dict[str, Any]:
    """The speaker an editor named: ``{"id"}`` of a speaker of the article, or ``{"name", "kind"?,
    "title"?}``. The mention (the words that named the wrong one) is not kept."""
    if not isinstance(value, dict) or not ({"id", "name"} & set(value)):
        raise bad("speaker", 'an object: {"id": a speaker id of the article} or {"name": …, "kind": …}')
    unknown = sorted(set(value) - {"id", "name", "kind", "title"})
    if unknown:
        raise bad("speaker", f"unknown field {unknown[0]!r}; the fields are id, name, kind, title")
    if "name" not in value:
        for record, _, _ in records:
            speaker = record["speaker"]
            if speaker.get("id") is not None and speaker["id"] == value["id"] and speaker.get("name"):
                return {**speaker, "mention": None, "span": None}
        raise bad("speaker", f"no speaker with the id {value['id']!r} in this article")
    name = value["name"]
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise bad("speaker", f"the name: a text of 1 to {MAX_NAME} characters")
    name = " ".join(name.split())
    kind = value.get("kind", "person")
    if kind not in SPEAKER_KINDS:
        raise bad("speaker", f"kind: one of {', '.join(SPEAKER_KINDS)}, not {kind!r}")
    title = value.get("title")
    if title is not None and not isinstance(title, str):
        raise bad("speaker", "title: a text")
    # The same name as a speaker of the article: that entity (its id, so the page groups them).
    same = [r["speaker"] for r, _, _ in records if r["speaker"].get("name") == name]
    return {
        "name": name,
        "mention": None,
        "span": None,
        "title": title or (same[0].get("title") if same else None),
        "kind": kind,
        "id": same[0].get("id") if same else None,
    }


def _check_request(body: Any) -> tuple[str, str, str | None]:
    if not isinstance(body, dict):
        raise bad("body", "a JSON object: {article_id, quote_id, action, …}")
    action = body.get("action")
    if action not in ACTIONS:
        raise bad("action", f"one of {', '.join(ACTIONS)}, not {action!r}")
    required, optional = ACTION_FIELDS[action]
    allowed = {"article_id", "action", *required, *optional, *(() if action == "add" else ("quote_id",))}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise bad(unknown[0], f"not a field of {action!r}; it takes {', '.join(sorted(allowed))}")
    for name in ("article_id", *(() if action == "add" else ("quote_id",)), *required):
        if body.get(name) is None:
            raise bad(name, f"required for {action!r}")
    if not isinstance(body["article_id"], str):
        raise bad("article_id", "a text")
    quote = body.get("quote_id")
    if quote is not None and not isinstance(quote, str):
        raise bad("quote_id", "a text")
    return action, body["article_id"], quote


def _corrected(
    action: str,
    body: dict[str, Any],
    record: dict[str, Any],
    texts: dict[str, str] | None,
    records: list[tuple[dict[str, Any], int, int]],
) -> dict[str, Any]:
    """The record after ``action`` (a new dict; ``record`` is left as it was)."""
    out = orjson.loads(orjson.dumps(record))
    if action == "speaker":
        out["speaker"] = _speaker(body["speaker"], records)
    elif action == "type":
        if body["type"] not in QUOTE_TYPES:
            raise bad("type", f"one of {', '.join(QUOTE_TYPES)}, not {body['type']!r}")
        out["type"] = body["type"]
    elif action == "span":
        text = _needs_text(texts)[out["field"]]
        start, end = _offsets("span", body["span"], text)
        out["span"], out["text"] = [start, end], text[start:end]
    elif action == "cue":
        text = _needs_text(texts)[out["field"]]
        start, end = _offsets("cue", body["cue"], text)
        # An editor's cue has no dictionary form of its own: the word as written stands for it.
        out["cue"] = {"text": text[start:end], "lemma": text[start:end], "span": [start, end]}
    return out


def _added(
    db: Database, body: dict[str, Any], article_id: str, records: list[tuple[dict[str, Any], int, int]]
) -> dict[str, Any]:
    """The record of a quote the extractor missed, as the worker would publish it (its id from the
    article, field and span, so that the extractor finding it later gives the same quote)."""
    texts = _needs_text(article_texts(db, article_id))
    field = body.get("field", "text")
    if field not in FIELDS:
        raise bad("field", f"one of {', '.join(FIELDS)}, not {field!r}")
    text = texts[field]
    start, end = _offsets("span", body["span"], text)
    if body["type"] not in QUOTE_TYPES:
        raise bad("type", f"one of {', '.join(QUOTE_TYPES)}, not {body['type']!r}")
    cue: dict[str, Any] = {"text": "", "lemma": "", "span": [start, start]}
    if body.get("cue") is not None:
        c0, c1 = _offsets("cue", body["cue"], text)
        cue = {"text": text[c0:c1], "lemma": text[c0:c1], "span": [c0, c1]}
    meta = db.query(
        "SELECT title, source, url, published_at, extractor_version FROM articles WHERE article_id = ?",
        (article_id,),
    )[0]
    sample = records[0][0] if records else {}
    extractor = sample.get("extractor") or {"version": meta[4] or "", "backend": "rules"}
    record: dict[str, Any] = {
        "schema_version": 1,
        "quote_id": make_quote_id(article_id, field, start, end),
        "article_id": article_id,
        "field": field,
        "type": body["type"],
        "text": text[start:end],
        "span": [start, end],
        "cue": cue,
        "speaker": _speaker(body["speaker"], records),
        "confidence": 1.0,  # an editor's
        "extractor": extractor,
    }
    record["article"] = sample.get("article") or {
        "title": meta[0],
        "source": meta[1],
        "url": meta[2],
        "published_at": meta[3],
    }
    return record


_SET_ROW = ", ".join(f"{c} = ?" for c in QUOTE_COLUMNS.split(", ")[1:])


def _write_row(db: Database, record: dict[str, Any], mark: dict[str, Any], current: int, new: bool) -> None:
    row = quote_row(record)
    key, spelling, kind = row[15], row[10], row[13]
    speaker_key = refresh_speakers(db, {key: (spelling, first_kind(kind))}).get(key) if key else None
    rejected = int(mark["action"] == "reject")
    if new:
        db.execute(
            f"INSERT INTO quotes ({QUOTE_COLUMNS}, current, position, speaker_key, correction, rejected) "
            f"VALUES ({', '.join('?' * 27)})",
            (*row, current, None, speaker_key, orjson.dumps(mark).decode(), rejected),
        )
        return
    db.execute(
        f"UPDATE quotes SET {_SET_ROW}, speaker_key = ?, correction = ?, rejected = ?, current = ? "
        "WHERE quote_id = ?",
        (*row[1:], speaker_key, orjson.dumps(mark).decode(), rejected, current, row[0]),
    )


def correct(db: Database, editor: str, body: Any) -> dict[str, Any]:
    """Apply one correction by ``editor`` and keep it (and its audit row), in one transaction; the
    stored correction. ``QueryError`` for a bad request, and nothing changed."""
    action, article_id, quote = _check_request(body)
    with db.transaction():
        meta = db.query("SELECT extractor_version FROM articles WHERE article_id = ?", (article_id,))
        if not meta:
            raise QueryError("not_found", f"no article with the id {article_id!r}", "article_id")
        records = _article_records(db, article_id)
        original: dict[str, Any] | None = None
        if action == "add":
            corrected = _added(db, body, article_id, records)
            quote = corrected["quote_id"]
            have = db.query("SELECT current FROM quotes WHERE quote_id = ?", (quote,))
            if have and have[0][0] in (1, 2):
                raise QueryError(
                    "exists", f"the article has this quote already ({quote}): correct it instead", "span"
                )
            if have:  # a stale row of an earlier extraction: the editor's quote replaces it
                db.execute("DELETE FROM quotes WHERE quote_id = ?", (quote,))
        else:
            found = [r for r, _, _ in records if r["quote_id"] == quote]
            if not found:
                raise QueryError("not_found", f"no quote {quote!r} in the article {article_id!r}", "quote_id")
            original = found[0]
            corrected = _corrected(action, body, original, article_texts(db, article_id), records)
        problems = validate("quote", corrected)
        if problems:  # a request that passed the checks above but makes no valid record
            raise bad(action, "; ".join(problems[:3]))
        at = now()
        mark = {"by": editor, "at": at, "action": action}
        _write_row(db, corrected, mark, 2 if action == "reject" else 1, new=action == "add")
        version = (original or corrected).get("extractor", {}).get("version") or meta[0][0]
        change = {k: v for k, v in body.items() if k not in ("article_id", "quote_id", "action")}
        db.execute(
            "INSERT INTO corrections (article_id, quote_id, action, change, editor, at, extractor_version, "
            "original, corrected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                quote,
                action,
                orjson.dumps(change).decode(),
                editor,
                at,
                version,
                orjson.dumps(original).decode() if original is not None else None,
                orjson.dumps(corrected).decode(),
            ),
        )
        audit(db, editor, action, f"{article_id}/{quote}", ACCEPTED)
        row = db.query(
            f"SELECT {', '.join(COLUMNS)} FROM corrections WHERE quote_id = ? AND at = ? ORDER BY id DESC",
            (quote, at),
        )[0]
    return correction_item(row)


def correction_item(row: tuple[Any, ...]) -> dict[str, Any]:
    item = dict(zip(COLUMNS, row, strict=True))
    for name in ("change", "original", "corrected"):
        item[name] = orjson.loads(item[name]) if item[name] is not None else None
    return item


LIST_PARAMETERS = ("article_id", "editor", "since", "limit", "format")
MAX_LIST = 100_000


def corrections(db: Database, params: Mapping[str, str]) -> list[dict[str, Any]]:
    """Corrections newest first: of an article (``article_id``), by an editor (``editor``), from a time
    on (``since``: a day or RFC 3339); at most ``limit`` (default and most 100,000)."""
    unknown = sorted(set(params) - set(LIST_PARAMETERS))
    if unknown:
        raise bad(unknown[0], f"unknown parameter; the parameters are {', '.join(LIST_PARAMETERS)}")
    where, values = ["1 = 1"], []
    for column in ("article_id", "editor"):
        if params.get(column):
            where.append(f"{column} = ?")
            values.append(params[column])
    if "since" in params:
        # date_bound gives whole seconds, the stored times microseconds: compared in the same form
        where.append("at >= ?")
        values.append(date_bound("since", params["since"], end=False).removesuffix("Z") + ".000000Z")
    limit = limit_of(params.get("limit"), MAX_LIST, MAX_LIST)
    rows = db.query(
        f"SELECT {', '.join(COLUMNS)} FROM corrections WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
        [*values, limit],
    )
    return [correction_item(r) for r in rows]

"""The questions the store answers, as functions over a ``Database``: quotes by filters (speaker,
words, outlet, dates, type, confidence) with cursor pagination, speakers by name or by how often they
are quoted, one speaker's page, one article. Shown are current quotes only (see ``ingest``).

Parameters arrive as strings (from a query string) and are checked here: a bad one raises
``QueryError`` naming it and saying why, which the API answers with a 400.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from worker.store.database import POSTGRESQL, Database
from worker.store.folding import search_words
from worker.store.ingest import normalise_time

QUOTE_TYPES = ("direct", "indirect", "mixed")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_CSV_ROWS = 100_000
LATEST_QUOTES = 10


class QueryError(ValueError):
    """A parameter the store cannot answer: ``reason`` is ``bad_parameter`` or ``not_found``."""

    def __init__(self, reason: str, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.parameter = parameter


def bad(parameter: str, why: str) -> QueryError:
    return QueryError("bad_parameter", f"{parameter}: {why}", parameter)


def date_bound(parameter: str, value: str, end: bool) -> str:
    """``from``/``to`` as a UTC timestamp: a day (``2024-03-05``, ``to`` includes it) or RFC 3339."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end:
                day += timedelta(days=1)
            return f"{day.isoformat()}T00:00:00Z"
    except ValueError:
        raise bad(parameter, f"not a date (YYYY-MM-DD) or RFC 3339 time: {value!r}") from None
    stamp = normalise_time(value)
    if stamp is None:
        raise bad(parameter, f"not a date (YYYY-MM-DD) or RFC 3339 time: {value!r}")
    return stamp


def _confidence(parameter: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise bad(parameter, f"not a number: {value!r}") from None
    if not 0 <= number <= 1:
        raise bad(parameter, f"must be between 0 and 1, not {value}")
    return number


def limit_of(value: str | None, default: int, most: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise bad("limit", f"a whole number from 1 to {most}, not {value!r}")
    return int(value)


def encode_cursor(published_at: str, quote_id: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([published_at, quote_id])).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        published_at, quote_id = orjson.loads(raw)
        if isinstance(published_at, str) and isinstance(quote_id, str):
            return published_at, quote_id
    except (binascii.Error, ValueError, TypeError):
        pass
    raise bad("cursor", "not a cursor this server gave (use next_cursor of the previous page)")


@dataclass(frozen=True)
class QuoteQuery:
    speaker: str | None = None
    words: tuple[str, ...] = ()
    outlet: str | None = None
    since: str | None = None  # inclusive
    until: str | None = None  # exclusive
    type: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    article: str | None = None
    limit: int = DEFAULT_LIMIT
    after: tuple[str, str] | None = None

    PARAMETERS = ("speaker", "q", "outlet", "from", "to", "type", "min_confidence", "max_confidence",
                  "article", "limit", "cursor", "format")  # fmt: skip

    @classmethod
    def parse(cls, params: Mapping[str, str], csv: bool = False) -> QuoteQuery:
        unknown = sorted(set(params) - set(cls.PARAMETERS))
        if unknown:
            raise bad(unknown[0], f"unknown parameter; the parameters are {', '.join(cls.PARAMETERS)}")
        words: tuple[str, ...] = ()
        if "q" in params:
            words = tuple(search_words(params["q"]))
            if not words:
                raise bad("q", "no word to search for")
        kind = params.get("type")
        if kind is not None and kind not in QUOTE_TYPES:
            raise bad("type", f"one of {', '.join(QUOTE_TYPES)}, not {kind!r}")
        since = date_bound("from", params["from"], end=False) if "from" in params else None
        until = date_bound("to", params["to"], end=True) if "to" in params else None
        if since and until and since >= until:
            raise bad("to", "the range ends before it starts")
        return cls(
            speaker=params.get("speaker") or None,
            words=words,
            outlet=params.get("outlet") or None,
            since=since,
            until=until,
            type=kind,
            min_confidence=_confidence("min_confidence", params["min_confidence"])
            if "min_confidence" in params
            else None,
            max_confidence=_confidence("max_confidence", params["max_confidence"])
            if "max_confidence" in params
            else None,
            article=params.get("article") or None,
            limit=limit_of(
                params.get("limit"),
                MAX_CSV_ROWS if csv else DEFAULT_LIMIT,
                MAX_CSV_ROWS if csv else MAX_LIMIT,
            ),
            after=decode_cursor(params["cursor"]) if "cursor" in params else None,
        )


#: Above this many full-text matches, SQLite reads quotes newest first and keeps the matching ones
#: (a page is found after a few hundred rows); below it, it sorts the matches (fewer rows than a scan).
MANY_MATCHES = 5000


def _text_match(db: Database, words: tuple[str, ...]) -> tuple[str, list[Any], bool]:
    """The full-text condition on ``quotes`` (all words, folded as indexed), and whether to walk the
    date index rather than sort the matches (SQLite; PostgreSQL's planner weighs that itself)."""
    if db.dialect == POSTGRESQL:
        return "to_tsvector('simple', q.search) @@ plainto_tsquery('simple', ?)", [" ".join(words)], False
    match = " ".join(f'"{w}"' for w in words)  # quoted: FTS5 operators in a query are words
    many = db.scalar(
        "SELECT count(*) FROM (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? LIMIT ?)",
        (match, MANY_MATCHES + 1),
    )
    return "q.rowid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", [match], many > MANY_MATCHES


QUOTE_FIELDS = (
    "q.quote_id, q.record, q.speaker_key, q.published_at, a.title, a.source, a.url, a.published_at, "
    "q.correction"
)


def _quote_item(row: tuple[Any, ...]) -> dict[str, Any]:
    """A quote record as published (or as an editor corrected it), with its ``speaker_key``, the
    article's metadata as stored and ``correction``: null, or by whom, when and which action."""
    _qid, record, speaker_key, _published, title, source, url, published_at, correction = row
    item: dict[str, Any] = orjson.loads(record)
    item["speaker_key"] = speaker_key
    item["article"] = {"title": title, "source": source, "url": url, "published_at": published_at}
    item["correction"] = orjson.loads(correction) if correction else None
    return item


def quotes(db: Database, query: QuoteQuery) -> tuple[list[dict[str, Any]], str | None]:
    """One page of current quotes, newest first (then by quote id), and the cursor of the next page."""
    where = ["q.current = 1"]
    params: list[Any] = []
    by_date = ""
    if query.words:
        condition, values, walk = _text_match(db, query.words)
        where.append(condition)
        params += values
        # With a speaker or an article, their index is the narrower walk.
        if walk and query.speaker is None and query.article is None:
            by_date = " INDEXED BY quotes_published"
    for column, value in (
        ("q.speaker_key", query.speaker),
        ("q.source", query.outlet),
        ("q.type", query.type),
        ("q.article_id", query.article),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if query.since is not None:
        where.append("q.published_at >= ?")
        params.append(query.since)
    if query.until is not None:
        where.append("q.published_at < ? AND q.published_at <> ''")
        params.append(query.until)
    if query.min_confidence is not None:
        where.append("q.confidence >= ?")
        params.append(query.min_confidence)
    if query.max_confidence is not None:
        where.append("q.confidence <= ?")
        params.append(query.max_confidence)
    if query.after is not None:
        where.append("(q.published_at, q.quote_id) < (?, ?)")  # a row value: an index range in both
        params += [query.after[0], query.after[1]]
    rows = db.query(
        f"SELECT {QUOTE_FIELDS} FROM quotes q{by_date} JOIN articles a ON a.article_id = q.article_id "
        f"WHERE {' AND '.join(where)} ORDER BY q.published_at DESC, q.quote_id DESC LIMIT ?",
        [*params, query.limit + 1],
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor(rows[-1][3], rows[-1][0]) if more and rows else None
    return [_quote_item(r) for r in rows], cursor


def _speaker_names(db: Database, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Display name and kind of each speaker key: the spelling of its fullest canonical name."""
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.query(
            "SELECT speaker_key, name, kind, canonical, n_words FROM speaker_names "
            f"WHERE speaker_key IN ({marks})",
            chunk,
        )
        for key, name, kind, _canonical, _n_words in sorted(
            rows, key=lambda r: (-(r[3] == r[0].replace("-", " ")), -r[4], r[1])
        ):
            out.setdefault(key, {"key": key, "name": name, "kind": kind})
    return out


def speakers(db: Database, params: Mapping[str, str]) -> list[dict[str, Any]]:
    """The most quoted speakers (in a date range: ``from``, ``to``), or those whose name has the words
    of ``q``; each with its quote count in the range."""
    allowed = ("q", "from", "to", "limit")
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise bad(unknown[0], f"unknown parameter; the parameters are {', '.join(allowed)}")
    limit = limit_of(params.get("limit"), 20, 200)
    where = ["q.current = 1", "q.speaker_key IS NOT NULL"]
    values: list[Any] = []
    if "from" in params:
        where.append("q.published_at >= ?")
        values.append(date_bound("from", params["from"], end=False))
    if "to" in params:
        where.append("q.published_at < ? AND q.published_at <> ''")
        values.append(date_bound("to", params["to"], end=True))
    if "q" in params:
        words = search_words(params["q"])
        if not words:
            raise bad("q", "no word to search for")
        # names containing every word (as whole words or their start: ماكرو finds ماكرون)
        for word in words:
            where.append(
                "q.speaker_key IN (SELECT speaker_key FROM speaker_names WHERE ' ' || name_key LIKE ?)"
            )
            values.append(f"% {word}%")
    rows = db.query(
        f"SELECT q.speaker_key, count(*) AS n FROM quotes q WHERE {' AND '.join(where)} "
        "GROUP BY q.speaker_key ORDER BY n DESC, q.speaker_key LIMIT ?",
        [*values, limit],
    )
    names = _speaker_names(db, [r[0] for r in rows])
    return [{**names.get(key, {"key": key, "name": key, "kind": None}), "quotes": n} for key, n in rows]


def week_of(stamp: str) -> str:
    """The Monday (``YYYY-MM-DD``) of the week of a stored UTC timestamp."""
    day = datetime.strptime(stamp[:10], "%Y-%m-%d").replace(tzinfo=UTC).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def speaker(db: Database, key: str) -> dict[str, Any]:
    """One speaker: names and spellings with their quote counts, kind, quotes per week, latest quotes.
    The counts come from one pass over the speaker's entries of a covering index."""
    names = db.query(
        "SELECT name_key, name, kind FROM speaker_names WHERE speaker_key = ? ORDER BY name_key", (key,)
    )
    if not names:
        raise QueryError("not_found", f"no speaker with the key {key!r}", "key")
    groups = db.query(
        "SELECT name_key, speaker_name, substr(published_at, 1, 10), count(*) FROM quotes "
        "WHERE speaker_key = ? AND current = 1 GROUP BY name_key, speaker_name, substr(published_at, 1, 10)",
        (key,),
    )
    per_name: dict[str, int] = {}
    spellings: dict[str, int] = {}
    weeks: dict[str, int] = {}
    for name_key, spelling, day, n in groups:
        per_name[name_key] = per_name.get(name_key, 0) + int(n)
        spellings[spelling] = spellings.get(spelling, 0) + int(n)
        if day:
            week = week_of(day)
            weeks[week] = weeks.get(week, 0) + int(n)
    latest, _ = quotes(db, QuoteQuery(speaker=key, limit=LATEST_QUOTES))
    info = _speaker_names(db, [key]).get(key, {"key": key, "name": names[0][1], "kind": names[0][2]})
    by_count = sorted(names, key=lambda row: (-per_name.get(row[0], 0), row[0]))
    return {
        **info,
        "quotes": sum(per_name.values()),
        "names": [
            {"name": name, "name_key": nk, "kind": kind, "quotes": per_name.get(nk, 0)}
            for nk, name, kind in by_count
        ],
        "spellings": [
            {"name": s, "quotes": n} for s, n in sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "quotes_per_week": [{"week": w, "quotes": weeks[w]} for w in sorted(weeks)],
        "latest_quotes": latest,
    }


def article(db: Database, article_id: str) -> dict[str, Any]:
    """One article: its metadata, latest status, its text where the store keeps it (``texts``:
    ``title`` and ``text`` as the input message gave them, else null) and its current quotes in
    article order, those an editor rejected among them (``correction.action`` ``reject``)."""
    rows = db.query(
        "SELECT article_id, title, source, url, published_at, status, reason, quote_count, "
        "extractor_version, processed_at FROM articles WHERE article_id = ?",
        (article_id,),
    )
    if not rows:
        raise QueryError("not_found", f"no article with the id {article_id!r}", "id")
    columns = ("id", "title", "source", "url", "published_at", "status", "reason", "quote_count",
               "extractor_version", "processed_at")  # fmt: skip
    found = db.query(
        f"SELECT {QUOTE_FIELDS} FROM quotes q JOIN articles a ON a.article_id = q.article_id "
        "WHERE q.article_id = ? AND q.current IN (1, 2) "
        "ORDER BY CASE WHEN q.field = 'title' THEN 0 ELSE 1 END, q.span_start, q.quote_id",
        (article_id,),
    )
    texts = db.query("SELECT title, text FROM article_texts WHERE article_id = ?", (article_id,))
    return {
        "article": dict(zip(columns, rows[0], strict=True)),
        "texts": {"title": texts[0][0] or "", "text": texts[0][1]} if texts else None,
        "quotes": [_quote_item(r) for r in found],
    }

"""The store's HTTP endpoints in ``quote-worker serve --database URL``: ``GET /v1/quotes`` (JSON or
CSV), ``GET /v1/speakers``, ``GET /v1/speakers/{key}``, ``GET /v1/articles/{id}``; for editors
``POST /v1/corrections`` and ``GET /v1/editors/me`` (bearer token, ``worker.store.write_guard``), and
``GET /v1/corrections`` (JSON or CSV), open to read.

Errors follow ``/v1/extract``'s convention: a 4xx whose JSON body carries a stable ``reason`` code and a
``message`` for a person (``bad_parameter`` 400 naming the parameter, ``not_found`` 404). Each server
thread keeps its own database connection (neither sqlite3 nor psycopg connections are shared between
threads); queries run in the thread pool, off the event loop.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from worker.records import ArticleError
from worker.serve.app import read_body
from worker.spreadsheet import Column, SheetWriter
from worker.store import corrections, queries
from worker.store.audit import audit
from worker.store.database import Database, open_database
from worker.store.migrations import migrate
from worker.store.write_guard import bearer, editor_of, forgery

STATUS_OF_REASON = {
    "bad_parameter": 400,
    "no_token": 401,
    "bad_token": 401,
    "revoked": 403,
    "cross_origin": 403,
    "not_found": 404,
    "exists": 409,
    "no_article_text": 409,
    "too_large": 413,
    "unsupported_media_type": 415,
}
#: The most a correction's body may be (a correction is a few hundred bytes).
MAX_CORRECTION_BYTES = 64 * 1024
CSV_MEDIA_TYPE = "text/csv"

#: The CSV's columns: (header, how to get it from a quote item).
CSV_COLUMNS: tuple[Column, ...] = (
    ("published_at", lambda q: q["article"]["published_at"]),
    ("outlet", lambda q: q["article"]["source"]),
    ("article_title", lambda q: q["article"]["title"]),
    ("url", lambda q: q["article"]["url"]),
    ("speaker", lambda q: q["speaker"]["name"]),
    ("speaker_key", lambda q: q["speaker_key"]),
    ("speaker_kind", lambda q: q["speaker"]["kind"]),
    ("speaker_title", lambda q: q["speaker"]["title"]),
    ("type", lambda q: q["type"]),
    ("quote", lambda q: q["text"]),
    ("cue", lambda q: q["cue"]["text"]),
    ("confidence", lambda q: q["confidence"]),
    ("article_id", lambda q: q["article_id"]),
    ("quote_id", lambda q: q["quote_id"]),
)


def _speaker_of(record: dict[str, Any] | None) -> str | None:
    if record is None:
        return None
    speaker = record.get("speaker") or {}
    return speaker.get("name") or speaker.get("mention")


#: The CSV of ``GET /v1/corrections``: one row per correction, the record before and after side by side.
CORRECTION_CSV_COLUMNS: tuple[Column, ...] = (
    ("at", lambda c: c["at"]),
    ("editor", lambda c: c["editor"]),
    ("action", lambda c: c["action"]),
    ("article_id", lambda c: c["article_id"]),
    ("quote_id", lambda c: c["quote_id"]),
    ("extractor_version", lambda c: c["extractor_version"]),
    ("speaker_before", lambda c: _speaker_of(c["original"])),
    ("speaker_after", lambda c: _speaker_of(c["corrected"])),
    ("type_before", lambda c: (c["original"] or {}).get("type")),
    ("type_after", lambda c: c["corrected"]["type"]),
    ("quote_before", lambda c: (c["original"] or {}).get("text")),
    ("quote_after", lambda c: c["corrected"]["text"]),
    ("change", lambda c: orjson.dumps(c["change"]).decode()),
)


def error(exc: queries.QueryError) -> Response:
    body = {"reason": exc.reason, "message": exc.message, "parameter": exc.parameter}
    status = STATUS_OF_REASON.get(exc.reason, 400)
    headers = {"WWW-Authenticate": 'Bearer realm="quote-worker"'} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def sheet(items: list[dict[str, Any]], columns: tuple[Column, ...]) -> str:
    """Items as CSV text, BOM first, one header row."""
    out = io.StringIO()
    writer = SheetWriter(out, columns)
    for item in items:
        writer.write(item)
    return out.getvalue()


def quotes_csv(items: list[dict[str, Any]]) -> str:
    """The quotes as CSV text, BOM first, one header row."""
    return sheet(items, CSV_COLUMNS)


def wants_csv(request: Request) -> bool:
    fmt = request.query_params.get("format")
    if fmt is not None:
        if fmt not in ("json", "csv"):
            raise queries.bad("format", f"json or csv, not {fmt!r}")
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return CSV_MEDIA_TYPE in accept and "application/json" not in accept


class StoreApi:
    """The endpoints over one database URL (migrated once at start, so a fresh file serves at once)."""

    def __init__(self, url: str) -> None:
        self.url = url
        with open_database(url) as db:
            migrate(db)
        self._local = threading.local()

    def db(self) -> Database:
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = open_database(self.url)
            self._local.db = db
        return db

    async def _answer(self, work: Callable[[Database], Any]) -> Response:
        try:
            result = await run_in_threadpool(lambda: work(self.db()))
        except queries.QueryError as exc:
            return error(exc)
        if isinstance(result, Response):
            return result
        return Response(orjson.dumps(result), media_type="application/json")

    async def quotes(self, request: Request) -> Response:
        params = dict(request.query_params)
        try:
            as_csv = wants_csv(request)
            query = queries.QuoteQuery.parse(params, csv=as_csv)
        except queries.QueryError as exc:
            return error(exc)

        def work(db: Database) -> Any:
            items, cursor = queries.quotes(db, query)
            if not as_csv:
                return {"quotes": items, "next_cursor": cursor}
            headers = {"Content-Disposition": 'attachment; filename="quotes.csv"'}
            if cursor:
                headers["X-Next-Cursor"] = cursor
            return Response(quotes_csv(items), media_type="text/csv; charset=utf-8", headers=headers)

        return await self._answer(work)

    async def speakers(self, request: Request) -> Response:
        params = dict(request.query_params)
        return await self._answer(lambda db: {"speakers": queries.speakers(db, params)})

    async def speaker(self, request: Request) -> Response:
        key = request.path_params["key"]
        return await self._answer(lambda db: queries.speaker(db, key))

    async def article(self, request: Request) -> Response:
        article_id = request.path_params["article_id"]
        return await self._answer(lambda db: queries.article(db, article_id))

    async def correct(self, request: Request) -> Response:
        """``POST /v1/corrections``: checked for forgery and token before the body is parsed; every
        refusal and every accepted change is in the audit table."""
        token = bearer(request)
        refused = forgery(request)
        raw = b""
        if refused is None and token is not None:  # the body of a request that may pass, at most a limit
            try:
                raw = await read_body(request, MAX_CORRECTION_BYTES, measured=False)
            except ArticleError as exc:
                refused = queries.QueryError("too_large", exc.message)
        target = request.url.path

        def work(db: Database) -> Any:
            editor, problem = editor_of(db, token)
            problem = refused or problem
            try:
                if problem is not None:
                    raise problem
                try:
                    body = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    raise queries.bad("body", f"not JSON: {exc}") from None
                assert editor is not None
                return corrections.correct(db, editor.name, body)
            except queries.QueryError as exc:
                with db.transaction():
                    audit(db, editor.name if editor else None, "correct", target, exc.reason, exc.message)
                raise

        return await self._answer(work)

    async def me(self, request: Request) -> Response:
        """``GET /v1/editors/me``: the name of the token's editor (the page's sign-in)."""
        token = bearer(request)

        def work(db: Database) -> Any:
            editor, problem = editor_of(db, token)
            if problem is not None:
                raise problem
            assert editor is not None
            return {"name": editor.name}

        return await self._answer(work)

    async def corrections(self, request: Request) -> Response:
        params = dict(request.query_params)
        try:
            as_csv = wants_csv(request)
        except queries.QueryError as exc:
            return error(exc)
        params.pop("format", None)

        def work(db: Database) -> Any:
            items = corrections.corrections(db, params)
            if not as_csv:
                return {"corrections": items}
            headers = {"Content-Disposition": 'attachment; filename="corrections.csv"'}
            return Response(
                sheet(items, CORRECTION_CSV_COLUMNS), media_type="text/csv; charset=utf-8", headers=headers
            )

        return await self._answer(work)

    def routes(self) -> list[Route]:
        return [
            Route("/v1/corrections", self.correct, methods=["POST"]),
            Route("/v1/corrections", self.corrections, methods=["GET"]),
            Route("/v1/editors/me", self.me, methods=["GET"]),
            Route("/v1/quotes", self.quotes, methods=["GET"]),
            Route("/v1/speakers", self.speakers, methods=["GET"]),
            Route("/v1/speakers/{key}", self.speaker, methods=["GET"]),
            Route("/v1/articles/{article_id:path}", self.article, methods=["GET"]),
        ]

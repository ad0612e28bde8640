"""The store's HTTP endpoints in ``quote-worker serve --database URL``: ``GET /v1/quotes`` (JSON or
CSV), ``GET /v1/speakers``, ``GET /v1/speakers/{key}``, ``GET /v1/articles/{id}``.

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

from worker.spreadsheet import Column, SheetWriter
from worker.store import queries
from worker.store.database import Database, open_database
from worker.store.migrations import migrate

STATUS_OF_REASON = {"bad_parameter": 400, "not_found": 404}
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


def error(exc: queries.QueryError) -> Response:
    body = {"reason": exc.reason, "message": exc.message, "parameter": exc.parameter}
    return JSONResponse(body, status_code=STATUS_OF_REASON.get(exc.reason, 400))


def quotes_csv(items: list[dict[str, Any]]) -> str:
    """The quotes as CSV text, BOM first, one header row."""
    out = io.StringIO()
    sheet = SheetWriter(out, CSV_COLUMNS)
    for item in items:
        sheet.write(item)
    return out.getvalue()


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

    def routes(self) -> list[Route]:
        return [
            Route("/v1/quotes", self.quotes, methods=["GET"]),
            Route("/v1/speakers", self.speakers, methods=["GET"]),
            Route("/v1/speakers/{key}", self.speaker, methods=["GET"]),
            Route("/v1/articles/{article_id:path}", self.article, methods=["GET"]),
        ]

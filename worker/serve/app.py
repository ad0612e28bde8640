"""The ASGI app of ``quote-worker serve``.

``POST /v1/extract`` takes one article message (``schemas/article.schema.json``) and answers
``{"quotes": [...]}``, the very records that the stream worker publishes and ``quote-worker extract``
prints: decoding, validation and record building are ``worker.records.process_message``, the same call.
Bad input is answered with a 4xx whose body carries the dead-letter topic's ``reason`` and ``message``.

The body limit is enforced while the body arrives: a declared ``Content-Length`` over the limit is
refused before a byte of the body is read, and a chunked body is cut off as soon as it passes the limit
(the server reads it in the ASGI server's chunks, never the whole of it). Both answers close the
connection, so a client that keeps sending does not keep the server reading.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from worker.extractor import Extractor
from worker.records import (
    DEFAULT_MAX_BYTES,
    EMPTY_TEXT,
    EXTRACTION_FAILED,
    EXTRACTION_TIMEOUT,
    NOT_JSON,
    NOT_UTF8,
    REASONS,
    SCHEMA_VIOLATION,
    TOO_LARGE,
    ArticleError,
    Outcome,
    load_schema,
    process_message,
    too_large,
)
from worker.serve import ASSETS, PACKAGE
from worker.serve.metrics import BODY_BYTES, EXTRACTION_SECONDS, QUOTES, REJECTED, MetricsMiddleware

#: The HTTP status of each reason code. Bad input is the client's fault (4xx); an extractor failure
#: is the server's (500). Every code of ``worker.records.REASONS`` must be listed (a test checks it).
STATUS_OF_REASON = {
    NOT_UTF8: 400,
    NOT_JSON: 400,
    SCHEMA_VIOLATION: 422,
    EMPTY_TEXT: 422,
    TOO_LARGE: 413,
    EXTRACTION_FAILED: 500,
    EXTRACTION_TIMEOUT: 500,  # the stream worker's time budget; the API stops no extraction itself
}
UNLISTED_REASON_STATUS = 500

#: The page loads nothing from elsewhere: it works offline, and an injected tag could not phone home.
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:"}

ASSET_PREFIX = "/assets/"


async def read_body(request: Request, max_bytes: int, measured: bool = True) -> bytes:
    """The request body, at most ``max_bytes`` of it; ``ArticleError(too_large)`` as soon as the declared
    length or the bytes received pass the limit, without reading the rest. ``measured``: counted in
    the /v1/extract body histogram."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        if measured:
            BODY_BYTES.observe(0)
        raise too_large(declared, max_bytes)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_bytes:
                raise too_large(f"more than {max_bytes}", max_bytes)
            chunks.append(chunk)
    finally:
        if measured:
            BODY_BYTES.observe(size)
    return b"".join(chunks)


def refusal(error: ArticleError, article_id: str | None = None, *, close: bool = False) -> Response:
    """The answer to input that cannot be processed: the dead-letter record's reason, message and id."""
    REJECTED.labels(error.reason).inc()
    body = {"reason": error.reason, "message": error.message, "article_id": article_id}
    headers = {"Connection": "close"} if close else None
    return JSONResponse(
        body, status_code=STATUS_OF_REASON.get(error.reason, UNLISTED_REASON_STATUS), headers=headers
    )


def read_samples(path: Path) -> list[dict[str, Any]]:
    """Article messages, one a line, to offer on the page."""
    lines = path.read_bytes().splitlines()
    return [orjson.loads(line) for line in lines if line.strip()]


@cache
def openapi_template() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PACKAGE / "openapi.json").read_text(encoding="utf-8"))
    return data


def _component(name: str, schema: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Put a ``schemas/`` document in as ``components/schemas/<name>``, its ``$defs`` beside it as
    ``<name>_<def>`` and its local references pointed there (OpenAPI tools resolve ``#`` against the whole
    description, not against the schema's ``$id``)."""

    def moved(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: moved(v) for k, v in node.items() if k not in ("$id", "$schema", "$defs")}
            ref = out.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                out["$ref"] = f"#/components/schemas/{name}_{ref.removeprefix('#/$defs/')}"
            return out
        if isinstance(node, list):
            return [moved(v) for v in node]
        return node

    for def_name, definition in schema.get("$defs", {}).items():
        schemas[f"{name}_{def_name}"] = moved(definition)
    schemas[name] = moved(schema)


#: Marks the paths of the quote store in ``openapi.json``: served only with ``--database``.
STORE_PATH_MARK = "x-needs-database"


def openapi_document(max_bytes: int, store: bool = False) -> dict[str, Any]:
    """``openapi.json`` with the message schemas of ``schemas/`` and the reason codes of ``worker.records``
    put in, so that the description cannot drift from what the server checks; the store's paths only
    where the server has a database (``store``)."""
    doc = json.loads(json.dumps(openapi_template()))  # a copy: the template is cached
    for path in [p for p, item in doc["paths"].items() if item.pop(STORE_PATH_MARK, False)]:
        if not store:
            del doc["paths"][path]
    schemas = doc["components"]["schemas"]
    _component("Article", load_schema("article"), schemas)
    _component("Quote", load_schema("quote"), schemas)
    schemas["Refusal"]["properties"]["reason"]["enum"] = list(REASONS)
    doc["info"]["description"] = doc["info"]["description"].replace("{max_bytes}", str(max_bytes))
    return doc


class Service:
    """The extractor (built once, by the caller) and what the endpoints share."""

    def __init__(
        self, extractor: Extractor, max_bytes: int, samples: list[dict[str, Any]], store: bool = False
    ) -> None:
        self.extractor = extractor
        self.max_bytes = max_bytes
        self.samples = samples
        self.openapi = openapi_document(max_bytes, store)
        # One extraction at a time: the stanza pipeline is not known to be thread-safe, and the rules
        # are pure Python, so threads would not run them side by side anyway.
        self._lock = threading.Lock()

    def process(self, raw: bytes) -> Outcome:
        with self._lock:
            return process_message(raw, self.extractor, self.max_bytes)

    async def extract(self, request: Request) -> Response:
        try:
            raw = await read_body(request, self.max_bytes)
        except ArticleError as bad:
            return refusal(bad, close=True)
        outcome = await run_in_threadpool(self.process, raw)
        EXTRACTION_SECONDS.observe(outcome.seconds)
        if outcome.error is not None:
            return refusal(outcome.error, outcome.article_id)
        QUOTES.inc(len(outcome.records))
        return Response(orjson.dumps({"quotes": outcome.records}), media_type="application/json")

    async def healthz(self, request: Request) -> Response:
        extractor = self.extractor
        return JSONResponse({"status": "ok", "version": extractor.version, "backend": extractor.backend_name})

    async def metrics(self, request: Request) -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    async def openapi_json(self, request: Request) -> Response:
        return JSONResponse(self.openapi)

    async def sample_articles(self, request: Request) -> Response:
        return Response(orjson.dumps({"articles": self.samples}), media_type="application/json")

    async def page(self, request: Request) -> Response:
        return FileResponse(ASSETS / "index.html", headers=PAGE_HEADERS)

    async def store_page(self, request: Request) -> Response:
        return FileResponse(ASSETS / "store.html", headers=PAGE_HEADERS)


def create_app(
    extractor: Extractor,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    samples: Sequence[dict[str, Any]] = (),
    database: str | None = None,
) -> MetricsMiddleware:
    """The app around an extractor that the caller built once (with the command's backend options);
    ``samples`` are the article messages offered on the page (``read_samples``); ``database``: the URL
    of a quote store (``quote-worker store``), whose search endpoints are then served too."""
    from worker.store.api import StoreApi  # imported here: the store is optional

    store = StoreApi(database) if database else None
    service = Service(extractor, max_bytes, list(samples), store=store is not None)
    app = Starlette(
        routes=[
            *(store.routes() if store else []),
            *([Route("/search", service.store_page, methods=["GET"])] if store else []),
            Route("/", service.page, methods=["GET"]),
            Route("/v1/extract", service.extract, methods=["POST"]),
            Route("/v1/samples", service.sample_articles, methods=["GET"]),
            Route("/healthz", service.healthz, methods=["GET"]),
            Route("/metrics", service.metrics, methods=["GET"]),
            Route("/openapi.json", service.openapi_json, methods=["GET"]),
            Mount(ASSET_PREFIX.rstrip("/"), StaticFiles(directory=ASSETS), name="assets"),
        ]
    )
    app.state.service = service
    paths = [route.path for route in app.routes if isinstance(route, Route) and "{" not in route.path]
    return MetricsMiddleware(app, paths, (ASSET_PREFIX, "/v1/speakers/", "/v1/articles/"))

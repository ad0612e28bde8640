"""From raw message bytes to quote records: the one place that decodes and validates an article and
turns extracted quotes into the records that the CLI, the stream worker and replay all publish.

Pure (no Kafka): ``process_message`` takes bytes and returns an ``Outcome``; bad input comes back as an
``ArticleError`` with a reason code, never as an exception, so callers can dead-letter it.
"""

from __future__ import annotations

import hashlib
import json
import time
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from worker.extractor import Extractor
    from worker.quotes import Quote

SCHEMA_VERSION = 1
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
DEFAULT_MAX_BYTES = 1_000_000

# Reason codes of dead-lettered input: stable strings that operators can alert on.
NOT_UTF8 = "not_utf8"
NOT_JSON = "not_json"
SCHEMA_VIOLATION = "schema_violation"
TOO_LARGE = "too_large"
EMPTY_TEXT = "empty_text"
EXTRACTION_FAILED = "extraction_failed"
EXTRACTION_TIMEOUT = "extraction_timeout"
REASONS = (NOT_UTF8, NOT_JSON, SCHEMA_VIOLATION, TOO_LARGE, EMPTY_TEXT, EXTRACTION_FAILED, EXTRACTION_TIMEOUT)


class ArticleError(ValueError):
    """An input message that cannot be processed; ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Outcome:
    """What became of one input message: its records, or the error that sends it to the dead letters."""

    article_id: str | None
    records: list[dict[str, Any]]
    error: ArticleError | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema from ``schemas/`` by short name (``article``, ``quote`` …). ``worker/schemas`` links to
    the top-level folder in the source tree and is a copy of it in an installed package."""
    path = SCHEMA_DIR / f"{name}.schema.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(name: str, document: Any) -> list[str]:
    """Schema violations of ``document`` against schema ``name``, as readable strings (empty if valid)."""
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]


def empty_text(text: str) -> bool:
    """True when ``text`` holds nothing to read: only white space and invisible formatting characters
    (Unicode category Cf: the direction marks U+200E/U+200F/U+061C, the isolates U+2066-U+2069, zero-width
    space, joiners, U+FEFF ...). Stops at the first visible character, so it costs nothing on real text."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)


def too_large(size: int | str, max_bytes: int) -> ArticleError:
    """The ``too_large`` refusal: the message's size (as counted, or as far as an HTTP body was read)."""
    return ArticleError(TOO_LARGE, f"message is {size} bytes, over the limit of {max_bytes}")


def parse_article(raw: bytes | str, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Decode and validate one article message; raise ``ArticleError`` saying what is wrong."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > max_bytes:
        raise too_large(len(raw), max_bytes)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(NOT_UTF8, f"not valid UTF-8 at byte {exc.start}: {exc.reason}") from None
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ArticleError(NOT_JSON, f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ArticleError(SCHEMA_VIOLATION, f"expected a JSON object, got {type(doc).__name__}")
    problems = validate("article", doc)
    if problems:
        raise ArticleError(SCHEMA_VIOLATION, "; ".join(problems[:5]))
    text: str = doc["text"]
    if empty_text(text):
        raise ArticleError(EMPTY_TEXT, f"article {doc['id']!r} has no visible text")
    meta = {k: v for k, v in doc.items() if k not in ("id", "text", "title")}
    return Article(id=doc["id"], text=text, title=doc.get("title") or None, meta=meta)


def quote_id(article_id: str, field_name: str, start: int, end: int) -> str:
    """Deterministic key of a quote: the same article, field and content span give the same id, so a
    compacted topic dedupes re-sent records and a rerun overwrites instead of adding."""
    key = f"{article_id}\x1f{field_name}\x1f{start}\x1f{end}".encode()
    return hashlib.blake2b(key, digest_size=16).hexdigest()


#: The input message's fields that every quote record repeats under ``article``, so that a consumer can
#: filter by outlet and date without a join against the input topic.
ARTICLE_METADATA = ("title", "source", "url", "published_at")


def article_metadata(article: Article) -> dict[str, Any]:
    """The ``article`` object of the article's quote records: each field of ``ARTICLE_METADATA`` as the
    input message gave it, null where it had none."""
    meta: dict[str, Any] = {"title": article.title}
    for name in ARTICLE_METADATA[1:]:
        meta[name] = article.meta.get(name)
    return meta


def quote_record(
    article_id: str, quote: Quote, version: str, backend: str, article: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The published form of one quote (``schemas/quote.schema.json``); ``article``: its
    ``article_metadata``, left out where the caller has no article message (the eval report)."""
    sp = quote.speaker
    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "quote_id": quote_id(article_id, quote.field, quote.span.start, quote.span.end),
        "article_id": article_id,
        "field": quote.field,
        "type": quote.type,
        "text": quote.text,
        "span": quote.span.as_list(),
        "cue": {"text": quote.cue.text, "lemma": quote.cue.lemma, "span": quote.cue.span.as_list()},
        "speaker": {
            "name": sp.name,
            "mention": sp.mention,
            "span": sp.span.as_list() if sp.span else None,
            "title": sp.title,
            "kind": sp.kind,
            "id": sp.entity_id,
        },
        "confidence": round(quote.confidence, 3),
        "extractor": {"version": version, "backend": backend},
    }
    if article is not None:
        record["article"] = article
    return record


def records_of(article: Article, quotes: list[Quote], extractor: Extractor) -> list[dict[str, Any]]:
    """The quote records of an article's extracted quotes, each carrying the article's metadata."""
    meta = article_metadata(article)
    return [quote_record(article.id, q, extractor.version, extractor.backend_name, meta) for q in quotes]


def article_records(article: Article, extractor: Extractor) -> list[dict[str, Any]]:
    """Every quote record of an article, title first, then text, each in text order."""
    return records_of(article, extractor.extract_article(article.text, article.title), extractor)


def article_id_of(raw: bytes) -> str | None:
    """Best-effort id of a message that failed, for the dead-letter record."""
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    value = doc.get("id") if isinstance(doc, dict) else None
    return value if isinstance(value, str) else None


def process_message(raw: bytes, extractor: Extractor, max_bytes: int = DEFAULT_MAX_BYTES) -> Outcome:
    """Parse, extract, build records. Never raises for bad input or an extractor bug: the error comes
    back in the outcome with its reason code."""
    started = time.perf_counter()
    try:
        article = parse_article(raw, max_bytes)
    except ArticleError as bad:
        aid = article_id_of(raw) if bad.reason in (SCHEMA_VIOLATION, EMPTY_TEXT) else None
        return Outcome(aid, [], bad, time.perf_counter() - started)
    try:
        records = article_records(article, extractor)
    except Exception as exc:  # an extractor bug must not stop the stream: dead-letter the article
        failed = ArticleError(EXTRACTION_FAILED, f"{type(exc).__name__}: {exc}")
        return Outcome(article.id, [], failed, time.perf_counter() - started)
    return Outcome(article.id, records, None, time.perf_counter() - started)


def gains_from_batching(extractor: Extractor) -> bool:
    """The stanza backend parses the candidate sentences of many articles in one call; the rules backend
    extracts article by article (so each article's time is its own)."""
    return extractor.backend_name == "stanza"


def process_batch(
    raws: list[bytes], extractor: Extractor, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Outcome]:
    """``process_message`` over a batch, outcomes in input order. The stream worker, replay and the CLI
    call this, so a backend that gains from batching (stanza parses all candidate sentences of the batch
    in one call) does it in one place. An extractor error is isolated to the article that caused it.

    ``Outcome.seconds`` is the message's own decode + validate + extract time; only where the backend
    extracts the batch in one call (stanza) is the extraction part the article's share of that call."""
    if not gains_from_batching(extractor):
        return [process_message(raw, extractor, max_bytes) for raw in raws]
    outcomes: list[Outcome | None] = []
    articles: list[tuple[int, Article]] = []
    for raw in raws:
        started = time.perf_counter()
        try:
            article = parse_article(raw, max_bytes)
        except ArticleError as bad:
            aid = article_id_of(raw) if bad.reason in (SCHEMA_VIOLATION, EMPTY_TEXT) else None
            outcomes.append(Outcome(aid, [], bad, time.perf_counter() - started))
            continue
        articles.append((len(outcomes), article))
        outcomes.append(Outcome(article.id, [], None, time.perf_counter() - started))
    started = time.perf_counter()
    try:
        found = extractor.extract_articles([(a.text, a.title) for _, a in articles])
    except Exception:  # find the article that broke the batch: one by one
        for k, _ in articles:
            outcomes[k] = process_message(raws[k], extractor, max_bytes)
    else:
        share = (time.perf_counter() - started) / max(1, len(articles))
        for (k, article), quotes in zip(articles, found, strict=True):
            records = records_of(article, quotes, extractor)
            parsed = outcomes[k]
            assert parsed is not None
            outcomes[k] = Outcome(article.id, records, None, parsed.seconds + share)
    return [o for o in outcomes if o is not None]

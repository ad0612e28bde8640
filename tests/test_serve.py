"""``quote-worker serve`` against a real uvicorn server on a free port: the records are the worker's,
bad input gets the dead-letter reasons as 4xx, an over-long body is refused before it is all sent, and
the server keeps answering; plus the metrics, the OpenAPI description and the page's assets."""

from __future__ import annotations

import asyncio
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families
from serve_fixtures import REPO, SAMPLES, RunningServer, extractor, get, post, sample_articles, serve_url
from starlette.requests import Request

from worker.cli import main
from worker.extractor import Extractor
from worker.records import DEFAULT_MAX_BYTES, REASONS, TOO_LARGE, ArticleError, process_message, validate
from worker.serve.app import STATUS_OF_REASON, create_app, read_body

__all__ = ["extractor", "serve_url"]

TEN_MB = 10 * 1024 * 1024
#: Socket buffers of the over-long-body tests, so that what the client manages to send stays close to
#: what the server read (a loopback connection's buffers grow to megabytes otherwise).
SMALL_BUFFER = 64 * 1024


def test_records_are_those_of_quote_worker_extract(serve_url: str, tmp_path: Any) -> None:
    printed = tmp_path / "extract.jsonl"
    assert main(["extract", str(SAMPLES), "--output", str(printed)]) == 0
    expected: dict[str, list[dict[str, Any]]] = {}
    for line in printed.read_bytes().splitlines():
        record = orjson.loads(line)
        expected.setdefault(record["article_id"], []).append(record)
    total = 0
    for article in sample_articles():
        status, headers, body = post(serve_url, "v1/extract", orjson.dumps(article))
        assert status == 200 and headers["content-type"] == "application/json"
        answer = orjson.loads(body)
        assert set(answer) == {"quotes"}
        for record in answer["quotes"]:
            assert validate("quote", record) == []
            assert (article.get(record["field"]) or "")[slice(*record["span"])] == record["text"]
        assert answer["quotes"] == expected.get(article["id"], [])
        total += len(answer["quotes"])
    assert total == sum(len(v) for v in expected.values()) > 0


def test_every_reason_code_has_its_status() -> None:
    assert set(STATUS_OF_REASON) == set(REASONS)


BAD_INPUTS = {
    "not_utf8": b'{"id": "a", "text": "\xff\xfe"}',
    "not_json": b'{"id": "a", "text": ',
    "schema_violation: not an object": b'["an", "array"]',
    "schema_violation: no id": '{"text": "قال الوزير: «نعم»"}'.encode(),
    "schema_violation: bad date": b'{"id": "a", "text": "x", "published_at": "yesterday"}',
    "empty_text": b'{"id": "a", "text": " \\n\\t "}',
    "too_large": orjson.dumps({"id": "big", "text": "ا" * (DEFAULT_MAX_BYTES // 2)}),
}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_gets_its_4xx_with_the_dead_letter_reason_and_message(
    serve_url: str, extractor: Extractor, kind: str
) -> None:
    raw = BAD_INPUTS[kind]
    dead_letter = process_message(raw, extractor)  # what the stream worker dead-letters for these bytes
    assert dead_letter.error is not None and kind.startswith(dead_letter.error.reason)
    if dead_letter.error.reason == TOO_LARGE:  # answered before the client has sent it all: see below
        _, answer_bytes = send_until_answered(
            serve_url, _head(f"Content-Length: {len(raw)}\r\n"), iter([raw])
        )
        head, _, body = answer_bytes.partition(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        assert b"connection: close" in head.lower()
    else:
        status, _, body = post(serve_url, "v1/extract", raw)
    answer = orjson.loads(body)
    assert 400 <= status < 500 and status == STATUS_OF_REASON[dead_letter.error.reason]
    assert answer["reason"] == dead_letter.error.reason
    assert answer["article_id"] == dead_letter.article_id
    assert answer["message"] == dead_letter.error.message
    assert get(serve_url, "healthz")[0] == 200  # and the server goes on


def _open(url: str) -> socket.socket:
    host, port = re.match(r"http://([^:/]+):(\d+)/", url).groups()  # type: ignore[union-attr]
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SMALL_BUFFER)
    return sock


def send_until_answered(url: str, head: bytes, body: Iterator[bytes]) -> tuple[int, bytes]:
    """Send a request's head, then its body piece by piece until the server answers (or the body ends);
    the number of body bytes sent and everything the server sent until it closed the connection. The
    server may answer before the body is all sent: a client that waited to finish sending first would
    only see the connection reset."""
    sock = _open(url)
    sock.sendall(head)
    sock.setblocking(False)
    sent = 0
    pending = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        readable, writable, _ = select.select([sock], [sock], [], 1)
        if readable:
            break
        if not writable:
            continue
        if not pending:
            pending = next(body, b"")
            if not pending:
                readable, _, _ = select.select([sock], [], [], 10)  # all sent: wait for the answer
                break
        try:
            n = sock.send(pending)
        except (BlockingIOError, InterruptedError):
            continue
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += n
        pending = pending[n:]
    sock.setblocking(True)
    answer = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        answer += chunk
    sock.close()
    return sent, answer


def _head(headers: str) -> bytes:
    return (
        f"POST /v1/extract HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n{headers}\r\n".encode()
    )


@pytest.fixture(scope="module")
def tight_serve_url(extractor: Extractor) -> Iterator[str]:
    """A server of its own whose connections have small receive buffers."""
    with RunningServer(create_app(extractor), receive_buffer=SMALL_BUFFER) as running:
        yield running.url


BODY_READ = "quote_worker_http_request_body_bytes"


def test_a_10_mb_chunked_body_is_refused_before_it_is_all_sent(tight_serve_url: str) -> None:
    """No Content-Length: the server cannot know the size up front. It must answer 413 as soon as the
    limit is passed, having read little more than the limit, while the client still has most of the
    10 MB to send, and close the connection."""
    url = tight_serve_url
    before = _metrics(url)
    piece = b"a" * (64 * 1024)
    chunks = (b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(TEN_MB // len(piece)))
    sent, answer = send_until_answered(url, _head("Transfer-Encoding: chunked\r\n"), chunks)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"connection: close" in head.lower()
    refusal = orjson.loads(body)
    assert refusal["reason"] == TOO_LARGE and str(DEFAULT_MAX_BYTES) in refusal["message"]
    after = _metrics(url)
    count, total = (f"{BODY_READ}_count", ()), (f"{BODY_READ}_sum", ())
    assert after[count] - before.get(count, 0) == 1
    read = after[total] - before.get(total, 0)
    assert DEFAULT_MAX_BYTES < read <= DEFAULT_MAX_BYTES + len(piece), read  # the limit and one chunk
    # The client could send only what the server read plus what the sockets buffer.
    assert sent < 3 * DEFAULT_MAX_BYTES < TEN_MB, sent
    status, _, body = post(url, "v1/extract", orjson.dumps(sample_articles()[0]))
    assert status == 200 and orjson.loads(body)["quotes"]


def test_a_declared_10_mb_body_is_refused_without_reading_a_byte_of_it(serve_url: str) -> None:
    sent, answer = send_until_answered(serve_url, _head(f"Content-Length: {TEN_MB}\r\n"), iter(()))
    assert sent == 0 and answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    refusal = orjson.loads(answer.partition(b"\r\n\r\n")[2])
    assert refusal == {
        "reason": TOO_LARGE,
        "message": f"message is {TEN_MB} bytes, over the limit of {DEFAULT_MAX_BYTES}",
        "article_id": None,
    }
    assert get(serve_url, "healthz")[0] == 200


def test_read_body_stops_reading_at_the_limit() -> None:
    """In process, over the ASGI interface itself: the body reader pulls no chunk after the one that
    passes the limit."""
    pulled = 0
    chunk = b"x" * 1000

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < 10_000}

    scope = {"type": "http", "method": "POST", "path": "/v1/extract", "headers": []}
    with pytest.raises(ArticleError) as refused:
        asyncio.run(read_body(Request(scope, receive), max_bytes=2500))
    assert refused.value.reason == TOO_LARGE
    assert pulled == 3


def _metrics(serve_url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, _, body = get(serve_url, "metrics")
    assert status == 200
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def test_healthz_and_metrics_of_requests_and_extraction_time(serve_url: str) -> None:
    status, _, body = get(serve_url, "healthz")
    assert status == 200 and orjson.loads(body) == {"status": "ok", "version": "0.1.0", "backend": "rules"}
    ok = (
        "quote_worker_http_requests_total",
        (("method", "POST"), ("route", "/v1/extract"), ("status", "200")),
    )
    bad = ("quote_worker_http_rejected_total", (("reason", "not_json"),))
    timed = ("quote_worker_http_extraction_seconds_count", ())
    before = _metrics(serve_url)
    article = sample_articles()[1]
    assert post(serve_url, "v1/extract", orjson.dumps(article))[0] == 200
    assert post(serve_url, "v1/extract", b"{")[0] == 400
    after = _metrics(serve_url)
    assert after[ok] == before.get(ok, 0) + 1
    assert after[bad] == before.get(bad, 0) + 1
    assert after[timed] == before.get(timed, 0) + 2
    assert after[("quote_worker_http_extraction_seconds_sum", ())] > before.get(
        ("quote_worker_http_extraction_seconds_sum", ()), 0
    )
    assert get(serve_url, "no/such/path")[0] == 404
    unknown = ("quote_worker_http_requests_total", (("method", "GET"), ("route", "other"), ("status", "404")))
    assert _metrics(serve_url)[unknown] >= 1


def test_openapi_description_is_valid_and_names_what_the_server_does(serve_url: str) -> None:
    from openapi_spec_validator import validate as validate_openapi

    status, _, body = get(serve_url, "openapi.json")
    doc = orjson.loads(body)
    assert status == 200
    validate_openapi(doc)
    assert set(doc["paths"]) == {"/v1/extract", "/v1/samples", "/healthz", "/metrics", "/"}
    extract = doc["paths"]["/v1/extract"]["post"]
    assert {str(code) for code in set(STATUS_OF_REASON.values())} <= set(extract["responses"])
    assert doc["components"]["schemas"]["Refusal"]["properties"]["reason"]["enum"] == list(REASONS)
    assert doc["components"]["schemas"]["Quote"]["title"] == "Quote record"
    example = extract["requestBody"]["content"]["application/json"]["example"]
    assert validate("article", example) == []


def test_page_and_its_assets_load_nothing_from_elsewhere(serve_url: str) -> None:
    status, headers, body = get(serve_url, "")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in headers["content-security-policy"]
    page = body.decode()
    assets = re.findall(r'(?:src|href)="(assets/[^"]+)"', page)
    assert {"assets/review.css", "assets/render.js", "assets/page.js"} <= set(assets)
    for path in assets:
        status, _, content = get(serve_url, path)
        assert status == 200
        assert not re.search(rb"https?://|@import|url\(", content), path  # no CDN, no web fonts
    samples = orjson.loads(get(serve_url, "v1/samples")[2])["articles"]
    assert [s["id"] for s in samples] == [a["id"] for a in sample_articles()]


#: The backend options are those of every command: here the lexicon that the package ships.
LEXICON = ("--lexicon", str(REPO / "worker" / "data" / "lexicon"))


@pytest.fixture
def served_cli() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "worker.cli", "serve", "--port", str(port), "--max-bytes", "5000", *LEXICON],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc, f"http://127.0.0.1:{port}/"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGINT, 0), (signal.SIGTERM, -signal.SIGTERM)])
def test_the_command_serves_with_its_options_and_stops_on_a_signal(
    served_cli: tuple[subprocess.Popen[bytes], str], stop: signal.Signals, status: int
) -> None:
    """Ctrl-C ends it with status 0; SIGTERM (what an orchestrator sends) ends it gracefully, and
    uvicorn then re-raises the signal so that the status says how the process ended."""
    proc, url = served_cli
    deadline = time.monotonic() + 30
    while True:
        try:
            health = get(url, "healthz")[0]
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
    assert health == 200
    small = sample_articles()[0]
    assert post(url, "v1/extract", orjson.dumps(small))[0] == 200
    code, _, body = post(url, "v1/extract", orjson.dumps({"id": "a", "text": "ا" * 5000}))
    assert code == 413 and orjson.loads(body)["message"].endswith("over the limit of 5000")
    proc.send_signal(stop)
    assert proc.wait(15) == status
    assert proc.stdout is not None
    log = proc.stdout.read().decode()
    assert "Shutting down" in log and "Traceback" not in log

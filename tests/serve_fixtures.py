"""A real ``quote-worker serve`` app under uvicorn on a free port, for the API and browser tests.

``serve_url`` (session-scoped) is the server's base URL (``http://127.0.0.1:PORT/``); ``post`` and
``get`` are plain ``urllib`` calls that return ``(status, headers, body)`` for any status.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import orjson
import pytest
import uvicorn

from worker.extractor import Extractor
from worker.serve import DEFAULT_SAMPLES
from worker.serve.app import create_app, read_samples

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "articles.jsonl"


def sample_articles() -> list[dict]:
    return [orjson.loads(line) for line in SAMPLES.read_bytes().splitlines() if line.strip()]


class RunningServer:
    """uvicorn serving ``app`` in a thread. ``receive_buffer``: the kernel's receive buffer of each
    connection, in bytes (small, so that what a client could send is close to what the server read)."""

    def __init__(self, app: object, receive_buffer: int | None = None) -> None:
        # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say so (as the ones that
        # uvicorn binds itself do); without it each answer waits 40 ms for the client's delayed ACK.
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if receive_buffer:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> RunningServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor("rules")


@pytest.fixture(scope="session")
def serve_url(extractor: Extractor) -> Iterator[str]:
    app = create_app(extractor, samples=read_samples(DEFAULT_SAMPLES))
    with RunningServer(app) as running:
        yield running.url


def request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    req = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def post(base: str, path: str, body: bytes) -> tuple[int, Message, bytes]:
    return request(base + path, body, {"Content-Type": "application/json"})


def get(base: str, path: str) -> tuple[int, Message, bytes]:
    return request(base + path)

"""Running the extraction core over batches of raw messages: in child processes, each article within a
time budget.

Extraction never runs in the consumer process. ``--processes N`` (at least 1) spawned children each
build ONE ``Extractor`` at start; the parent ships raw bytes in and gets ``Processed`` results (quote
records already serialised) back. So

* the consumer keeps polling, committing and reporting while an article is extracted, however long
  that takes (no eviction from the group, no reprocessing loop), and
* an article over the budget (``--extraction-timeout-ms``) can really be stopped: pure-Python work
  cannot be interrupted from inside, but its process can be killed. The child is SIGKILLed, the article
  comes back as an ``extraction_timeout`` result (dead-lettered downstream), and a fresh child takes
  over the rest of the work.

The budget holds per unit of work: one article for the rules backend; for a backend that parses a
batch in one call (stanza), a unit is a run of articles with a budget of ``timeout × articles``, and a
unit over it is re-run article by article so that only the slow one is dead-lettered. A child reports
each finished unit with its own clock (``CLOCK_MONOTONIC``, the same in every process of the machine),
so the parent knows when the next unit started without relying on how fast its own threads are
scheduled.

Children end when their parent dies, even by SIGKILL: ``PR_SET_PDEATHSIG`` (Linux) plus a watchdog
thread that exits when the parent process is gone (elsewhere, and for the race before the prctl).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

import orjson

from worker.records import (
    EXTRACTION_FAILED,
    EXTRACTION_TIMEOUT,
    article_id_of,
    gains_from_batching,
    process_batch,
)
from worker.stream.messages import ExtractorInfo, Processed

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from worker.extractor import Extractor

log = logging.getLogger(__name__)

ExtractorFactory = Callable[[], "Extractor"]

# Articles per piece of work handed to one child: small enough that idle children share a batch.
PIECE = 32
# A child that fails to start this many times in a row makes the runner fail (the worker exits).
MAX_START_FAILURES = 3
WARM_UP = orjson.dumps(
    {"id": "warm-up", "title": "عنوان", "text": 'قال المتحدث: "نعم". وأضاف أن العمل مستمر.'}
)


def process_values(values: Sequence[bytes], extractor: Extractor, max_bytes: int) -> list[Processed]:
    """``records.process_batch`` turned into pickle-friendly ``Processed`` results, in input order."""
    out: list[Processed] = []
    for outcome in process_batch(list(values), extractor, max_bytes):
        quotes = [(r["quote_id"], orjson.dumps(r)) for r in outcome.records]
        err = outcome.error
        out.append(
            Processed(
                outcome.article_id,
                quotes,
                err.reason if err is not None else None,
                err.message if err is not None else None,
                outcome.seconds,
            )
        )
    return out


# ------------------------------------------------------------------------------------ the child side


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when ``parent_pid`` does: the kernel's parent-death signal on Linux, and a
    watchdog thread everywhere (it also covers a parent that died before the prctl took effect)."""
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _child_main(
    inbox: Connection, outbox: Connection, factory: ExtractorFactory, max_bytes: int, parent_pid: int
) -> None:
    """A child process: build one extractor, then extract pieces of work until the parent hangs up."""
    die_with_parent(parent_pid)
    # The parent handles SIGINT/SIGTERM and shuts the children down in order; they must not die first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        extractor = factory()
    except BaseException as exc:
        outbox.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    # Warm up before taking work: the first message pays one-off costs (schema validator, lazy tables)
    # that must not count against the first real article's budget.
    process_values([WARM_UP], extractor, max_bytes)
    info = ExtractorInfo(extractor.version, extractor.backend_name)
    outbox.send(("ready", info, gains_from_batching(extractor)))
    # A reader thread empties the pipe at once, so the parent's sends never wait on an article.
    work: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                work.put(inbox.recv())
            except (EOFError, OSError):
                work.put(None)
                return

    threading.Thread(target=read, name="inbox", daemon=True).start()
    while (item := work.get()) is not None:
        key, values, unit = item
        for i in range(0, len(values), unit):
            out = process_values(values[i : i + unit], extractor, max_bytes)
            outbox.send(("done", key, i, out, time.monotonic()))


# ----------------------------------------------------------------------------------- the parent side


@dataclass
class _Task:
    """One submitted batch: its values, the results so far, the future the caller waits on."""

    values: Sequence[bytes]
    future: Future[list[Processed]]
    results: list[Processed | None]
    missing: int

    def put(self, index: int, processed: Processed) -> None:
        if self.results[index] is None:
            self.missing -= 1
        self.results[index] = processed
        if self.missing == 0 and not self.future.done():
            self.future.set_result([r for r in self.results if r is not None])


@dataclass
class _Piece:
    """A run of a task's articles, ``start:end``, done ``unit`` articles at a time by one child."""

    task: _Task
    start: int
    end: int
    unit: int
    done: int = 0  # articles of this piece finished so far

    @property
    def key(self) -> int:
        return id(self)

    def current(self) -> tuple[int, int]:
        """The articles of the unit the child is working on now."""
        first = self.start + self.done
        return first, min(self.end, first + self.unit)


@dataclass
class _Child:
    process: BaseProcess
    to_child: Connection
    from_child: Connection
    outbox: queue.SimpleQueue[Any] = field(default_factory=queue.SimpleQueue)
    ready: bool = False
    batches: bool = False
    pieces: deque[_Piece] = field(default_factory=deque)  # sent, in the child's order
    unit_started: float = 0.0  # when the unit at the head of ``pieces`` started (monotonic)

    def send_loop(self) -> None:
        """The child's sender thread: the monitor hands pieces over without ever blocking on a pipe."""
        while (item := self.outbox.get()) is not None:
            try:
                self.to_child.send(item)
            except (OSError, ValueError):  # the child is gone; the monitor notices and re-queues
                return


class Runner:
    """Extracts batches: ``submit`` returns a future of the results, in input order."""

    info: ExtractorInfo

    def submit(self, values: Sequence[bytes]) -> Future[list[Processed]]:
        raise NotImplementedError

    @property
    def parallelism(self) -> int:
        return 1

    def close(self) -> None:
        pass


class ProcessRunner(Runner):
    """Extraction in ``processes`` child processes, each article within ``timeout_s`` (0: no budget).

    A monitor thread owns the children: it dispatches pieces of work to them, collects results,
    enforces the budget (kill, answer ``extraction_timeout``, respawn, resume) and replaces a child that
    died on its own (the article it was on is answered ``extraction_failed``)."""

    def __init__(
        self,
        factory: ExtractorFactory,
        processes: int,
        max_bytes: int,
        timeout_s: float,
    ) -> None:
        self.factory = factory
        self.processes = max(1, processes)
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._queue: deque[_Piece] = deque()  # pieces not yet sent to a child
        self._closed = False
        self._failure: BaseException | None = None
        self._start_failures = 0
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self.children: list[_Child] = [self._spawn() for _ in range(self.processes)]
        # Wait until every child is ready, so a broken extractor fails at start-up, not mid-stream.
        infos = [self._await_ready(child) for child in self.children]
        self.info = infos[0]
        self.timeouts = 0
        self.restarts = 0
        self._monitor = threading.Thread(target=self._run, name="extraction-monitor", daemon=True)
        self._monitor.start()

    @property
    def parallelism(self) -> int:
        return self.processes

    def child_pids(self) -> list[int]:
        return [c.process.pid for c in self.children if c.process.pid is not None]

    # -- the caller's side ---------------------------------------------------------------------------
    def submit(self, values: Sequence[bytes]) -> Future[list[Processed]]:
        fut: Future[list[Processed]] = Future()
        values = list(values)
        if not values:
            fut.set_result([])
            return fut
        task = _Task(values, fut, [None] * len(values), len(values))
        size = max(1, min(PIECE, -(-len(values) // self.processes)))
        with self._lock:
            if self._failure is not None:
                fut.set_exception(self._failure)
                return fut
            if self._closed:
                raise RuntimeError("extraction runner is closed")
            for start in range(0, len(values), size):
                self._queue.append(_Piece(task, start, min(len(values), start + size), 0))
        self._wake()
        return fut

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._wake()
        self._monitor.join(timeout=10)
        for child in self.children:
            self._stop_child(child, graceful=True)
        with self._lock:
            pending = [p.task for p in self._queue] + [p.task for c in self.children for p in c.pieces]
        for task in pending:
            if not task.future.done():
                task.future.set_exception(RuntimeError("extraction runner closed"))
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"x")

    # -- children ------------------------------------------------------------------------------------
    def _spawn(self) -> _Child:
        inbox_r, inbox_w = self._ctx.Pipe(duplex=False)
        outbox_r, outbox_w = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=_child_main,
            args=(inbox_r, outbox_w, self.factory, self.max_bytes, os.getpid()),
            name="quote-worker-extract",
            daemon=True,
        )
        process.start()
        inbox_r.close()  # the parent keeps only its own ends: EOF then means the child is gone
        outbox_w.close()
        child = _Child(process, inbox_w, outbox_r)
        threading.Thread(target=child.send_loop, name="extraction-send", daemon=True).start()
        return child

    def _await_ready(self, child: _Child, timeout: float = 300.0) -> ExtractorInfo:
        if not child.from_child.poll(timeout):
            raise RuntimeError("extraction process did not start in time")
        try:
            msg = child.from_child.recv()
        except (EOFError, OSError):
            code = child.process.exitcode
            raise RuntimeError(f"extraction process exited during start-up (status {code})") from None
        if msg[0] == "failed":
            raise RuntimeError(f"extraction process could not build the extractor: {msg[1]}")
        child.ready, child.batches = True, msg[2]
        info: ExtractorInfo = msg[1]
        return info

    def _stop_child(self, child: _Child, graceful: bool = False) -> None:
        child.outbox.put(None)
        if graceful:
            with contextlib.suppress(OSError):
                child.to_child.close()
            child.process.join(timeout=5)
        if child.process.is_alive():
            child.process.kill()
        child.process.join(timeout=5)
        for conn in (child.to_child, child.from_child):
            with contextlib.suppress(OSError):
                conn.close()

    def _replace(self, child: _Child, answer: str, message: str) -> None:
        """Kill ``child``; answer the unit it was on (``answer`` reason, or re-run a multi-article unit
        article by article); put its other work back at the head of the queue; start a new child (it
        takes work once it reports ready)."""
        elapsed = time.monotonic() - child.unit_started
        self._stop_child(child)
        requeue: list[_Piece] = []
        if child.pieces:
            head = child.pieces.popleft()
            first, last = head.current()
            if last - first == 1:
                value = head.task.values[first]
                head.task.put(first, Processed(article_id_of(value), [], answer, message, elapsed))
            else:
                requeue.append(_Piece(head.task, first, last, 1))
            if last < head.end:
                requeue.append(_Piece(head.task, last, head.end, head.unit))
        requeue.extend(child.pieces)
        child.pieces.clear()
        with self._lock:
            self._queue.extendleft(reversed(requeue))
        self.restarts += 1
        self.children[self.children.index(child)] = self._spawn()

    def _on_start_failure(self, child: _Child, why: str) -> None:
        self._start_failures += 1
        log.error("an extraction process failed to start", extra={"error": why})
        if self._start_failures >= MAX_START_FAILURES:
            self._fail(RuntimeError(f"extraction processes keep failing to start: {why}"))
            return
        self._stop_child(child)
        self.children[self.children.index(child)] = self._spawn()

    def _fail(self, exc: BaseException) -> None:
        with self._lock:
            self._failure = exc
            tasks = [p.task for p in self._queue] + [p.task for c in self.children for p in c.pieces]
            self._queue.clear()
        for c in self.children:
            c.pieces.clear()
        for task in tasks:
            if not task.future.done():
                task.future.set_exception(exc)

    # -- the monitor thread --------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closed or self._failure is not None:
                        return
                self._dispatch()
                self._wait_and_collect()
                self._enforce_budget()
        except BaseException as exc:  # a bug here must not leave the caller waiting forever
            log.exception("extraction monitor failed")
            self._fail(exc)

    def _dispatch(self) -> None:
        for child in self.children:
            while child.ready and len(child.pieces) < 2:  # one running, one queued: never idle
                with self._lock:
                    if not self._queue:
                        return
                    piece = self._queue.popleft()
                if not child.batches:
                    piece.unit = 1
                elif piece.unit == 0:
                    piece.unit = piece.end - piece.start
                if not child.pieces:
                    child.unit_started = time.monotonic()
                child.pieces.append(piece)
                values = piece.task.values[piece.start : piece.end]
                child.outbox.put((piece.key, values, piece.unit))

    def _next_deadline(self) -> float | None:
        if self.timeout_s <= 0:
            return None
        deadlines = []
        for child in self.children:
            if child.pieces:
                first, last = child.pieces[0].current()
                deadlines.append(child.unit_started + self.timeout_s * (last - first))
        return min(deadlines, default=None)

    def _wait_and_collect(self) -> None:
        deadline = self._next_deadline()
        timeout = 1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))
        conns: dict[Any, _Child] = {c.from_child: c for c in self.children}
        ready = wait([self._wake_r, *conns], timeout)
        if self._wake_r in ready:
            with contextlib.suppress(BlockingIOError, OSError):
                os.read(self._wake_r, 4096)
        for conn in ready:
            child = conns.get(conn)
            if child is not None and child in self.children:
                self._drain(child)

    def _drain(self, child: _Child) -> None:
        """Every message the child has sent; a child that is gone is replaced."""
        try:
            while child.from_child.poll():
                self._on_message(child, child.from_child.recv())
        except (EOFError, OSError):
            child.process.join(timeout=1)
            code = child.process.exitcode
            if not child.ready:
                self._on_start_failure(child, f"exited during start-up (status {code})")
                return
            log.error("an extraction process died; replacing it", extra={"exit_status": code})
            self._replace(child, EXTRACTION_FAILED, f"extraction process died (exit status {code})")

    def _on_message(self, child: _Child, msg: Any) -> None:
        if msg[0] == "ready":
            child.ready, child.batches = True, msg[2]
            self._start_failures = 0
            return
        if msg[0] == "failed":
            self._on_start_failure(child, f"could not build the extractor: {msg[1]}")
            return
        _, key, index, results, finished_at = msg
        if not child.pieces or child.pieces[0].key != key:
            return
        piece = child.pieces[0]
        for k, processed in enumerate(results):
            piece.task.put(piece.start + index + k, processed)
        piece.done = index + len(results)
        child.unit_started = finished_at  # the child went on with the next unit at once
        if piece.start + piece.done >= piece.end:
            child.pieces.popleft()

    def _enforce_budget(self) -> None:
        if self.timeout_s <= 0:
            return
        for child in list(self.children):
            if not child.pieces:
                continue
            first, last = child.pieces[0].current()
            if time.monotonic() - child.unit_started < self.timeout_s * (last - first):
                continue
            self._drain(child)  # results already in the pipe count: only a unit still running is late
            if child not in self.children or not child.pieces:
                continue
            first, last = child.pieces[0].current()
            if time.monotonic() - child.unit_started < self.timeout_s * (last - first):
                continue
            self.timeouts += 1
            log.warning(
                "extraction over its time budget: stopping it",
                extra={"articles": last - first, "budget_s": self.timeout_s},
            )
            self._replace(
                child,
                EXTRACTION_TIMEOUT,
                f"extraction took longer than the budget of {self.timeout_s:g} s and was stopped",
            )


def make_runner(factory: ExtractorFactory, processes: int, max_bytes: int, timeout_s: float) -> Runner:
    """The extraction runner of ``run`` and ``replay``: ``processes`` children, each article within
    ``timeout_s`` seconds (0: no budget)."""
    return ProcessRunner(factory, processes, max_bytes, timeout_s)

"""Running the extraction core over batches of raw messages, in this process or in a process pool.

The pool's workers each build ONE ``Extractor`` in their initializer; the parent only ships raw bytes in
and gets ``Processed`` results (quote records already serialised) back, so nothing is re-initialised per
message and little is pickled.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

import orjson

from worker.records import process_batch
from worker.stream.messages import ExtractorInfo, Processed

if TYPE_CHECKING:
    from worker.extractor import Extractor

ExtractorFactory = Callable[[], "Extractor"]

_EXTRACTOR: Extractor | None = None


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


def _init_pool_worker(factory: ExtractorFactory) -> None:
    global _EXTRACTOR
    import signal

    # The parent handles SIGINT/SIGTERM and shuts the pool down in order; children must not die first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _EXTRACTOR = factory()


def _pool_process(values: Sequence[bytes], max_bytes: int) -> list[Processed]:
    assert _EXTRACTOR is not None, "pool worker not initialised"
    return process_values(values, _EXTRACTOR, max_bytes)


def _pool_info() -> ExtractorInfo:
    assert _EXTRACTOR is not None, "pool worker not initialised"
    return ExtractorInfo(_EXTRACTOR.version, _EXTRACTOR.backend_name)


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


class InlineRunner(Runner):
    """Extraction in the calling process: the future is already done when ``submit`` returns."""

    def __init__(self, extractor: Extractor, max_bytes: int) -> None:
        self.extractor = extractor
        self.max_bytes = max_bytes
        self.info = ExtractorInfo(extractor.version, extractor.backend_name)

    def submit(self, values: Sequence[bytes]) -> Future[list[Processed]]:
        fut: Future[list[Processed]] = Future()
        try:
            fut.set_result(process_values(values, self.extractor, self.max_bytes))
        except BaseException as exc:  # process_batch does not raise for bad input; this is a bug
            fut.set_exception(exc)
        return fut


class PoolRunner(Runner):
    """Extraction in ``processes`` worker processes (spawned, so no Kafka client threads are forked)."""

    def __init__(self, factory: ExtractorFactory, processes: int, max_bytes: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.max_bytes = max_bytes
        self.processes = processes
        self.pool = ProcessPoolExecutor(
            processes, mp_context=ctx, initializer=_init_pool_worker, initargs=(factory,)
        )
        # Starts (and initialises) the workers now, so a broken extractor fails at start-up, not mid-stream.
        self.info = self.pool.submit(_pool_info).result()

    @property
    def parallelism(self) -> int:
        return self.processes

    def submit(self, values: Sequence[bytes]) -> Future[list[Processed]]:
        return self.pool.submit(_pool_process, values, self.max_bytes)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class BackendFactory:
    """A picklable extractor factory: backend name and model directory (``make_extractor`` semantics)."""

    def __init__(self, backend: str, stanza_models: str | None = None) -> None:
        self.backend = backend
        self.stanza_models = stanza_models

    def __call__(self) -> Extractor:
        from worker.extractor import Extractor

        return Extractor(self.backend, stanza_models=self.stanza_models)


def make_runner(factory: ExtractorFactory, processes: int, max_bytes: int) -> Runner:
    if processes <= 1:
        return InlineRunner(factory(), max_bytes)
    return PoolRunner(factory, processes, max_bytes)

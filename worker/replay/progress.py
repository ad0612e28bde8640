"""Progress of a replay (tqdm bars on a terminal, log lines otherwise) and the ``--max-rate`` throttle."""

from __future__ import annotations

import logging
import sys
import time
from typing import IO, Any

from kafka import TopicPartition

from worker.replay.plan import Plan, tp_name

log = logging.getLogger("worker.replay")

MAX_PARTITION_BARS = 16


class TokenBucket:
    """``rate`` tokens per second, bursts of up to one second's worth; ``take(n)`` sleeps as needed (it
    may go into debt for n above the burst, then waits that debt off)."""

    def __init__(self, rate: float, clock: Any = time.monotonic, sleep: Any = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.clock = clock
        self.sleep = sleep
        self.last = clock()

    def take(self, n: int) -> float:
        """Take ``n`` tokens; returns the seconds slept."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        self.tokens -= n
        if self.tokens >= 0:
            return 0.0
        wait = -self.tokens / self.rate
        self.sleep(wait)
        return wait


def _eta(remaining: int, rate: float) -> float | None:
    if remaining <= 0:
        return 0.0
    return remaining / rate if rate > 0 else None


class Progress:
    """Tracks how far each partition has been read (``update(tp, position)``); shows it as tqdm bars on
    a terminal (``mode="bar"``), as a log line every ``interval_s`` (``"log"``), or not at all."""

    def __init__(
        self, plan: Plan, mode: str = "auto", interval_s: float = 10.0, stream: IO[str] | None = None
    ):
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if self.stream.isatty() else "log"
        self.mode = mode
        self.interval_s = interval_s
        self.plan = plan
        self.base = {tp: r.next if r.next > r.start else r.start for tp, r in plan.items()}
        self.pos = dict(self.base)
        self.started = time.monotonic()
        self.last_log = self.started
        self.total = sum(r.total for r in plan.values())
        self.bars: dict[TopicPartition | None, Any] = {}
        if mode == "bar":
            from tqdm import tqdm

            self.bars[None] = tqdm(
                total=self.total, initial=self._done_all(), desc="replay", unit="msg", file=self.stream,
                position=0, dynamic_ncols=True, smoothing=0.1,
            )  # fmt: skip
            shown = [tp for tp, r in sorted(plan.items()) if r.total][:MAX_PARTITION_BARS]
            for i, tp in enumerate(shown, start=1):
                r = plan[tp]
                self.bars[tp] = tqdm(
                    total=r.total, initial=self._done(tp), desc=f"  {tp_name(tp)}", unit="msg",
                    file=self.stream, position=i, leave=False, dynamic_ncols=True, smoothing=0.1,
                )  # fmt: skip

    def _done(self, tp: TopicPartition) -> int:
        r = self.plan[tp]
        return max(0, min(self.pos[tp], r.end) - r.start)

    def _done_all(self) -> int:
        return sum(self._done(tp) for tp in self.plan)

    def update(self, tp: TopicPartition, position: int) -> None:
        before = self._done(tp)
        self.pos[tp] = max(self.pos[tp], position)
        step = self._done(tp) - before
        if step and self.mode == "bar":
            self.bars[None].update(step)
            bar = self.bars.get(tp)
            if bar is not None:
                bar.update(step)

    def tick(self, force: bool = False) -> None:
        """Log a progress line when ``interval_s`` has passed (log mode)."""
        now = time.monotonic()
        if self.mode != "log" or (not force and now - self.last_log < self.interval_s):
            return
        self.last_log = now
        log.info("replay progress", extra={"progress": self.snapshot()})

    def snapshot(self) -> dict[str, Any]:
        elapsed = max(1e-9, time.monotonic() - self.started)
        done_now = sum(self.pos[tp] - self.base[tp] for tp in self.plan)
        rate = done_now / elapsed
        done = self._done_all()
        parts = {}
        for tp, r in sorted(self.plan.items()):
            p_rate = (self.pos[tp] - self.base[tp]) / elapsed
            p_done = self._done(tp)
            eta = _eta(r.total - p_done, p_rate)
            parts[tp_name(tp)] = {
                "done": p_done,
                "total": r.total,
                "eta_s": None if eta is None else round(eta, 1),
            }
        eta = _eta(self.total - done, rate)
        return {
            "done": done,
            "total": self.total,
            "percent": round(100.0 * done / self.total, 1) if self.total else 100.0,
            "rate_per_s": round(rate, 1),
            "eta_s": None if eta is None else round(eta, 1),
            "elapsed_s": round(elapsed, 1),
            "partitions": parts,
        }

    def close(self) -> None:
        for bar in reversed(list(self.bars.values())):
            bar.close()
        self.bars.clear()

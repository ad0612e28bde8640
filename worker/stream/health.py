"""What ``/healthz`` and ``/readyz`` say, from state that the processing loop and the lag monitor update.

* live (``/healthz``, liveness: restart me if not): the processing loop turned in the last
  ``stall_timeout_s``, and the group's committed offsets advanced in that time or there was nothing to do
  (lag 0). A stall is counted only while the broker answers: an outage is what readiness reports, and a
  restart would not cure it.
* ready (``/readyz``, readiness: I can make progress now): subscribed and not stopping, the broker
  answered within ``broker_timeout_s`` (and its last request did not fail), at least one partition is
  assigned, and live. When not ready, ``not_ready_reason()`` says why, in words, for the probe's body.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Health:
    def __init__(
        self,
        stall_timeout_s: float = 300.0,
        broker_timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # default stall: longer than a flush can block while the broker is away (delivery timeout 120 s)
        self.stall_timeout_s = stall_timeout_s
        self.broker_timeout_s = broker_timeout_s
        self.clock = clock
        self._lock = threading.Lock()
        now = clock()
        self.last_beat = now
        self.last_progress = now
        self.lag: int | None = None  # None: unknown (never measured, or the broker cannot be read)
        self.last_measured: float | None = None  # when the broker last answered the lag monitor
        self.broker_error: str | None = None  # the last failed request, until one succeeds
        self.assigned = 0
        self.subscribed = False
        self.stopping = False

    # -- updates -------------------------------------------------------------------------------------
    def beat(self) -> None:
        self.last_beat = self.clock()

    def set_subscribed(self, subscribed: bool) -> None:
        self.subscribed = subscribed

    def set_stopping(self) -> None:
        self.stopping = True

    def set_assigned(self, partitions: int) -> None:
        self.assigned = partitions

    def observed(self, lag: int, advanced: bool) -> None:
        """A lag measurement: the total lag of the held partitions, and whether a committed offset moved."""
        with self._lock:
            now = self.clock()
            if advanced or lag == 0 or not self._broker_ok(now):
                self.last_progress = now  # the stall clock starts again when the broker is back
            self.lag = lag
            self.last_measured = now
            self.broker_error = None

    def broker_unreachable(self, error: str) -> None:
        with self._lock:
            self.broker_error = error
            self.lag = None
            self.last_progress = self.clock()

    # -- questions -----------------------------------------------------------------------------------
    def _broker_ok(self, now: float) -> bool:
        return (
            self.broker_error is None
            and self.last_measured is not None
            and now - self.last_measured < self.broker_timeout_s
        )

    def broker_ok(self) -> bool:
        return self._broker_ok(self.clock())

    def lag_age_s(self) -> float | None:
        """Seconds since the lag was last measured (None: never)."""
        return None if self.last_measured is None else self.clock() - self.last_measured

    def stalled(self) -> bool:
        lag = self.lag
        return (
            lag is not None
            and lag > 0
            and self.broker_ok()
            and self.clock() - self.last_progress > self.stall_timeout_s
        )

    def not_live_reason(self) -> str | None:
        now = self.clock()
        if now - self.last_beat >= self.stall_timeout_s:
            return f"stalled: the processing loop did not turn for {now - self.last_beat:.0f} s"
        if self.stalled():
            return (
                f"stalled: no committed offset advanced for {now - self.last_progress:.0f} s "
                f"while the lag was {self.lag}"
            )
        return None

    def live(self) -> bool:
        return self.not_live_reason() is None

    def not_ready_reason(self) -> str | None:
        if self.stopping:
            return "stopping"
        if not self.subscribed:
            return "not connected yet"
        if not self.broker_ok():
            age = self.lag_age_s()
            since = "never answered" if age is None else f"no answer for {age:.1f} s"
            error = f": {self.broker_error}" if self.broker_error else ""
            return f"broker unreachable ({since}){error}"
        if self.assigned == 0:
            return "no partitions assigned"
        return self.not_live_reason()

    def is_ready(self) -> bool:
        return self.not_ready_reason() is None

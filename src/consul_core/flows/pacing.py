"""How the loops of the helpers are paced: the minimum interval between the reads of a watch,
the backoff after errors, and the retry interval while a lock-delay holds a lock back.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import attrs

from consul_core.backoff import Backoff, RandomSource
from consul_core.errors import ConsulError, ResponseError, UsageError
from consul_core.flows.effects import Flow, Sleep

__all__ = ["Pacing", "Retry"]


def _seconds(_: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise UsageError(f"{attribute.name} must be a number of seconds, not {value!r}")
    if value < 0 or math.isnan(value) or math.isinf(value):
        raise UsageError(f"{attribute.name} must be a finite, non-negative number, got {value!r}")


@attrs.frozen
class Pacing:
    """The pace of watches, lock and semaphore loops and session renewal.

    Attributes:
        min_interval: The least time between the starts of two reads of one watch, in seconds,
            so that a key that changes all the time cannot make a watch spin.
        backoff: The delays after consecutive errors (transport errors, 429 and 5xx); a
            delay is made longer when a 429 or 503 asks for it (``Retry-After``), up to the
            backoff's maximum.
        lock_retry: How long to wait before trying again to acquire a free lock that Consul
            refused, which it does during the lock-delay of a session that held it.
        random: The random source for the backoff's jitter, floats in ``[0, 1)``; the clients
            pass `random.random`. None: no jitter.
    """

    min_interval: float = attrs.field(default=0.1, validator=_seconds)
    backoff: Backoff = attrs.field(factory=Backoff)
    lock_retry: float = attrs.field(default=1.0, validator=_seconds)
    random: RandomSource | None = attrs.field(default=None, eq=False, repr=False)


class Retry:
    """Consecutive errors of one loop, and the backoff they earn."""

    def __init__(self, pacing: Pacing) -> None:
        self._pacing = pacing
        self._delays: Iterator[float] | None = None

    def next_delay(self, error: ConsulError | None = None) -> float:
        """The delay after one more consecutive error: the backoff's, or the wait that `error`
        (a 429 or 503) asks for when longer, at most the backoff's maximum: a server's word
        cannot hold a loop back longer than its own backoff would.
        """
        if self._delays is None:
            self._delays = self._pacing.backoff.delays(self._pacing.random)
        delay = next(self._delays)
        asked = error.retry_after if isinstance(error, ResponseError) else None
        if asked is not None and asked > delay:
            return min(asked, self._pacing.backoff.maximum)
        return delay

    def pause(self) -> Flow[None]:
        """Sleep for the delay after one more consecutive error."""
        yield Sleep(self.next_delay())

    def reset(self) -> None:
        """A success: the next error starts the backoff again."""
        self._delays = None

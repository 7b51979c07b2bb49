"""`Budget`: the time a flow may spend riding out errors (an election, an agent away), and the
backoff between its tries.

Rules:
- The retryable errors (`RETRYABLE`: transport errors, 429, 5xx; an election answers 500 "No
  cluster leader" or "rpc error ...") are retried after the pacing's backoff; others propagate.
- With a deadline, no sleep runs past it, each call's read timeout is the time left (at least
  `MIN_CALL_TIMEOUT`), and once the time is up the flow ends with `Timeout`, chained to the last
  error. Without one, the flow retries for as long as its caller lets it run.
- A budget may bound each call's read timeout further (``attempt``), so that a call sent on a
  connection that died without a word (a NAT that dropped it) is made again on another in time,
  rather than waiting out the whole budget.
- A call retried after an error may have succeeded the first time (its reply was lost): the
  calls retried here are safe to repeat (a release, a destroy, a check-and-set read again), or
  leave at worst an unused session that expires with its TTL (a create).
"""

from __future__ import annotations

from typing import TypeVar

from consul_core.call import Call
from consul_core.errors import ConsulError, Timeout
from consul_core.flows.effects import Flow, Notice, NoticeKind, Sleep, now, perform, with_timeout
from consul_core.flows.pacing import Pacing, Retry
from consul_core.flows.watch import RETRYABLE

__all__ = ["MIN_CALL_TIMEOUT", "Budget", "retry_notice"]

T = TypeVar("T")

MIN_CALL_TIMEOUT = 1.0
"""The least read timeout of a call near the deadline, in seconds."""


def retry_notice(purpose: str, error: ConsulError, delay: float) -> Notice:
    """The `Notice` of a flow that could not `purpose` (``"take the lock on 'k'"``) for `error`
    and tries again in `delay` seconds.
    """
    return Notice(
        NoticeKind.RETRY,
        f"could not {purpose} yet ({type(error).__name__}: {error}); trying again in {delay:.2f}s",
    )


class Budget:
    """Retries with backoff, until an optional deadline on the driver's clock.

    Attributes:
        purpose: What the time is spent on, for the `Timeout` message (``"take the lock on 'k'"``).
        seconds: The time allowed, or None for no end.
        deadline: When the time is up, on the driver's clock, or None.
        attempt: The longest read timeout of one call, or None: the time left bounds it alone.
    """

    def __init__(
        self,
        pacing: Pacing,
        purpose: str,
        seconds: float | None,
        started: float,
        *,
        attempt: float | None = None,
    ) -> None:
        self.purpose = purpose
        self.seconds = seconds
        self.deadline = None if seconds is None else started + seconds
        self.attempt = attempt
        self._retry = Retry(pacing)

    def left(self, current: float) -> float | None:
        """The time left at `current`, or None without a deadline."""
        return None if self.deadline is None else self.deadline - current

    def expired(self, error: ConsulError | None = None) -> Timeout:
        """The error that ends a flow whose time is up."""
        cause = f" ({type(error).__name__}: {error})" if error is not None else ""
        return Timeout(f"could not {self.purpose} within {self.seconds:g}s{cause}")

    def check(self, current: float, error: ConsulError | None = None) -> float | None:
        """The time left at `current` (None without a deadline).

        Raises:
            Timeout: The time is up.
        """
        left = self.left(current)
        if left is not None and left <= 0:
            raise self.expired(error) from error
        return left

    def remaining(self) -> Flow[float | None]:
        """The time left (None without a deadline: then the clock is not read).

        Raises:
            Timeout: The time is up.
        """
        return self.check((yield from now())) if self.deadline is not None else None

    def limit(self, call: Call[T], left: float | None) -> Call[T]:
        """`call` with a read timeout of `left`, the time left, if not None: at most `attempt`
        and the call's own (a blocking read's), at least `MIN_CALL_TIMEOUT`.
        """
        if left is None:
            return call
        if self.attempt is not None:
            left = min(left, self.attempt)
        if call.request.timeout is not None:
            left = min(left, call.request.timeout)
        return with_timeout(call, max(left, MIN_CALL_TIMEOUT))

    def call(self, call: Call[T]) -> Flow[T]:
        """Perform `call`, retrying the retryable errors after the backoff. The first attempt
        is made even when the time is up, so that every step of a cleanup is tried once.

        Raises:
            Timeout: The time was up before it succeeded.
            ConsulError: An error that is not worth retrying.
        """
        while True:
            left = self.left((yield from now())) if self.deadline is not None else None
            try:
                result = yield from perform(self.limit(call, left))
            except RETRYABLE as exc:
                yield from self.pause(exc)
                continue
            self.succeeded()
            return result

    def pause(self, error: ConsulError) -> Flow[None]:
        """Tell `error` with a `Notice`, then sleep for the backoff after one more consecutive
        error, never past the deadline.

        Raises:
            Timeout: The time is up (chained to `error`).
        """
        delay = self._retry.next_delay(error)
        if self.deadline is not None:
            left = self.check((yield from now()), error)
            delay = min(delay, left) if left is not None else delay
        yield retry_notice(self.purpose, error, delay)
        yield Sleep(delay)

    def succeeded(self) -> None:
        """A success: the next error starts the backoff again."""
        self._retry.reset()

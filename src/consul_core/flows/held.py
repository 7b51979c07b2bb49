"""`Held`: what a driver's supervisor holds for the length of a ``with`` block, as flows.

A supervisor (see ``consul_transports/*/supervise.py``) runs, in this order:

1. `open` (creates what is held: a session, a service registration);
2. `renew` in the background, and `acquire` (nothing, unless there is more to take);
3. `monitor` in the background, if there is one, while the body of the block runs;
4. `close`, shielded, however the block ends. Each step of `close` is retried through errors
   (an election) within `CLEANUP_TIMEOUT`, each try within a third of it (a try sent on a
   connection that died without a word is made again on another), and, failed or not, the
   next steps still run; a step that could not be done makes `close` raise `ReleaseFailed` at
   its end.

`renew` and `monitor` return only when what is held is lost, with the reason; the supervisor then
calls `mark_lost`, stops the acquisition or the body (an async body is cancelled), and raises
`lost_error()` once the block is left and `close` ran. `leaving` decides what leaving raises when
`close` failed too.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from typing import TypeVar

from consul_core.errors import ConsulError, LockLost, ReleaseFailed
from consul_core.flows.budget import Budget
from consul_core.flows.effects import Flow, now
from consul_core.flows.pacing import Pacing

__all__ = ["CLEANUP_TIMEOUT", "Cleanup", "Held"]

T = TypeVar("T")

CLEANUP_TIMEOUT = 15.0
"""How long `close` goes on retrying its steps, in seconds (a step is always tried once)."""


class Cleanup:
    """The steps of a `close`: each tried within one `Budget`, the failures collected.

    Attributes:
        budget: The time and backoff the steps share.
    """

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self._failures: list[str] = []
        self._cause: ConsulError | None = None

    @classmethod
    def start(cls, pacing: Pacing, description: str) -> Flow[Cleanup]:
        """Start the cleanup of `description` now, with `CLEANUP_TIMEOUT` to spend."""
        started = yield from now()
        purpose = f"clean up {description}"
        return cls(Budget(pacing, purpose, CLEANUP_TIMEOUT, started, attempt=CLEANUP_TIMEOUT / 3))

    def step(self, what: str, flow: Flow[T]) -> Flow[T | None]:
        """Run one step; a `ConsulError` is recorded as a failure of `what` (None is returned)."""
        try:
            return (yield from flow)
        except ConsulError as exc:
            self._failures.append(f"{what} ({type(exc).__name__}: {exc})")
            self._cause = self._cause or exc
            return None

    def finish(self, description: str) -> None:
        """End the cleanup.

        Raises:
            ReleaseFailed: A step could not be done (chained to the first error).
        """
        if self._failures:
            raise ReleaseFailed(
                f"leaving {description} could not {'; '.join(self._failures)}"
            ) from self._cause


class Held(ABC):
    """Something held for the length of a block.

    Attributes:
        lost: Whether it was lost while held; once true it stays true.
        loss: Why it was lost, or None.
    """

    def __init__(self) -> None:
        self.lost = False
        self.loss: str | None = None

    @abstractmethod
    def describe(self) -> str:
        """What is held, for messages."""

    def mark_lost(self, reason: str) -> bool:
        """Record that it is lost; returns True the first time only."""
        if self.lost:
            return False
        self.lost, self.loss = True, reason
        return True

    def lost_error(self) -> LockLost:
        """The error to raise when the block is left after a loss."""
        return LockLost(f"{self.describe()} was lost: {self.loss}")

    def leaving(
        self, failure: BaseException | None, unreleased: ConsulError | None
    ) -> tuple[BaseException | None, ConsulError | None]:
        """What leaving the block raises, once `close` ran.

        Args:
            failure: What the body (or the acquisition) raised, or None if it ended normally.
            unreleased: What `close` raised (`ReleaseFailed`), or None if it released all.

        Returns:
            The error to raise (the body's own first, then `LockLost` after a loss, then the
            cleanup's), or None; and the cleanup's error when it is not the one raised, for the
            supervisor to log (it is also attached to the raised error as a note).
        """
        raised = failure if failure is not None else (self.lost_error() if self.lost else None)
        if raised is None:
            return unreleased, None
        if unreleased is not None and sys.version_info >= (3, 11):
            raised.add_note(f"and then: {type(unreleased).__name__}: {unreleased}")
        return raised, unreleased

    @abstractmethod
    def open(self) -> Flow[None]:
        """Create what is held."""

    @abstractmethod
    def renew(self) -> Flow[str]:
        """Keep it alive; return (why it is lost) only when it is lost."""

    def acquire(self) -> Flow[None]:
        """Take what else is held, once open (nothing, by default)."""
        yield from ()

    def monitor(self, wait: float) -> Flow[str] | None:
        """Watch it while the body runs; return (why it is lost) only when it is lost.

        Args:
            wait: How long each blocking read may wait, in seconds.

        Returns:
            The flow, or None when nothing is watched.
        """
        del wait
        return None

    @property
    def monitor_ends_on_close(self) -> bool:
        """Whether `close` changes what `monitor` watches, which ends its blocking read."""
        return True

    @abstractmethod
    def close(self) -> Flow[None]:
        """Release what is held.

        Raises:
            ReleaseFailed: A step could not be done in time; the steps after it still ran.
        """

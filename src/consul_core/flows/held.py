"""`Held`: what a driver's supervisor holds for the length of a ``with`` block, as flows.

A supervisor (see ``consul_transports/*/supervise.py``) runs, in this order:

1. `open` (creates what is held: a session, a service registration);
2. `renew` in the background, and `acquire` (nothing, unless there is more to take);
3. `monitor` in the background, if there is one, while the body of the block runs;
4. `close`, shielded, however the block ends. Every step of `close` is a best effort, so that
   the rest still runs.

`renew` and `monitor` return only when what is held is lost, with the reason; the supervisor then
calls `mark_lost`, stops the acquisition or the body (an async body is cancelled), and raises
`lost_error()` once the block is left and `close` ran.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from consul_core.errors import LockLost
from consul_core.flows.effects import Flow

__all__ = ["Held"]


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
        """Release what is held (a best effort)."""

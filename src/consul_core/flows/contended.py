"""`Contended`: what a `Lock` and a `Semaphore` share, a lease whose session takes KV keys that
other sessions contend for.

Rules (the Go client's ``api/lock.go`` and ``api/semaphore.go``):
- The session is the caller's, used as it is (borrowed), or one created with a TTL (default
  `DEFAULT_TTL`); the options of a session to create are refused with the caller's session.
- Entering reads the keys, blocking on their index for at most `ACQUIRE_WAIT` and four fifths
  of the time left to enter, each read's timeout within that time; the monitor reads them
  consistently until they show the session no longer holds them. Releasing them ends the
  monitor's read.
- The monitor's reads block for at most `ACQUIRE_WAIT` (a subclass may bound them further):
  a read on a connection that died without a word (a NAT that forgot it) ends with its timeout
  and is made again on another, so a holder learns that an operator deleted its key or
  destroyed its session within about 20 s, not after Consul's 5-minute wait while another
  holds what it thinks it holds.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Generic, TypeVar

import attrs

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints import session as sessions
from consul_core.flows.effects import Flow, until
from consul_core.flows.lease import Lease, check_unused
from consul_core.flows.pacing import Pacing
from consul_core.flows.watch import read_entry, watch
from consul_core.meta import QueryMeta

__all__ = ["ACQUIRE_WAIT", "DEFAULT_TTL", "NO_CHECKS", "Contended"]

V = TypeVar("V")

DEFAULT_TTL = "15s"
ACQUIRE_WAIT = 15.0
"""How long each blocking read of a contender waits, in seconds (Go: ``DefaultLockWaitTime``)."""
# The least wait of the monitor's blocking reads, in seconds: shorter ones would be polling.
_LEAST_MONITOR_WAIT = 1.0
NO_CHECKS: tuple[str, ...] = ()
"""The health checks of a session that a lock or a semaphore creates: none, so that only its TTL
ends it (see `lease`'s rules: a node check could end it before its holder can know)."""
# The share of the time left to enter that a blocking read waits (see `_read_entering`).
_WAIT_OF_LEFT = 0.8


class Contended(Lease, Generic[V]):
    """A lease whose session takes KV keys that other sessions contend for; `V` is what a read
    of them answers.
    """

    def __init__(
        self,
        *,
        session: _params.IdLike | None,
        ttl: _params.Duration | None,
        pacing: Pacing | None,
        timeout: _params.Duration | None,
        create: Callable[[float], Call[str]],
        **unused: object,
    ) -> None:
        """Describe the lease; nothing is sent until the supervisor runs `open`.

        Args:
            session: A session of the caller's to use as it is, or None to create one.
            ttl: The TTL of the session to create (default `DEFAULT_TTL`).
            pacing: The backoff of retries and the pace of reads.
            timeout: How long entering may take, or None for no end.
            create: Makes the call that creates the session, given its TTL in seconds.
            **unused: The other options of a session to create, refused with `session`.

        Raises:
            UsageError: An argument is invalid, or `ttl` or one of `unused` is given with a
                `session`.
        """
        if session is not None:
            check_unused(ttl=ttl, **unused)
            sid = _params.to_id(session, "session")
            super().__init__(pacing=pacing, session=sid, borrowed=True, timeout=timeout)
            return
        seconds = sessions.check_ttl(DEFAULT_TTL if ttl is None else ttl)
        super().__init__(pacing=pacing, create=create(seconds), ttl=seconds, timeout=timeout)

    @abstractmethod
    def _read(
        self, blocking: tuple[int, float] | None, consistency: _params.Consistency | None = None
    ) -> Call[tuple[V, QueryMeta]]:
        """A read of the keys, without blocking (None) or blocking on ``(index, wait)``."""

    @abstractmethod
    def _loss(self, held: V | None) -> str | None:
        """Why the keys as read show the session no longer holds them, or None while it does."""

    def _read_entering(self, index: int, left: float | None) -> Flow[tuple[V | None, QueryMeta]]:
        """Read the keys while entering, blocking on `index` (unless 0) for at most
        `ACQUIRE_WAIT` and `left`, the time left to enter (None: no end); a 404 is None.
        """
        # Near the end of the time left, the agent's answer (after the wait, and up to a
        # sixteenth of it more) comes before the read's own timeout (the time left): a key
        # still held ends entering with `Timeout` saying so, not blaming the agent.
        wait = ACQUIRE_WAIT if left is None else min(ACQUIRE_WAIT, left * _WAIT_OF_LEFT)
        read = self.entering.limit(self._read((index, wait) if index else None), left)
        reply = yield from read_entry(read)
        self.entering.succeeded()
        return reply

    def purpose(self) -> str:
        """What entering does, for a `Timeout` message."""
        return f"take {self.describe()}"

    def monitor(self, wait: float) -> Flow[str]:
        """Watch the keys, reading them consistently, until the session no longer holds them.

        Args:
            wait: How long each blocking read may wait, in seconds.

        Returns:
            Why they are lost.
        """

        def read(blocking: tuple[int, float] | None) -> Call[tuple[V, QueryMeta]]:
            return self._read(blocking, "consistent")

        def lost(item: tuple[V | None, QueryMeta]) -> str | None:
            return self._loss(item[0])

        bound = self._monitor_bound()
        wait = min(wait, ACQUIRE_WAIT, max(bound, _LEAST_MONITOR_WAIT) if bound else wait)
        return until(watch(read, pacing=self._monitor_pacing(), wait=wait), lost)

    def _monitor_bound(self) -> float | None:
        """How long the monitor may go without reading, in seconds (its reads' wait, though
        not under a second, and its backoff after errors), if a subclass bounds it further.
        """
        return None

    def _monitor_pacing(self) -> Pacing:
        """The pacing of the monitor's reads, its backoff bounded by `_monitor_bound`."""
        bound = self._monitor_bound()
        if not bound:
            return self._pacing
        backoff = self._pacing.backoff
        bound = max(backoff.initial, min(backoff.maximum, bound))
        return attrs.evolve(self._pacing, backoff=attrs.evolve(backoff, maximum=bound))

    @property
    def monitor_ends_on_close(self) -> bool:
        """Releasing the keys ends the monitor's read."""
        return True

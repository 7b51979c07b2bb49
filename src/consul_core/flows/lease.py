"""`Lease`: a TTL session held for the length of a block (see `Held` for the order in which a
supervisor runs its flows), the base of keepalives, locks and semaphores.

Rules of renewal (the Go client's ``Session.RenewPeriodic``):
- Renew every TTL/2, and use the TTL the server answers with.
- After an error, retry with backoff; give up once a whole TTL has passed since the last
  renewal that succeeded (Consul itself waits up to twice the TTL, so the loss is reported
  before the server can give what the session held to someone else).
- Each renewal may take a quarter of the TTL (at least a second), and never past that whole
  TTL: one sent on a connection that died without a word (a NAT that dropped it) is made again
  on another in time, rather than lose a session the agent could have renewed.
- A 404 means the session is gone: lost at once.
- A session that a lock or a semaphore creates has no health checks (`contended.NO_CHECKS`): with
  Consul's default, the node's ``serfHealth``, the servers invalidate it as soon as the
  holder's node is marked failed (seconds after its agent dies), while the holder, cut off
  from that agent, keeps its hold for a whole TTL: another contender would hold at the same
  time. Without checks only the TTL ends it, and the rule above holds.
- Each failed renewal is told with a `Notice` (retry), and a renewal that succeeds only after
  failed attempts with another (renewed late).

Rules of a borrowed session (a lock or a semaphore given the caller's session, as Go's
``LockOptions.Session``): the caller owns it, so the lease neither renews nor destroys it;
entering checks that it exists, and its invalidation is seen through what it holds (a write
with it refused as an invalid session, the monitor's key released).

Rules of entering and leaving (a cluster may be electing a leader meanwhile):
- Entering (`open`, and a subclass's `acquire`) retries the retryable errors with backoff, for
  as long as the caller lets it run or until the lease's ``timeout`` (then `Timeout`).
- Leaving (`close`) retries each step within `CLEANUP_TIMEOUT`: the release of what the session
  holds, then the destroy of the session. Both are safe to repeat: Consul releases a key only
  for the session that holds it, and destroying a destroyed session succeeds.
"""

from __future__ import annotations

from typing import TypeVar

from consul_core import _params
from consul_core.blocking import DEFAULT_WAIT
from consul_core.call import Call
from consul_core.endpoints import session as sessions
from consul_core.errors import ConsulError, LockLost, NotFound, UsageError
from consul_core.flows.budget import Budget, retry_notice
from consul_core.flows.effects import (
    Flow,
    Notice,
    NoticeKind,
    Sleep,
    now,
    perform,
    until,
    with_timeout,
)
from consul_core.flows.held import Cleanup, Held
from consul_core.flows.pacing import Pacing, Retry
from consul_core.flows.watch import watch
from consul_core.meta import QueryMeta
from consul_core.models.session import Session

__all__ = ["Lease"]

T = TypeVar("T")

# The least read timeout of a renewal near the end of the TTL: the server waits twice the TTL.
_MIN_RENEW_TIMEOUT = 1.0


def _once_open(value: T | None, why: str = "") -> T:
    """`value`, which a lease has once it is open.

    Raises:
        UsageError: The lease is not open yet (`why` says what it lacks).
    """
    if value is None:
        raise UsageError(f"the lease is not open yet{why}")
    return value


def check_unused(**options: object) -> None:
    """Refuse the options of a session to create, given with the caller's session.

    Raises:
        UsageError: One of `options` is not None.
    """
    given = sorted(name for name, value in options.items() if value is not None)
    if given:
        raise UsageError(f"{', '.join(given)} apply to a session this creates, not to `session`")


class Lease(Held):
    """A TTL session kept alive for the length of a block.

    Attributes:
        lost: Whether the lease was lost (the session invalidated or not renewed in time, or
            what it held taken); once true it stays true.
        loss: Why it was lost, or None.
        created: Whether this lease created its session (and so destroys it in `close`).
        borrowed: Whether the session is the caller's, which the lease neither renews nor
            destroys.
    """

    def __init__(
        self,
        *,
        pacing: Pacing | None = None,
        create: Call[str] | None = None,
        ttl: float = 0.0,
        session: str | None = None,
        borrowed: bool = False,
        timeout: _params.Duration | None = None,
    ) -> None:
        """Describe the lease; nothing is sent until the supervisor runs `open`.

        Args:
            pacing: The backoff of retries and the pace of the monitor's reads.
            create: The call that creates the session, or None to adopt `session`.
            ttl: The TTL that `create` gives the session, in seconds.
            session: The ID of an existing session to use instead: a TTL session to keep
                alive, or (`borrowed`) any session of the caller's.
            borrowed: Use `session` as it is: neither renew nor destroy it.
            timeout: How long entering may take (`open` and `acquire`), or None for no end.

        Raises:
            UsageError: An argument is invalid.
        """
        if (create is None) == (session is None):
            raise UsageError("a lease needs a session to create or an existing session ID")
        if borrowed and session is None:
            raise UsageError("only an existing session can be borrowed")
        super().__init__()
        self._pacing = pacing or Pacing()
        self._create = create
        self._session = session
        self.borrowed = borrowed
        self._ttl = ttl
        self._timeout = None if timeout is None else _params.parse_duration(timeout, "timeout")
        self._renewed_at = 0.0
        self._entering: Budget | None = None
        self.created = False

    @property
    def session(self) -> str:
        """The session's ID (known once the lease is open)."""
        return _once_open(self._session, ": it has no session")

    @property
    def ttl(self) -> float:
        """The session's TTL in seconds, as the server last gave it."""
        return self._ttl

    def describe(self) -> str:
        """What this lease holds, for messages."""
        return f"session {self._session}" if self._session else "a new session"

    @property
    def entering(self) -> Budget:
        """The time and backoff of entering (from `open` to the end of `acquire`)."""
        return _once_open(self._entering)

    @property
    def monitor_ends_on_close(self) -> bool:
        """Destroying the session that the lease created ends the monitor's read."""
        return self.created

    def open(self) -> Flow[None]:
        """Create the session, or renew the existing one to learn its TTL (a borrowed one is
        only read, to check that it exists), riding out the retryable errors (an election).

        Raises:
            NotFound: The existing session does not exist.
            UsageError: The existing session has no TTL (and is not borrowed).
            Timeout: The lease's timeout ran out first.
        """
        started = yield from now()
        budget = self._entering = Budget(self._pacing, self.purpose(), self._timeout, started)
        if self._create is not None:
            self._session = yield from budget.call(self._create)
            self.created = True
        elif self.borrowed:
            yield from budget.call(sessions.info(self.session, consistency="consistent"))
        else:
            entry, _ = yield from budget.call(sessions.renew(self.session))
            if entry.ttl is None:
                raise UsageError(f"session {self.session} has no TTL: nothing to keep alive")
            self._ttl = entry.ttl.total_seconds()
        # The TTL runs from the last attempt, which began after this: a conservative start.
        self._renewed_at = started

    def purpose(self) -> str:
        """What entering does, for a `Timeout` message."""
        verb = "create" if self._create is not None else "check" if self.borrowed else "renew"
        return f"{verb} {self.describe()}"

    def renew(self) -> Flow[str]:
        """Renew the session every TTL/2 until it is lost (a borrowed session: nothing, the
        caller renews it).

        Returns:
            Why the session is lost.
        """
        if self.borrowed:
            while True:
                yield Sleep(DEFAULT_WAIT)
        ttl, renewed_at = self._ttl, self._renewed_at
        pause = ttl / 2
        retry = Retry(self._pacing)
        failed = 0
        while True:
            yield Sleep(pause)
            started = yield from now()
            deadline = renewed_at + ttl
            timeout = max(min(deadline - started, ttl / 4), _MIN_RENEW_TIMEOUT)
            call = with_timeout(sessions.renew(self.session), timeout)
            try:
                entry, _ = yield from perform(call)
            except NotFound:
                return "the session was invalidated"
            except ConsulError as exc:
                current = yield from now()
                if current >= deadline:
                    return f"the session was not renewed within its TTL ({exc})"
                pause = min(retry.next_delay(exc), deadline - current)
                failed += 1
                yield retry_notice(f"renew {self.describe()}", exc, pause)
                continue
            if failed:
                yield Notice(
                    NoticeKind.RENEWED_LATE,
                    f"{self.describe()} renewed {started - renewed_at:.1f}s after the last "
                    f"renewal (TTL {ttl:g}s), after {failed} failed attempt(s)",
                )
                failed = 0
            retry.reset()
            renewed_at = started
            if entry.ttl:
                ttl = self._ttl = entry.ttl.total_seconds()
            pause = ttl / 2

    def monitor(self, wait: float) -> Flow[str]:
        """Watch the session until it is gone.

        Args:
            wait: How long each blocking read may wait, in seconds; at most a TTL here, since
                nothing the lease does at its end wakes a read of a session it did not create.

        Returns:
            Why the lease is lost.
        """

        def read(blocking: tuple[int, float] | None) -> Call[tuple[Session, QueryMeta]]:
            return sessions.info(self.session, watch=blocking, consistency="consistent")

        def gone(item: tuple[Session | None, QueryMeta]) -> str | None:
            return "the session was invalidated" if item[0] is None else None

        return until(watch(read, pacing=self._pacing, wait=min(wait, self._ttl)), gone)

    def close(self) -> Flow[None]:
        """Release what the session holds (`release`), then destroy the session if this lease
        created it; each step retried within `CLEANUP_TIMEOUT`.

        Raises:
            ReleaseFailed: A step could not be done.
        """
        cleanup = yield from Cleanup.start(self._pacing, self.describe())
        yield from self.release(cleanup)
        if self.created:
            destroy = cleanup.budget.call(sessions.destroy(self.session))
            yield from cleanup.step(f"destroy session {self.session}", destroy)
        cleanup.finish(self.describe())

    def release(self, cleanup: Cleanup) -> Flow[None]:
        """Release what the session holds, before it is destroyed (nothing, by default)."""
        del cleanup
        yield from ()

    def invalidated(self) -> LockLost:
        """Mark the lease lost because its session is gone; return the error to raise."""
        self.mark_lost("the session was invalidated")
        return self.lost_error()

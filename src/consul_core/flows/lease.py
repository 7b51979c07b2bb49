"""`Lease`: a TTL session held for the length of a block (see `Held` for the order in which a
supervisor runs its flows), the base of keepalives, locks and semaphores.

Rules of renewal (the Go client's ``Session.RenewPeriodic``):
- Renew every TTL/2, and use the TTL the server answers with.
- After an error, retry with backoff; give up once a whole TTL has passed since the last
  renewal that succeeded (Consul itself waits up to twice the TTL, so the loss is reported
  before the server can give what the session held to someone else).
- A 404 means the session is gone: lost at once.
"""

from __future__ import annotations

from consul_core import _params
from consul_core.call import Call, Sleep, perform
from consul_core.endpoints import session as sessions
from consul_core.errors import ConsulError, NotFound, UsageError
from consul_core.flows.effects import Flow, attempt, now, until, with_timeout
from consul_core.flows.held import Held
from consul_core.flows.pacing import Pacing, Retry
from consul_core.flows.watch import watch
from consul_core.meta import QueryMeta
from consul_core.models.session import Session

__all__ = ["Lease"]

# Consul's bounds on a session TTL.
MIN_TTL, MAX_TTL = 10.0, 86400.0
# The least read timeout of a renewal near the end of the TTL: the server waits twice the TTL.
_MIN_RENEW_TIMEOUT = 1.0


def check_ttl(ttl: object) -> float:
    """Validate a session TTL and return it in seconds.

    Raises:
        UsageError: It is not a duration between 10s and 24h.
    """
    seconds = _params.parse_duration(ttl, "ttl")
    if not MIN_TTL <= seconds <= MAX_TTL:
        raise UsageError(f"ttl must be between 10s and 24h, got {ttl!r}")
    return seconds


class Lease(Held):
    """A TTL session kept alive for the length of a block.

    Attributes:
        lost: Whether the lease was lost (the session invalidated or not renewed in time, or
            what it held taken); once true it stays true.
        loss: Why it was lost, or None.
        created: Whether this lease created its session (and so destroys it in `close`).
    """

    def __init__(
        self,
        *,
        pacing: Pacing | None = None,
        create: Call[str] | None = None,
        ttl: float = 0.0,
        session: str | None = None,
    ) -> None:
        """Describe the lease; nothing is sent until the supervisor runs `open`.

        Args:
            pacing: The backoff of retries and the pace of the monitor's reads.
            create: The call that creates the session, or None to adopt `session`.
            ttl: The TTL that `create` gives the session, in seconds.
            session: The ID of an existing TTL session to keep alive instead.
        """
        if (create is None) == (session is None):
            raise UsageError("a lease needs a session to create or an existing session ID")
        super().__init__()
        self._pacing = pacing or Pacing()
        self._create = create
        self._session = session
        self._ttl = ttl
        self._renewed_at = 0.0
        self.created = False

    @property
    def session(self) -> str:
        """The session's ID (known once the lease is open)."""
        if self._session is None:
            raise UsageError("the lease is not open yet: it has no session")
        return self._session

    @property
    def ttl(self) -> float:
        """The session's TTL in seconds, as the server last gave it."""
        return self._ttl

    def describe(self) -> str:
        """What this lease holds, for messages."""
        return f"session {self._session}"

    @property
    def monitor_ends_on_close(self) -> bool:
        """Destroying the session that the lease created ends the monitor's read."""
        return self.created

    def open(self) -> Flow[None]:
        """Create the session, or renew the existing one to learn its TTL.

        Raises:
            NotFound: The existing session does not exist.
            UsageError: The existing session has no TTL.
        """
        started = yield from now()
        if self._create is not None:
            self._session = yield from perform(self._create)
            self.created = True
        else:
            entry, _ = yield from perform(sessions.renew(self.session))
            if entry.ttl is None:
                raise UsageError(f"session {self.session} has no TTL: nothing to keep alive")
            self._ttl = entry.ttl.total_seconds()
        self._renewed_at = started

    def renew(self) -> Flow[str]:
        """Renew the session every TTL/2 until it is lost.

        Returns:
            Why the session is lost.
        """
        ttl, renewed_at = self._ttl, self._renewed_at
        pause = ttl / 2
        retry = Retry(self._pacing)
        while True:
            yield Sleep(pause)
            started = yield from now()
            deadline = renewed_at + ttl
            call = with_timeout(
                sessions.renew(self.session), max(deadline - started, _MIN_RENEW_TIMEOUT)
            )
            try:
                entry, _ = yield from perform(call)
            except NotFound:
                return "the session was invalidated"
            except ConsulError as exc:
                current = yield from now()
                if current >= deadline:
                    return f"the session was not renewed within its TTL ({exc})"
                pause = min(retry.next_delay(), deadline - current)
                continue
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
        """Destroy the session if this lease created it (a best effort)."""
        if self.created:
            yield from attempt(sessions.destroy(self.session))

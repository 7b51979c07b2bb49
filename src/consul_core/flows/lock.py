"""`Lock`: client-side leader election on one KV key, compatible with the Go client's
``api.Lock`` on the same key.

Rules (the Go client's ``api/lock.go``):
- The key holds the flags `LOCK_FLAG`; a key that holds other flags is not a lock and is
  refused (`LockConflict`), as Go refuses it with ``ErrLockConflict``.
- Acquire: read the key; while another session holds it, block on its index (no polling); when
  it is free, acquire it with our session. Consul refuses to give a free key to anyone during the
  lock-delay of the session that last held it: then wait `Pacing.lock_retry` and try again.
- The lock is lost when the key no longer names our session (released, deleted, or taken by an
  operator) or the session is lost; the monitor reads the key consistently. It goes no longer
  than half the lock-delay of a session it created (default Consul's, 15s) without reading:
  its blocking reads wait no longer, and after errors (an outage) it reads again within it,
  whatever the pacing's backoff. So once the agent answers again, or a read on a connection
  that died without a word has timed out, the holder learns of a session ended meanwhile
  before the lock-delay lets another take the key.
- A lock given the caller's session (Go's ``LockOptions.Session``) uses it as it is: it is
  neither renewed nor destroyed, only checked on entering; its invalidation releases (or
  deletes) the key, which the monitor sees, or makes Consul refuse the acquisition.
- Release writes the key with our value and frees it; then the lease destroys the session.
  Both are retried through errors (an election) within the cleanup's time: the key is free
  again soon after a new leader is elected, with no lock-delay (a released key has none),
  rather than a session TTL later. Consul releases the key only if our session holds it, so a
  release repeated after someone else took the key leaves it alone.
"""

from __future__ import annotations

from consul_core import _params
from consul_core.blocking import BlockingState
from consul_core.call import Call
from consul_core.endpoints import kv
from consul_core.endpoints import session as sessions
from consul_core.errors import LockConflict, LockInUse, NotFound
from consul_core.flows.contended import ACQUIRE_WAIT, DEFAULT_TTL, NO_CHECKS, Contended
from consul_core.flows.effects import Flow, Sleep, perform
from consul_core.flows.held import Cleanup
from consul_core.flows.pacing import Pacing
from consul_core.flows.watch import RETRYABLE
from consul_core.meta import QueryMeta
from consul_core.models.kv import KeyValue

__all__ = ["ACQUIRE_WAIT", "DEFAULT_TTL", "LOCK_FLAG", "Lock", "LockConflict", "destroy_lock"]

LOCK_FLAG = 0x2DDCCBC058A50C18
"""The flags the Go client's ``api.LockFlagValue`` puts on a lock key."""
DEFAULT_NAME = "Consul API Lock"
_CONSUL_LOCK_DELAY = 15.0  # a session's lock-delay when none is given


class Lock(Contended[KeyValue]):
    """Hold a lock on a key for the length of a ``with`` block (``async with`` on the async
    clients): ``client.lock(key, ...)``, for leader election.

    Entering creates a session with `ttl` (or checks `session`, the caller's, that it exists),
    waits (with a blocking read, not polling) until the key is free and takes it, riding out
    errors (a leader election) with backoff, for at most `timeout`. While the block runs, the
    session is renewed (not the caller's: its owner renews it) and the key watched.
    When the lock is lost (the session invalidated or not renewed within its TTL, the key
    released or taken by someone else), ``.lost`` turns true and, on the async clients, the body
    is cancelled; the sync client cannot interrupt its body, which should check ``.lost``.
    Leaving the block releases the key and destroys the session (not the caller's), even when
    cancelled, retrying through errors for up to 15 s; then it raises `LockLost` if the lock
    was lost, or `ReleaseFailed` if the key could not be released. The key holds the Go
    client's flags (``api.Lock``), so both can contend for the same key.

    Args:
        key: The key to lock.
        session: A session of the caller's to lock with (its ID, a `Session` or a mapping with
            ``"ID"``), instead of one the lock creates; any session will do (with or without a
            TTL), and the lock leaves it alone: renewing it is its owner's job.
        ttl: The TTL of the session the lock creates, between 10s and 24h (default 15s).
        value: The value to write into the key while it is held.
        lock_delay: How long Consul keeps the lock from others after the session it creates is
            invalidated without releasing it; default Consul's (15s).
        name: The name of the session it creates (default ``"Consul API Lock"``).
        pacing: The backoff of retries, the pace of reads and the lock-delay retry; default the
            client's.
        timeout: How long entering may wait for the lock, or None (the default) for as long as
            it takes; on the async clients, a cancel scope around the block bounds it too.

    Attributes:
        key: The lock's key.
        session: The ID of the lock's session.
        lost: Whether the lock was lost while held.

    Raises:
        UsageError: An argument is invalid, or `ttl`, `lock_delay` or `name` is given with a
            `session` (before any request).
        NotFound: On entering, if `session` does not exist.
        LockConflict: On entering, if the key holds something else than a lock.
        Timeout: On entering, if `timeout` ran out first.
        LockLost: On leaving the block, if the lock was lost (on entering, if the session
            was invalidated first).
        ReleaseFailed: On leaving the block, if the key could not be released (or the session
            destroyed) in time: it stays held until the session's TTL runs out.
    """

    def __init__(
        self,
        key: str,
        *,
        session: _params.IdLike | None = None,
        ttl: _params.Duration | None = None,
        value: bytes | str = b"",
        lock_delay: _params.Duration | None = None,
        name: str | None = None,
        pacing: Pacing | None = None,
        timeout: _params.Duration | None = None,
    ) -> None:
        kv.key_path(key)
        self.key = key
        self.value = _params.check_bytes(value, "value")
        # The lock-delay of a session created here, in seconds (a borrowed one's is unknown).
        self._lock_delay: float | None = None
        if session is None:
            given = _CONSUL_LOCK_DELAY if lock_delay is None else lock_delay
            self._lock_delay = _params.parse_duration(given, "lock_delay")

        def create(seconds: float) -> Call[str]:
            return sessions.create(
                name=name or DEFAULT_NAME, ttl=seconds, lock_delay=lock_delay, checks=NO_CHECKS
            )

        super().__init__(
            session=session,
            ttl=ttl,
            pacing=pacing,
            timeout=timeout,
            create=create,
            lock_delay=lock_delay,
            name=name,
        )

    def describe(self) -> str:
        """What this lock holds, for messages."""
        return f"the lock on {self.key!r}"

    def _monitor_bound(self) -> float | None:
        """Half the lock-delay of a session the lock created (see the rules)."""
        return self._lock_delay / 2 if self._lock_delay else None

    def _read(
        self, blocking: tuple[int, float] | None, consistency: _params.Consistency | None = None
    ) -> Call[tuple[KeyValue, QueryMeta]]:
        return kv.get(self.key, watch=blocking, consistency=consistency)

    def _loss(self, held: KeyValue | None) -> str | None:
        if held is None:
            return "its key was deleted"
        if held.session != self.session:
            return "its key was released or taken by another session"
        return None

    def _entry(self) -> Call[bool]:
        return kv.lock(self.key, self.value, session=self.session, flags=LOCK_FLAG)

    def _check(self, entry: KeyValue | None) -> None:
        _check_flags(self.key, entry)

    def acquire(self) -> Flow[None]:
        """Wait until the key is free and take it, riding out the retryable errors.

        Raises:
            LockConflict: The key is not a lock.
            Timeout: The lock's timeout ran out first.
        """
        budget = self.entering
        state = BlockingState()
        refused = False
        tried: int | None = None  # the free key's modify index when the last try was made
        while True:
            left = yield from budget.remaining()
            try:
                entry, meta = yield from self._read_entering(state.index, left)
                self._check(entry)
                if entry is not None and entry.session == self.session:
                    return
                if entry is not None and entry.session:
                    refused = False
                    state, _ = state.advance(meta.index)
                    continue
                seen = entry.modify_index if entry is not None else None
                # Refused, and the free key unchanged since: a lock-delay holds it, wait. Changed:
                # another session took it and let it go between the two reads, try at once.
                if refused and seen == tried:
                    pause = self._pacing.lock_retry
                    yield Sleep(pause if left is None else min(pause, left))
                tried = seen
                locked = yield from perform(budget.limit(self._entry(), left))
            except NotFound:  # the session is invalid
                raise self.invalidated() from None
            except RETRYABLE as exc:
                yield from budget.pause(exc)
                state = BlockingState()
                continue
            if locked:
                return
            # Refused while free: another session won the race (the next read shows it held and
            # blocks, or free again and changed: try again), or a lock-delay holds the key (the
            # next read shows it free and unchanged: wait).
            refused = True
            state = BlockingState()

    def release(self, cleanup: Cleanup) -> Flow[None]:
        """Release the key if our session holds it (Consul leaves it alone otherwise)."""
        unlock = kv.unlock(self.key, self.value, session=self.session, flags=LOCK_FLAG)
        yield from cleanup.step(f"release the key {self.key!r}", cleanup.budget.call(unlock))


def _check_flags(key: str, entry: KeyValue | None) -> None:
    """Refuse (`LockConflict`) a key that holds something else than a lock."""
    if entry is not None and entry.flags != LOCK_FLAG:
        raise LockConflict(
            f"key {key!r} holds flags {entry.flags:#x}, not a lock's ({LOCK_FLAG:#x})"
        )


def destroy_lock(key: str) -> Flow[None]:
    """Delete the key of a lock that nobody holds (Go's ``Lock.Destroy``):
    ``client.destroy_lock(key)``. Not needed in normal use (a lock left behind is a free key);
    the way to remove one, leaving a key that someone holds alone.

    Args:
        key: The lock's key.

    Raises:
        UsageError: `key` is invalid (before any request).
        LockConflict: The key holds something else than a lock (it is left alone).
        LockInUse: A session holds the lock, or the key changed between the read and the
            delete (someone took it meanwhile): nothing was deleted.
    """
    read = kv.get(key)  # built first: a bad key is refused before any request
    try:
        entry, _ = yield from perform(read)
    except NotFound:
        return  # no lock there: nothing to destroy
    _check_flags(key, entry)
    if entry.session:
        raise LockInUse(f"the lock on {key!r} is held by session {entry.session}")
    if not (yield from perform(kv.delete_cas(key, index=entry.modify_index))):
        raise LockInUse(f"the lock on {key!r} changed while it was being destroyed")

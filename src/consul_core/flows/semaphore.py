"""`Semaphore`: at most `limit` holders under one KV prefix, compatible with the Go client's
``api.Semaphore`` on the same prefix.

Layout (the Go client's ``api/semaphore.go``):
- ``<prefix>/<session>``: one contender key per session, acquired by it (so it vanishes with the
  session, whose behavior is ``delete``), with the flags `SEMAPHORE_FLAG`.
- ``<prefix>/.lock``: ``{"Limit": n, "Holders": {"<session>": true, ...}}`` with the same flags,
  only ever changed with check-and-set. A holder whose session no longer holds any key under the
  prefix is dead, and pruned whenever the holders are counted.

Rules: every contender must agree on the limit, and nothing else may use the prefix
(`LockConflict`). A slot is lost when our session is no longer a live holder. Entering and
leaving ride out errors (an election) as a `Lease` does; leaving reads the holders again before
each check-and-set, so a repeated step never removes anyone else. A semaphore given the
caller's session (Go's ``SemaphoreOptions.Session``) neither renews nor destroys it; its
invalidation releases (or deletes) our contender key, which makes us a dead holder.
"""

from __future__ import annotations

import json

from consul_core import _params
from consul_core.blocking import BlockingState
from consul_core.call import Call
from consul_core.endpoints import kv
from consul_core.endpoints import session as sessions
from consul_core.errors import LockInUse, NotFound
from consul_core.flows.budget import Budget
from consul_core.flows.contended import NO_CHECKS, Contended
from consul_core.flows.effects import Flow, perform
from consul_core.flows.held import Cleanup
from consul_core.flows.lock import LockConflict
from consul_core.flows.pacing import Pacing
from consul_core.flows.watch import RETRYABLE
from consul_core.meta import QueryMeta
from consul_core.models.kv import KeyValue

__all__ = ["LOCK_KEY", "SEMAPHORE_FLAG", "Semaphore", "destroy_semaphore"]

SEMAPHORE_FLAG = 0xE0F69A2BAA414DE0
"""The flags the Go client's ``api.SemaphoreFlagValue`` puts on a semaphore's keys."""
LOCK_KEY = ".lock"
DEFAULT_NAME = "Consul API Semaphore"


class Semaphore(Contended[list[KeyValue]]):
    """Hold one of `limit` slots of the semaphore at `prefix` for the length of a ``with`` block
    (``async with`` on the async clients): ``client.semaphore(prefix, limit, ...)``.

    Entering creates a session with `ttl` (or checks `session`, the caller's, that it exists)
    and a contender key ``<prefix>/<session>``, then waits (with blocking reads) for a free slot
    in ``<prefix>/.lock`` and takes it with a check-and-set; holders whose session is gone are
    pruned. Loss, cancellation and cleanup work as for `Lock`. The layout is the Go client's
    (``api.Semaphore``).

    Args:
        prefix: The KV prefix of the semaphore.
        limit: How many holders it admits; every contender must use the same.
        session: A session of the caller's to hold the slot with (its ID, a `Session` or a
            mapping with ``"ID"``), instead of one the semaphore creates; the semaphore leaves
            it alone (its owner renews it). One with the ``delete`` behavior, as the
            semaphore's own, removes the contender key when it ends.
        ttl: The TTL of the session the semaphore creates, between 10s and 24h (default 15s).
        value: The value of our contender key.
        name: The name of the session it creates (default ``"Consul API Semaphore"``).
        pacing: The backoff of retries and the pace of reads; default the client's.
        timeout: How long entering may wait for a slot, or None (the default) for as long as
            it takes.

    Attributes:
        prefix: The semaphore's prefix (without a trailing ``/``).
        lock_key: The key that lists the holders, ``<prefix>/.lock``.
        limit: How many holders it admits.
        session: The ID of the slot's session.
        lost: Whether the slot was lost while held.

    Raises:
        UsageError: An argument is invalid, or `ttl` or `name` is given with a `session`
            (before any request).
        NotFound: On entering, if `session` does not exist.
        LockConflict: On entering, if the prefix is used otherwise or with another limit.
        Timeout: On entering, if `timeout` ran out first.
        LockLost: On leaving the block, if the slot was lost (on entering, if the session
            was invalidated first).
        ReleaseFailed: On leaving the block, if the slot could not be given back in time.
    """

    def __init__(
        self,
        prefix: str,
        limit: int,
        *,
        session: _params.IdLike | None = None,
        ttl: _params.Duration | None = None,
        value: bytes | str = b"",
        name: str | None = None,
        pacing: Pacing | None = None,
        timeout: _params.Duration | None = None,
    ) -> None:
        self.prefix = _params.check_str(prefix, "prefix").rstrip("/")
        kv.check_key(self.prefix, prefix=True, empty=False)
        self.lock_key = f"{self.prefix}/{LOCK_KEY}"
        self.limit = _params.check_int(limit, "limit", minimum=1)
        self.value = _params.check_bytes(value, "value")

        def create(seconds: float) -> Call[str]:
            return sessions.create(
                name=name or DEFAULT_NAME, ttl=seconds, behavior="delete", checks=NO_CHECKS
            )

        super().__init__(
            session=session, ttl=ttl, pacing=pacing, timeout=timeout, create=create, name=name
        )

    @property
    def contender_key(self) -> str:
        """Our contender key."""
        return f"{self.prefix}/{self.session}"

    def describe(self) -> str:
        """What this slot holds, for messages."""
        return f"the slot of the semaphore {self.prefix!r}"

    def _read(
        self, blocking: tuple[int, float] | None, consistency: _params.Consistency | None = None
    ) -> Call[tuple[list[KeyValue], QueryMeta]]:
        return kv.get_tree(self.prefix + "/", watch=blocking, consistency=consistency)

    def _decode(self, entry: KeyValue | None) -> list[str]:
        limit, holders = _decoded(self.lock_key, entry)
        if limit is not None and limit != self.limit:
            raise LockConflict(
                f"semaphore limit conflict (lock: {limit}, local: {self.limit}): to change it, "
                f"stop every contender, then destroy the semaphore (`destroy_semaphore`)"
            )
        return holders

    def _loss(self, held: list[KeyValue] | None) -> str | None:
        _, holders = self._holders(held or [])
        return None if self.session in holders else "it is no longer among the holders"

    def _holders(self, entries: list[KeyValue]) -> tuple[KeyValue | None, list[str]]:
        """The ``.lock`` entry and its live holders."""
        lock = _lock_entry(self.lock_key, entries)
        return lock, _alive(self._decode(lock), entries)

    def _update(self, lock: KeyValue | None, holders: list[str]) -> Call[bool]:
        body = {"Limit": self.limit, "Holders": dict.fromkeys(sorted(holders), True)}
        return kv.cas(
            self.lock_key,
            json.dumps(body, separators=(",", ":")),
            index=lock.modify_index if lock is not None else 0,
            flags=SEMAPHORE_FLAG,
        )

    def acquire(self) -> Flow[None]:
        """Enter as a contender, then wait for a free slot and take it, riding out the
        retryable errors.

        Raises:
            LockConflict: The prefix is used otherwise, or with another limit.
            Timeout: The semaphore's timeout ran out first.
        """
        budget = self.entering
        contender = kv.lock(
            self.contender_key, self.value, session=self.session, flags=SEMAPHORE_FLAG
        )
        try:
            taken = yield from budget.call(contender)
        except NotFound:  # the session is invalid
            raise self.invalidated() from None
        if not taken:
            raise LockConflict(f"cannot take the contender key {self.contender_key!r}")
        state = BlockingState()
        while True:
            left = yield from budget.remaining()
            try:
                entries, meta = yield from self._read_entering(state.index, left)
                lock, holders = self._holders(entries or [])
                if self.session in holders:
                    return
                if len(holders) >= self.limit:
                    state, _ = state.advance(meta.index)
                    continue
                update = self._update(lock, [*holders, self.session])
                if (yield from perform(budget.limit(update, left))):
                    return
            except RETRYABLE as exc:
                yield from budget.pause(exc)
                state = BlockingState()
            # A failed check-and-set: another contender changed the holders since the read,
            # so reading again at the same index returns at once.

    def release(self, cleanup: Cleanup) -> Flow[None]:
        """Leave the holders, then delete the contender key (the lease destroys the session)."""
        yield from cleanup.step("leave the holders", self._leave(cleanup.budget))
        delete = cleanup.budget.call(kv.delete(self.contender_key))
        yield from cleanup.step(f"delete the contender key {self.contender_key!r}", delete)

    def _leave(self, budget: Budget) -> Flow[None]:
        """Remove our session from the holders with check-and-set, reading them again while
        other contenders change them meanwhile (until the cleanup's time is up).
        """
        while True:
            try:
                lock: KeyValue | None
                lock, _ = yield from budget.call(kv.get(self.lock_key))
            except NotFound:
                return
            holders = self._decode(lock)
            if self.session not in holders:
                return
            remaining = [holder for holder in holders if holder != self.session]
            if (yield from budget.call(self._update(lock, remaining))):
                return
            yield from budget.remaining()


def _lock_entry(lock_key: str, entries: list[KeyValue]) -> KeyValue | None:
    """The ``.lock`` entry among the prefix's `entries`, if there is one."""
    return next((entry for entry in entries if entry.key == lock_key), None)


def _alive(holders: list[str], entries: list[KeyValue]) -> list[str]:
    """The `holders` whose session still holds a key under the prefix (`entries`)."""
    alive = {entry.session for entry in entries if entry.session}
    return [holder for holder in holders if holder in alive]


def _decoded(lock_key: str, entry: KeyValue | None) -> tuple[int | None, list[str]]:
    """The limit (None without a ``.lock`` entry, or an empty one) and the holders it lists.

    Raises:
        LockConflict: The entry does not hold a semaphore.
    """
    if entry is None:
        return None, []
    if entry.flags != SEMAPHORE_FLAG:
        raise LockConflict(f"{lock_key!r} does not belong to a semaphore")
    if not entry.value:
        return None, []
    try:
        data = json.loads(entry.value)
        limit, holders = data["Limit"], data.get("Holders") or []
    except (ValueError, TypeError, KeyError) as exc:
        raise LockConflict(
            f"{lock_key!r} does not hold a semaphore ({type(exc).__name__})"
        ) from None
    return limit, [str(holder) for holder in holders]


def destroy_semaphore(prefix: str) -> Flow[None]:
    """Delete the ``.lock`` key of a semaphore that nobody holds a slot of (Go's
    ``Semaphore.Destroy``): ``client.destroy_semaphore(prefix)``, the way to change its limit
    once every contender has stopped. Holders whose session is gone do not count. Contender
    keys are left to their sessions, which delete them when they end.

    Args:
        prefix: The semaphore's prefix.

    Raises:
        UsageError: `prefix` is invalid (before any request).
        LockConflict: ``<prefix>/.lock`` holds something else than a semaphore (it is left
            alone).
        LockInUse: A live session holds a slot, or the ``.lock`` key changed between the read
            and the delete (someone took a slot meanwhile): nothing was deleted.
    """
    prefix = _params.check_str(prefix, "prefix").rstrip("/")
    kv.check_key(prefix, prefix=True, empty=False)
    lock_key = f"{prefix}/{LOCK_KEY}"
    entries, _ = yield from perform(kv.get_tree(prefix + "/"))
    lock = _lock_entry(lock_key, entries)
    if lock is None:
        return  # no semaphore there: nothing to destroy
    holders = _alive(_decoded(lock_key, lock)[1], entries)
    if holders:
        raise LockInUse(f"the semaphore {prefix!r} has {len(holders)} holder(s)")
    if not (yield from perform(kv.delete_cas(lock_key, index=lock.modify_index))):
        raise LockInUse(f"the semaphore {prefix!r} changed while it was being destroyed")

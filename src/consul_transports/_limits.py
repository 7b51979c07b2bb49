"""The connection budget of a client (`PoolLimits`), the gate that keeps blocking queries
inside their share of it, for the sync and async transports alike, and the counts of slots both
wait on (`AsyncSlots`; `Slots`, whose wait a watch's stop ends from another thread).

Rules:
- Consul closes the connections of one client address beyond
  ``limits.http_max_conns_per_client`` (200 by default, and every local process shares
  127.0.0.1), so a client stays under a budget of its own: 128 connections by default.
- Blocking queries (`Request.blocking`) hold at most `PoolLimits.blocking_slots` connections at
  once, so that `PoolLimits.reserved` stay free for other calls however many watches run.
- A blocking query beyond its share waits its turn, logged at WARNING, for up to its own read
  timeout (its wait, plus Consul's jitter and a margin); its read timeout starts once it holds
  a share, then it is sent. A turn that does not come in time is a `Timeout` (a watch retries).
- A blocking query its caller gave up (a cancelled call, a stopped watch) keeps its connection
  counted and its share until its deadline (`Lingering`): Consul 1.8.7 answers it only when
  its wait ends, listened to or not, and counts its connection among the client's until then.
  They are given back by the first call after that deadline, or by a call waiting for a
  connection or a share then (`take_in_turn`, `wait_in_turn`), which takes them.
- Connections and shares are handed out in turn: one given back while calls wait goes to the
  call that has waited longest, never to a call that comes after it.
- Closing a client ends the waits for its connections and shares, and its blocking queries
  under way (`HeldQueries` on an event loop): each raises `UsageError`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import anyio
import attrs

from consul_core import Request, Timeout, UsageError
from consul_transports._stop import Stop
from consul_transports._transport import named

__all__ = [
    "AsyncBlockingGate",
    "AsyncSlots",
    "BlockingGate",
    "Lingering",
    "PoolLimits",
    "Slots",
    "closed_client",
    "given_up",
    "no_free_connection",
    "take_in_turn",
    "wait_in_turn",
]

logger = logging.getLogger("consul_transports")


@attrs.frozen
class PoolLimits:
    """The connection budget of a client.

    Attributes:
        max_connections: The most connections open at once; more requests wait for a free one.
        idle_timeout: Seconds after which an unused connection is closed instead of reused.
        reserved: How many connections blocking queries leave to other calls (in a budget too
            small for that, blocking queries keep one).
    """

    max_connections: int = attrs.field(default=128, validator=attrs.validators.gt(0))
    idle_timeout: float = attrs.field(default=30.0, validator=attrs.validators.gt(0))
    reserved: int = attrs.field(default=16, validator=attrs.validators.ge(0))

    @property
    def blocking_slots(self) -> int:
        """How many blocking queries may hold a connection at once."""
        return max(1, self.max_connections - self.reserved)


def _waiting(request: Request, limits: PoolLimits, timeout: float) -> None:
    # The path is left out: a legacy ACL path holds a secret.
    logger.warning(
        "a blocking query (%s) waits its turn: %d connections carry blocking queries, "
        "%d are kept for other calls; it waits up to %gs",
        request.method,
        limits.blocking_slots,
        limits.max_connections - limits.blocking_slots,
        timeout,
    )


def _no_turn(request: Request, timeout: float) -> Timeout:
    return Timeout(
        f"no connection for blocking queries became free within {timeout:g}s for {named(request)}"
    )


def no_free_connection(request: Request, timeout: float) -> Timeout:
    """The error for `request`, which found none of the budget's connections free in
    `timeout`.
    """
    return Timeout(
        f"no connection of the pool became free within {timeout:g}s for {named(request)}"
    )


def closed_client() -> UsageError:
    """The error for a call made, or waiting for a connection, when its client was closed."""
    return UsageError("the client is closed: make a new one")


class HeldQueries:
    """The blocking queries of an async transport waiting for their answers, each in a cancel
    scope that `close` cancels: the call raises `UsageError` rather than waiting on (up to the
    query's wait, five minutes by default) for an answer on a closed client.
    """

    __slots__ = ("_scopes",)

    def __init__(self) -> None:
        self._scopes: set[anyio.CancelScope] = set()

    @contextmanager
    def held(self) -> Iterator[None]:
        """The block in which a blocking query waits for its answer.

        Raises:
            UsageError: `close` ended it.
        """
        with anyio.CancelScope() as scope:
            self._scopes.add(scope)
            try:
                yield
            finally:
                self._scopes.discard(scope)
        if scope.cancelled_caught:
            raise closed_client()

    def close(self) -> None:
        """End the blocking queries under way."""
        for scope in self._scopes:
            scope.cancel()


def given_up(exc: BaseException) -> bool:
    """Whether `exc`, which ended a call, says its caller gave it up (a cancellation, a watch's
    stop, an interrupt: no `Exception`), rather than that the call failed.
    """
    return not isinstance(exc, Exception)


class Lingering:
    """The slots and shares of blocking queries that their callers gave up, kept until each
    query's deadline (see the rules), then given back (`release_due`) by the first call after,
    or by a call waiting for them (`take_in_turn`, `wait_in_turn`).

    Attributes:
        entries: Each kept query's deadline (a monotonic time) and what gives its slot and
            share back; empty, as a call finds it at no cost, unless a query was given up.
    """

    __slots__ = ("_lock", "entries")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.entries: list[tuple[float, tuple[Callable[[], None], ...]]] = []

    def keep(self, until: float, *releases: Callable[[], None]) -> None:
        """Keep what `releases` give back until `until` (a monotonic time)."""
        with self._lock:
            self.entries.append((until, releases))

    def wake(self, deadline: float) -> float:
        """When a wait that ends by `deadline` (a monotonic time) should wake to give back what
        is kept (`release_due`), which may free what it waits for: the first kept query's
        deadline, or `deadline` if none comes before.
        """
        with self._lock:
            return min([deadline, *(until for until, _ in self.entries)])

    def release_due(self) -> None:
        """Give back what was kept until a time now past."""
        now = time.monotonic()
        with self._lock:
            due = [releases for until, releases in self.entries if until <= now]
            if due:
                self.entries = [entry for entry in self.entries if entry[0] > now]
        for releases in due:
            for release in releases:
                release()


async def take_in_turn(
    take: Callable[[], Awaitable[object]], deadline: float, lingering: Lingering
) -> bool:
    """Wait for `take` (a slot's acquire) until `deadline`, a monotonic time; return whether it
    was taken in time. Whenever a slot or share that `lingering` keeps comes due, the wait
    gives it back and goes on, so that a waiter gets it then, not at the next call.
    """
    while True:
        wake = lingering.wake(deadline)
        with anyio.move_on_after(wake - time.monotonic()):
            await take()
            return True
        if wake >= deadline:
            return False
        lingering.release_due()


def wait_in_turn(
    condition: threading.Condition,
    ready: Callable[[], object],
    deadline: float,
    lingering: Lingering,
) -> bool:
    """`Stop.wait_for(condition, ready, ...)` until `deadline`, a monotonic time, with
    `condition` held; return whether `ready` said so in time. Whenever a slot or share that
    `lingering` keeps comes due, the wait gives it back (with `condition` released, which the
    giving back may take) and goes on, so that a waiter gets it then, not at the next call.

    Raises:
        Interrupted: The watch or stream that waits was stopped.
    """
    while True:
        wake = lingering.wake(deadline)
        if Stop.wait_for(condition, ready, wake - time.monotonic()):
            return True
        if wake >= deadline:
            return False
        condition.release()
        try:
            lingering.release_due()
        finally:
            condition.acquire()


class AsyncSlots:
    """A count of holders, at most `count` at once (async: an anyio semaphore; a task's wait
    ends with its cancel scope).
    """

    __slots__ = ("_closed", "_count", "_semaphore")

    def __init__(self, count: int) -> None:
        self._count = count
        # Fair: a slot given back while tasks wait is handed to the first of them.
        self._semaphore = anyio.Semaphore(count, fast_acquire=True)
        self._closed = False

    @property
    def taken(self) -> int:
        """How many slots are taken."""
        return self._count - self._semaphore.value

    def take_now(self) -> bool:
        """Take a slot if one is free; return whether it was."""
        try:
            self._semaphore.acquire_nowait()
        except anyio.WouldBlock:
            return False
        return True

    async def take(self, timeout: float, lingering: Lingering) -> bool:
        """Take a slot, waiting up to `timeout` seconds for one (or for one that `lingering`
        keeps to come due); return whether one came.

        Raises:
            UsageError: The slots were closed (`close`) during the wait.
        """
        if not await take_in_turn(self._semaphore.acquire, time.monotonic() + timeout, lingering):
            return False
        if self._closed:
            self._semaphore.release()
            raise closed_client()
        return True

    def give(self) -> None:
        """Give a slot back: to the task that has waited longest, if any."""
        self._semaphore.release()

    def close(self) -> None:
        """End the waits for a slot: each raises `UsageError` (the client was closed)."""
        self._closed = True
        # Each waiter is handed a slot, finds the slots closed and gives it back: the count is
        # of no use after the close.
        for _ in range(self._semaphore.statistics().tasks_waiting):
            self._semaphore.release()


class AsyncBlockingGate:
    """Admits at most `PoolLimits.blocking_slots` blocking queries at once (async)."""

    __slots__ = ("_limits", "_lingering", "_shares")

    def __init__(self, limits: PoolLimits, lingering: Lingering) -> None:
        self._limits = limits
        self._lingering = lingering  # the shares kept for given-up queries
        self._shares = AsyncSlots(limits.blocking_slots)

    async def enter(self, request: Request, timeout: float) -> None:
        """Take a share for `request`, waiting up to `timeout` seconds for one.

        Raises:
            Timeout: No share came free in time.
            UsageError: The client was closed during the wait.
        """
        if self._shares.take_now():
            return
        _waiting(request, self._limits, timeout)
        if not await self._shares.take(timeout, self._lingering):
            raise _no_turn(request, timeout)

    def leave(self) -> None:
        """Give the share back."""
        self._shares.give()

    def close(self) -> None:
        """End the waits for a share: each raises `UsageError` (the client was closed)."""
        self._shares.close()


class _Turn:
    """A thread's place in the line for a slot (`Slots`): handed one, or still waiting."""

    __slots__ = ("condition", "handed")

    def __init__(self, lock: threading.Lock) -> None:
        self.condition = threading.Condition(lock)  # notified alone: the line is not woken
        self.handed = False


class Slots:
    """A count of holders, at most `count` at once (threads), handed out in turn: a slot given
    back while threads wait goes to the one that has waited longest, never to a thread that
    comes after it (a thread that gives a slot back and asks again at once would otherwise take
    it first, and on a busy client the waiters would miss their turn until they time out). A
    wait ends when the watch or stream that waits is stopped from another thread (`_stop`).

    The methods named ``..._locked`` are called with `lock` held (the native pool takes a slot
    and an idle connection under one lock, its own, given here).

    Attributes:
        lock: The lock that guards the counts.
        free: How many slots are free (read and changed under `lock`: the native pool's
            uncontended path takes one itself, a call costing more than the test).
        line: The threads waiting for a slot, longest first.
    """

    __slots__ = ("_closed", "free", "line", "lock")

    def __init__(self, count: int, lock: threading.Lock | None = None) -> None:
        self.lock = threading.Lock() if lock is None else lock
        self.free = count
        self.line: deque[_Turn] = deque()
        self._closed = False

    def take_now(self) -> bool:
        """Take a slot if one is free and no thread waits for one; return whether it was."""
        with self.lock:
            if self.free and not self.line:
                self.free -= 1
                return True
        return False

    def take(self, timeout: float, lingering: Lingering) -> bool:
        """Take a slot, waiting up to `timeout` seconds for one (or for one that `lingering`
        keeps to come due); return whether one came.

        Raises:
            Interrupted: The watch or stream that waits was stopped.
            UsageError: The slots were closed (`close`), before or during the wait.
        """
        deadline = time.monotonic() + timeout
        with self.lock:
            return self.take_locked(deadline, lingering)

    def take_locked(self, deadline: float, lingering: Lingering) -> bool:
        """`take`, with `lock` held, until `deadline` (a monotonic time).

        Raises:
            Interrupted: The watch or stream that waits was stopped.
            UsageError: The slots were closed (`close`), before or during the wait.
        """
        if self._closed:
            raise closed_client()
        if self.free and not self.line:
            self.free -= 1
            return True
        turn = _Turn(self.lock)
        self.line.append(turn)
        try:
            wait_in_turn(turn.condition, lambda: turn.handed or self._closed, deadline, lingering)
            if self._closed:
                raise closed_client()
        except BaseException:
            self._leave_line(turn)
            raise
        if turn.handed:
            return True
        self.line.remove(turn)
        return False

    def _leave_line(self, turn: _Turn) -> None:
        # A slot handed over as the wait ended another way goes to the next in line.
        if turn.handed:
            self.give_locked()
        else:
            self.line.remove(turn)

    def give(self) -> None:
        """Give a slot back: to the thread that has waited longest, if any."""
        with self.lock:
            self.give_locked()

    def give_locked(self) -> None:
        """`give`, with `lock` held."""
        if self.line:
            turn = self.line.popleft()
            turn.handed = True
            turn.condition.notify()
        else:
            self.free += 1

    def close(self) -> None:
        """`close_locked`, taking `lock`."""
        with self.lock:
            self.close_locked()

    def close_locked(self) -> None:
        """With `lock` held, end the waits for a slot, and refuse those asked for after: each
        raises `UsageError` (the client was closed).
        """
        self._closed = True
        for turn in self.line:
            turn.condition.notify()


class BlockingGate:
    """Admits at most `PoolLimits.blocking_slots` blocking queries at once (threads); a watch's
    or a stream's wait for a share ends when it is stopped from another thread (`_stop`).
    """

    __slots__ = ("_limits", "_lingering", "_shares")

    def __init__(self, limits: PoolLimits, lingering: Lingering) -> None:
        self._limits = limits
        self._lingering = lingering  # the shares kept for given-up queries
        self._shares = Slots(limits.blocking_slots)

    def enter(self, request: Request, timeout: float) -> None:
        """Take a share for `request`, waiting up to `timeout` seconds for one.

        Raises:
            Timeout: No share came free in time.
            Interrupted: The watch or stream that waits was stopped.
            UsageError: The client was closed, before or during the wait.
        """
        if self._shares.take_now():
            return
        _waiting(request, self._limits, timeout)
        if not self._shares.take(timeout, self._lingering):
            raise _no_turn(request, timeout)

    def leave(self) -> None:
        """Give the share back."""
        self._shares.give()

    def close(self) -> None:
        """End the waits for a share: each raises `UsageError` (the client was closed)."""
        self._shares.close()

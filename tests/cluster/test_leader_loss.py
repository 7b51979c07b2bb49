"""A cluster losing its leader under the helpers, under asyncio, trio and sync, with every client
pointed at a follower: lock and semaphore hand-overs go on with no overlap, a watch and a
keepalive ride it out, and entering or leaving a lock, a semaphore or a keepalive during the
election waits it out or still releases.

Each test kills the leader (SIGKILL) once; the `cluster` fixture restarts it afterwards. Every
loop is bounded in count and time; what is measured is printed (``nox -s cluster`` shows it).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import anyio
import anyio.to_thread
import attrs
import pytest

from consul_core import LockLost, NotFound
from consul_core.backoff import Backoff
from consul_core.flows import RETRYABLE, Pacing
from consul_transports.testing import ConsulCluster

TTL = "10s"
LOCK_DELAY = 1.0
# The pace of the clients whose sessions an operator destroys during an election: their
# monitors read again within 0.3 s of a failed read, so they learn of the loss before the lock
# delay lets a waiter take their lock. (With the default backoff, grown to 1-2 s by the
# election's failed reads, a waiter's retry could take it before the victim's next read.)
VICTIM_PACING = Pacing(backoff=Backoff(initial=0.1, maximum=0.25))
# The README's lock: a lock left to expire would stay unavailable for 2 x TTL + lock-delay.
README_TTL, README_LOCK_DELAY = "15s", "15s"
# How long one holder keeps a lock or a slot in the hand-over loops.
HOLD = 0.2
# A generous bound on what the backoff (0.25 s doubling, with 20 % jitter) may add to the
# election: a loop that failed for 4 s sleeps up to 4.8 s more. Well below a session TTL.
MARGIN = 10.0
MAX_HOLDS = 300
# How long a contender may wait to enter: a sync contender cannot be cancelled.
ENTER = 60.0
ENTERED = ("lock entered", "slot entered", "keepalive entered")


@attrs.define
class Hold:
    """One hold of a lock or a slot, timed inside the body."""

    holder: str
    start: float
    end: float = 0.0
    lost: bool = False


@attrs.define
class Record:
    """What the contenders of one lock or semaphore did."""

    holds: list[Hold] = attrs.Factory(list)
    learned: list[str] = attrs.Factory(list)  # holders whose block raised LockLost

    def after(self, moment: float) -> list[Hold]:
        return [hold for hold in self.holds if hold.start > moment]

    def handovers(self) -> int:
        ordered = sorted(self.holds, key=lambda hold: hold.start)
        return sum(a.holder != b.holder for a, b in itertools.pairwise(ordered))


async def eventually(
    check: Callable[[], bool], limit: float, what: str | Callable[[], str]
) -> None:
    """Wait (polling) until `check` holds, at most `limit` seconds."""
    with anyio.move_on_after(limit):
        while not check():
            await anyio.sleep(0.02)
        return
    pytest.fail(f"not within {limit} s: {what if isinstance(what, str) else what()}")


async def persist(call: Callable[[], Awaitable[Any]], limit: float = 30) -> Any:
    """Call until it does not fail with a retryable error (the cluster may be electing)."""
    with anyio.fail_after(limit):
        while True:
            try:
                return await call()
            except RETRYABLE:
                await anyio.sleep(0.1)


async def body(held: Any, seconds: float, stop: anyio.Event | None = None) -> None:
    """Hold for `seconds`, or until lost (the sync client's body cannot be interrupted)."""
    end = time.monotonic() + seconds
    while not held.lost and time.monotonic() < end and not (stop and stop.is_set()):
        await anyio.sleep(0.01)


async def contend(
    name: str, enter: Callable[[], Any], record: Record, stop: anyio.Event, until: float
) -> None:
    """Take the lock (or a slot) again and again, until `stop` or `until`."""
    while not stop.is_set() and time.monotonic() < until and len(record.holds) < MAX_HOLDS:
        try:
            async with enter() as held:
                hold = Hold(name, time.monotonic())
                try:
                    await body(held, HOLD, stop)
                finally:
                    hold.end, hold.lost = time.monotonic(), held.lost
                    record.holds.append(hold)
        except LockLost:
            record.learned.append(name)
        await anyio.sleep(0.05)  # give the others a chance to take it


def assert_never_more_than(limit: int, holds: list[Hold]) -> None:
    """At no moment more than `limit` of the holds overlap."""
    events = sorted([(h.start, 1) for h in holds] + [(h.end, -1) for h in holds])
    current = 0
    for moment, change in events:
        current += change
        assert current <= limit, f"{current} holders at {moment:.3f}"


def assert_losses_learned(record: Record) -> None:
    """Every hold that ended lost raised `LockLost`, and only those."""
    assert sorted(h.holder for h in record.holds if h.lost) == sorted(record.learned)


async def kill_the_leader(cluster: ConsulCluster) -> tuple[float, float]:
    """Kill the leader; return when, and how long the election took."""
    killed = cluster.kill(cluster.leader())
    await anyio.to_thread.run_sync(cluster.wait_for_leader, 30.0)
    return killed, time.monotonic() - killed


def unavailable(holds: list[Hold], elected: float) -> float:
    """How long no one held the lock around the election: from the end of the last hold taken
    before the new leader (no write succeeds without one: such a hold was taken before the
    kill, even if its body started just after) to the first hold taken after it.
    """
    before = max(h.end for h in holds if h.start <= elected)
    return min(h.start for h in holds if h.start > elected) - before


async def test_hand_overs_a_watch_and_a_keepalive_ride_out_the_leader_dying(
    cluster: ConsulCluster, follower_client: Any, flavor: str, unique: str
) -> None:
    lock_key, prefix, watched = f"{unique}/leader", f"{unique}/slots", f"{unique}/watched"
    locks, slots = Record(), Record()
    stop = anyio.Event()
    seen: list[bytes | None] = []
    until = time.monotonic() + 90

    async def watch(client: Any) -> None:
        with anyio.fail_after(80):
            async with client.kv.watch(watched, watch=(0, "2s")) as values:
                async for entry, _ in values:
                    seen.append(entry.value if entry is not None else None)
                    if seen[-1] == b"after":
                        return

    async with follower_client() as main, AsyncExitStack() as stack:
        await main.kv.set(watched, b"before")
        clients = [await stack.enter_async_context(follower_client()) for _ in range(7)]
        keepalive = await stack.enter_async_context(main.session.keepalive(ttl=TTL))
        tasks = await stack.enter_async_context(anyio.create_task_group())
        tasks.start_soon(watch, main)
        for n, client in enumerate(clients[:3]):

            def enter_lock(client: Any = client, n: int = n) -> Any:
                return client.lock(
                    lock_key,
                    ttl=README_TTL,
                    value=f"c{n}",
                    lock_delay=README_LOCK_DELAY,
                    timeout=ENTER,
                )

            tasks.start_soon(contend, f"lock-{n}", enter_lock, locks, stop, until)
        for n, client in enumerate(clients[3:]):

            def enter_slot(client: Any = client) -> Any:
                return client.semaphore(prefix, 2, ttl=README_TTL, timeout=ENTER)

            tasks.start_soon(contend, f"slot-{n}", enter_slot, slots, stop, until)
        await eventually(
            lambda: locks.handovers() >= 3 and len(slots.holds) >= 4, 30, "hand-overs begin"
        )
        killed, election = await kill_the_leader(cluster)
        elected = killed + election
        await persist(lambda: main.kv.set(watched, b"after"))
        await eventually(lambda: seen[-1:] == [b"after"], MARGIN, "the watch sees the write")
        await eventually(
            lambda: len(locks.after(elected)) >= 3 and len(slots.after(elected)) >= 4,
            MARGIN + 10,
            "hand-overs go on after the election",
        )
        session, _ = await main.session.info(keepalive.session)
        assert session.id == keepalive.session and not keepalive.lost
        stop.set()
        await stack.aclose()  # the contenders end, the keepalive destroys its session
        with pytest.raises(NotFound):
            await main.session.info(keepalive.session)
    assert seen[0] == b"before"

    ordered = sorted(locks.holds, key=lambda hold: hold.start)
    for before, after in itertools.pairwise(ordered):
        assert after.start > before.end, f"{after} overlaps {before}"
    assert_never_more_than(2, slots.holds)
    assert_losses_learned(locks)
    assert_losses_learned(slots)
    window = unavailable(locks.holds, elected)
    back = min(h.start for h in locks.after(elected)) - elected
    print(
        f"\n[{flavor}] election {election:.2f} s; lock unavailable {window:.2f} s "
        f"(held again {back:.2f} s after the election); hand-overs: lock "
        f"{locks.handovers()} ({len(locks.after(elected))} holds after the election), "
        f"semaphore {len(slots.holds)} holds; losses learned: {locks.learned + slots.learned}"
    )
    assert window < election + MARGIN  # no lock-delay, no TTL: the release went through
    assert back < MARGIN


async def test_entering_and_leaving_during_the_election_wait_it_out_and_release(
    cluster: ConsulCluster, follower_client: Any, flavor: str, unique: str
) -> None:
    key, doomed, fresh = f"{unique}/leader", f"{unique}/doomed", f"{unique}/fresh"
    at: dict[str, float] = {}
    holding, leave = anyio.Event(), anyio.Event()
    victims: dict[str, Any] = {}  # what an operator destroys the session of, by name

    async def holder(client: Any) -> None:
        async with client.lock(key, ttl=TTL, value=b"x", lock_delay=LOCK_DELAY):
            holding.set()
            await leave.wait()
            at["left"] = time.monotonic()
        at["released"] = time.monotonic()  # the cleanup raised nothing

    async def victim(name: str, manager: Any, task_status: Any) -> None:
        with pytest.raises(LockLost):
            async with manager as held:
                victims[name] = held
                task_status.started()
                if flavor == "sync":  # its body cannot be interrupted: it checks .lost
                    await body(held, 60)
                else:  # cancelled when the loss is seen
                    await anyio.sleep(60)
                    pytest.fail("the body was not cancelled")
                at[f"{name} left"] = time.monotonic()
        at[f"{name} learned"] = time.monotonic()

    async def waiter(client: Any, name: str, lock_key: str) -> None:
        async with client.lock(lock_key, ttl=TTL, lock_delay=LOCK_DELAY, timeout=ENTER):
            at[name] = time.monotonic()

    async def enter(name: str, manager: Any) -> None:
        async with manager:
            at[name] = time.monotonic()

    async with (
        follower_client() as operator,
        AsyncExitStack() as stack,
    ):
        clients = [
            await stack.enter_async_context(
                follower_client(pacing=VICTIM_PACING) if n in (1, 7) else follower_client()
            )
            for n in range(8)
        ]
        tasks = await stack.enter_async_context(anyio.create_task_group())
        with anyio.fail_after(90):
            tasks.start_soon(holder, clients[0])
            await holding.wait()
            await tasks.start(
                victim, "lock", clients[1].lock(doomed, ttl=TTL, lock_delay=LOCK_DELAY)
            )
            await tasks.start(victim, "keepalive", clients[7].session.keepalive(ttl=TTL))
            tasks.start_soon(waiter, clients[2], "taken", key)
            tasks.start_soon(waiter, clients[3], "lock taken", doomed)
            killed = cluster.kill(cluster.leader())
            leave.set()  # the holder leaves while the cluster has no leader
            for name, manager in zip(
                ENTERED,
                [
                    clients[4].lock(fresh, ttl=TTL, timeout=ENTER),
                    clients[5].semaphore(f"{unique}/slots", 2, ttl=TTL, timeout=ENTER),
                    clients[6].session.keepalive(ttl=TTL, timeout=ENTER),
                ],
                strict=True,
            ):
                tasks.start_soon(enter, name, manager)
            # An operator destroys the victims' sessions while the cluster elects a leader.
            for held in victims.values():
                await persist(lambda held=held: operator.session.destroy(held.session))
            at["destroyed"] = time.monotonic()
            await anyio.to_thread.run_sync(cluster.wait_for_leader, 30.0)
            election = time.monotonic() - killed
            expected = {"released", "taken", "lock learned", "lock taken", *ENTERED}
            expected.add("keepalive learned")
            await eventually(
                lambda: expected <= set(at), 60, lambda: f"missing: {expected - set(at)}"
            )

    assert at["taken"] > at["left"] and at["lock taken"] > at["lock learned"]
    assert all(held.lost for held in victims.values())
    sync = flavor == "sync"
    assert ("lock left" in at, "keepalive left" in at) == (sync, sync)  # async: cancelled
    handed_over = at["taken"] - at["left"]
    learned = {name: at[f"{name} learned"] - at["destroyed"] for name in victims}
    entering = {name: at[name] - killed for name in ENTERED}
    print(
        f"\n[{flavor}] election {election:.2f} s; left during it, the lock was taken again "
        f"{handed_over:.2f} s later (cleanup done {at['released'] - at['left']:.2f} s after "
        "leaving); entering during it took "
        + ", ".join(f"{name.split()[0]} {seconds:.2f} s" for name, seconds in entering.items())
        + "; sessions destroyed during it: loss learned "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in learned.items())
        + f" later, the lock taken again {at['lock taken'] - at['destroyed']:.2f} s later"
    )
    assert handed_over < election + LOCK_DELAY + MARGIN
    assert all(0.5 < seconds < election + MARGIN for seconds in entering.values())
    assert all(seconds < MARGIN for seconds in learned.values())
    assert at["lock taken"] - at["destroyed"] < LOCK_DELAY + MARGIN

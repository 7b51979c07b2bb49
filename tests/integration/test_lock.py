"""Locks on the real agent, under asyncio, trio and sync: acquire, hand-over, loss, lock-delay,
cleanup, and the Go client's key layout.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import anyio
import pytest

from consul_core import LockInUse, LockLost, NotFound, ReleaseFailed, Timeout, UsageError
from consul_core.flows import LOCK_FLAG, LockConflict, Pacing
from consul_transports._sync.supervise import THREAD_PREFIX
from consul_transports.sync import Consul as SyncConsul
from consul_transports.testing import ConsulAgent, FaultProxy
from tests.conftest import make_client
from tests.forking import FORK_WITH_THREADS, reaped
from tests.hooks import recording
from tests.integration.leftovers import running, session_ids
from tests.integration.waiting import body_until_lost


def helper_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)]


async def test_a_lock_holds_the_key_and_leaves_nothing_behind(
    client: Any, flavor: str, unique: str
) -> None:
    key = f"{unique}/leader"
    before = running()
    async with client.lock(key, ttl="10s", value=b"me", lock_delay=0) as lock:
        assert not lock.lost
        entry, _ = await client.kv.get(key)
        assert (entry.session, entry.flags, entry.value) == (lock.session, LOCK_FLAG, b"me")
        assert lock.session in await session_ids(client)
        assert len(helper_threads()) == (2 if flavor == "sync" else 0)
    entry, _ = await client.kv.get(key)
    assert entry.session is None
    assert lock.session not in await session_ids(client)
    assert running() == before
    await client.kv.delete(key)


async def test_leaving_a_lock_whose_release_is_refused_ends_at_once(
    client: Any, flavor: str, consul_agent: ConsulAgent, unique: str
) -> None:
    # The holder's token is deleted: the release and the destroy are refused (403), so nothing
    # the cleanup does wakes the monitor's blocking read. Leaving still ends at once, with
    # nothing left running (the sync client cut the read short; it waited 2 s, and its thread
    # outlived the block).
    key = f"{unique}/leader"
    token = await client.acl.tokens.create(description=unique)
    before = running()
    async with make_client(flavor, consul_agent.address, token=token.secret_id) as holder:
        # LockLost when the monitor's read came back refused first (Consul may end a blocking
        # query whose token is deleted), the ReleaseFailed then noted on it.
        with pytest.raises((ReleaseFailed, LockLost)):
            async with holder.lock(key, ttl="10s", lock_delay=0) as lock:
                deleted = time.monotonic()  # the async body may be cancelled in the delete
                await client.acl.tokens.delete(token.accessor_id)
        assert time.monotonic() - deleted < 1.5
        assert running() == before
    await client.session.destroy(lock.session)
    await client.kv.delete(key)


async def test_the_sessions_of_locks_and_semaphores_have_no_node_checks(
    client: Any, unique: str
) -> None:
    # With the node's serfHealth, the servers would end the session seconds after the holder's
    # agent dies, while the holder, cut off from it, holds on for a whole TTL.
    async with client.lock(f"{unique}/lock", ttl="10s", lock_delay=0) as lock:
        info, _ = await client.session.info(lock.session)
        assert (info.node_checks, info.checks, info.service_checks) == ([], [], [])
    async with client.semaphore(f"{unique}/sem", 1, ttl="10s") as slot:
        info, _ = await client.session.info(slot.session)
        assert (info.node_checks, info.checks, info.service_checks) == ([], [], [])


def _fork_inside_a_lock(client: SyncConsul, key: str) -> tuple[int, bool]:
    """Hold a lock, fork a child that leaves the block at once (as ``sys.exit()`` does), and
    say, once it has ended, its exit status (0 if it saw that it holds nothing: the lock reads
    as lost there) and whether the parent still holds the lock.
    """
    pid, code = -1, 1
    try:
        with client.lock(key, ttl="10s", lock_delay=0) as lock:
            pid = os.fork()
            if pid == 0:
                code = 0 if lock.lost and "forked inside the block" in str(lock.loss) else 1
                raise SystemExit
            status = reaped(pid)
            entry, _ = client.kv.get(key)
            held = entry.session == lock.session and not lock.lost
    finally:
        if pid == 0:  # the child, out of the block: it never returns to the test
            os._exit(code)
    return status, held


# Sync only: a thread forks inside the block and both processes go on; a child forked from an
# event loop's thread could not run that loop on.
@pytest.mark.parametrize("flavor", ["sync"])
@FORK_WITH_THREADS
async def test_a_child_forked_inside_the_block_holds_nothing_and_leaves_the_lock_to_the_parent(
    flavor: str, anyio_backend: str, consul_agent: ConsulAgent, unique: str
) -> None:
    key = f"{unique}/leader"
    with SyncConsul(consul_agent.address, token=consul_agent.master_token) as client:
        status, held = await anyio.to_thread.run_sync(_fork_inside_a_lock, client, key)
        assert (status, held) == (0, True)
        entry, _ = client.kv.get(key)
        assert entry.session is None  # the parent's own leaving released it
        client.kv.delete(key)


async def test_two_clients_hand_over_the_lock_with_no_overlap(
    client: Any, new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    key = f"{unique}/leader"
    held: list[tuple[str, float, float]] = []
    first_holds = anyio.Event()

    async def candidate(name: str, contender: Any) -> None:
        async with contender.lock(key, ttl="10s", value=name, lock_delay=0) as lock:
            acquired = time.monotonic()
            entry, _ = await contender.kv.get(key)
            assert entry.session == lock.session
            first_holds.set()
            await anyio.sleep(0.3)
            held.append((name, acquired, time.monotonic()))

    async with (
        new_client(token=consul_agent.master_token) as second,
        anyio.create_task_group() as tasks,
    ):
        tasks.start_soon(candidate, "first", client)
        await first_holds.wait()
        tasks.start_soon(candidate, "second", second)
    (first, _, released), (after, acquired, _) = held
    assert (first, after) == ("first", "second")
    assert acquired > released  # the second took the lock after the first let it go
    handover = acquired - released
    print(f"\nlock hand-over latency: {handover * 1000:.1f} ms")
    assert handover < 1.0
    await client.kv.delete(key)


async def test_destroying_the_session_loses_the_lock_within_a_second(
    client: Any, flavor: str, unique: str
) -> None:
    key = f"{unique}/leader"
    reached_end = False
    with pytest.raises(LockLost, match="was lost"):
        async with client.lock(key, ttl="10s", lock_delay=0) as lock:
            destroyed = time.monotonic()
            await client.session.destroy(lock.session)
            await body_until_lost(lock, flavor)
            detected = time.monotonic()
            reached_end = True  # the sync client cannot interrupt its body; the others can
    detected = detected if reached_end else time.monotonic()
    print(f"\nlock loss detected after {(detected - destroyed) * 1000:.1f} ms")
    assert detected - destroyed < 1.0
    assert lock.lost and lock.loss
    assert reached_end is (flavor == "sync")
    assert lock.session not in await session_ids(client)
    await client.kv.delete(key)


async def test_a_holder_whose_monitor_read_died_without_a_word_learns_its_key_was_deleted(
    client: Any, flavor: str, consul_agent: ConsulAgent, unique: str
) -> None:
    # The monitor's blocking read went out on a connection that a NAT then forgot: it waits
    # no longer than half the lock-delay, so the holder learns that an operator deleted its
    # key seconds later (the read's timeout), not after Consul's 5-minute wait meanwhile
    # another holds the lock.
    key = f"{unique}/leader"
    events: list[tuple[Any, ...]] = []
    options = {"token": consul_agent.master_token, "event_hooks": recording(flavor, events)}
    with FaultProxy(consul_agent.http_port) as proxy:
        async with make_client(flavor, proxy.address, **options) as holder:
            with pytest.raises(LockLost, match="its key was deleted"):
                async with holder.lock(key, ttl="10s", lock_delay="2s") as lock:
                    with anyio.fail_after(10):  # the monitor's blocking read is under way
                        while not any(
                            kind == "request" and request.param("index")
                            for kind, request, *_ in events
                        ):
                            await anyio.sleep(0.01)
                    proxy.blackhole()
                    await client.kv.delete(key)
                    with anyio.fail_after(30):  # its read's timeout: about 6 s
                        while not lock.lost:
                            await anyio.sleep(0.01)
    assert lock.session not in await session_ids(client)


async def test_a_lock_delay_holds_the_key_back_and_is_waited_out(
    client: Any, new_client: Any, consul_agent: ConsulAgent, flavor: str, unique: str
) -> None:
    key = f"{unique}/leader"
    quick = Pacing(lock_retry=0.1)
    async with new_client(token=consul_agent.master_token, pacing=quick) as second:
        with pytest.raises(LockLost):
            async with client.lock(key, ttl="10s", lock_delay="1s") as lock:
                # Taken before the destroy: the loss may cancel the body while it returns.
                invalidated = time.monotonic()
                await client.session.destroy(lock.session)  # invalidated: no release
                await body_until_lost(lock, flavor)
        async with second.lock(key, ttl="10s", lock_delay=0):
            waited = time.monotonic() - invalidated
    # Held back for the lock-delay, then taken on a retry (not after a 15 s blocking read); the
    # upper bound leaves room for a loaded 2-core CI machine.
    assert 0.9 < waited < 3.0
    await client.kv.delete(key)


async def test_a_key_that_is_not_a_lock_is_refused(client: Any, unique: str) -> None:
    key = f"{unique}/config"
    await client.kv.set(key, b"plain value")
    before = await session_ids(client)
    with pytest.raises(LockConflict):
        async with client.lock(key, ttl="10s"):
            pytest.fail("a key with other flags was locked")
    assert await session_ids(client) == before
    entry, _ = await client.kv.get(key)
    assert entry.value == b"plain value"
    await client.kv.delete(key)


async def test_destroying_a_lock_deletes_its_key_only_when_nobody_holds_it(
    client: Any, unique: str
) -> None:
    key = f"{unique}/leader"
    await client.destroy_lock(key)  # none there: nothing to do
    async with client.lock(key, ttl="10s") as lock:
        with pytest.raises(LockInUse, match=f"held by session {lock.session}"):
            await client.destroy_lock(key)
        entry, _ = await client.kv.get(key)
        assert entry.session == lock.session and not lock.lost
    entry, _ = await client.kv.get(key)  # left behind, free
    assert entry.flags == LOCK_FLAG and not entry.session
    await client.destroy_lock(key)
    with pytest.raises(NotFound):
        await client.kv.get(key)


async def test_destroying_what_is_not_a_lock_is_refused(client: Any, unique: str) -> None:
    key = f"{unique}/config"
    await client.kv.set(key, b"plain value")
    with pytest.raises(LockConflict, match="not a lock's"):
        await client.destroy_lock(key)
    entry, _ = await client.kv.get(key)
    assert entry.value == b"plain value"
    with pytest.raises(UsageError):
        await client.destroy_lock("")
    await client.kv.delete(key)


@pytest.mark.parametrize("flavor", ["asyncio", "trio"])
async def test_cancelling_a_waiting_contender_cleans_up(client: Any, unique: str) -> None:
    key = f"{unique}/leader"
    before = running()
    async with client.lock(key, ttl="10s", lock_delay=0) as lock:
        sessions = await session_ids(client)
        with anyio.move_on_after(0.3) as waiting:
            async with client.lock(key, ttl="10s", lock_delay=0):
                pytest.fail("two holders of one lock")
        assert waiting.cancelled_caught
        assert await session_ids(client) == sessions
        entry, _ = await client.kv.get(key)
        assert entry.session == lock.session
    assert running() == before
    await client.kv.delete(key)


async def test_the_body_s_own_error_comes_out_unwrapped(client: Any, unique: str) -> None:
    key = f"{unique}/leader"
    with pytest.raises(ValueError, match="boom"):
        async with client.lock(key, ttl="10s", lock_delay=0) as lock:
            raise ValueError("boom")
    assert lock.session not in await session_ids(client)
    await client.kv.delete(key)


@pytest.mark.parametrize("kind", ["lock", "semaphore"])
async def test_closing_a_client_ends_its_wait_to_enter(
    client: Any, new_client: Any, consul_agent: ConsulAgent, unique: str, kind: str
) -> None:
    # The wait lasted until the holder left (sync: no way out but a timeout), whatever the
    # client's close: the async clients' ended once the key changed, with the client closed.
    key = f"{unique}/{kind}"

    def entered(c: Any, name: str) -> Any:
        if kind == "lock":
            return c.lock(key, ttl="10s", lock_delay=0, name=name)
        return c.semaphore(key, 1, ttl="10s", name=name)

    async with entered(client, "holder"):
        waiter = new_client(token=consul_agent.master_token)
        ended: list[BaseException] = []

        async def enter() -> None:
            try:
                async with entered(waiter, unique):
                    pass
            except UsageError as exc:
                ended.append(exc)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(enter)
            with anyio.fail_after(10):  # the waiter's session made: it is entering
                while unique not in [s.name for s in (await client.session.items())[0]]:
                    await anyio.sleep(0.02)
            await waiter.aclose()
            with anyio.fail_after(5):  # at once, the holder still holding
                while not ended:
                    await anyio.sleep(0.02)
    assert str(ended[0]) == "the client is closed: make a new one"


@pytest.mark.parametrize("kind", ["lock", "semaphore"])
async def test_a_timeout_on_a_key_held_elsewhere_says_so(
    client: Any, new_client: Any, consul_agent: ConsulAgent, unique: str, kind: str
) -> None:
    # Its last blocking read waited the whole time left, so the read's own timeout ended it
    # first: 'within 1.5s (Timeout: the agent did not answer GET ...)', the agent blamed.
    key = f"{unique}/{kind}"

    def entered(c: Any, **options: Any) -> Any:
        if kind == "lock":
            return c.lock(key, ttl="10s", lock_delay=0, **options)
        return c.semaphore(key, 1, ttl="10s", **options)

    async with entered(client), new_client(token=consul_agent.master_token) as waiter:
        with anyio.fail_after(10), pytest.raises(Timeout) as timed_out:
            async with entered(waiter, timeout="3s", name=unique):
                pass
    what = f"the lock on {key!r}" if kind == "lock" else f"the slot of the semaphore {key!r}"
    assert str(timed_out.value) == f"could not take {what} within 3s"
    assert timed_out.value.__cause__ is None
    assert unique not in [s.name for s in (await client.session.items())[0]]

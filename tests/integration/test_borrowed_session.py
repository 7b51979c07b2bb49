"""Locks and semaphores given the caller's session (Go's ``LockOptions.Session`` and
``SemaphoreOptions.Session``) on the real agent, under asyncio, trio and sync: the session is
used as it is, left alone on leaving, and its invalidation is a loss.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from consul_core import LockLost, NotFound
from consul_core.flows import LOCK_FLAG
from consul_transports._sync.supervise import THREAD_PREFIX
from tests.integration.leftovers import running, session_ids
from tests.integration.waiting import body_until_lost


def helper_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)]


async def test_a_lock_uses_the_callers_session_and_leaves_it_alone(
    client: Any, flavor: str, unique: str
) -> None:
    key = f"{unique}/leader"
    sid = await client.session.create(name=unique, lock_delay=0)  # no TTL: nothing to renew
    before = running()
    try:
        async with client.lock(key, session=sid, value=b"me") as lock:
            assert (lock.session, lock.created, lock.lost) == (sid, False, False)
            entry, _ = await client.kv.get(key)
            assert (entry.session, entry.flags, entry.value) == (sid, LOCK_FLAG, b"me")
            assert len(helper_threads()) == (2 if flavor == "sync" else 0)
        entry, _ = await client.kv.get(key)
        assert entry.session is None
        assert sid in await session_ids(client)  # the caller's, still there
        assert running() == before
        # The same session takes the lock again, and a semaphore slot beside it.
        async with (
            client.lock(key, session={"ID": sid}) as again,
            client.semaphore(f"{unique}/workers", 2, session=sid) as slot,
        ):
            assert again.session == slot.session == sid
            tree, _ = await client.kv.get_tree(f"{unique}/workers/")
            assert {e.key for e in tree} == {f"{unique}/workers/{sid}", f"{unique}/workers/.lock"}
        tree, _ = await client.kv.get_tree(f"{unique}/workers/")
        assert [e.key for e in tree] == [f"{unique}/workers/.lock"]
        assert sid in await session_ids(client)
    finally:
        await client.session.destroy(sid)
        await client.kv.delete_tree(unique)


async def test_invalidating_the_callers_session_loses_the_lock(
    client: Any, flavor: str, unique: str
) -> None:
    key = f"{unique}/leader"
    sid = await client.session.create(name=unique, ttl="30s", lock_delay=0)
    reached_end = False
    with pytest.raises(LockLost, match="was lost"):
        async with client.lock(key, session=sid) as lock:
            await client.session.destroy(sid)
            await body_until_lost(lock, flavor)
            reached_end = True  # the sync client cannot interrupt its body; the others can
    assert lock.lost and lock.loss
    assert reached_end is (flavor == "sync")
    await client.kv.delete(key)


async def test_invalidating_the_callers_session_loses_the_slot(
    client: Any, flavor: str, unique: str
) -> None:
    prefix = f"{unique}/workers"
    sid = await client.session.create(name=unique, ttl="30s", behavior="delete", lock_delay=0)
    with pytest.raises(LockLost, match="semaphore"):
        async with client.semaphore(prefix, 1, session=sid) as slot:
            await client.session.destroy(sid)
            await body_until_lost(slot, flavor)
    assert slot.lost
    async with client.semaphore(prefix, 1, ttl="10s") as other:  # the dead holder is pruned
        assert not other.lost
    await client.kv.delete_tree(prefix)


async def test_a_session_that_is_gone_fails_entering(client: Any, unique: str) -> None:
    sid = await client.session.create(name=unique)
    await client.session.destroy(sid)
    with pytest.raises(NotFound):
        async with client.lock(f"{unique}/leader", session=sid):
            pytest.fail("a lock was held with a destroyed session")
    with pytest.raises(NotFound):
        async with client.semaphore(f"{unique}/workers", 1, session=sid):
            pytest.fail("a slot was held with a destroyed session")

"""Semaphores on the real agent, under asyncio, trio and sync: the limit, loss, conflicts and
cleanup, on the Go client's key layout.
"""

from __future__ import annotations

import json
import time
from typing import Any

import anyio
import pytest

from consul_core import LockInUse, LockLost, UsageError
from consul_core.flows import SEMAPHORE_FLAG, LockConflict
from tests.integration.leftovers import running, session_ids
from tests.integration.waiting import body_until_lost


async def test_a_semaphore_of_two_admits_exactly_two_of_five(client: Any, unique: str) -> None:
    prefix = f"{unique}/workers"
    before = running()
    inside: set[str] = set()
    most = 0
    served: list[str] = []
    two_inside, checked = anyio.Event(), anyio.Event()

    async def worker() -> None:
        nonlocal most
        async with client.semaphore(prefix, 2, ttl="10s") as slot:
            inside.add(slot.session)
            most = max(most, len(inside))
            if len(inside) == 2:
                two_inside.set()
            with anyio.fail_after(20):  # the first two hold their slots until they are checked
                await checked.wait()
            assert not slot.lost
            inside.discard(slot.session)
            served.append(slot.session)

    async with anyio.create_task_group() as tasks:
        for _ in range(5):
            tasks.start_soon(worker)
        await two_inside.wait()
        with anyio.fail_after(20):  # the three others enter their contender keys meanwhile
            while True:
                entries, _ = await client.kv.get_tree(prefix + "/")
                contenders = [e for e in entries if not e.key.endswith("/.lock")]
                if len(contenders) == 5:
                    break
                await anyio.sleep(0.05)
        lock = next(e for e in entries if e.key == f"{prefix}/.lock")
        holders = json.loads(lock.value)["Holders"]
        assert sorted(holders) == sorted(inside) and len(holders) == 2
        assert lock.flags == SEMAPHORE_FLAG
        assert all(e.key == f"{prefix}/{e.session}" for e in contenders)
        checked.set()
    assert most == 2 and len(set(served)) == 5
    entries, _ = await client.kv.get_tree(prefix + "/")
    assert [e.key for e in entries] == [f"{prefix}/.lock"]
    assert json.loads(entries[0].value)["Holders"] == {}
    assert not set(served) & await session_ids(client)
    assert running() == before
    await client.kv.delete_tree(prefix)


async def test_destroying_the_session_loses_the_slot(client: Any, flavor: str, unique: str) -> None:
    prefix = f"{unique}/workers"
    reached_end = False
    with pytest.raises(LockLost, match="semaphore"):
        async with client.semaphore(prefix, 1, ttl="10s") as slot:
            destroyed = time.monotonic()
            await client.session.destroy(slot.session)
            await body_until_lost(slot, flavor)
            reached_end = True  # the sync client cannot interrupt its body; the others can
    print(f"\nsemaphore loss detected after {(time.monotonic() - destroyed) * 1000:.1f} ms")
    assert time.monotonic() - destroyed < 1.0
    assert slot.lost
    assert reached_end is (flavor == "sync")
    async with client.semaphore(prefix, 1, ttl="10s") as slot:  # the dead holder is pruned
        assert not slot.lost
    await client.kv.delete_tree(prefix)


async def test_contenders_must_agree_on_the_limit(client: Any, unique: str) -> None:
    prefix = f"{unique}/workers"
    async with client.semaphore(prefix, 2, ttl="10s"):
        before = await session_ids(client)
        with pytest.raises(LockConflict, match="limit") as conflict:
            async with client.semaphore(prefix, 3, ttl="10s"):
                pytest.fail("a semaphore with another limit was entered")
        assert await session_ids(client) == before
    # The way out the message gives: nobody holding a slot, destroy the semaphore.
    assert str(conflict.value).endswith("then destroy the semaphore (`destroy_semaphore`)")
    await client.destroy_semaphore(prefix)
    async with client.semaphore(prefix, 3, ttl="10s") as slot:
        assert not slot.lost
    await client.kv.delete_tree(f"{prefix}/")


async def test_destroying_a_semaphore_deletes_its_lock_key_only_when_nobody_holds_a_slot(
    client: Any, unique: str
) -> None:
    prefix = f"{unique}/workers"
    await client.destroy_semaphore(prefix)  # none there: nothing to do
    async with client.semaphore(prefix, 2, ttl="10s") as slot:
        with pytest.raises(LockInUse, match="1 holder"):
            await client.destroy_semaphore(prefix)
        entries, _ = await client.kv.get_tree(f"{prefix}/")
        assert f"{prefix}/.lock" in [e.key for e in entries]
        assert not slot.lost
    # A holder whose session is gone does not count, as in Go: one left in the .lock key.
    lock, _ = await client.kv.get(f"{prefix}/.lock")
    dead = await client.session.create(ttl="10s")
    stale = json.dumps({"Limit": 2, "Holders": {dead: True}})
    assert await client.kv.cas(f"{prefix}/.lock", stale, index=lock.modify_index, flags=lock.flags)
    await client.session.destroy(dead)
    await client.destroy_semaphore(f"{prefix}/")
    entries, _ = await client.kv.get_tree(f"{prefix}/")
    assert entries == []


async def test_destroying_what_is_not_a_semaphore_is_refused(client: Any, unique: str) -> None:
    prefix = f"{unique}/workers"
    await client.kv.set(f"{prefix}/.lock", b"plain value")
    with pytest.raises(LockConflict, match="does not belong to a semaphore"):
        await client.destroy_semaphore(prefix)
    entry, _ = await client.kv.get(f"{prefix}/.lock")
    assert entry.value == b"plain value"
    with pytest.raises(UsageError):
        await client.destroy_semaphore("")
    await client.kv.delete_tree(f"{prefix}/")

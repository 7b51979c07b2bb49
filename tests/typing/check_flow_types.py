"""Static checks (mypy --strict and pyright): watches, locks, semaphores and keepalives, typed
exactly per client from one definition.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any

from typing_extensions import assert_type

from consul_core import Call, KeyValue, QueryMeta, Session, Sleep
from consul_core.endpoints import kv
from consul_core.flows import (
    Cursor,
    Emit,
    Keepalive,
    Lock,
    Notice,
    Now,
    Pacing,
    Semaphore,
    blocking_read,
    watch,
)
from consul_core.namespaces import AsyncWatchIterator, WatchIterator
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    watch = client.kv.watch("k", watch=(0, "30s"), consistency="stale")
    assert_type(watch, WatchIterator[tuple[KeyValue | None, QueryMeta]])
    for entry, meta in watch:
        assert_type(entry, KeyValue | None)
        assert_type(meta, QueryMeta)
    assert_type(client.kv.watch_keys("p/", "/"), WatchIterator[tuple[list[str] | None, QueryMeta]])
    assert_type(client.session.watch("id"), WatchIterator[tuple[Session | None, QueryMeta]])
    assert_type(client.lock("k", ttl="10s", lock_delay=0), AbstractContextManager[Lock])
    with client.lock("k") as lock:
        assert_type(lock.lost, bool)
        assert_type(lock.session, str)
    assert_type(client.semaphore("p", 2), AbstractContextManager[Semaphore])
    assert_type(client.session.keepalive(ttl="15s"), AbstractContextManager[Keepalive])
    # A lock or a semaphore may use the caller's session.
    assert_type(client.lock("k", session="id"), AbstractContextManager[Lock])
    assert_type(client.semaphore("p", 2, session="id"), AbstractContextManager[Semaphore])
    # Entering may be bounded on every client, with the same argument.
    assert_type(client.lock("k", timeout=30), AbstractContextManager[Lock])
    assert_type(client.semaphore("p", 2, timeout="1m"), AbstractContextManager[Semaphore])
    assert_type(client.session.keepalive("id", timeout=5.5), AbstractContextManager[Keepalive])
    # Destroying one runs its flow at once.
    assert_type(client.destroy_lock("k"), None)
    assert_type(client.destroy_semaphore("p"), None)


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    watch = a.kv.watch_tree("p/")
    assert_type(watch, AsyncWatchIterator[tuple[list[KeyValue] | None, QueryMeta]])
    async for entries, _ in watch:
        assert_type(entries, list[KeyValue] | None)
    assert_type(t.session.watch_items(), AsyncWatchIterator[tuple[list[Session] | None, QueryMeta]])
    assert_type(a.lock("k", value=b"me"), AbstractAsyncContextManager[Lock])
    assert_type(t.lock("k", timeout=30), AbstractAsyncContextManager[Lock])
    assert_type(a.semaphore("p", 2, timeout="1m"), AbstractAsyncContextManager[Semaphore])
    async with t.semaphore("p", 3, ttl="20s") as slot:
        assert_type(slot, Semaphore)
        assert_type(slot.lost, bool)
    async with a.session.keepalive({"Name": "worker"}, ttl=15) as keepalive:
        assert_type(keepalive.session, str)
    assert_type(await a.destroy_lock("k"), None)
    assert_type(await t.destroy_semaphore("p"), None)


def embedded_driver() -> None:
    # A library driving the core's flows itself sees each step as the flow yields it (it was
    # Any), so that a watch's values come out typed.
    read, index, wait = blocking_read(kv.get, ("k",), {})
    stream = watch(read, pacing=Pacing(), index=index, wait=wait)
    cursor = Cursor(stream)
    step = cursor.next_step()
    if isinstance(step, Emit):
        assert_type(step.value, tuple[KeyValue | None, QueryMeta])
    else:
        assert_type(step, Call[Any] | Sleep | Now | Notice)
    lock_steps = Cursor(Lock("k").open()).next_step()
    assert_type(lock_steps, Call[Any] | Sleep | Now | Notice)

"""Faults between the client and a real agent, under asyncio, trio and sync: a network outage
under a watch (both transports), an agent restart under a watch, and 150 blocking queries that
must not hold up a write (both transports).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.to_thread
import pytest

from consul_core import ConnectError, NotFound
from consul_core.backoff import Backoff
from consul_core.flows import Pacing
from consul_transports import PoolLimits
from consul_transports._config import load_config
from consul_transports._native import AsyncNativeTransport, NativeTransport
from consul_transports.testing import AsyncMockTransport, ConsulAgent, FaultProxy, MockTransport
from tests.conftest import make_client

FAST = Pacing(min_interval=0.01, backoff=Backoff(initial=0.1, maximum=0.5))


@pytest.fixture(params=["native", "httpx"])
def transport_name(request: pytest.FixtureRequest) -> str:
    """The transport under test."""
    return str(request.param)


class Follower:
    """Follows a key watch in a task: every value it hands out, until `wanted`.

    Attributes:
        seen: The values handed out so far (None: the key was missing).
        first: Set once the first value came (the watch then blocks in its next read).
        done: Set once `wanted` came.
    """

    def __init__(self, watch: Any, wanted: bytes) -> None:
        self._watch, self._wanted = watch, wanted
        self.seen: list[bytes | None] = []
        self.first, self.done = anyio.Event(), anyio.Event()

    async def run(self) -> None:
        async for entry, _ in self._watch:
            self.seen.append(entry.value if entry is not None else None)
            self.first.set()
            if self.seen[-1] == self._wanted:
                self.done.set()
                return


async def test_a_watch_survives_a_cut_and_an_outage(
    flavor: str,
    transport_name: str,
    client: Any,
    new_client: Any,
    consul_agent: ConsulAgent,
    unique: str,
) -> None:
    with FaultProxy(consul_agent.http_port) as proxy:
        async with new_client(
            address=proxy.address,
            token=consul_agent.master_token,
            transport=transport_name,
            pacing=FAST,
        ) as through:
            await client.kv.set(unique, b"before")
            async with through.kv.watch(unique, watch=(0, "2s")) as watch:
                follower = Follower(watch, b"after")
                with anyio.fail_after(20):
                    async with anyio.create_task_group() as tasks:
                        tasks.start_soon(follower.run)
                        await follower.first.wait()
                        await anyio.sleep(0.2)  # the watch is blocked in a read now
                        proxy.outage(2.0)
                        started = time.monotonic()
                        with pytest.raises(ConnectError):
                            await through.status.leader()
                        failed_after = time.monotonic() - started
                        await client.kv.set(unique, b"after")  # straight to the agent
                        await follower.done.wait()
                        recovered_after = time.monotonic() - started
            # The same client serves the next call: no broken connection is reused.
            entry, _ = await through.kv.get(unique)
            assert entry.value == b"after"
    print(
        f"\nfailed fast after {failed_after * 1000:.0f} ms; recovered after {recovered_after:.1f} s"
    )
    assert failed_after < 2.0
    assert recovered_after >= 1.9  # nothing got through the outage
    assert follower.seen == [b"before", b"after"]
    await client.kv.delete(unique)


@asynccontextmanager
async def counting_client(flavor: str, address: str) -> AsyncIterator[tuple[Any, list[Any]]]:
    """A client of the flavor whose native transport records every request it sends."""
    config = load_config(address)
    if flavor == "sync":
        native: Any = NativeTransport(config)
        recorder: Any = MockTransport(native.send)
    else:
        native = AsyncNativeTransport(config)
        recorder = AsyncMockTransport(native.send)
    try:
        async with make_client(flavor, address, transport=recorder, pacing=FAST) as client:
            yield client, recorder.requests
    finally:
        if flavor == "sync":
            native.close()
        else:
            await native.aclose()


async def test_a_watch_resets_and_goes_on_after_an_agent_restart(
    flavor: str,
    anyio_backend: str,
    restartable_agent: ConsulAgent,
    unique: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="consul_transports.watch")
    async with (
        counting_client(flavor, restartable_agent.address) as (client, requests),
        make_client(flavor, restartable_agent.address) as direct,
    ):
        for number in range(40):  # an index well above what the restarted agent starts at
            await client.kv.set(unique, b"before %d" % number)
        async with client.kv.watch(unique, watch=(0, "2s")) as watch:
            follower = Follower(watch, b"after")
            with anyio.fail_after(30):
                async with anyio.create_task_group() as tasks:
                    tasks.start_soon(follower.run)
                    await follower.first.wait()
                    with anyio.fail_after(10):  # the watch is blocked in a read now
                        while not requests[-1].param("index"):
                            await anyio.sleep(0.01)
                    old_index = int(requests[-1].param("index"))
                    sent_before = len(requests)
                    await anyio.to_thread.run_sync(restartable_agent.restart)
                    await direct.kv.set(unique, b"after")
                    new_index = (await direct.kv.get(unique))[1].index
                    await follower.done.wait()
    reads = [r for r in requests[sent_before:] if r.method == "GET"]
    indexes = [int(r.param("index") or 0) for r in reads]
    print(f"\nindex {old_index} before the restart, {new_index} after; {len(reads)} reads")
    assert new_index < old_index
    assert 0 in indexes  # the watch read again without blocking after the errors
    assert max(indexes[indexes.index(0) :]) <= new_index  # and never blocked on the old index
    assert len(reads) < 40  # no spinning while the agent was away
    # The restarted dev agent lost its data: the watch may see the key missing first.
    assert follower.seen in ([b"before 39", b"after"], [b"before 39", None, b"after"])
    # An operator is told the index went back (it was not, when read again after errors).
    went_back = f"/v1/kv/{unique}: the index went back"
    [told] = [r for r in caplog.records if went_back in r.getMessage()]
    assert told.levelno == logging.INFO
    assert told.getMessage().endswith(" while the agent could not be read")


async def test_blocking_queries_never_hold_up_other_calls(
    flavor: str,
    transport_name: str,
    client: Any,
    new_client: Any,
    consul_agent: ConsulAgent,
    unique: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    pending, limits = 150, PoolLimits()
    anyio.to_thread.current_default_thread_limiter().total_tokens = pending + 10  # sync: threads
    indexes = {}
    for number in range(pending):
        await client.kv.set(f"{unique}/{number}", b"v")
        indexes[number] = (await client.kv.get(f"{unique}/{number}"))[1].index
    ended = 0
    with FaultProxy(consul_agent.http_port) as proxy:
        async with new_client(
            address=proxy.address, token=consul_agent.master_token, transport=transport_name
        ) as watching:

            async def block(number: int) -> None:
                nonlocal ended
                with pytest.raises(NotFound):  # woken by the delete below
                    await watching.kv.get(f"{unique}/{number}", watch=(indexes[number], "20s"))
                ended += 1

            def waiting() -> int:
                return sum("waits its turn" in r.getMessage() for r in caplog.records)

            with caplog.at_level(logging.WARNING, logger="consul_transports"):
                async with anyio.create_task_group() as tasks:
                    for number in range(pending):
                        tasks.start_soon(block, number)
                    # Every query has reached the gate: in, or told to wait (the sync client's
                    # threads may start late, and a late one would find a slot freed below).
                    with anyio.fail_after(20):
                        while (
                            proxy.open_now < limits.blocking_slots
                            or waiting() < pending - limits.blocking_slots
                        ):
                            await anyio.sleep(0.01)
                    started = time.monotonic()
                    assert await watching.kv.set(f"{unique}-other", b"written") is True
                    took = time.monotonic() - started
                    assert ended == 0  # every blocking query was still pending
                    assert proxy.open_now <= limits.max_connections
                    await client.kv.delete_tree(f"{unique}/")
    print(f"\na write beside {pending} blocking queries took {took * 1000:.0f} ms")
    assert took < 1.0
    assert ended == pending
    assert proxy.most_open <= limits.blocking_slots + 1
    assert waiting() == pending - limits.blocking_slots  # and no more waited
    await client.kv.delete(f"{unique}-other")

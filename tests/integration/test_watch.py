"""Watches on the real agent, under asyncio, trio and sync: every spaced change, the last of a
burst, missing keys, prefixes, sessions, and leaving cleanly (an agent restart: test_faults).
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from consul_core import UsageError
from consul_core.backoff import Backoff
from consul_core.flows import Pacing
from consul_transports import PoolLimits
from consul_transports.testing import ConsulAgent, free_port
from tests.hooks import count, recording
from tests.integration.leftovers import running
from tests.integration.waiting import closed_from_elsewhere

# Short blocking reads, so that the sync flavor's worker threads never linger.
SHORT = (0, "2s")
FAST = Pacing(min_interval=0.01, backoff=Backoff(initial=0.1, maximum=0.5))


async def first_matching(watch: Any, check: Any, limit: float = 5) -> Any:
    """The first value a watch hands out that passes `check`."""
    with anyio.fail_after(limit):
        async for value, _ in watch:
            if check(value):
                return value
    pytest.fail("the watch ended")


async def values_until(watch: Any, last: bytes | None, limit: float = 10) -> list[bytes | None]:
    """The values a key watch hands out, up to `last` (which is included)."""
    seen: list[bytes | None] = []
    with anyio.fail_after(limit):
        async for entry, meta in watch:
            assert meta.index > 0
            seen.append(entry.value if entry is not None else None)
            if seen[-1] == last:
                return seen
    pytest.fail("the watch ended")


async def test_a_watch_sees_each_of_twenty_spaced_writes(
    new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    async with new_client(token=consul_agent.master_token, pacing=FAST) as client:
        await client.kv.set(unique, b"start")
        # Each write waits for the watch to hand out the one before: writes spaced by the
        # watch's own pace (a fixed pause would race a loaded machine's scheduler; a burst
        # ends on its last value, which the next test shows).
        async with client.kv.watch(unique, watch=SHORT) as watch:
            seen = await values_until(watch, b"start")
            for n in range(20):
                await client.kv.set(unique, str(n))
                seen += await values_until(watch, str(n).encode())
        assert seen == [b"start", *(str(n).encode() for n in range(20))]
        await client.kv.delete(unique)


async def test_a_watch_ends_on_the_last_of_fifty_rapid_writes(client: Any, unique: str) -> None:
    await client.kv.set(unique, b"-1")
    async with client.kv.watch(unique, watch=SHORT) as watch:
        assert await values_until(watch, b"-1") == [b"-1"]
        for n in range(50):
            await client.kv.set(unique, str(n))
        seen = await values_until(watch, b"49")
    numbers = [int(value or b"") for value in seen]
    assert numbers == sorted(set(numbers)) and numbers[-1] == 49
    await client.kv.delete(unique)


async def test_a_missing_key_is_none_and_the_watch_goes_on(client: Any, unique: str) -> None:
    async with client.kv.watch(unique, watch=SHORT) as watch:
        assert await values_until(watch, None) == [None]
        await client.kv.set(unique, b"here")
        assert await values_until(watch, b"here") == [b"here"]
        await client.kv.delete(unique)
        assert await values_until(watch, None) == [None]


async def test_a_new_index_with_the_same_value_is_not_handed_out(
    flavor: str, new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    # Consul answers a read of a missing key with the index of the whole KV table, which the
    # unrelated writes below move: the watch reads again, but nothing changed for it (Go's
    # watch plan hands out only a changed result too).
    events: list[tuple[Any, ...]] = []
    hooks = recording(flavor, events)
    async with new_client(token=consul_agent.master_token, event_hooks=hooks) as client:
        requests = count(events, "request")
        async with client.kv.watch(unique, watch=SHORT) as watch:
            assert await values_until(watch, None) == [None]
            for n in range(3):
                await client.kv.set(f"{unique}-other/{n}", b"x")
            before = requests()

            async def write_once_the_watch_blocks_again() -> None:
                # The read on the old index (answered at once), then the next one.
                with anyio.fail_after(10):
                    while requests() < before + 2:
                        await anyio.sleep(0.01)
                await client.kv.set(unique, b"here")

            async with anyio.create_task_group() as group:
                group.start_soon(write_once_the_watch_blocks_again)
                assert await values_until(watch, b"here") == [b"here"]
        await client.kv.delete_tree(f"{unique}-other/")
        await client.kv.delete(unique)


async def test_prefix_watches(client: Any, unique: str) -> None:
    prefix = unique + "/"
    async with (
        client.kv.watch_tree(prefix, watch=SHORT) as tree,
        client.kv.watch_keys(prefix, "/", watch=SHORT) as keys,
    ):
        assert await first_matching(tree, lambda _: True) == []
        assert await first_matching(keys, lambda _: True) == []
        await client.kv.set(f"{prefix}a", b"1")
        await client.kv.set(f"{prefix}sub/b", b"2")
        entries = await first_matching(tree, lambda entries: len(entries) == 2)
        assert [(e.key, e.value) for e in entries] == [
            (f"{prefix}a", b"1"),
            (f"{prefix}sub/b", b"2"),
        ]
        expected = [f"{prefix}a", f"{prefix}sub/"]
        assert await first_matching(keys, lambda listed: listed == expected) == expected
    await client.kv.delete_tree(unique)


async def test_session_watches(client: Any, unique: str) -> None:
    sid = await client.session.create(name=unique, ttl="10s")
    async with (
        client.session.watch(sid, watch=SHORT) as info,
        client.session.watch_items(watch=SHORT) as items,
    ):
        first = await first_matching(info, lambda _: True)
        assert first.id == sid and first.name == unique
        await first_matching(items, lambda sessions: sid in {s.id for s in sessions})
        await client.session.destroy(sid)
        assert await first_matching(info, lambda _: True) is None
        await first_matching(items, lambda sessions: sid not in {s.id for s in sessions})


async def test_leaving_a_watch_leaves_nothing_behind(client: Any, unique: str) -> None:
    await client.kv.set(unique, b"v")
    before = running()
    watch = client.kv.watch(unique, watch=SHORT)
    async for _ in watch:
        break
    assert running() == before
    await watch.aclose()
    with pytest.raises(StopAsyncIteration):
        await anext(watch)
    assert running() == before
    await client.kv.delete(unique)


@pytest.mark.parametrize("flavor", ["asyncio", "trio"])
async def test_cancelling_a_blocked_watch_leaves_nothing_behind(client: Any, unique: str) -> None:
    before = running()
    watch = client.kv.watch(unique)
    with anyio.move_on_after(0.3) as scope:
        async for value, _ in watch:
            assert value is None
    assert scope.cancelled_caught
    with pytest.raises(StopAsyncIteration):
        await anext(watch)
    assert running() == before


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_closing_a_watch_from_elsewhere_ends_its_blocking_read_at_once(
    flavor: str, new_client: Any, unique: str, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[tuple[Any, ...]] = []
    async with new_client(transport=transport, event_hooks=recording(flavor, events)) as client:
        await client.kv.set(unique, b"v")
        before = running()
        events.clear()
        requests = count(events, "request")
        watch = client.kv.watch(unique, watch=(0, "60s"))
        # The first read, then the one that blocks.
        seen = await closed_from_elsewhere(watch, lambda: requests() == 2)
        assert [entry.value for entry, _ in seen] == [b"v"]
        # The read cut short is not sent again (the shut socket reads as the agent's close).
        assert not [r for r in caplog.records if "sending it again" in r.getMessage()]
        assert running() == before
        # The client goes on: the connection of the read cut short was dropped, not pooled.
        await client.kv.set(unique, b"w")
        assert (await client.kv.get(unique))[0].value == b"w"
        await client.kv.delete(unique)


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_closing_the_client_ends_its_blocking_reads_under_way(
    flavor: str, new_client: Any, consul_agent: ConsulAgent, unique: str, transport: str
) -> None:
    # A blocking read on a client closed meanwhile raises the closed client's UsageError at
    # once: it waited out its wait (a minute here; five by default), then answered.
    events: list[tuple[Any, ...]] = []
    hooks = recording(flavor, events)
    client = new_client(token=consul_agent.master_token, transport=transport, event_hooks=hooks)
    await client.kv.set(unique, b"v")
    _, meta = await client.kv.get(unique)
    requests = count(events, "request")
    before = requests()
    outcome: list[BaseException] = []

    async def read() -> None:
        try:
            await client.kv.get(unique, watch=(meta, "60s"))
        except UsageError as exc:
            outcome.append(exc)

    with anyio.fail_after(10):
        async with anyio.create_task_group() as group:
            group.start_soon(read)
            while requests() == before:  # the read is sent
                await anyio.sleep(0.01)
            await anyio.sleep(0.1)  # and waits at the agent
            await client.aclose()
    assert [str(exc) for exc in outcome] == ["the client is closed: make a new one"]


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_blocking_read_given_up_keeps_its_connection_counted_until_its_deadline(
    flavor: str, new_client: Any, unique: str, transport: str
) -> None:
    # Consul 1.8.7 holds a blocking query until its wait ends, and its connection with it,
    # however the client left it: counted among the client's connections until its deadline,
    # the budget stays under the agent's http_max_conns_per_client.
    events: list[tuple[Any, ...]] = []
    limits = PoolLimits(max_connections=3, reserved=1)  # two blocking queries at once
    hooks = recording(flavor, events)
    async with new_client(transport=transport, limits=limits, event_hooks=hooks) as client:
        await client.kv.set(unique, b"v")
        requests = count(events, "request")
        kept = client.transport._lingering
        for given_up in (1, 2):
            watch = client.kv.watch(unique, watch=(0, "60s"))
            ready = requests() + 2  # its first read, then the one that blocks
            await closed_from_elsewhere(watch, lambda ready=ready: requests() == ready)
            assert len(kept.entries) == given_up
        # Both blocking shares are kept: a third blocking read would wait its turn.
        shares = client.transport._gate._shares
        assert not shares.take_now()
        # The connection kept for other calls serves them.
        assert (await client.kv.get(unique))[0].value == b"v"
        assert len(kept.entries) == 2
        # Once their deadlines have passed, the next call gives them back.
        kept.entries = [(0.0, releases) for _, releases in kept.entries]
        await client.kv.get(unique)
        assert kept.entries == []
        assert shares.take_now() and shares.take_now()
        shares.give()
        shares.give()
        await client.kv.delete(unique)


async def test_closing_a_watch_from_elsewhere_ends_its_backoff_at_once(
    flavor: str, new_client: Any
) -> None:
    events: list[tuple[Any, ...]] = []
    minute = Pacing(backoff=Backoff(initial=60, maximum=60))
    hooks = recording(flavor, events)
    async with new_client(
        address=f"127.0.0.1:{free_port()}", pacing=minute, event_hooks=hooks
    ) as client:
        watch = client.kv.watch("k")
        errors = count(events, "error")
        assert await closed_from_elsewhere(watch, lambda: errors() == 1) == []
        assert count(events, "request")() == 1

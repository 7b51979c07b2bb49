"""The agent's log stream (`agent.monitor`) and streamed snapshots on the real agent, under
asyncio, trio and sync: lines arrive as the agent writes them, and leaving a stream closes its
connection (a client of one connection can call again at once).
"""

from __future__ import annotations

import contextlib
import gc
import io
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from consul_core import NotFound, PermissionDenied
from consul_core.models.agent import LogRecord
from consul_transports import PoolLimits
from consul_transports.testing import ConsulAgent
from tests.hooks import count, recording
from tests.integration.waiting import closed_from_elsewhere

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"
# The wait for a log line the test caused: generous, it comes in milliseconds.
LINE_WITHIN = 30.0
GZIP = b"\x1f\x8b"
# httpx reads a body through nested async generators; a response collected unclosed (never
# closed by its reader) leaves them unfinished, which trio reports when they are collected
# (httpx's own behaviour, seen with `Response.aiter_raw` alone too). Closing a stream finishes
# them (`finish_streamed`).
HTTPX_ON_TRIO = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <async_generator object:pytest.PytestUnraisableExceptionWarning"
)


@pytest.fixture(scope="module")
def restore_agent() -> Iterator[ConsulAgent]:
    """A private agent whose state the tests roll back."""
    with ConsulAgent(acl=True) as agent:
        yield agent


class _Unsized:
    """A binary stream that can only be read (a pipe, a socket): its size is not known."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int) -> bytes:
        return self._data.read(size)


def _one_connection(new_client: Any, agent: ConsulAgent | None = None, **options: Any) -> Any:
    """A client with a budget of one connection: a stream that did not give its connection
    back would leave it nothing to call with.
    """
    if agent is not None:
        options.update(address=agent.address, token=agent.master_token)
    limits = PoolLimits(max_connections=1, reserved=0)
    return new_client(limits=limits, timeout=5, **options)


async def test_monitor_hands_out_the_lines_the_agent_writes(
    new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    async with _one_connection(new_client, consul_agent) as client:
        async with client.agent.monitor("debug") as lines:
            # The stream is open on entering: what happens now is in it.
            seen: list[str] = []
            async with new_client(token=consul_agent.master_token) as other:
                await other.services.register({"ID": unique, "Name": unique})
                try:
                    with anyio.fail_after(LINE_WITHIN):
                        async for line in lines:
                            seen.append(line)
                            if unique in line:
                                break
                finally:
                    await other.services.deregister(unique)
        assert all(isinstance(line, str) and "\n" not in line for line in seen)
        assert unique in seen[-1]
        # Leaving closed the stream: the client's one connection is free again.
        assert await client.kv.set(unique, b"after") is True
        await client.kv.delete(unique)


async def test_monitor_json_records_and_a_second_stream(
    new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    async with _one_connection(new_client, consul_agent) as client:
        for _ in range(2):  # a second stream finds the slot of the first one free
            async with client.agent.monitor_json("info") as records:
                async with new_client(token=consul_agent.master_token) as other:
                    await other.services.register({"ID": unique, "Name": unique})
                    await other.services.deregister(unique)
                with anyio.fail_after(LINE_WITHIN):
                    async for record in records:
                        assert isinstance(record, LogRecord)
                        if record.message == "Deregistered service":
                            break
            assert record.level == "info"
            assert record.unknown_fields.get("service") == unique
            assert record.timestamp


ASYNC_FLAVORS = ("asyncio", "trio")


@pytest.mark.parametrize("flavor", ASYNC_FLAVORS)  # a blocked next() cannot be cancelled
async def test_monitor_left_by_cancelling_a_pending_read(
    new_client: Any, consul_agent: ConsulAgent
) -> None:
    async with _one_connection(new_client, consul_agent) as client:
        with anyio.move_on_after(0.5) as waited:
            async with client.agent.monitor("err") as lines:
                async for _ in lines:  # nothing at level err: the read waits
                    pass
        assert waited.cancelled_caught
        assert await client.status.leader()


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_monitor_closed_from_elsewhere_ends_its_pending_read_at_once(
    new_client: Any, consul_agent: ConsulAgent, transport: str
) -> None:
    # Closed from another task (the sync flavor: another thread) than the one reading.
    async with _one_connection(new_client, consul_agent, transport=transport) as client:
        lines = client.agent.monitor("err")  # nothing at level err: the read waits
        # Time to reach the read (had it not, the close would end the stream all the same).
        later = anyio.current_time() + 0.5
        assert await closed_from_elsewhere(lines, lambda: anyio.current_time() > later) == []
        # The client's one connection is free again.
        assert await client.status.leader()


async def test_monitor_left_without_reading(new_client: Any, consul_agent: ConsulAgent) -> None:
    async with _one_connection(new_client, consul_agent) as client:
        async with client.agent.monitor("err"):
            pass
        assert await client.status.leader()


@contextlib.asynccontextmanager
async def _agent_logging(new_client: Any, consul_agent: ConsulAgent, unique: str) -> Any:
    """While the block runs, the agent logs a debug line with `unique` every 0.1 s (the URL of
    a request; the block reads its stream itself, so that no other frame holds the stream when
    the test drops it).
    """
    async with new_client(token=consul_agent.master_token) as other:

        async def poke() -> None:
            for _ in range(int(LINE_WITHIN / 0.1)):
                with contextlib.suppress(NotFound):
                    await other.kv.get(unique)
                await anyio.sleep(0.1)

        async with anyio.create_task_group() as group:
            group.start_soon(poke)
            yield
            group.cancel_scope.cancel()


@contextlib.asynccontextmanager
async def _reported_collected() -> AsyncIterator[None]:
    """Expect the block to leave a stream unclosed for the collector, and wait (up to 10 s)
    until its `ResourceWarning` says it was collected: on the sync flavor, the worker thread
    that last advanced it may hold it a moment after handing its line over. The warnings are
    dropped after: each holds its stream (as its source), and so httpx's response.
    """
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield
        with anyio.fail_after(10):
            while not any("never closed" in str(w.message) for w in seen):
                gc.collect()
                await anyio.sleep(0.01)
        seen.clear()


@HTTPX_ON_TRIO
@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_stream_never_closed_gives_its_connection_back_when_collected(
    new_client: Any, consul_agent: ConsulAgent, unique: str, transport: str
) -> None:
    async with _one_connection(new_client, consul_agent, transport=transport) as client:
        lines = client.agent.monitor("debug")  # a bare `for`, no `with`: opens at the first step
        async with _agent_logging(new_client, consul_agent, unique):
            with anyio.fail_after(LINE_WITHIN):
                async for line in lines:
                    if unique in line:
                        break
        async with _reported_collected():
            del lines
        # The client's one connection, and the blocking queries' share, are free again.
        assert await client.kv.set(unique, b"after") is True
        async with client.agent.monitor("err"):
            pass
        await client.kv.delete(unique)


@HTTPX_ON_TRIO
@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_stream_collected_in_another_thread_hands_its_connection_to_a_waiting_call(
    flavor: str, new_client: Any, consul_agent: ConsulAgent, unique: str, transport: str
) -> None:
    events: list[tuple[Any, ...]] = []
    hooks = recording(flavor, events)
    async with _one_connection(
        new_client, consul_agent, transport=transport, event_hooks=hooks
    ) as client:
        lines = client.agent.monitor("debug")  # left unclosed, as above
        async with _agent_logging(new_client, consul_agent, unique):
            with anyio.fail_after(LINE_WITHIN):
                async for line in lines:
                    if unique in line:
                        break
        held = [lines]
        del lines
        events.clear()
        written = anyio.Event()

        async def write() -> None:  # waits for the one connection, which the stream holds
            assert await client.kv.set(unique, b"after") is True
            written.set()

        async with anyio.create_task_group() as group:
            group.start_soon(write)
            with anyio.fail_after(10):
                while not events:  # the write's request is on its way to the pool
                    await anyio.sleep(0.01)
            await anyio.sleep(0.1)  # where it waits for the connection
            async with _reported_collected():
                # The last reference dropped in a thread of no event loop: collected there.
                await anyio.to_thread.run_sync(held.clear)
            # Within the client's timeout (5 s): the write was woken, not timed out.
            with anyio.fail_after(3):
                await written.wait()
        await client.kv.delete(unique)


# A stream holds a connection and a blocking query's share: with one connection, a watch's
# first read waits for the connection; with two, one kept for other calls, its second read
# (blocking) waits for the share.
WAITS = {
    "connection": PoolLimits(max_connections=1, reserved=0),
    "blocking share": PoolLimits(max_connections=2, reserved=1),
}


@pytest.mark.parametrize(
    ("transport", "waits_for"),
    [
        ("native", "connection"),
        ("native", "blocking share"),
        ("httpx", "connection"),
        ("httpx", "blocking share"),
    ],
)
async def test_closing_a_watch_from_elsewhere_ends_its_wait_for_a_connection_at_once(
    flavor: str, new_client: Any, unique: str, transport: str, waits_for: str
) -> None:
    events: list[tuple[Any, ...]] = []
    hooks = recording(flavor, events)
    limits = WAITS[waits_for]
    async with new_client(transport=transport, limits=limits, event_hooks=hooks) as client:
        await client.kv.set(unique, b"v")
        requests = count(events, "request")
        async with client.agent.monitor("err"):  # its head read: the connection is held
            waiting_read = requests() + (1 if waits_for == "connection" else 2)
            watch = client.kv.watch(unique, watch=(0, "60s"))
            seen = await closed_from_elsewhere(watch, lambda: requests() >= waiting_read)
            assert len(seen) == (0 if waits_for == "connection" else 1)
        # The client goes on, its connection (and share) given back by the stream.
        assert await client.kv.set(unique, b"w") is True
        assert (await client.kv.get(unique))[0].value == b"w"
        await client.kv.delete(unique)


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_closing_the_client_ends_its_streams_and_watches_at_once(
    new_client: Any, unique: str, transport: str, flavor: str
) -> None:
    # A reader waiting in a stream (which never ends by itself) or in a watch's blocking read
    # ends, as when the stream or watch is closed itself, once the client is closed: a program
    # that closes its client at shutdown, then waits for its readers, does not hang.
    events: list[tuple[Any, ...]] = []
    async with new_client(transport=transport, event_hooks=recording(flavor, events)) as client:
        await client.kv.set(unique, b"v")
        requests = count(events, "request")
        sent = requests()
        ended: list[str] = []

        async def read(name: str, iterator: Any) -> None:
            async for _ in iterator:
                pass
            ended.append(name)

        async with anyio.create_task_group() as readers:
            readers.start_soon(read, "monitor", client.agent.monitor("err"))  # nothing comes
            readers.start_soon(read, "watch", client.kv.watch(unique, watch=(0, "60s")))
            with anyio.fail_after(10):  # the monitor's read, the watch's first and blocking one
                while requests() < sent + 3:
                    await anyio.sleep(0.01)
            await client.aclose()
            with anyio.fail_after(5):
                while len(ended) < 2:
                    await anyio.sleep(0.01)
        assert sorted(ended) == ["monitor", "watch"]
    async with new_client() as admin:
        await admin.kv.delete(unique)


async def test_monitor_refuses_a_bad_token(new_client: Any) -> None:
    async with new_client(token=BOGUS_TOKEN) as client:
        with pytest.raises(PermissionDenied, match="monitor"):
            async with client.agent.monitor("info"):
                pass


async def test_metrics_stream_is_newer_than_1_8_7(client: Any) -> None:
    with pytest.raises(NotFound):
        async with client.agent.metrics_stream():
            pass


async def test_snapshot_to_a_path_and_back(
    new_client: Any, restore_agent: ConsulAgent, unique: str, tmp_path: Path
) -> None:
    async with _one_connection(new_client, restore_agent) as client:
        await client.kv.set(f"{unique}/before", b"1")
        path = tmp_path / "consul.snap"
        meta = await client.snapshot.save_to(path, timeout=120)  # each wait, not the transfer
        assert meta.index > 0
        assert path.read_bytes()[:2] == GZIP
        await client.kv.set(f"{unique}/after", b"2")
        assert await client.snapshot.restore(path, timeout="2m") is True
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/after")
        kept, _ = await client.kv.get(f"{unique}/before")
        assert kept.value == b"1"


async def test_snapshot_to_a_stream_and_back(
    new_client: Any, restore_agent: ConsulAgent, unique: str, tmp_path: Path
) -> None:
    async with _one_connection(new_client, restore_agent) as client:
        await client.kv.set(f"{unique}/before", b"1")
        saved = io.BytesIO()
        await client.snapshot.save_to(saved)
        assert saved.getvalue()[:2] == GZIP
        await client.kv.set(f"{unique}/after", b"2")
        # A stream whose size is unknown goes in chunks; a file, with its length.
        assert await client.snapshot.restore(_Unsized(saved.getvalue())) is True
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/after")
        path = tmp_path / "copy.snap"
        path.write_bytes(saved.getvalue())
        await client.kv.set(f"{unique}/after", b"2")
        with path.open("rb") as file:
            assert await client.snapshot.restore(file) is True
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/after")


@pytest.mark.parametrize("flavor", ASYNC_FLAVORS)  # async files are for the async clients
async def test_snapshot_with_async_files(
    new_client: Any, restore_agent: ConsulAgent, unique: str, tmp_path: Path
) -> None:
    async with _one_connection(new_client, restore_agent) as client:
        path = tmp_path / "async.snap"
        async with await anyio.open_file(path, "wb") as file:
            await client.snapshot.save_to(file)
        await client.kv.set(f"{unique}/after", b"2")
        async with await anyio.open_file(path, "rb") as file:
            assert await client.snapshot.restore(file) is True
        with pytest.raises(NotFound):
            await client.kv.get(f"{unique}/after")


async def test_a_failed_save_leaves_no_file(new_client: Any, tmp_path: Path) -> None:
    path = tmp_path / "denied.snap"
    async with new_client(token=BOGUS_TOKEN) as client:
        with pytest.raises(PermissionDenied):
            await client.snapshot.save_to(path)
    assert not path.exists()


async def test_streams_over_httpx(
    new_client: Any, restore_agent: ConsulAgent, unique: str, tmp_path: Path
) -> None:
    async with _one_connection(new_client, restore_agent, transport="httpx") as client:
        async with client.agent.monitor_json("info") as records:
            async with new_client(
                address=restore_agent.address, token=restore_agent.master_token
            ) as other:
                await other.services.register({"ID": unique, "Name": unique})
                await other.services.deregister(unique)
            with anyio.fail_after(LINE_WITHIN):
                async for record in records:
                    if record.unknown_fields.get("service") == unique:
                        break
        path = tmp_path / "httpx.snap"
        await client.snapshot.save_to(path)
        # A file goes with its length; a stream whose size is unknown, in chunks.
        for source in (path, _Unsized(path.read_bytes())):
            await client.kv.set(f"{unique}/after", b"2")
            assert await client.snapshot.restore(source) is True
            with pytest.raises(NotFound):
                await client.kv.get(f"{unique}/after")


@contextlib.contextmanager
def _warnings_shown() -> Iterator[list[str]]:
    """The texts of the warnings shown in the block, each time, without keeping their sources
    alive as ``catch_warnings(record=True)`` does (which would delay their collection).
    """
    shown: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = lambda message, *args, **kwargs: shown.append(str(message))
        yield shown


# No HTTPX_ON_TRIO: trio's warnings about httpx's generators are what this test counts.
@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_closed_stream_leaves_nothing_to_warn_about(
    new_client: Any, consul_agent: ConsulAgent, unique: str, transport: str
) -> None:
    with _warnings_shown() as shown:
        async with _one_connection(new_client, consul_agent, transport=transport) as client:
            async with _agent_logging(new_client, consul_agent, unique):
                with anyio.fail_after(LINE_WITHIN):
                    async with client.agent.monitor("debug") as lines:
                        async for line in lines:
                            if unique in line:
                                break
            del lines
            for _ in range(3):  # whatever the stream left unfinished is collected here
                gc.collect()
                await anyio.sleep(0.05)
            assert await client.kv.set(unique, b"after") is True  # its connection given back
            await client.kv.delete(unique)
    # trio warned 5 times over httpx: one for each of httpx's and httpcore's async generators
    # the body was read through, which closing the outermost left unfinished.
    assert shown == []

"""Transport conformance: the native and httpx transports behave alike under asyncio, trio and
sync, against the real agent (through a counting relay where connections matter) and against
scripted loopback servers for the faults an agent will not produce on demand.

Tests marked "native" check features only the native pool has (retry on a connection the agent
closed after reading a request, its bounds and idle expiry).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import socket
import threading
import time
import warnings
import weakref
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest
import trio
import trustme

from consul_core import (
    ConnectError,
    RateLimited,
    Request,
    Response,
    ResponseError,
    ServerError,
    Timeout,
    TransportError,
    UnexpectedResponse,
    UsageError,
    _kept,
)
from consul_transports._config import load_config
from consul_transports._limits import Slots
from consul_transports._native import PoolLimits
from consul_transports._native._wire import encode_request
from consul_transports._select import async_transport, sync_transport
from consul_transports._stop import Stop
from consul_transports.testing import (
    AgentTLS,
    ConsulAgent,
    FaultProxy,
    Received,
    Reply,
    ScriptedServer,
)
from consul_transports.testing import http_response as response
from tests.conftest import make_client
from tests.forking import FORK_WITH_THREADS, forked

pytestmark = pytest.mark.integration

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture(params=["native", "httpx"])
def transport_name(request: pytest.FixtureRequest) -> str:
    """The transport under test."""
    return str(request.param)


class Sender:
    """A transport of the test's flavor, sending raw `Request`s with the async shape (a sync
    transport runs in a worker thread).
    """

    def __init__(
        self, flavor: str, name: str, address: str, limits: PoolLimits | None = None, **options: Any
    ) -> None:
        config = load_config(address, **options)
        self.sync = flavor == "sync"
        choose = sync_transport if self.sync else async_transport
        self.transport: Any = choose(config, name, limits)

    async def send(self, request: Request) -> Response:
        if self.sync:
            return await anyio.to_thread.run_sync(self.transport.send, request)
        response: Response = await self.transport.send(request)
        return response

    async def open_stream(self, request: Request, *, endless: bool = False) -> Any:
        """The transport's streamed body for `request`."""
        if self.sync:
            return await anyio.to_thread.run_sync(
                lambda: self.transport.open_stream(request, endless=endless)
            )
        return await self.transport.open_stream(request, endless=endless)

    async def receive(self, body: Any) -> bytes:
        """The next piece of a streamed body."""
        if self.sync:
            piece: bytes = await anyio.to_thread.run_sync(body.receive)
            return piece
        piece = await body.receive()
        return piece

    async def close(self, body: Any) -> None:
        """Close a streamed body."""
        if self.sync:
            await anyio.to_thread.run_sync(body.close)
        else:
            await body.aclose()

    async def read_to_end(self, body: Any) -> None:
        """Read a streamed body to its end, then close it."""
        while await self.receive(body):
            pass
        await self.close(body)

    async def __aenter__(self) -> Sender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.sync:
            self.transport.close()
        else:
            await self.transport.aclose()


def get(path: str, token: str | None = None, **options: Any) -> Request:
    return Request("GET", path, headers={"X-Consul-Token": token} if token else {}, **options)


@pytest.fixture
def relay(consul_agent: ConsulAgent) -> Iterator[FaultProxy]:
    """A relay to the session's agent that counts the connections clients open."""
    with FaultProxy(consul_agent.http_port, record=True) as counting:
        yield counting


@pytest.fixture
def relayed(
    flavor: str,
    anyio_backend: str,
    transport_name: str,
    relay: FaultProxy,
    consul_agent: ConsulAgent,
) -> Callable[[], Any]:
    """Make a client of the test's flavor and transport, with the master token, through the
    counting relay (``async with relayed() as client``).
    """
    del anyio_backend  # the test body's event loop, for the client made there
    return lambda: make_client(
        flavor, relay.address, token=consul_agent.master_token, transport=transport_name
    )


# --- the real agent -------------------------------------------------------------------------


async def test_keep_alive_reuses_one_connection(
    relayed: Callable[[], Any], relay: FaultProxy, unique: str
) -> None:
    async with relayed() as client:
        assert await client.kv.set(unique, b"v") is True
        for _ in range(3):
            entry, _ = await client.kv.get(unique)
            assert entry.value == b"v"
        assert await client.kv.delete(unique) is True
    assert relay.connections == 1


@FORK_WITH_THREADS
async def test_a_client_made_before_a_fork_opens_its_own_connection_in_the_child(
    relayed: Callable[[], Any], relay: FaultProxy, anyio_backend: str, unique: str
) -> None:
    async with relayed() as client:
        assert await client.kv.set(unique, b"parent") is True  # its connection is kept alive

        async def read_in_child() -> bool:
            entry, _ = await client.kv.get(unique)
            return bool(entry.value == b"parent")

        status = await forked(lambda: anyio.run(read_in_child, backend=anyio_backend))
        assert status == 0
        # The parent's connection is still its own, open: the child closed only its copy.
        entry, _ = await client.kv.get(unique)
        assert entry.value == b"parent"
        assert await client.kv.delete(unique) is True
    assert relay.connections == 2  # the parent's, and the child's own


@FORK_WITH_THREADS
async def test_a_client_closed_before_a_fork_stays_closed_in_the_child(
    flavor: str, anyio_backend: str, transport_name: str, consul_agent: ConsulAgent
) -> None:
    client = make_client(
        flavor, consul_agent.address, token=consul_agent.master_token, transport=transport_name
    )
    async with client:
        await client.status.leader()

    async def refused_in_child() -> bool:
        try:
            await client.status.leader()
        except UsageError:
            return True
        return False

    assert await forked(lambda: anyio.run(refused_in_child, backend=anyio_backend)) == 0


async def test_a_stream_read_past_its_end_takes_nothing_of_the_next_call_on_its_connection(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    # The stream's connection, given back once it is read to its end and closed, carries the
    # next call, whose reply comes slowly: the stream read again is still at its end, and
    # neither takes that reply's bytes nor waits for them.
    second = bytes(range(65, 91)) * 4

    def agent(request: Received) -> Reply:
        if request.number == 1:
            return Reply(response(200, b"first"))
        return Reply(response(200, second), drip=0.005)

    with ScriptedServer(agent) as server:
        limits = PoolLimits(max_connections=1, reserved=0)
        async with Sender(flavor, transport_name, server.address, limits) as sender:
            body = await sender.open_stream(get("/v1/agent/monitor"))
            assert await sender.receive(body) == b"first"
            assert await sender.receive(body) == b""
            await sender.close(body)
            replies: list[Response] = []

            async def call() -> None:
                replies.append(await sender.send(get("/v1/status/leader")))

            async with anyio.create_task_group() as group:
                group.start_soon(call)
                with anyio.fail_after(10):
                    while len(server.received) < 2:
                        await anyio.sleep(0.01)
                await anyio.sleep(0.4)  # the head, then part of the body, has come
                assert await sender.receive(body) == b""
            assert replies[0].body == second
    assert [r.connection for r in server.received] == [1, 1]


@FORK_WITH_THREADS
@pytest.mark.parametrize("endless", [False, True], ids=["stream", "endless-stream"])
async def test_a_stream_open_at_a_fork_gives_the_child_neither_its_connection_nor_its_slot(
    flavor: str, anyio_backend: str, transport_name: str, relay: FaultProxy, endless: bool
) -> None:
    # A budget of one connection, and a stream of the parent's that the child reads to its end.
    limits = PoolLimits(max_connections=1, reserved=0)
    async with Sender(flavor, transport_name, relay.address, limits) as sender:
        inherited = await sender.open_stream(get("/v1/status/leader"), endless=endless)

        async def in_child() -> bool:
            await sender.read_to_end(inherited)
            # The parent's connection is not the child's to reuse: this call opens its own.
            assert (await sender.send(get("/v1/status/leader"))).status == 200
            # The budget is still one: with it held by a stream, a call finds none free.
            held = await sender.open_stream(get("/v1/status/leader"), endless=endless)
            try:
                await sender.send(get("/v1/status/leader", timeout=0.5))
            except Timeout:
                return True
            finally:
                await sender.read_to_end(held)
            return False

        assert await forked(lambda: anyio.run(in_child, backend=anyio_backend)) == 0
        await sender.read_to_end(inherited)
    # The parent's stream and the child's call, a connection each; the child's stream goes out
    # on one more (native) or on its call's, kept alive (httpx). The parent's is never reused.
    assert relay.connections == (3 if transport_name == "native" else 2)


def test_threads_of_a_forked_child_wait_for_the_one_httpx_client_made_for_it(
    consul_agent: ConsulAgent, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sync only: only threads can ask for the client at once. The fork is the transport's own
    # hook, called as in a child; making the client takes long enough for the others to ask.
    transport = sync_transport(load_config(consul_agent.address), "httpx", None)
    parents = transport._client
    made = []
    make = transport._new_client

    def slow_new_client() -> Any:
        time.sleep(0.2)
        made.append(make())
        return made[-1]

    monkeypatch.setattr(transport, "_new_client", slow_new_client)
    transport.start_afresh()
    asking = threading.Barrier(4)
    clients: list[Any] = []

    def ask() -> None:
        asking.wait(timeout=10)
        clients.append(transport._client_of_this_call())

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    try:
        # One client made, and none of the threads got the parent's.
        assert len(made) == 1
        assert clients == [made[0]] * 4
    finally:
        transport.close()
        parents.close()


@pytest.mark.parametrize("opened", ["outside an event loop", "in an asyncio loop's thread"])
def test_a_stream_collected_where_the_native_sync_pool_s_lock_is_held_is_released_after(
    consul_agent: ConsulAgent, opened: str
) -> None:
    # Sync only: the blocking pool's lock. The collector runs at any allocation, in a thread
    # that may hold it; here the last reference goes while that thread holds it. A blocking
    # stream opened where an asyncio loop runs (a sync call in a coroutine) is blocking too.
    transport = sync_transport(load_config(consul_agent.address), "native", None)

    async def open_in_a_loop() -> Any:
        return transport.open_stream(get("/v1/agent/self"))

    if opened == "outside an event loop":
        body = transport.open_stream(get("/v1/agent/self"))
    else:
        body = asyncio.run(open_in_a_loop())  # the loop has ended when the stream is dropped
    collected = threading.Event()

    def drop_under_the_lock() -> None:
        nonlocal body
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # never closed, on purpose
            with transport._lock:
                del body
        collected.set()

    threading.Thread(target=drop_under_the_lock, daemon=True).start()
    if not collected.wait(30):  # the transport is left as it is: its lock stays held
        pytest.fail("the collected stream waited for the lock its own thread held")
    # Its slot came back: with the whole budget free, a call goes through.
    with contextlib.closing(transport):
        assert transport.send(get("/v1/status/leader")).status == 200


def test_a_trio_guest_run_inside_asyncio_makes_its_calls_as_trio(
    transport_name: str, consul_agent: ConsulAgent, unique: str
) -> None:
    # Trio in guest mode runs its tasks in an asyncio loop's callbacks (as in a Qt or asyncio
    # application): asyncio reports its loop as running, but the tasks are trio's.
    async def in_guest() -> list[bytes | None]:
        async with make_client(
            "trio", consul_agent.address, token=consul_agent.master_token, transport=transport_name
        ) as client:
            assert await client.kv.set(unique, b"guest") is True
            values: list[bytes | None] = []

            async def read() -> None:
                entry, _ = await client.kv.get(unique)
                values.append(entry.value)

            async with trio.open_nursery() as nursery:
                for _ in range(4):
                    nursery.start_soon(read)
            assert await client.kv.delete(unique) is True
            return values

    async def host() -> list[bytes | None]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Any] = loop.create_future()
        trio.lowlevel.start_guest_run(
            in_guest,
            run_sync_soon_threadsafe=loop.call_soon_threadsafe,
            done_callback=done.set_result,
        )
        values: list[bytes | None] = (await asyncio.wait_for(done, 60)).unwrap()
        return values

    assert asyncio.run(host()) == [b"guest"] * 4


# One event loop at a time: async only, since a sync client runs in threads, under no event loop.
ASYNC_ONLY = pytest.mark.parametrize("flavor", ["asyncio", "trio"])


@contextlib.contextmanager
def abandoned_collected(transport_name: str) -> Iterator[None]:
    """For httpx, whose connections cannot be closed outside their event loop: the client the
    transport leaves behind for a new loop is closed by the collector, with `ResourceWarning`s,
    collected here, inside the test.
    """
    if transport_name != "httpx":
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield
        gc.collect()


@ASYNC_ONLY
@pytest.mark.parametrize("first_loop", ["asyncio", "trio"])
async def test_a_client_moves_to_a_new_event_loop_once_the_last_has_ended(
    relayed: Callable[[], Any],
    relay: FaultProxy,
    transport_name: str,
    first_loop: str,
    unique: str,
) -> None:
    client = relayed()

    async def first_use() -> None:
        assert await client.kv.set(unique, b"v") is True  # its connection is kept alive

    with abandoned_collected(transport_name):
        # A loop of its own, ended before the client's next call (a second `asyncio.run`).
        await anyio.to_thread.run_sync(lambda: anyio.run(first_use, backend=first_loop))
        async with client:
            entry, _ = await client.kv.get(unique)
            assert entry.value == b"v"
            assert await client.kv.delete(unique) is True
    assert relay.connections == 2  # the ended loop's, then this loop's own


# Trio only: a trio run is known by its thread, where the next run may go on with its sockets.
@pytest.mark.parametrize("flavor", ["trio"])
async def test_the_next_trio_run_in_a_thread_goes_on_with_its_connections(
    relayed: Callable[[], Any], relay: FaultProxy, transport_name: str, unique: str
) -> None:
    client = relayed()

    async def use() -> None:
        assert await client.kv.set(unique, b"v") is True

    def two_runs() -> None:
        trio.run(use)
        trio.run(use)

    with abandoned_collected(transport_name):
        await anyio.to_thread.run_sync(two_runs)
        async with client:  # the test's own run, in another thread: the client starts afresh
            assert await client.kv.delete(unique) is True
    assert relay.connections == 2  # the first thread's two runs shared one


@ASYNC_ONLY
async def test_a_client_in_use_in_a_running_event_loop_refuses_another(
    relayed: Callable[[], Any], anyio_backend: str, transport_name: str, unique: str
) -> None:
    client = relayed()
    used, finish = threading.Event(), threading.Event()

    async def use_and_keep_running() -> None:
        assert await client.kv.set(unique, b"v") is True
        used.set()
        await anyio.to_thread.run_sync(finish.wait, 60)  # the loop runs on, the client idle

    other = threading.Thread(
        target=anyio.run, args=(use_and_keep_running,), kwargs={"backend": anyio_backend}
    )
    other.start()
    with abandoned_collected(transport_name):
        try:
            assert await anyio.to_thread.run_sync(used.wait, 60)
            with pytest.raises(UsageError, match="in use in another event loop, which may still"):
                await client.kv.get(unique)
        finally:
            finish.set()
            await anyio.to_thread.run_sync(other.join, 60)
        async with client:  # that loop has ended: the client moves here
            entry, _ = await client.kv.get(unique)
            assert entry.value == b"v"
            assert await client.kv.delete(unique) is True


@ASYNC_ONLY
async def test_a_stopped_asyncio_loop_keeps_a_client_while_its_calls_are_in_progress(
    flavor: str, anyio_backend: str, transport_name: str, consul_agent: ConsulAgent, unique: str
) -> None:
    del anyio_backend  # the test body's event loop, the one the client moves to
    loop = asyncio.new_event_loop()
    sending = asyncio.Event()  # of `loop`: bound to the loop that first waits on it

    async def on_request(request: Request) -> None:
        if request.blocking:
            sending.set()

    client = make_client(
        flavor,
        consul_agent.address,
        token=consul_agent.master_token,
        transport=transport_name,
        event_hooks={"request": [on_request]},
    )

    async def start_a_blocking_query() -> asyncio.Task[Any]:
        assert await client.kv.set(unique, b"v") is True
        _, meta = await client.kv.get(unique)
        query = asyncio.ensure_future(client.kv.get(unique, watch=(meta, "30s")))
        # The query takes its connection before it first waits, so by the time this wait
        # ends: the request hook runs just before the transport takes one.
        await sending.wait()
        return query

    # The loop stops (it is not closed) with its blocking query holding a connection.
    query = await anyio.to_thread.run_sync(loop.run_until_complete, start_a_blocking_query())
    with abandoned_collected(transport_name):
        try:
            with pytest.raises(UsageError, match="in use in another event loop"):
                await client.kv.get(unique)
        finally:
            query.cancel()
            ended = asyncio.gather(query, return_exceptions=True)
            await anyio.to_thread.run_sync(loop.run_until_complete, ended)
        try:
            async with client:  # nothing of that loop in progress: the client moves here
                entry, _ = await client.kv.get(unique)
                assert entry.value == b"v"
                assert await client.kv.delete(unique) is True
        finally:
            await anyio.to_thread.run_sync(loop.close)


async def test_error_bodies_are_read_and_the_connection_reused(
    flavor: str,
    anyio_backend: str,
    transport_name: str,
    relay: FaultProxy,
    consul_agent: ConsulAgent,
    unique: str,
) -> None:
    token = consul_agent.master_token
    async with Sender(flavor, transport_name, relay.address) as sender:
        missing = await sender.send(get(f"/v1/kv/{unique}", token))
        assert (missing.status, missing.body) == (404, b"")
        assert int(missing.headers["X-Consul-Index"]) > 0
        bad = await sender.send(get(f"/v1/kv/{unique}", token, params=(("index", "abc"),)))
        assert (bad.status, bad.body) == (400, b"Invalid index")
        denied = await sender.send(get(f"/v1/kv/{unique}", BOGUS_TOKEN))
        assert (denied.status, denied.body) == (403, b"ACL not found")
        failed = await sender.send(get(f"/v1/kv/{unique}", token, params=(("dc", "nowhere"),)))
        assert (failed.status, failed.body) == (500, b"No path to datacenter")
        ok = await sender.send(get("/v1/status/leader", token))
        assert ok.status == 200 and ok.body.startswith(b'"127.0.0.1:')
    assert relay.connections == 1


async def test_chunked_large_tree_is_read_whole(
    relayed: Callable[[], Any], relay: FaultProxy, unique: str
) -> None:
    values = {f"{unique}/{i:04d}": bytes([i % 256]) * 1024 for i in range(256)}
    async with relayed() as client:
        for key, value in values.items():
            await client.kv.set(key, value)
        try:
            tree, _ = await client.kv.get_tree(f"{unique}/")
        finally:
            await client.kv.delete_tree(f"{unique}/")
    assert {entry.key: entry.value for entry in tree} == values
    assert b"Transfer-Encoding: chunked" in relay.from_agent
    assert relay.connections == 1


async def test_concurrent_callers_share_the_pool(
    flavor: str,
    anyio_backend: str,
    transport_name: str,
    relay: FaultProxy,
    consul_agent: ConsulAgent,
) -> None:
    request = get("/v1/status/leader", consul_agent.master_token)
    statuses: list[int] = []
    async with Sender(flavor, transport_name, relay.address) as sender:

        async def caller() -> None:  # in a worker thread each, under sync
            for _ in range(20):
                statuses.append((await sender.send(request)).status)

        async with anyio.create_task_group() as group:
            for _ in range(8):
                group.start_soon(caller)
    assert statuses == [200] * 160
    assert 1 <= relay.connections <= 8


async def test_a_repeated_read_goes_out_as_the_bytes_written_for_it_the_first_time(
    flavor: str, anyio_backend: str, relay: FaultProxy, consul_agent: ConsulAgent, unique: str
) -> None:
    token = consul_agent.master_token
    read = get(f"/v1/kv/{unique}", token)

    def write(value: bytes) -> Request:
        return Request("PUT", f"/v1/kv/{unique}", headers={"X-Consul-Token": token}, body=value)

    async with Sender(flavor, "native", relay.address) as sender:
        kept = sender.transport._prepared
        assert (await sender.send(write(b"one"))).body == b"true\n"
        assert json.loads((await sender.send(read)).body)[0]["Value"] == "b25l"  # one
        assert list(kept) == [id(read)]  # the read, not the write
        request, payload, timeout, held = kept[id(read)]
        host = sender.transport._endpoint.host_header
        assert (request, payload, held) == (read, encode_request(read, host), False)
        assert timeout == sender.transport._config.timeout
        await sender.send(write(b"two"))
        assert json.loads((await sender.send(read)).body)[0]["Value"] == "dHdv"  # two
        other = get(f"/v1/kv/{unique}/other", token)
        kept[id(other)] = kept[id(read)]  # as in a pickled pool: an entry under another's id
        assert (await sender.send(other)).status == 404  # its own bytes went out, not the read's
        for number in range(_kept.LIMIT + 3):
            assert (await sender.send(get(f"/v1/kv/{unique}/{number}", token))).status == 404
        assert 0 < len(kept) <= _kept.LIMIT
    assert relay.connections == 1


async def test_agent_restart_between_calls(
    flavor: str,
    anyio_backend: str,
    transport_name: str,
    restartable_agent: ConsulAgent,
    unique: str,
) -> None:
    async with make_client(flavor, restartable_agent.address, transport=transport_name) as client:
        assert await client.kv.set(unique, b"before") is True
        await anyio.to_thread.run_sync(restartable_agent.restart)
        # The pooled connection was closed by the old agent: a PUT and a GET both go through.
        assert await client.kv.set(unique, b"after") is True
        entry, _ = await client.kv.get(unique)
        assert entry.value == b"after"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A CA, the agent's certificate (127.0.0.1 and localhost) and a client certificate."""
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    client = ca.issue_cert("client.dc1.consul")
    files = {name: str(folder / f"{name}.pem") for name in ("ca", "cert", "key", "ccert", "ckey")}
    ca.cert_pem.write_to_path(files["ca"])
    server.cert_chain_pems[0].write_to_path(files["cert"])
    server.private_key_pem.write_to_path(files["key"])
    client.cert_chain_pems[0].write_to_path(files["ccert"])
    client.private_key_pem.write_to_path(files["ckey"])
    return files


@pytest.fixture(scope="module")
def tls_agent(tls_files: dict[str, str]) -> Iterator[ConsulAgent]:
    """A private agent serving HTTPS that requires client certificates."""
    with ConsulAgent(tls=AgentTLS(tls_files["ca"], tls_files["cert"], tls_files["key"])) as agent:
        yield agent


async def test_tls_with_a_client_certificate(
    flavor: str,
    anyio_backend: str,
    transport_name: str,
    tls_agent: ConsulAgent,
    tls_files: dict[str, str],
    unique: str,
) -> None:
    cert = (tls_files["ccert"], tls_files["ckey"])
    address = tls_agent.https_address
    options: dict[str, Any] = {"transport": transport_name}
    async with make_client(flavor, address, verify=tls_files["ca"], cert=cert, **options) as c:
        assert await c.kv.set(unique, b"secure") is True
        entry, _ = await c.kv.get(unique)
        assert entry.value == b"secure"
    # The certificate names localhost too; verification off needs no CA.
    for extra in ({"verify": tls_files["ca"], "server_name": "localhost"}, {"verify": False}):
        async with make_client(flavor, address, cert=cert, **extra, **options) as c:
            assert (await c.kv.get(unique))[0].value == b"secure"
    async with make_client(
        flavor, address, verify=tls_files["ca"], cert=cert, server_name="elsewhere", **options
    ) as c:
        with pytest.raises(ConnectError, match="see server_name= or CONSUL_TLS_SERVER_NAME"):
            await c.kv.get(unique)
    # https to the agent's plain HTTP port: OpenSSL reads its HTTP reply as a wrong version.
    plain = f"https://127.0.0.1:{tls_agent.http_port}"
    async with make_client(flavor, plain, verify=tls_files["ca"], cert=cert, **options) as c:
        with pytest.raises(ConnectError, match="the agent answered in plain HTTP"):
            await c.kv.get(unique)
    async with make_client(flavor, address, verify=tls_files["ca"], **options) as c:
        with pytest.raises(TransportError, match="the agent refused the client certificate"):
            await c.kv.get(unique)
    async with make_client(flavor, address, cert=cert, **options) as c:
        with pytest.raises(ConnectError):  # a CA the system does not trust
            await c.kv.get(unique)


async def test_tls_with_a_ca_folder_as_go_reads_it(
    flavor: str,
    anyio_backend: str,
    transport_name: str,
    tls_agent: ConsulAgent,
    tls_files: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CONSUL_CAPATH: every file of the folder, as Go loads it (OpenSSL's own lookup found only
    # files named by their subject's hash, so a folder holding ca.pem verified nothing).
    folder = tmp_path / "cas"
    (folder / "more").mkdir(parents=True)
    (folder / "more" / "consul-agent-ca.crt").write_text(Path(tls_files["ca"]).read_text())
    monkeypatch.setenv("CONSUL_CAPATH", str(folder))
    cert = (tls_files["ccert"], tls_files["ckey"])
    address = tls_agent.https_address
    async with make_client(flavor, address, cert=cert, transport=transport_name) as client:
        assert await client.status.leader()


@pytest.mark.parametrize(
    ("variable", "problem"),
    [
        ("CONSUL_CACERT", "missing"),
        ("CONSUL_CACERT", "not a certificate"),
        ("CONSUL_CAPATH", "missing"),
        ("CONSUL_CAPATH", "not a certificate"),
        ("CONSUL_CLIENT_CERT", "missing"),
        ("CONSUL_CLIENT_CERT", "not a certificate"),
    ],
)
def test_tls_files_that_cannot_be_loaded_are_usage_errors_naming_them(
    transport_name: str, tmp_path: Path, variable: str, problem: str
) -> None:
    # Raised by the transport's constructor: a FileNotFoundError or an ssl.SSLError before.
    target = tmp_path / "file.pem"
    if problem == "not a certificate":
        target.write_text("not a certificate")
    if variable == "CONSUL_CAPATH":  # a folder: one that is not there, or one holding that file
        target = tmp_path / "no-such-folder" if problem == "missing" else tmp_path
    env = {variable: str(target)}
    with pytest.raises(UsageError) as refused:
        sync_transport(load_config("https://127.0.0.1:8501", env=env), transport_name)
    assert str(target) in str(refused.value)


@pytest.fixture(scope="module")
def unix_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsulAgent]:
    """A private agent serving the HTTP API on a unix socket."""
    socket_path = tmp_path_factory.mktemp("uds") / "agent.sock"
    with ConsulAgent(unix_socket=socket_path) as agent:
        yield agent


async def test_unix_socket(
    flavor: str, anyio_backend: str, transport_name: str, unix_agent: ConsulAgent, unique: str
) -> None:
    assert unix_agent.address.startswith("unix:///")
    async with make_client(flavor, unix_agent.address, transport=transport_name) as client:
        assert await client.kv.set(unique, b"local") is True
        entry, _ = await client.kv.get(unique)
        assert entry.value == b"local"


async def test_errors_never_show_the_token(
    flavor: str, anyio_backend: str, transport_name: str, consul_agent: ConsulAgent
) -> None:
    for token in ("secret\r\nX-Injected: yes", "secrét-token"):
        # The client refuses such a token before any request; a transport, sent one all the
        # same, refuses to put it on the wire.
        with pytest.raises(UsageError) as refused:
            make_client(flavor, consul_agent.address, token=token, transport=transport_name)
        async with Sender(flavor, transport_name, consul_agent.address) as sender:
            with pytest.raises(TransportError) as caught:
                await sender.send(get("/v1/status/leader", token=token))
        assert "secr" not in str(refused.value) and "secr" not in str(caught.value)


# --- scripted faults ------------------------------------------------------------------------


def always(data: bytes, then: str = "keep") -> Any:
    def handler(request: Received) -> Reply:
        del request
        return Reply(data, then)

    return handler


def _own_sockets() -> set[str]:
    """The inodes of the sockets this process has open."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # closed since it was listed
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith("socket:["):
                inodes.add(target.removeprefix("socket:[").removesuffix("]"))
    return inodes


def _keepalive_timers(port: int) -> dict[str, float]:
    """The seconds until the next keep-alive probe of each open TCP connection of this process
    to local `port`, by socket inode, as Linux's /proc/net/tcp shows them (0 where no keep-alive
    timer runs). The table is the whole machine's, and connections of this process to an earlier
    listener that had the same port may still be open: a test compares with a count before.
    """
    own = _own_sockets()
    timers: dict[str, float] = {}
    for row in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = row.split()
        if int(fields[2].split(":")[1], 16) != port or fields[3] != "01":  # ESTABLISHED
            continue
        if fields[9] not in own:
            continue
        timer, ticks = fields[5].split(":")
        timers[fields[9]] = int(ticks, 16) / 100 if timer == "02" else 0.0  # 02: keep-alive
    return timers


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
async def test_connections_probe_a_silent_agent_after_15_s(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    with ScriptedServer(always(response(200, b'"a"'))) as server:
        earlier = _keepalive_timers(server.port)
        async with Sender(flavor, transport_name, server.address) as sender:
            assert (await sender.send(get("/v1/status/leader"))).body == b'"a"'
            timers = [
                t for inode, t in _keepalive_timers(server.port).items() if inode not in earlier
            ]
    # One kept-alive connection, whose kernel will probe the agent after 15 s of silence (the
    # kernel's own default is two hours).
    assert len(timers) == 1
    assert 0 < timers[0] <= 15


async def test_connection_close_is_honoured(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    closing = response(200, b'"a"', (("Connection", "close"),))
    with ScriptedServer(always(closing, then="close")) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            for _ in range(2):
                reply = await sender.send(get("/v1/status/leader"))
                assert (reply.status, reply.body) == (200, b'"a"')
    assert server.connections == 2


async def test_body_delimited_by_close(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    until_close = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"x" * 100_000
    with ScriptedServer(always(until_close, then="close")) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            reply = await sender.send(get("/v1/status/leader"))
    assert reply.body == b"x" * 100_000


async def test_chunked_with_many_small_chunks_and_a_trailer(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (b"[", b'"a"', b",", b'"b"', b"]"))
    data = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Consul-Index: 7\r\n\r\n"
        + chunks
        + b"0\r\nX-Trailer: t\r\n\r\n"
    )
    with ScriptedServer(always(data)) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            for _ in range(2):
                reply = await sender.send(get("/v1/kv/x"))
                assert reply.body == b'["a","b"]'
                assert reply.headers["x-consul-index"] == "7"
    assert server.connections == 1


async def test_large_body_in_pieces(flavor: str, anyio_backend: str, transport_name: str) -> None:
    body = bytes(range(256)) * 8192  # 2 MiB
    with ScriptedServer(always(response(200, body))) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            assert (await sender.send(get("/v1/kv/x"))).body == body
            assert (await sender.send(get("/v1/kv/x"))).body == body
    assert server.connections == 1


async def test_request_bytes(flavor: str, anyio_backend: str, transport_name: str) -> None:
    with ScriptedServer(always(response(200, b"true"))) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            put = Request(
                "PUT",
                "/v1/kv/a%20b",
                (("flags", "3"), ("cas", "")),
                {"X-Consul-Token": "t"},
                b"value",
            )
            assert (await sender.send(put)).body == b"true"
            await sender.send(Request("PUT", "/v1/session/renew/x"))
    first, second = server.received
    assert (first.method, first.target, first.body) == ("PUT", "/v1/kv/a%20b?flags=3&cas", b"value")
    assert first.headers["x-consul-token"] == "t"
    assert first.headers["host"] == f"127.0.0.1:{server.port}"
    assert first.headers["content-length"] == "5"
    assert first.headers["user-agent"] == "consul-sansio/0.1"
    assert first.headers["accept-encoding"] == "identity"
    assert second.headers["content-length"] == "0"


async def test_read_timeout_closes_the_connection(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    def handler(request: Received) -> Reply:
        if request.target == "/slow":
            return Reply(then="stall")
        return Reply(response(200, b"ok"))

    with ScriptedServer(handler) as server:
        async with Sender(flavor, transport_name, server.address, timeout=0.3) as sender:
            # A request's own timeout (a blocking query's) beats the client's: the answered
            # requests get a generous one, so that a loaded machine cannot time them out.
            patient = get("/fast", timeout=10.0)
            assert (await sender.send(patient)).body == b"ok"
            started = anyio.current_time()
            with pytest.raises(Timeout):
                await sender.send(get("/slow"))
            assert 0.25 < anyio.current_time() - started < 5
            assert (await sender.send(patient)).body == b"ok"
        assert server.closed_by_client.wait(5)
    assert server.connections == 2


async def test_a_call_may_wait_longer_than_the_last_one_on_its_connection_could(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    # The sync transport leaves the kernel to bound a read (the socket's receive timeout, kept
    # from the call before): that bound runs out first here, and the wait goes on.
    def handler(request: Received) -> Reply:
        if request.target == "/late":
            return Reply(response(200, b"late"), delay=1.5)
        return Reply(response(200, b"ok"))

    with ScriptedServer(handler) as server:
        async with Sender(flavor, transport_name, server.address, timeout=1.0) as sender:
            assert (await sender.send(get("/fast"))).body == b"ok"
            assert (await sender.send(get("/late", timeout=20.0))).body == b"late"
            assert (await sender.send(get("/fast"))).body == b"ok"
    assert server.connections == 1


async def test_interrupted_response_closes_the_connection(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    half = response(200, b"x" * 1000)[:-500]

    def handler(request: Received) -> Reply:
        if request.target == "/half":
            return Reply(half, then="stall")
        return Reply(response(200, b"ok"))

    with ScriptedServer(handler) as server:
        async with Sender(flavor, transport_name, server.address, timeout=0.5) as sender:
            # Only the interrupted request has the client's short timeout.
            whole = get("/whole", timeout=10.0)
            assert (await sender.send(whole)).body == b"ok"
            if sender.sync:  # a blocking call cannot be cancelled: it times out instead
                with pytest.raises(Timeout):
                    await sender.send(get("/half"))
            else:
                with anyio.move_on_after(0.2) as scope:
                    await sender.send(get("/half"))
                assert scope.cancelled_caught
            assert server.closed_by_client.wait(5)
            assert (await sender.send(whole)).body == b"ok"
    assert server.connections == 2


async def test_host_names_are_looked_up(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    # "localhost" may name ::1 first, where nothing listens: the next address is tried.
    with ScriptedServer(always(response(200, b"ok"))) as server:
        address = f"http://localhost:{server.port}"
        async with Sender(flavor, transport_name, address) as sender:
            assert (await sender.send(get("/v1/status/leader"))).body == b"ok"


async def test_connect_errors(flavor: str, anyio_backend: str, transport_name: str) -> None:
    with ScriptedServer(always(b"")) as server:
        address = server.address
    async with Sender(flavor, transport_name, address) as sender:  # nothing listens there now
        with pytest.raises(ConnectError) as refused:
            await sender.send(get("/v1/status/leader"))
    # Where, what and why, on both transports.
    assert str(refused.value).startswith(
        f"cannot connect to the agent at {address} to send GET /v1/status/leader: "
    )
    assert not str(refused.value).endswith(": ")


async def test_garbage_is_a_transport_error(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    with ScriptedServer(always(b"SPDY/9 what\r\n\r\n", then="close")) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            with pytest.raises(TransportError):
                await sender.send(get("/v1/status/leader"))


# --- the native pool ------------------------------------------------------------------------


def closes_second_request(request: Received) -> Reply:
    """Answer each connection's first request; close on the second after reading it, as an
    agent that closed an idle connection just as the request arrived.
    """
    if request.number == 2:
        return Reply(then="close")
    return Reply(response(200, b"ok"))


async def test_an_unanswered_read_is_sent_again_once(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    with ScriptedServer(closes_second_request) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            assert (await sender.send(get("/v1/kv/a"))).body == b"ok"
            assert (await sender.send(get("/v1/kv/a"))).body == b"ok"
            assert server.connections == 2
            with pytest.raises(TransportError):
                await sender.send(Request("PUT", "/v1/kv/a", body=b"1"))
            assert server.connections == 2  # a PUT the agent may have seen is not sent again
            assert (await sender.send(get("/v1/kv/a"))).body == b"ok"
    assert [r.method for r in server.received] == ["GET", "GET", "GET", "PUT", "GET"]


async def test_a_write_never_goes_out_on_a_connection_the_agent_closed_while_idle(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    # The agent answers and then closes the connection (as on shutdown, or at its idle
    # timeout) without saying so in the reply. A write finds the closed connection unusable
    # before it sends; a read at once after another call does not look (a system call per
    # call) and is sent again on a new connection instead.
    with ScriptedServer(always(response(200, b"ok"), then="close")) as server:
        async with Sender(flavor, transport_name, server.address) as sender:
            for request in (
                get("/v1/kv/a"),
                Request("PUT", "/v1/kv/a", body=b"1"),
                get("/v1/kv/a"),
                Request("DELETE", "/v1/kv/a"),
                Request("POST", "/v1/event/fire/e", body=b""),
            ):
                assert (await sender.send(request)).body == b"ok"
                with anyio.fail_after(10):  # the server's end of the connection is closed
                    while server.open_now:
                        await anyio.sleep(0.01)
    assert [r.method for r in server.received] == ["GET", "PUT", "GET", "DELETE", "POST"]
    assert server.connections == 5


def faulty(request: Received) -> Reply:
    """Replies an agent will not give on demand, by path; `/v1/status/leader` answers."""
    replies = {
        "/v1/kv/rate": Reply(response(429, b"rate limit exceeded", (("Retry-After", "3"),))),
        "/v1/kv/fail": Reply(response(503, b"No cluster leader")),
        "/v1/kv/text": Reply(response(200, b"<html>proxy error</html>")),
        "/v1/kv/shape": Reply(response(200, b'[{"Key": 5}]')),
        "/v1/kv/torn": Reply(response(200, b"[" + b" " * 998 + b"]")[:-500], then="close"),
        "/v1/kv/garbage": Reply(b"HTTP/1.1 2OO OK\r\n\r\n", then="close"),
        "/v1/kv/endless": Reply(b"HTTP/1.1 200 OK\r\nX-Consul-Index: 1\r\n", then="stall"),
        "/v1/kv/drip": Reply(response(200, b'[{"Key": "drip"}]'), drip=0.25),
    }
    return replies.get(request.target, Reply(response(200, b'"127.0.0.1:8300"')))


@pytest.mark.parametrize(
    ("key", "error"),
    [
        ("rate", RateLimited),
        ("fail", ServerError),
        ("text", UnexpectedResponse),
        ("shape", UnexpectedResponse),
        ("torn", TransportError),
        ("garbage", TransportError),
        ("endless", Timeout),
        ("drip", Timeout),
    ],
)
async def test_each_fault_is_a_typed_error_and_the_client_goes_on(
    flavor: str, anyio_backend: str, transport_name: str, key: str, error: type[Exception]
) -> None:
    # A timeout the faults must run into; the other calls get a generous one (a loaded machine).
    timeout = 2.0 if error is Timeout else 10.0
    with ScriptedServer(faulty) as server:
        async with make_client(
            flavor, server.address, transport=transport_name, timeout=timeout
        ) as client:
            assert await client.status.leader() == "127.0.0.1:8300"
            started = anyio.current_time()
            with pytest.raises(error) as caught:
                await client.kv.get(key)
            took = anyio.current_time() - started
            assert type(caught.value).__module__ == "consul_core.errors"
            if error is RateLimited:  # the wait it asks for, which the helpers' backoff honours
                assert caught.value.retry_after == 3.0
            # The timeout bounds the whole call: the drip would take 15 s.
            assert took < 6.0
            if error is Timeout:
                assert took > 1.9
            assert await client.status.leader() == "127.0.0.1:8300"


async def test_native_returns_an_answer_to_a_request_not_read_whole(
    flavor: str, anyio_backend: str, consul_agent: ConsulAgent, unique: str
) -> None:
    # The agent answers 413 and closes as soon as it sees the length, so sending fails midway.
    # (httpx returns the answer under sync only: over anyio streams the failed write ends it.)
    token = consul_agent.master_token
    async with make_client(flavor, consul_agent.address, token=token, transport="native") as c:
        assert await c.kv.set(unique, b"small") is True  # a pooled connection
        with pytest.raises(ResponseError) as caught:
            await c.kv.set(unique, b"x" * 8_000_000)
        assert caught.value.status == 413
        assert (await c.kv.get(unique))[0].value == b"small"
        await c.kv.delete(unique)


async def test_pool_bound_makes_requests_wait(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    with ScriptedServer(lambda _: Reply(response(200, b"ok"), delay=0.1)) as server:
        limits = PoolLimits(max_connections=2)
        async with Sender(flavor, transport_name, server.address, limits=limits) as sender:
            bodies: list[bytes] = []

            async def one() -> None:
                bodies.append((await sender.send(get("/v1/kv/a"))).body)

            async with anyio.create_task_group() as group:
                for _ in range(6):
                    group.start_soon(one)
    assert bodies == [b"ok"] * 6
    assert server.connections == server.most_open == 2


async def test_pool_wait_times_out(flavor: str, anyio_backend: str, transport_name: str) -> None:
    with ScriptedServer(lambda _: Reply(response(200, b"ok"), delay=1.0)) as server:
        limits = PoolLimits(max_connections=1)
        async with Sender(
            flavor, transport_name, server.address, limits=limits, timeout=0.3
        ) as sender:
            outcomes: list[str] = []

            async def one(path: str, timeout: float | None) -> None:
                try:
                    await sender.send(get(path, timeout=timeout))
                    outcomes.append("ok")
                except Timeout as exc:
                    outcomes.append(str(exc))

            async with anyio.create_task_group() as group:
                group.start_soon(one, "/first", 5.0)
                with anyio.fail_after(5):  # the first holds the only connection
                    while not server.received:
                        await anyio.sleep(0.01)
                group.start_soon(one, "/second", None)
    assert sorted(outcomes) == [
        "no connection of the pool became free within 0.3s for GET /second",
        "ok",
    ]


def _in_line(slots: Any) -> int:
    """How many calls wait for one of `slots` (`Slots` or `AsyncSlots`)."""
    if isinstance(slots, Slots):
        return len(slots.line)
    return int(slots._semaphore.statistics().tasks_waiting)


def _slots(transport: Any, blocking: bool) -> Any:
    """The counts `transport` takes a blocking query's share (`blocking`) or a connection from."""
    if blocking:
        return transport._gate._shares
    return transport._slots if hasattr(transport, "_slots") else transport._connections


async def _until_in_line(sender: Sender, blocking: bool = False) -> None:
    """Wait until a call waits for a connection (or, `blocking`, for a blocking query's share)."""
    with anyio.fail_after(10):
        while not _in_line(_slots(sender.transport, blocking)):
            await anyio.sleep(0.01)


def _held_until(release: threading.Event, target: str) -> Callable[[Received], Reply]:
    """A handler that answers a request for `target` once `release` is set, others at once."""

    def reply(received: Received) -> Reply:
        if received.target.startswith(target):
            release.wait(20)
        return Reply(response(200, b"ok"))

    return reply


async def test_a_connection_given_back_goes_to_the_call_that_waited_longest(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    # A call that gives its connection back and makes another at once must not take it from a
    # call that was waiting for it: on a busy client, waiters would time out while calls go on.
    release = threading.Event()
    with ScriptedServer(_held_until(release, "/first")) as server:
        limits = PoolLimits(max_connections=1)
        async with Sender(flavor, transport_name, server.address, limits=limits) as sender:

            async def first_then_again() -> None:
                if sender.sync:  # in one thread, as a thread's calls one after another
                    send = sender.transport.send
                    await anyio.to_thread.run_sync(
                        lambda: (send(get("/first")), send(get("/again")))
                    )
                else:
                    await sender.send(get("/first"))
                    await sender.send(get("/again"))

            async with anyio.create_task_group() as group:
                group.start_soon(first_then_again)
                with anyio.fail_after(10):
                    while not server.received:
                        await anyio.sleep(0.01)
                group.start_soon(sender.send, get("/waiter"))
                await _until_in_line(sender)
                release.set()
    assert [received.target for received in server.received] == ["/first", "/waiter", "/again"]


@pytest.mark.parametrize("waiting_for", ["a connection", "a share"])
async def test_closing_a_client_ends_the_waits_for_its_connections_and_shares(
    flavor: str, anyio_backend: str, transport_name: str, waiting_for: str
) -> None:
    # A call waiting for a connection (or a blocking query for a share) when its client is
    # closed fails at once, rather than when one comes free (a blocking query's: minutes).
    release = threading.Event()
    blocking = waiting_for == "a share"
    with ScriptedServer(_held_until(release, "/held")) as server:
        # One connection; or one share for blocking queries, and one connection for others.
        limits = PoolLimits(max_connections=2, reserved=1) if blocking else PoolLimits(1)
        params = (("index", "5"),) if blocking else ()
        sender = Sender(flavor, transport_name, server.address, limits=limits)
        outcomes: list[str] = []

        async def held() -> None:
            with contextlib.suppress(Exception):  # closed under it: its end is not the point
                await sender.send(get("/held", params=params))

        async def waiter() -> None:
            try:
                await sender.send(get("/waiter", params=params))
                outcomes.append("answered")
            except UsageError as exc:
                outcomes.append(str(exc))

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(held)
                with anyio.fail_after(10):
                    while not server.received:
                        await anyio.sleep(0.01)
                group.start_soon(waiter)
                await _until_in_line(sender, blocking)
                if sender.sync:
                    sender.transport.close()
                else:
                    await sender.transport.aclose()
                with anyio.fail_after(10):  # the held call still holds its connection
                    while not outcomes:
                        await anyio.sleep(0.01)
                release.set()
        finally:
            release.set()
    assert outcomes == ["the client is closed: make a new one"]
    assert [received.target for received in server.received] == [
        "/held?index=5" if blocking else "/held"
    ]


async def _give_up(
    sender: Sender, request: Request, arrived: Callable[[], Awaitable[object]]
) -> float:
    """Send `request` and give it up once `arrived` returns (the peer has it): a cancel, or a
    sync watch's stop. The time it was given up (`time.monotonic`).
    """
    with anyio.fail_after(10):
        if sender.sync:
            stop = Stop()

            def send() -> None:
                with stop:  # its exit takes the Interrupted
                    sender.transport.send(request)

            thread = threading.Thread(target=send)
            thread.start()
            await arrived()
            given_up = time.monotonic()
            stop.cancel()
            await anyio.to_thread.run_sync(thread.join)
        else:
            async with anyio.create_task_group() as group:
                group.start_soon(sender.send, request)
                await arrived()
                given_up = time.monotonic()
                group.cancel_scope.cancel()
    return given_up


async def _received(server: ScriptedServer) -> None:
    """Wait until `server` has read a request."""
    while not server.received:
        await anyio.sleep(0.01)


@pytest.mark.parametrize("waiter", ["read", "blocking read"])
async def test_a_slot_kept_for_a_given_up_blocking_query_goes_to_a_waiter_at_its_deadline(
    flavor: str, anyio_backend: str, transport_name: str, waiter: str
) -> None:
    # A blocking query given up keeps its slot (and share) until its deadline (`_limits`'
    # rules); a call waiting for them takes them then, though no other call comes to give
    # them back, rather than wait out its own timeout.
    def reply(received: Received) -> Reply:
        if "index=5" in received.target:
            return Reply(then="stall")  # held by the agent until its wait ends
        return Reply(response(200, b"ok"))

    with ScriptedServer(reply) as server:
        limits = PoolLimits(max_connections=1, reserved=0)  # one slot, one share
        async with Sender(flavor, transport_name, server.address, limits=limits) as sender:
            held = get("/v1/kv/held", params=(("index", "5"),), timeout=1.5)
            await _give_up(sender, held, partial(_received, server))
            kept = sender.transport._lingering
            assert len(kept.entries) == 1
            index = "6" if waiter == "blocking read" else None
            request = get("/v1/kv/next", params=(("index", index),) if index else (), timeout=30)
            assert request.blocking is (index is not None)
            with anyio.fail_after(20):
                assert (await sender.send(request)).body == b"ok"
            assert kept.entries == []


async def test_native_idle_connections_expire(flavor: str, anyio_backend: str) -> None:
    with ScriptedServer(always(response(200, b"ok"))) as server:
        # Long enough for two requests in a row on a loaded machine.
        limits = PoolLimits(idle_timeout=1.0)
        async with Sender(flavor, "native", server.address, limits=limits) as sender:
            await sender.send(get("/a"))
            await sender.send(get("/a"))
            assert server.connections == 1
            await anyio.sleep(1.5)
            await sender.send(get("/a"))
            assert server.connections == 2
        assert server.closed_by_client.wait(5)


@contextlib.contextmanager
def _silent_tls_peer(backlog: int = 8) -> Iterator[socket.socket]:
    """A loopback listener that never accepts: the kernel completes a client's connection, and
    its TLS hello is never answered.
    """
    listener = socket.create_server(("127.0.0.1", 0), backlog=backlog)
    try:
        yield listener
    finally:
        listener.close()


async def test_native_a_read_stopped_during_its_tls_handshake_ends_at_once(
    flavor: str, anyio_backend: str
) -> None:
    # A watch's (or a stream's) step stopped while its new connection waits for the agent's
    # TLS hello ends at once, not when the connect timeout (10 s) runs out.
    with _silent_tls_peer() as listener:
        address = f"https://127.0.0.1:{listener.getsockname()[1]}"
        async with Sender(flavor, "native", address, verify=False) as sender:
            request = get("/v1/kv/k", params=(("index", "5"),))
            listener.settimeout(10)
            accepted: list[socket.socket] = []

            async def hello_sent() -> None:  # the client's connection made: its hello is out
                accepted.append((await anyio.to_thread.run_sync(listener.accept))[0])

            stopped = await _give_up(sender, request, hello_sent)
            accepted[0].close()
    assert time.monotonic() - stopped < 3.0


async def test_native_connecting_and_the_tls_handshake_share_one_timeout(
    flavor: str, anyio_backend: str
) -> None:
    # The connection comes late (the listener's queue is full: the client's first SYNs are
    # dropped, the one sent after ~3 s gets through once a place is made at 2.5 s), then its TLS
    # hello is never answered: the call still ends at its timeout, not a connect timeout later.
    with _silent_tls_peer(backlog=0) as listener:
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(2):  # the first fills the queue; the second gives up, its SYNs dropped
            filler = socket.socket()
            filler.settimeout(0.5)
            try:
                filler.connect(("127.0.0.1", port))
            except OSError:
                filler.close()
                continue
            fillers.append(filler)
        listener.settimeout(1.0)

        def make_room() -> None:  # a place in the queue at 2.5 s, for the client's next SYN
            with contextlib.suppress(OSError):
                fillers.append(listener.accept()[0])

        timer = threading.Timer(2.5, make_room)
        timer.start()
        try:
            address = f"https://127.0.0.1:{port}"
            async with Sender(flavor, "native", address, verify=False, timeout=4.0) as sender:
                started = time.monotonic()
                with pytest.raises(Timeout, match="cannot connect"):
                    await sender.send(get("/v1/kv/k"))
                took = time.monotonic() - started
        finally:
            timer.cancel()
            timer.join()
            for filler in fillers:
                filler.close()
    assert took < 5.5


async def test_a_call_unanswered_in_time_closes_the_idle_connections(
    flavor: str, anyio_backend: str, transport_name: str, consul_agent: ConsulAgent
) -> None:
    # Connections that died without a word (a NAT or a firewall that forgot them): the first
    # call sent on one times out, and the pool closes the other idle ones rather than let each
    # cost a call its timeout.
    with FaultProxy(consul_agent.http_port) as proxy:
        async with Sender(flavor, transport_name, proxy.address) as sender:
            held = get("/v1/catalog/services", params=(("index", "999999"), ("wait", "300ms")))
            async with anyio.create_task_group() as group:  # three at once: three connections
                for _ in range(3):
                    group.start_soon(sender.send, held)
            assert proxy.connections == 3
            proxy.blackhole()
            with pytest.raises(Timeout):
                await sender.send(get("/v1/status/leader", timeout=1.0))
            assert (await sender.send(get("/v1/status/leader", timeout=5.0))).status == 200
            assert proxy.connections == 4  # a new one; the two other idle ones were closed


async def test_a_closed_transport_refuses_requests(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    with ScriptedServer(always(response(200, b"ok"))) as server:
        sender = Sender(flavor, transport_name, server.address)
        async with sender:
            await sender.send(get("/a"))
        with pytest.raises(UsageError, match="closed"):
            await sender.send(get("/a"))
        assert server.closed_by_client.wait(5)


async def test_a_client_dropped_unclosed_is_freed_by_its_last_reference(
    flavor: str, anyio_backend: str, transport_name: str, consul_agent: ConsulAgent
) -> None:
    # No reference cycle holds its transport (the async ones' event-loop owner kept the
    # transport's methods): what it opened is closed when the last reference goes, not at the
    # collector's next pass, which may come long after (a program making clients in a loop
    # held twenty sockets more).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # never closed, on purpose
        client = make_client(flavor, consul_agent.address, transport=transport_name)
        assert await client.status.leader()
        transport = weakref.ref(getattr(client, "_target", client).transport)
        gc.collect()
        gc.disable()
        try:
            del client
            assert transport() is None
        finally:
            gc.enable()
            gc.collect()  # what httpx's own cycles hold (its sockets), before the filter goes

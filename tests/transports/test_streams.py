"""Streamed bodies in the drivers and both transports, on a scripted server and mock
transports, under asyncio, trio and sync: a stream left early closes its connection (never
back to the pool), one read to its end gives it back, an error's body is read bounded, and a
transport that cannot stream still serves streams whole.
"""

from __future__ import annotations

import io
import logging
import traceback
from typing import Any

import anyio
import anyio.to_thread
import pytest

from consul_core import (
    PermissionDenied,
    Request,
    Response,
    TransportError,
    UnexpectedResponse,
)
from consul_transports.testing import (
    AsyncMockTransport,
    MockTransport,
    Received,
    Reply,
    ScriptedServer,
    http_response,
)
from tests.conftest import make_client
from tests.hooks import recording

TRANSPORTS = ("native", "httpx")
# httpx reads a body through nested async generators; leaving a response early closes it and
# its connection, but not the inner generators, which trio then reports when they are collected
# (httpx's own behaviour, seen with `Response.aiter_raw` alone too).
HTTPX_ON_TRIO = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <async_generator object:pytest.PytestUnraisableExceptionWarning"
)
# The wait for the server to see a connection closed: generous, it takes milliseconds.
CLOSED_WITHIN = 10.0
LOG_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%b\r\n" % (len(data), data)


def _agent(request: Received) -> Reply:
    if request.target.startswith("/v1/agent/monitor"):
        lines = b"".join(f"line {n}\n".encode() for n in range(3))
        return Reply(LOG_HEAD + _chunk(lines), then="stall")  # a log that goes on
    if request.target.startswith("/v1/snapshot"):
        return Reply(http_response(200, b"\x1f\x8b" + bytes(200_000), (("X-Consul-Index", "9"),)))
    if request.target.startswith("/v1/agent/metrics/stream"):
        # An error whose body would take long to read whole: a part of it, then nothing.
        head = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 1000000\r\n\r\n"
        return Reply(head + b"Permission denied: " + b"x" * 100_000, then="stall")
    return Reply(http_response(200, b'"127.0.0.1:8300"'))


async def _closed(server: ScriptedServer) -> None:
    """Wait for the server to see a connection closed (one whose bytes were all read)."""
    assert await anyio.to_thread.run_sync(server.closed_by_client.wait, CLOSED_WITHIN)


@HTTPX_ON_TRIO
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_stream_left_early_closes_its_connection(
    flavor: str, anyio_backend: str, transport: str
) -> None:
    del anyio_backend
    with ScriptedServer(_agent) as server:
        async with make_client(flavor, server.address, transport=transport) as client:
            async with client.agent.monitor() as lines:
                assert [await lines.__anext__() for _ in range(2)] == ["line 0", "line 1"]
            await _closed(server)
            assert await client.status.leader() == "127.0.0.1:8300"
    assert [r.connection for r in server.received] == [1, 2]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_body_read_to_its_end_gives_the_connection_back(
    flavor: str, anyio_backend: str, transport: str
) -> None:
    del anyio_backend
    with ScriptedServer(_agent) as server:
        async with make_client(flavor, server.address, transport=transport) as client:
            saved = io.BytesIO()
            meta = await client.snapshot.save_to(saved)
            assert (meta.index, len(saved.getvalue())) == (9, 200_002)
            await client.status.leader()
    assert [r.connection for r in server.received] == [1, 1]


@HTTPX_ON_TRIO
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_an_error_reads_a_bounded_body(
    flavor: str, anyio_backend: str, transport: str
) -> None:
    del anyio_backend
    with ScriptedServer(_agent) as server:
        client = make_client(flavor, server.address, transport=transport, timeout=60)
        async with client:
            with anyio.fail_after(30), pytest.raises(PermissionDenied, match="stream") as caught:
                async with client.agent.metrics_stream():
                    pass
            assert caught.value.text.startswith("Permission denied")
            await client.status.leader()
    # The rest of the error's body was not read: its connection was closed, not reused (the
    # server cannot always tell: closing with unread bytes resets the connection).
    assert [r.connection for r in server.received] == [1, 2]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_an_upload_announces_its_length(
    flavor: str, anyio_backend: str, transport: str
) -> None:
    del anyio_backend
    with ScriptedServer(_agent) as server:
        async with make_client(flavor, server.address, transport=transport) as client:
            await client.snapshot.restore(io.BytesIO(b"\x1f\x8b" + bytes(100_000)))
    (received,) = server.received
    assert received.headers["content-length"] == "100002"
    assert received.body == b"\x1f\x8b" + bytes(100_000)


def _whole(request: Request) -> Response:
    if request.method == "PUT":
        return Response(200, {}, b"")
    return Response(200, {"X-Consul-Index": "4"}, b"one\ntwo\nthree")


async def test_a_transport_that_cannot_stream_serves_streams_whole(
    flavor: str, anyio_backend: str
) -> None:
    del anyio_backend
    mock = MockTransport(_whole) if flavor == "sync" else AsyncMockTransport(_whole)
    async with make_client(flavor, "127.0.0.1:8500", transport=mock) as client:
        async with client.agent.monitor() as lines:
            assert [line async for line in lines] == ["one", "two", "three"]
        saved = io.BytesIO()
        assert (await client.snapshot.save_to(saved)).index == 4
        assert saved.getvalue() == b"one\ntwo\nthree"
        assert await client.snapshot.restore(io.BytesIO(b"\x1f\x8bdata")) is True
    assert mock.requests[-1].body == b"\x1f\x8bdata"


@HTTPX_ON_TRIO
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_streams_reach_the_event_hooks_and_the_log(
    flavor: str, anyio_backend: str, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    del anyio_backend
    caplog.set_level(logging.DEBUG, logger="consul_transports.request")
    events: list[tuple[Any, ...]] = []
    with ScriptedServer(_agent) as server:
        hooks = recording(flavor, events)
        async with make_client(
            flavor, server.address, transport=transport, event_hooks=hooks
        ) as client:
            await client.snapshot.save_to(io.BytesIO())
            with pytest.raises(PermissionDenied):
                async with client.agent.metrics_stream():
                    pass
    assert [(kind, args[0].path) for kind, *args in events] == [
        ("request", "/v1/snapshot"),
        ("response", "/v1/snapshot"),
        ("request", "/v1/agent/metrics/stream"),
        ("response", "/v1/agent/metrics/stream"),
    ]
    assert [event[2].status for event in events if event[0] == "response"] == [200, 403]
    logged = [r.getMessage() for r in caplog.records if r.name == "consul_transports.request"]
    assert any(line.startswith("GET /v1/snapshot -> 200") for line in logged), logged


def _cut(request: Received) -> Reply:
    """A snapshot cut after its first bytes; a log that goes on."""
    if request.target.startswith("/v1/snapshot"):
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nX-Consul-Index: 9\r\n\r\n"
        return Reply(head + b"\x1f\x8b" + bytes(5_000), then="close")
    return _agent(request)


@HTTPX_ON_TRIO
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_streamed_exchange_is_told_when_its_body_ends(
    flavor: str, anyio_backend: str, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A download cut midway reached the response hooks (and the log) as a 200 with its head,
    # and a stream was told before its first line: as an answer that came whole.
    del anyio_backend
    caplog.set_level(logging.DEBUG, logger="consul_transports.request")
    events: list[tuple[Any, ...]] = []
    with ScriptedServer(_cut) as server:
        hooks = recording(flavor, events)
        async with make_client(
            flavor, server.address, transport=transport, event_hooks=hooks
        ) as client:
            with pytest.raises(TransportError):
                await client.snapshot.save_to(io.BytesIO())
            async with client.agent.monitor("info") as lines:
                async for _ in lines:
                    break
                told_while_open = [kind for kind, *_ in events]
    assert told_while_open == ["request", "error", "request"]
    assert [kind for kind, *_ in events] == ["request", "error", "request", "response"]
    assert isinstance(events[1][2], TransportError)
    assert events[3][2].status == 200
    logged = [r.getMessage() for r in caplog.records if r.name == "consul_transports.request"]
    assert [line.split(" -> ")[0].split(" failed")[0] for line in logged] == [
        "GET /v1/snapshot",
        "GET /v1/agent/monitor?loglevel=info",
    ]
    assert " failed after " in logged[0] and " -> 200 in " in logged[1]


TOKEN = "a1b2c3d4-0000-4000-8000-5ec2e75ec2e7"


def _echoing_log(request: Received) -> Reply:
    """A log line that is not UTF-8 and quotes the token the request carried."""
    token = request.headers.get("x-consul-token", "").encode()
    return Reply(http_response(200, b'{"@message": "\xff ' + token + b'"}\n'))


@HTTPX_ON_TRIO
@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_a_stream_that_does_not_decode_chains_nothing_of_its_body(
    flavor: str, anyio_backend: str, transport: str
) -> None:
    del anyio_backend
    with ScriptedServer(_echoing_log) as server:
        async with make_client(flavor, server.address, transport=transport, token=TOKEN) as client:
            with pytest.raises(UnexpectedResponse, match=r"^200 GET /v1/agent/monitor") as caught:
                async with client.agent.monitor_json("info") as records:
                    await records.__anext__()
    assert server.received[0].headers["x-consul-token"] == TOKEN  # so the body held it
    # The decoder's error (a UnicodeDecodeError holding the line) is neither cause nor context.
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert TOKEN not in "".join(traceback.format_exception(caught.value))

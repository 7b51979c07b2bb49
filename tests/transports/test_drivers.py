"""The drivers and the httpx transport on mock transports and respx, under asyncio, trio and
sync. These inject what a real agent cannot produce on demand; the agent proves the endpoints."""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any

import anyio
import anyio.lowlevel
import anyio.to_thread
import httpx
import pytest
import respx

from consul_core import (
    Call,
    ConnectError,
    Effect,
    NotFound,
    PermissionDenied,
    Request,
    Response,
    Sleep,
    Timeout,
    TransportError,
    UsageError,
    perform,
    sleep,
)
from consul_core.endpoints import kv, status
from consul_core.flows import Pacing
from consul_transports.sync import Consul
from consul_transports.testing import AsyncMockTransport, MockTransport
from tests.conftest import make_client

ADDRESS = "http://127.0.0.1:8500"
KV_BODY = b'[{"Key": "k", "Value": "dg==", "ModifyIndex": 3}]'


def _answer(request: Request) -> Response:
    if request.path == "/v1/kv/missing":
        return Response(404, {"X-Consul-Index": "5"}, b"")
    return Response(200, {"X-Consul-Index": "3"}, KV_BODY)


@pytest.fixture
def mock(flavor: str, anyio_backend: str) -> MockTransport | AsyncMockTransport:
    del anyio_backend
    return MockTransport(_answer) if flavor == "sync" else AsyncMockTransport(_answer)


async def test_client_defaults_reach_the_transport(flavor: str, mock: Any) -> None:
    async with make_client(flavor, ADDRESS, token="tok", dc="dc2", transport=mock) as client:
        entry, meta = await client.kv.get("k", consistency="consistent")
        await client.kv.get("k", dc="dc9", token="own")
    assert (entry.value, meta.index) == (b"v", 3)
    first, second = mock.requests
    assert first.target == "/v1/kv/k?consistent&dc=dc2"
    assert first.headers["X-Consul-Token"] == "tok"
    assert second.target == "/v1/kv/k?dc=dc9"
    assert second.headers["X-Consul-Token"] == "own"
    assert mock.closed


async def test_errors_pass_through_the_driver(flavor: str, mock: Any) -> None:
    async with make_client(flavor, ADDRESS, transport=mock) as client:
        with pytest.raises(NotFound) as caught:
            await client.kv.get("missing")
    assert caught.value.meta.index == 5


def _flow() -> Generator[Effect, Any, tuple[bytes | None, str]]:
    entry, _ = yield from perform(kv.get("k"))
    yield from sleep(0.01)
    try:
        yield from perform(kv.get("missing"))
    except NotFound as exc:
        outcome = f"missing at {exc.meta.index}"
    return entry.value, outcome


async def test_drivers_run_flows_and_throw_errors_into_them(flavor: str, mock: Any) -> None:
    async with make_client(flavor, ADDRESS, transport=mock) as client:
        if flavor == "sync":
            result = await anyio.to_thread.run_sync(client.driver.run, _flow())
        else:
            result = await client.driver.run(_flow())
    assert result == (b"v", "missing at 5")
    assert [r.path for r in mock.requests] == ["/v1/kv/k", "/v1/kv/missing"]


def test_sleep_effect_is_a_value() -> None:
    assert list(sleep(2)) == [Sleep(2)]


@pytest.fixture
def respx_mock(anyio_backend: str) -> Generator[respx.MockRouter, None, None]:
    del anyio_backend
    with respx.mock(base_url=ADDRESS, assert_all_called=False) as router:
        yield router


async def test_httpx_transport_sends_the_request_as_described(
    flavor: str, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(url__regex=r"/v1/kv/a%20b").respond(200, content=KV_BODY)
    async with make_client(flavor, ADDRESS, token="secret", transport="httpx") as client:
        await client.kv.get("a b", watch=(4, "2s"))
    sent = route.calls.last.request
    assert sent.url.raw_path == b"/v1/kv/a%20b?index=4&wait=2s"
    assert sent.headers["X-Consul-Token"] == "secret"
    assert sent.headers["Accept-Encoding"] == "identity"
    assert "secret" not in str(sent.url)


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (httpx.ConnectError("refused"), ConnectError),
        (httpx.ReadTimeout("slow"), Timeout),
        (httpx.RemoteProtocolError("garbage"), TransportError),
    ],
)
async def test_httpx_failures_map_to_transport_errors(
    flavor: str, respx_mock: respx.MockRouter, failure: Exception, kind: type[Exception]
) -> None:
    respx_mock.get("/v1/status/leader").mock(side_effect=failure)
    async with make_client(flavor, ADDRESS, token="secret", transport="httpx") as client:
        with pytest.raises(kind) as caught:
            await client.status.leader()
    assert "secret" not in str(caught.value)


async def test_a_users_httpx_client_is_used_and_left_open(flavor: str, anyio_backend: str) -> None:
    del anyio_backend
    handler = httpx.MockTransport(lambda r: httpx.Response(200, json="127.0.0.1:8300"))
    own: Any = (
        httpx.Client(transport=handler)
        if flavor == "sync"
        else httpx.AsyncClient(transport=handler)
    )
    async with make_client(flavor, ADDRESS, transport=own) as client:
        assert await client.status.leader() == "127.0.0.1:8300"
    assert not own.is_closed
    if flavor == "sync":
        own.close()
    else:
        await own.aclose()


async def test_unknown_transport_is_a_usage_error(flavor: str, anyio_backend: str) -> None:
    del anyio_backend
    with pytest.raises(UsageError):
        make_client(flavor, ADDRESS, transport=42)


def test_a_call_is_reusable_and_pure() -> None:
    call: Call[str] = status.leader()
    assert call.parse(Response(200, {}, b'"a"')) == call.parse(Response(200, {}, b'"a"')) == "a"


async def test_errors_never_show_the_clients_own_token(flavor: str, anyio_backend: str) -> None:
    del anyio_backend
    secret = "12345678-aaaa-bbbb-cccc-1234567890ab"

    def echo(request: Request) -> Response:
        return Response(403, {}, f"token {request.token} has no rights".encode())

    mock: Any = MockTransport(echo) if flavor == "sync" else AsyncMockTransport(echo)
    async with make_client(flavor, ADDRESS, token=secret, transport=mock) as client:
        with pytest.raises(PermissionDenied) as caught:
            await client.kv.get("k")
    assert mock.requests[0].token == secret
    assert secret not in str(caught.value) and secret not in caught.value.text
    assert "<redacted>" in caught.value.text


def _each_read_newer(request: Request) -> Response:
    """A key whose every read finds it changed: each read of a watch hands out a value."""
    index = int(request.param("index") or 0) + 1
    body = b'[{"Key": "k", "Value": "dg==", "ModifyIndex": %d}]' % index
    return Response(200, {"X-Consul-Index": str(index)}, body)


def _closed_from_another_thread(watch: Any) -> list[BaseException]:
    """Iterate a sync watch in a thread and close it from this one once it has stepped three
    times; what either thread raised.
    """
    stepped = threading.Event()
    raised: list[BaseException] = []

    def consume() -> None:
        try:
            for count, _ in enumerate(watch):
                if count == 3:
                    stepped.set()
        except BaseException as exc:
            raised.append(exc)

    consumer = threading.Thread(target=consume)
    consumer.start()
    try:
        assert stepped.wait(10)
        watch.close()
    except BaseException as exc:
        raised.append(exc)
    finally:
        consumer.join(10)
    assert not consumer.is_alive()
    return raised


async def test_a_watch_closed_from_elsewhere_while_it_steps_ends_cleanly(
    flavor: str, anyio_backend: str
) -> None:
    # The consumer steps without pause (its reads are answered at once), so the close from
    # another thread (the async flavors: another task) lands during a step in most rounds.
    del anyio_backend
    busy = Pacing(min_interval=0)
    if flavor == "sync":
        with Consul(ADDRESS, transport=MockTransport(_each_read_newer), pacing=busy) as client:
            for _ in range(50):
                assert _closed_from_another_thread(client.kv.watch("k")) == []
        return

    async def each_read_newer(request: Request) -> Response:
        await anyio.lowlevel.checkpoint()  # as a real read does: the closing task runs
        return _each_read_newer(request)

    transport = AsyncMockTransport(each_read_newer)
    async with make_client(flavor, ADDRESS, transport=transport, pacing=busy) as client:
        for _ in range(50):
            watch = client.kv.watch("k")
            seen: list[Any] = []

            async def consume(watch: Any = watch, seen: list[Any] = seen) -> None:
                async for value in watch:
                    seen.append(value)

            with anyio.fail_after(10):
                async with anyio.create_task_group() as tasks:
                    tasks.start_soon(consume)
                    while len(seen) < 3:
                        await anyio.sleep(0)
                    await watch.aclose()
            with pytest.raises(StopAsyncIteration):
                await anext(watch)

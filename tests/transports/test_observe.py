"""The drivers' side of observing, on mock transports under asyncio, trio and sync: the notices
of flows logged by kind, a cancelled request given to the error hooks, and the quiet path (no
hook, no DEBUG) that leaves the connection context variable alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator
from typing import Any

import anyio
import pytest

from consul_core import Request, Response
from consul_core.flows import Notice, NoticeKind
from consul_transports import _observe
from consul_transports.testing import AsyncMockTransport, MockTransport
from tests.conftest import make_client
from tests.hooks import recording

ADDRESS = "http://127.0.0.1:1"


def notices() -> Generator[Any, Any, str]:
    for kind in NoticeKind:
        answer = yield Notice(kind, f"{kind.value} happened")
        assert answer is None
    return "told"


async def test_notices_are_logged_by_kind(
    flavor: str, anyio_backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="consul_transports")
    mock = MockTransport if flavor == "sync" else AsyncMockTransport
    async with make_client(flavor, ADDRESS, transport=mock(lambda _: Response(200))) as client:
        result = client.driver.run(notices())
        assert (result if flavor == "sync" else await result) == "told"
    told = [
        (r.name, r.levelno, r.getMessage()) for r in caplog.records if "happened" in r.getMessage()
    ]
    assert told == [
        ("consul_transports.watch", logging.WARNING, "backoff happened"),
        ("consul_transports.lock", logging.WARNING, "retry happened"),
        ("consul_transports.watch", logging.INFO, "index-reset happened"),
        ("consul_transports.lock", logging.INFO, "renewed-late happened"),
    ]


@pytest.mark.parametrize("flavor", ["asyncio", "trio"])
async def test_a_cancelled_request_goes_to_the_error_hooks(flavor: str, anyio_backend: str) -> None:
    events: list[tuple[Any, ...]] = []
    started = anyio.Event()

    async def hang(_: Request) -> Response:
        started.set()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    hooks = recording(flavor, events)
    async with (
        make_client(
            flavor, ADDRESS, transport=AsyncMockTransport(hang), event_hooks=hooks
        ) as client,
        anyio.create_task_group() as tasks,
    ):
        tasks.start_soon(client.kv.get, "k")
        with anyio.fail_after(5):
            await started.wait()
        tasks.cancel_scope.cancel()
    assert [e[0] for e in events] == ["request", "error"]
    assert isinstance(events[1][2], anyio.get_cancelled_exc_class())


@pytest.mark.parametrize("flavor", ["asyncio", "trio"])
async def test_a_cancelled_requests_error_hooks_run_to_their_end_and_the_cancellation_goes_on(
    flavor: str, anyio_backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    # An error hook that awaits was ended at its first await (the hooks after it never ran),
    # and one that raised replaced the cancellation (its scope never saw it).
    ran: list[str] = []

    async def hang(_: Request) -> Response:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def awaits(request: Request, error: BaseException) -> None:
        await anyio.sleep(0.01)
        ran.append("awaits")

    async def raises(request: Request, error: BaseException) -> None:
        ran.append("raises")
        raise RuntimeError("the hook's own failure")

    async def last(request: Request, error: BaseException) -> None:
        ran.append("last")

    hooks = {"error": [awaits, raises, last]}
    async with make_client(
        flavor, ADDRESS, transport=AsyncMockTransport(hang), event_hooks=hooks
    ) as client:
        with anyio.move_on_after(0.1) as scope:
            await client.kv.get("k")
    assert scope.cancelled_caught  # the cancellation reached its scope
    assert ran == ["awaits", "raises"]  # the raising hook ends the hooks, as documented
    assert [r.getMessage() for r in caplog.records if "error hook raised" in r.getMessage()] == [
        "GET /v1/kv/k: an error hook raised after its cancellation (the cancellation goes on)"
    ]


async def test_the_time_logged_runs_from_the_sending(
    flavor: str, anyio_backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Not from the request hooks: a slow one made a quick call log as slow.
    caplog.set_level(logging.DEBUG, logger="consul_transports.request")
    mock = MockTransport if flavor == "sync" else AsyncMockTransport
    if flavor == "sync":

        def slow(request: Request) -> None:
            time.sleep(1.0)

        hooks: dict[str, list[Any]] = {"request": [slow]}
    else:

        async def slow_async(request: Request) -> None:
            await anyio.sleep(1.0)

        hooks = {"request": [slow_async]}
    transport = mock(lambda _: Response(200, {}, b"[]"))
    async with make_client(flavor, ADDRESS, transport=transport, event_hooks=hooks) as client:
        await client.kv.keys("")
    (line,) = [r.getMessage() for r in caplog.records if "-> 200 in" in r.getMessage()]
    taken = float(line.split(" in ")[1].split(" ms")[0])
    assert taken < 900, line  # the hook took 1000


def test_the_quiet_path_starts_nothing() -> None:
    observer: _observe.Observer[object] = _observe.Observer(None, awaited=False)
    logging.getLogger("consul_transports.request").setLevel(logging.INFO)
    try:
        assert observer.start(Request("GET", "/v1/kv/k")) is None
    finally:
        logging.getLogger("consul_transports.request").setLevel(logging.NOTSET)

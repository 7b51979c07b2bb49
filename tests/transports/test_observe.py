"""The drivers' side of observing, on mock transports under asyncio, trio and sync: the notices
of flows logged by kind, a cancelled request given to the error hooks, and the quiet path (no
hook, no DEBUG) that leaves the connection context variable alone.
"""

from __future__ import annotations

import logging
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


def test_the_quiet_path_starts_nothing() -> None:
    observer: _observe.Observer[object] = _observe.Observer(None, awaited=False)
    logging.getLogger("consul_transports.request").setLevel(logging.INFO)
    try:
        assert observer.start(Request("GET", "/v1/kv/k")) is None
    finally:
        logging.getLogger("consul_transports.request").setLevel(logging.NOTSET)

"""The supervisors of held things (locks, semaphores, keepalives) on a mock agent, under asyncio,
trio and sync: entering rides out server errors, and a cleanup that could not release is raised
after a body that ended normally, or logged (and noted) under the body's own error. A real
cluster proves the election itself (tests/cluster).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest

from consul_core import ReleaseFailed, Request, Response, Timeout
from consul_core.backoff import Backoff
from consul_core.flows import Pacing
from consul_transports.testing import AsyncMockTransport, MockTransport
from tests.conftest import make_client

ADDRESS = "http://127.0.0.1:8500"
SID = "5e55-10n"
FAST = Pacing(backoff=Backoff(initial=0.01, maximum=0.05, jitter=0))
SESSION = json.dumps([{"ID": SID, "TTL": "10s", "Behavior": "release"}]).encode()


def agent(*, creates_failing: int = 0, destroy_status: int = 200) -> Callable[[Request], Response]:
    """A mock agent for a keepalive: the first `creates_failing` creates fail with a 500."""
    failures = [creates_failing]

    def answer(request: Request) -> Response:
        if request.path == "/v1/session/create":
            if failures[0]:
                failures[0] -= 1
                return Response(500, {}, b"No cluster leader")
            return Response(200, {}, json.dumps({"ID": SID}).encode())
        if request.path.startswith(("/v1/session/renew/", "/v1/session/info/")):
            return Response(200, {"X-Consul-Index": "7"}, SESSION)
        if request.path.startswith("/v1/session/destroy/"):
            body = b"true" if destroy_status == 200 else b"Permission denied"
            return Response(destroy_status, {}, body)
        return Response(404, {}, b"")

    return answer


def transport(flavor: str, answer: Callable[[Request], Response]) -> Any:
    return MockTransport(answer) if flavor == "sync" else AsyncMockTransport(answer)


def creates(mock: Any) -> int:
    return sum(r.path == "/v1/session/create" for r in mock.requests)


async def test_entering_rides_out_server_errors(flavor: str, anyio_backend: str) -> None:
    mock = transport(flavor, agent(creates_failing=2))
    async with (
        make_client(flavor, ADDRESS, transport=mock, pacing=FAST) as client,
        client.session.keepalive(ttl="10s") as keepalive,
    ):
        assert keepalive.session == SID
    assert creates(mock) == 3


async def test_entering_gives_up_at_its_timeout(flavor: str, anyio_backend: str) -> None:
    mock = transport(flavor, agent(creates_failing=10**6))
    async with make_client(flavor, ADDRESS, transport=mock, pacing=FAST) as client:
        started = time.monotonic()
        with pytest.raises(Timeout, match=r"could not create a new session within 0\.3s"):
            async with client.session.keepalive(ttl="10s", timeout=0.3):
                pytest.fail("entered")
    assert 0.25 < time.monotonic() - started < 5
    assert creates(mock) > 2


async def test_a_failed_cleanup_is_raised_after_a_body_that_ended_normally(
    flavor: str, anyio_backend: str
) -> None:
    mock = transport(flavor, agent(destroy_status=403))
    async with make_client(flavor, ADDRESS, transport=mock, pacing=FAST) as client:
        with pytest.raises(ReleaseFailed, match=f"could not destroy session {SID}"):
            async with client.session.keepalive(ttl="10s"):
                pass


async def test_a_failed_cleanup_under_the_bodys_own_error_is_logged_and_noted(
    flavor: str, anyio_backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    mock = transport(flavor, agent(destroy_status=403))
    async with make_client(flavor, ADDRESS, transport=mock, pacing=FAST) as client:
        with caplog.at_level(logging.WARNING), pytest.raises(RuntimeError) as caught:
            async with client.session.keepalive(ttl="10s"):
                raise RuntimeError("the body failed")
    assert str(caught.value) == "the body failed"
    [record] = [r for r in caplog.records if "could not destroy session" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert record.name == "consul_transports.lock"
    if sys.version_info >= (3, 11):
        [note] = caught.value.__notes__
        assert note.startswith("and then: ReleaseFailed: leaving session")

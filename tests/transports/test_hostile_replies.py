"""Replies a real agent does not send, from a server that echoes the secrets it was sent (the
token, the basic-auth credentials) into bytes that are not HTTP, a torn body, a broken chunk:
each call fails with a `TransportError` (a `Timeout` for a stalled reply) that names its method
and path, the same words from both transports where they see the same failure, and quotes none
of the reply, neither in its text nor in its chain; under asyncio, trio and sync, over the
native transport and httpx, for whole and streamed replies.
"""

from __future__ import annotations

import base64
import traceback
from collections.abc import Callable

import pytest

from consul_core import ConsulError, Timeout, TransportError
from consul_transports.testing import Received, Reply, ScriptedServer
from tests.conftest import make_client

TOKEN = "5ec2e700-aaaa-4bbb-8ccc-70ce770ce770"
PASSWORD = "pw-0ddba11-f00d"
CREDENTIALS = base64.b64encode(f"proxy:{PASSWORD}".encode()).decode()
LEGACY_ID = "1e9ac700-dddd-4eee-8fff-1e9ac71e9ac7"
SECRETS = (TOKEN, PASSWORD, CREDENTIALS, LEGACY_ID)
CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


def _echo(request: Received) -> bytes:
    """What the server sent back: the secrets the request carried."""
    return f"{request.headers['x-consul-token']} {request.headers['authorization']}".encode()


# What each reply is, and the words both transports say about it (None: each its own words).
REPLIES: dict[str, tuple[Callable[[Received], Reply], str | None]] = {
    "not HTTP": (lambda r: Reply(b"GARBAGE " + _echo(r) + b"\r\n\r\n", then="close"), None),
    "bad status line": (
        lambda r: Reply(b"HTTP/1.1 2x0 " + _echo(r) + b"\r\nContent-Length: 0\r\n\r\n"),
        None,
    ),
    "bad header line": (
        lambda r: Reply(b"HTTP/1.1 200 OK\r\nX-Echo " + _echo(r) + b"\r\n\r\n", then="close"),
        None,
    ),
    "bad chunk": (lambda r: Reply(CHUNKED_HEAD + _echo(r) + b"\r\n", then="close"), None),
    "torn body": (
        lambda r: Reply(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + _echo(r), "close"),
        "the agent closed the connection in the middle of its reply to {where}",
    ),
    "closed unanswered": (
        lambda r: Reply(b"", then="close"),
        "the agent closed the connection without answering {where}",
    ),
    "stalled": (lambda r: Reply(b"", then="stall"), None),
}


def _shown(error: BaseException) -> str:
    """Every text of `error` and of each exception it chains, as cause or as context."""
    texts, seen = [], []
    exc: BaseException | None = error
    while exc is not None and exc not in seen:
        seen.append(exc)
        texts += [str(exc), repr(exc)]
        exc = exc.__cause__ or exc.__context__
    return "\n".join([*texts, *traceback.format_exception(error)])


@pytest.mark.parametrize("transport", ["native", "httpx"])
@pytest.mark.parametrize("reply", REPLIES)
async def test_a_bad_reply_names_the_call_and_quotes_nothing_of_it(
    flavor: str, anyio_backend: str, transport: str, reply: str
) -> None:
    del anyio_backend
    handler, words = REPLIES[reply]
    errors: list[tuple[str, ConsulError]] = []
    with ScriptedServer(handler) as server:
        async with make_client(
            flavor,
            server.address,
            transport=transport,
            token=TOKEN,
            auth=("proxy", PASSWORD),
            timeout=0.5,
        ) as client:
            for where, call in (
                ("GET /v1/kv/k", lambda: client.kv.get("k")),
                ("PUT /v1/kv/k", lambda: client.kv.set("k", b"v")),
                ("GET /v1/acl/info/<redacted>", lambda: client.acl.info(LEGACY_ID)),
            ):
                with pytest.raises(TransportError) as caught:
                    await call()
                errors.append((where, caught.value))
    assert server.received[0].headers["x-consul-token"] == TOKEN  # so the reply held it
    for where, error in errors:
        assert isinstance(error, Timeout) is (reply == "stalled")
        assert where in str(error), str(error)
        if words is not None:
            assert str(error) == words.format(where=where)
        shown = _shown(error)
        assert not [secret for secret in SECRETS if secret in shown], shown


def _stream(middle: bytes) -> Callable[[Received], Reply]:
    """A log stream: one line, then `middle` (with the secrets echoed), then the end."""
    return lambda r: Reply(CHUNKED_HEAD + b"7\r\nline 1\n\r\n" + middle + _echo(r), "close")


STREAMS = {
    "bad chunk": (_stream(b"zz "), None),
    "torn chunk": (
        _stream(b"400\r\n"),
        "the agent closed the connection in the middle of its reply to GET /v1/agent/monitor",
    ),
}


@pytest.mark.filterwarnings(  # httpx's nested generators on trio: see test_streams.py
    "ignore:Exception ignored in. <async_generator object:pytest.PytestUnraisableExceptionWarning"
)
@pytest.mark.parametrize("transport", ["native", "httpx"])
@pytest.mark.parametrize("reply", STREAMS)
async def test_a_bad_streamed_reply_names_the_call_and_quotes_nothing_of_it(
    flavor: str, anyio_backend: str, transport: str, reply: str
) -> None:
    del anyio_backend
    handler, words = STREAMS[reply]
    with ScriptedServer(handler) as server:
        async with make_client(
            flavor, server.address, transport=transport, token=TOKEN, auth=("proxy", PASSWORD)
        ) as client:
            with pytest.raises(TransportError) as caught:
                async with client.agent.monitor() as lines:
                    assert await lines.__anext__() == "line 1"
                    await lines.__anext__()
    assert "GET /v1/agent/monitor" in str(caught.value), str(caught.value)
    if words is not None:
        assert str(caught.value) == words
    shown = _shown(caught.value)
    assert not [secret for secret in SECRETS if secret in shown], shown

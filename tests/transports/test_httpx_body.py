"""The httpx transport's request bodies (no I/O)."""

from __future__ import annotations

import inspect
from typing import Any

import anyio
import httpx
import pytest

from consul_core.endpoints import kv
from consul_transports._config import load_config
from consul_transports._httpx import to_httpx

CONFIG = load_config("127.0.0.1:8500", env={})


@pytest.mark.parametrize("client_type", [httpx.Client, httpx.AsyncClient])
def test_a_body_is_sent_whole_by_an_iterator_that_is_no_generator(client_type: Any) -> None:
    # A send cancelled in the middle leaves the body's iteration unfinished: an async generator
    # left so makes trio warn (ResourceWarning) when it is collected; a plain iterator does not.
    built = to_httpx(client_type(), CONFIG, kv.set("k", b"value").request)
    assert built.headers["Content-Length"] == "5"
    assert not inspect.isasyncgen(aiter(built.stream))  # type: ignore[arg-type]
    assert list(built.stream) == [b"value"]  # type: ignore[call-overload]

    async def pieces() -> list[bytes]:
        return [piece async for piece in built.stream]  # type: ignore[union-attr]

    assert anyio.run(pieces) == [b"value"]
    assert built.read() == b"value"


def test_a_request_without_a_body_keeps_httpx_s_stream() -> None:
    built = to_httpx(httpx.Client(), CONFIG, kv.get("k").request)
    assert built.read() == b"" and "Content-Length" not in built.headers

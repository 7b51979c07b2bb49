"""Mock transports that answer from a function, for unit tests of code above the transport.

They record every request they were sent. They prove nothing about Consul: integration tests
use a real agent (`ConsulAgent`). Given another transport's ``send`` as the function, they
record the requests that transport carries (to count a watch's reads, say).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from consul_core import Request, Response

__all__ = ["AsyncMockTransport", "MockTransport"]

A = TypeVar("A")


class _Recorder(Generic[A]):
    """Answers each request with ``handler(request)`` (which may also raise).

    Attributes:
        requests: Every request sent, in order.
        closed: Whether the client closed the transport.
    """

    def __init__(self, handler: Callable[[Request], A]) -> None:
        self._handler = handler
        self.requests: list[Request] = []
        self.closed = False

    def _answer(self, request: Request) -> A:
        self.requests.append(request)
        return self._handler(request)


class MockTransport(_Recorder[Response]):
    """A mock `SyncTransport`."""

    def send(self, request: Request) -> Response:
        """Record the request and answer it."""
        return self._answer(request)

    def close(self) -> None:
        """Mark the transport closed."""
        self.closed = True


class AsyncMockTransport(_Recorder[Response | Awaitable[Response]]):
    """A mock `AsyncTransport` (asyncio and trio); its function may be a coroutine function."""

    async def send(self, request: Request) -> Response:
        """Record the request and answer it."""
        answer = self._answer(request)
        return await answer if inspect.isawaitable(answer) else answer

    async def aclose(self) -> None:
        """Mark the transport closed."""
        self.closed = True

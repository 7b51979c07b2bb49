"""Mock transports that answer from a function, for unit tests of code above the transport.

They record every request they were sent. They prove nothing about Consul: integration tests
use a real agent (`ConsulAgent`).
"""

from __future__ import annotations

from collections.abc import Callable

from consul_core import Request, Response

__all__ = ["AsyncMockTransport", "MockTransport"]

Handler = Callable[[Request], Response]


class _Recorder:
    """Answers each request with ``handler(request)`` (which may also raise).

    Attributes:
        requests: Every request sent, in order.
        closed: Whether the client closed the transport.
    """

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self.requests: list[Request] = []
        self.closed = False

    def _answer(self, request: Request) -> Response:
        self.requests.append(request)
        return self._handler(request)


class MockTransport(_Recorder):
    """A mock `SyncTransport`."""

    def send(self, request: Request) -> Response:
        """Record the request and answer it."""
        return self._answer(request)

    def close(self) -> None:
        """Mark the transport closed."""
        self.closed = True


class AsyncMockTransport(_Recorder):
    """A mock `AsyncTransport` (asyncio and trio)."""

    async def send(self, request: Request) -> Response:
        """Record the request and answer it."""
        return self._answer(request)

    async def aclose(self) -> None:
        """Mark the transport closed."""
        self.closed = True

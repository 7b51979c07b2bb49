"""The `Transport` seam: everything above it sends `Request`s and gets `Response`s, and knows
nothing of httpx or sockets.

A transport moves bytes: it sends ``request.method`` to ``request.target`` with the request's
headers and body, honours ``request.timeout`` (or its own default), and maps its own failures
to `ConnectError`, `Timeout` or `TransportError`. It makes no Consul decision.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from consul_core import Request, Response

__all__ = ["AsyncTransport", "SyncTransport"]


@runtime_checkable
class SyncTransport(Protocol):
    """A blocking transport."""

    def send(self, request: Request) -> Response:
        """Send one request and return the whole response."""
        ...

    def close(self) -> None:
        """Release connections; the transport is not used afterwards."""
        ...


@runtime_checkable
class AsyncTransport(Protocol):
    """An async transport, for asyncio and trio alike (written against anyio)."""

    async def send(self, request: Request) -> Response:
        """Send one request and return the whole response."""
        ...

    async def aclose(self) -> None:
        """Release connections; the transport is not used afterwards."""
        ...

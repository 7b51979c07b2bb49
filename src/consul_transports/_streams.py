"""The streaming seam: transports that can hand a response's body on as it arrives, and send a
request body as it is read, implement these protocols besides `send`.

A streamed response holds its connection (and its slot of the pool) until it is closed: read
to its end, the connection goes back to the pool; closed earlier, the connection is closed.
A transport without them still works: the drivers then fall back on `send` (the whole body in
memory).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import Protocol, runtime_checkable

from consul_core import Headers, Request

__all__ = [
    "AsyncBody",
    "AsyncStreamingTransport",
    "SyncBody",
    "SyncStreamingTransport",
    "chunk_frame",
]

CHUNKED = "Transfer-Encoding: chunked"
LAST_CHUNK = b"0\r\n\r\n"


def chunk_frame(piece: bytes) -> bytes:
    """One piece of a chunked request body, framed."""
    return b"%x\r\n%b\r\n" % (len(piece), piece)


class SyncBody(Protocol):
    """A response whose body is read as it arrives (blocking)."""

    status: int
    headers: Headers

    def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        ...

    def close(self) -> None:
        """Release the connection (closed unless the body was read to its end)."""
        ...


class AsyncBody(Protocol):
    """A response whose body is read as it arrives (async)."""

    status: int
    headers: Headers

    async def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        ...

    async def aclose(self) -> None:
        """Release the connection (closed unless the body was read to its end)."""
        ...


@runtime_checkable
class SyncStreamingTransport(Protocol):
    """A blocking transport that streams bodies."""

    def open_stream(
        self,
        request: Request,
        *,
        content: Iterable[bytes] | None = None,
        content_length: int | None = None,
        endless: bool = False,
    ) -> SyncBody:
        """Send `request` (with `content` as its body, if given: `content_length` bytes, or
        chunked when None) and return the response once its head has arrived.

        `endless`: the body lasts for as long as the consumer reads (the request counts as a
        blocking query, and no time bounds the wait for a piece of it); otherwise each wait
        (connecting, sending, each piece) is bounded by the request's timeout.
        """
        ...


@runtime_checkable
class AsyncStreamingTransport(Protocol):
    """An async transport that streams bodies."""

    async def open_stream(
        self,
        request: Request,
        *,
        content: AsyncIterable[bytes] | None = None,
        content_length: int | None = None,
        endless: bool = False,
    ) -> AsyncBody:
        """As `SyncStreamingTransport.open_stream`."""
        ...

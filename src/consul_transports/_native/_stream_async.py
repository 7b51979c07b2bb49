"""Streamed exchanges of the native async transport: a request body sent as it is read, a
response body handed on as it arrives, on a connection of the pool held until the stream is
closed. Each wait is bounded by a deadline: past it, `TimeoutError`; a broken connection raises
`OSError`, a response that is not valid HTTP (or is cut short) `BadResponse`; a body's
`receive` reports them as `Timeout` and `TransportError`, naming the request (see
`StreamedBody`).

Its sync twin, `_stream_sync.py`, is generated from this file by scripts/unasync.py; waiting on a
socket differs and is in `_async.py` (`wait_streamed`).
"""

from __future__ import annotations

import time

from consul_transports._native._async import wait_streamed
from consul_transports._native._body import C, StreamedBody
from consul_transports._native._sockets import SocketConnection
from consul_transports._native._wire import Exchange
from consul_transports._streams import LAST_CHUNK, AsyncUpload, chunk_frame

__all__ = ["AsyncNativeBody", "read_head", "send_all", "send_upload"]


async def send_all(connection: SocketConnection, data: bytes, deadline: float) -> None:
    """Send all of `data` by `deadline`."""
    view = memoryview(data)
    while view:
        view, readable = connection.send_some(view)
        if readable is not None:
            await wait_streamed(connection, readable, deadline)


async def send_upload(connection: SocketConnection, upload: AsyncUpload, timeout: float) -> None:
    """Send a request body as its pieces are read (framed in chunks when its length is
    unknown), each piece within `timeout` seconds (a broken connection: the agent may have
    answered early, read its reply).
    """
    chunked = upload.length is None
    async for piece in upload.pieces:
        if piece:
            data = chunk_frame(piece) if chunked else piece
            await send_all(connection, data, time.monotonic() + timeout)
    if chunked:
        await send_all(connection, LAST_CHUNK, time.monotonic() + timeout)


async def receive(connection: SocketConnection, exchange: Exchange, deadline: float) -> None:
    """Receive what the socket holds (waiting for it until `deadline`) into `exchange`."""
    while (readable := connection.receive_some(exchange)) is not None:
        await wait_streamed(connection, readable, deadline)


async def read_head(connection: SocketConnection, exchange: Exchange, deadline: float) -> None:
    """Receive until the response's head has arrived (or the whole response), by `deadline`."""
    while exchange.head is None and not exchange.complete:
        await receive(connection, exchange, deadline)


class AsyncNativeBody(StreamedBody[C]):
    """A response of the native async transport whose body is read as it arrives."""

    async def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        while (piece := self._ready()) is None:
            connection = self._connection
            assert connection is not None  # _ready answers None only while one is held
            with self._reading():
                await receive(connection, self._exchange, self._deadline())
        return piece

    async def aclose(self) -> None:
        """Release the connection: back to the pool after a body read to its end, else closed."""
        self._close()

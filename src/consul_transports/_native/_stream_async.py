"""Streamed exchanges of the native async transport: a request body sent as it is read, a
response body handed on as it arrives, on a connection of the pool held until the stream is
closed.

Its sync twin, `_stream_sync.py`, is generated from this file by scripts/unasync.py; waiting on a
socket differs and is in `_async.py` (`wait_streamed`).
"""

from __future__ import annotations

import ssl
import time
from collections.abc import AsyncIterable
from typing import TypeVar

from consul_transports._native._async import wait_streamed
from consul_transports._native._body import StreamedBody
from consul_transports._native._sockets import SocketConnection
from consul_transports._native._wire import Exchange
from consul_transports._streams import LAST_CHUNK, chunk_frame

__all__ = ["AsyncNativeBody", "read_head", "send_all", "send_content"]

C = TypeVar("C", bound=SocketConnection)

_BLOCKED = (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError)


async def send_all(connection: SocketConnection, data: bytes, deadline: float) -> None:
    """Send all of `data` by `deadline`.

    Raises:
        TimeoutError: The deadline passed.
        OSError: The connection broke.
    """
    view = memoryview(data)
    while view:
        try:
            view = view[connection.sock.send(view) :]
        except _BLOCKED as blocked:  # TLS may need to read before it can write
            await wait_streamed(connection, isinstance(blocked, ssl.SSLWantReadError), deadline)


async def send_content(
    connection: SocketConnection,
    content: AsyncIterable[bytes],
    chunked: bool,
    timeout: float,
) -> None:
    """Send a request body as `content` yields it (framed in chunks when `chunked`), each piece
    within `timeout` seconds.

    Raises:
        TimeoutError: A piece could not be sent in time.
        OSError: The connection broke (the agent may have answered early: read its reply).
    """
    async for piece in content:
        if piece:
            data = chunk_frame(piece) if chunked else piece
            await send_all(connection, data, time.monotonic() + timeout)
    if chunked:
        await send_all(connection, LAST_CHUNK, time.monotonic() + timeout)


async def receive(connection: SocketConnection, exchange: Exchange, deadline: float) -> None:
    """Receive what the socket holds (waiting for it until `deadline`) into `exchange`.

    Raises:
        ConnectionLost: The agent closed the connection before answering.
        TimeoutError: The deadline passed.
        OSError: The connection broke.
        TransportError: The response is not valid HTTP, or was cut short.
    """
    sock = connection.sock
    while True:
        try:
            size = sock.recv_into(connection.buffer)
        except (BlockingIOError, ssl.SSLWantReadError):
            await wait_streamed(connection, True, deadline)
            continue
        except ssl.SSLWantWriteError:
            await wait_streamed(connection, False, deadline)
            continue
        except OSError as exc:
            raise exchange.receive_failed(exc) from exc
        exchange.received(connection.view[:size])
        return


async def read_head(connection: SocketConnection, exchange: Exchange, deadline: float) -> None:
    """Receive until the response's head has arrived (or the whole response), by `deadline`."""
    reader = exchange.reader
    while reader.head is None and not reader.complete:
        await receive(connection, exchange, deadline)


class AsyncNativeBody(StreamedBody[C]):
    """A response of the native async transport whose body is read as it arrives."""

    async def receive(self) -> bytes:
        """The next piece of the body; empty at its end.

        Raises:
            Timeout: No piece came within the timeout.
            TransportError: The connection broke, or the body was cut short.
        """
        while (piece := self._ready()) is None:
            connection = self._connection
            assert connection is not None  # _ready answers None only while one is held
            try:
                await receive(connection, self._exchange, self._deadline())
            except BaseException as exc:  # a cancellation too: the body is unread
                error = self._failed(exc)
                if error is exc:
                    raise
                raise error from exc if isinstance(exc, OSError) else None
        return piece

    async def aclose(self) -> None:
        """Release the connection: back to the pool after a body read to its end, else closed."""
        self._close()

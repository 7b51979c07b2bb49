# Generated from src/consul_transports/_native/_stream_async.py
# by scripts/unasync.py: do not edit by hand.
"""Streamed exchanges of the native blocking transport: a request body sent as it is read, a
response body handed on as it arrives, on a connection of the pool held until the stream is
closed.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from typing import TypeVar

from consul_transports._native._body import StreamedBody
from consul_transports._native._sockets import SocketConnection
from consul_transports._native._sync import wait_streamed
from consul_transports._native._wire import Exchange
from consul_transports._streams import LAST_CHUNK, chunk_frame

__all__ = ["NativeBody", "read_head", "send_all", "send_content"]

C = TypeVar("C", bound=SocketConnection)

_BLOCKED = (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError)


def send_all(connection: SocketConnection, data: bytes, deadline: float) -> None:
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
            wait_streamed(connection, isinstance(blocked, ssl.SSLWantReadError), deadline)


def send_content(
    connection: SocketConnection,
    content: Iterable[bytes],
    chunked: bool,
    timeout: float,
) -> None:
    """Send a request body as `content` yields it (framed in chunks when `chunked`), each piece
    within `timeout` seconds.

    Raises:
        TimeoutError: A piece could not be sent in time.
        OSError: The connection broke (the agent may have answered early: read its reply).
    """
    for piece in content:
        if piece:
            data = chunk_frame(piece) if chunked else piece
            send_all(connection, data, time.monotonic() + timeout)
    if chunked:
        send_all(connection, LAST_CHUNK, time.monotonic() + timeout)


def receive(connection: SocketConnection, exchange: Exchange, deadline: float) -> None:
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
            wait_streamed(connection, True, deadline)
            continue
        except ssl.SSLWantWriteError:
            wait_streamed(connection, False, deadline)
            continue
        except OSError as exc:
            raise exchange.receive_failed(exc) from exc
        exchange.received(connection.view[:size])
        return


def read_head(connection: SocketConnection, exchange: Exchange, deadline: float) -> None:
    """Receive until the response's head has arrived (or the whole response), by `deadline`."""
    reader = exchange.reader
    while reader.head is None and not reader.complete:
        receive(connection, exchange, deadline)


class NativeBody(StreamedBody[C]):
    """A response of the native blocking transport whose body is read as it arrives."""

    def receive(self) -> bytes:
        """The next piece of the body; empty at its end.

        Raises:
            Timeout: No piece came within the timeout.
            TransportError: The connection broke, or the body was cut short.
        """
        while (piece := self._ready()) is None:
            connection = self._connection
            assert connection is not None  # _ready answers None only while one is held
            try:
                receive(connection, self._exchange, self._deadline())
            except BaseException as exc:  # a cancellation too: the body is unread
                error = self._failed(exc)
                if error is exc:
                    raise
                raise error from exc if isinstance(exc, OSError) else None
        return piece

    def close(self) -> None:
        """Release the connection: back to the pool after a body read to its end, else closed."""
        self._close()

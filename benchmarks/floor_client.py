"""The floor: what a Python Consul client could cost at best, measured beside the clients.

The logic of ``shared/bench-floor/floor_client.py`` (the project's reference floor program),
copied here so that ``nox -s bench`` runs it in the same rounds as the clients: keep-alive
HTTP/1.1 with responses framed by httptools (llhttp), over anyio byte streams (asyncio, trio)
or a blocking socket, one connection per concurrent caller. No pool, no error mapping, no JSON
decoding, no typed results: what is left when a client does nothing but HTTP/1.1.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

import anyio
import httptools


def request_bytes(host: bytes, method: str, target: str, body: bytes = b"") -> bytes:
    """An HTTP/1.1 request, with a Content-Length when it has a body (or is a PUT or POST)."""
    head = b"%s %s HTTP/1.1\r\nHost: %s\r\n" % (method.encode(), target.encode(), host)
    if body or method in ("PUT", "POST"):
        return head + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    return head + b"\r\n"


class _Message:
    """llhttp's callbacks for one connection; reset before each response."""

    __slots__ = ("body", "done", "headers", "index", "keep", "parser", "status")

    def __init__(self) -> None:
        self.parser: Any = None
        self.status = 0
        self.keep = True
        self.reset()

    def reset(self) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.index: int | None = None
        self.body: list[bytes] = []
        self.done = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))
        if name.lower() == b"x-consul-index":
            self.index = int(value)

    def on_body(self, data: bytes) -> None:
        self.body.append(data)

    def on_message_complete(self) -> None:
        # Taken now, while the parser still describes this response.
        self.status = self.parser.get_status_code()
        self.keep = self.parser.should_keep_alive()
        self.done = True


def _joined(parts: list[bytes]) -> bytes:
    return parts[0] if len(parts) == 1 else b"".join(parts)


class AsyncConnection:
    """One keep-alive connection over an anyio byte stream (asyncio or trio)."""

    def __init__(self, stream: Any, host: bytes) -> None:
        self.stream = stream
        self.host = host
        self.message = _Message()
        self.parser = self.message.parser = httptools.HttpResponseParser(self.message)

    async def request(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        """The status and body of the response to one request."""
        message = self.message
        message.reset()
        await self.stream.send(request_bytes(self.host, method, target, body))
        feed, receive = self.parser.feed_data, self.stream.receive
        while not message.done:
            feed(await receive())
        if message.status != 200:
            raise RuntimeError(message.status)
        return message.status, _joined(message.body)


class SyncConnection:
    """One keep-alive connection over a blocking socket."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = f"{host}:{port}".encode()
        self.message = _Message()
        self.parser = self.message.parser = httptools.HttpResponseParser(self.message)

    def request(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        """The status and body of the response to one request."""
        message = self.message
        message.reset()
        self.sock.sendall(request_bytes(self.host, method, target, body))
        feed, receive = self.parser.feed_data, self.sock.recv
        while not message.done:
            data = receive(65536)
            if not data:
                raise ConnectionError("the agent closed the connection mid-response")
            feed(data)
        if message.status != 200:
            raise RuntimeError(message.status)
        return message.status, _joined(message.body)

    def close(self) -> None:
        self.sock.close()


class AsyncFloor:
    """The floor's async client as the benchmark sees a client: one connection per task (a
    free list: each call takes one, and opens one when none is free).
    """

    def __init__(self, host: str, port: int) -> None:
        self.address = (host, port)
        self.host = f"{host}:{port}".encode()
        self.free: list[AsyncConnection] = []
        self.opened: list[AsyncConnection] = []

    async def call(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        """One request on a free connection."""
        if self.free:
            connection = self.free.pop()
        else:
            stream = await anyio.connect_tcp(*self.address)
            connection = AsyncConnection(stream, self.host)
            self.opened.append(connection)
        try:
            return await connection.request(method, target, body)
        finally:
            self.free.append(connection)

    async def aclose(self) -> None:
        for connection in self.opened:
            await connection.stream.aclose()


class SyncFloor:
    """The floor's blocking client as the benchmark sees a client: one connection per thread."""

    def __init__(self, host: str, port: int) -> None:
        self.address = (host, port)
        self.local = threading.local()
        self.opened: list[SyncConnection] = []
        self.lock = threading.Lock()

    def call(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        """One request on this thread's connection."""
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = SyncConnection(*self.address)
            with self.lock:
                self.opened.append(connection)
        return connection.request(method, target, body)

    def headers(self) -> list[tuple[bytes, bytes]]:
        """The header fields of the last response on this thread's connection."""
        message: _Message = self.local.connection.message
        return message.headers

    def close(self) -> None:
        for connection in self.opened:
            connection.close()

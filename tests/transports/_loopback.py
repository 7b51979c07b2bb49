"""Tiny loopback servers for transport tests: a scripted HTTP/1.1 server for fault injection and
a relay that counts the connections a client opens to the real agent.

Both listen on 127.0.0.1 only, serve from daemon threads with socket timeouts (so nothing
outlives a test for long), and close every socket when their ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

import attrs

LOOPBACK = "127.0.0.1"
_IO_TIMEOUT = 10.0


@attrs.frozen
class Received:
    """A request the scripted server read.

    Attributes:
        connection: The 1-based number of the connection it came on.
        number: Its 1-based number on that connection.
        method: The request method.
        target: The request target.
        headers: The headers, names lower-cased.
        body: The body.
    """

    connection: int
    number: int
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@attrs.frozen
class Reply:
    """What the scripted server does with a request.

    Attributes:
        data: The bytes to send.
        then: ``"keep"`` (read the next request), ``"close"`` (close the connection), or
            ``"stall"`` (send nothing more; wait for the client to close).
        delay: Seconds to wait before sending.
    """

    data: bytes = b""
    then: str = "keep"
    delay: float = 0.0


def response(
    status: int = 200, body: bytes = b"", headers: tuple[tuple[str, str], ...] = ()
) -> bytes:
    """A complete HTTP/1.1 response with a Content-Length."""
    head = [f"HTTP/1.1 {status} X", *(f"{k}: {v}" for k, v in headers)]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


Handler = Callable[[Received], Reply]
L = TypeVar("L", bound="_Listener")


class _Threads:
    """Daemon threads and sockets that `close` stops and closes."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.closing = threading.Event()

    def start(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def own(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def close(self) -> None:
        self.closing.set()
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in threads:
            thread.join(_IO_TIMEOUT)


class _Listener:
    """A loopback listener that hands each accepted connection to `serve` in a thread."""

    def __init__(self) -> None:
        self._work = _Threads()
        self._listener = self._work.own(socket.create_server((LOOPBACK, 0)))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.address = f"http://{LOOPBACK}:{self.port}"
        self.connections = 0
        self.open_now = 0
        self.most_open = 0
        self.closed_by_client = threading.Event()
        self._count = threading.Lock()

    def serve(self, conn: socket.socket, number: int) -> None:
        raise NotImplementedError

    def __enter__(self: L) -> L:
        self._work.start(self._accept)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work.close()

    def _accept(self) -> None:
        while not self._work.closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(_IO_TIMEOUT)
            with self._count:
                self.connections += 1
                self.open_now += 1
                self.most_open = max(self.most_open, self.open_now)
                number = self.connections
            self._work.start(self._serve_and_count, self._work.own(conn), number)

    def _serve_and_count(self, conn: socket.socket, number: int) -> None:
        try:
            self.serve(conn, number)
        except OSError:
            pass
        finally:
            conn.close()
            with self._count:
                self.open_now -= 1


def _read_request(conn: socket.socket, buffer: bytearray) -> tuple[str, dict[str, str], bytes]:
    """Read one request from `conn` (leftover bytes stay in `buffer`); raise EOFError at EOF."""
    while b"\r\n\r\n" not in buffer:
        data = conn.recv(65536)
        if not data:
            raise EOFError
        buffer += data
    end = buffer.index(b"\r\n\r\n")
    head, rest = bytes(buffer[:end]).decode("latin-1"), buffer[end + 4 :]
    line, *fields = head.split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (f.split(":", 1) for f in fields)}
    size = int(headers.get("content-length", "0"))
    while len(rest) < size:
        data = conn.recv(65536)
        if not data:
            raise EOFError
        rest += data
    buffer[:] = rest[size:]
    return line, headers, bytes(rest[:size])


class ScriptedServer(_Listener):
    """An HTTP/1.1 server whose every reply `handler` decides (see `Reply`).

    Attributes:
        received: The requests read so far.
    """

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self._handler = handler
        self.received: list[Received] = []

    def serve(self, conn: socket.socket, number: int) -> None:
        buffer = bytearray()
        count = 0
        while True:
            try:
                line, headers, body = _read_request(conn, buffer)
            except EOFError:
                self.closed_by_client.set()
                return
            count += 1
            method, target, _ = line.split(" ", 2)
            request = Received(number, count, method, target, headers, body)
            self.received.append(request)
            reply = self._handler(request)
            if reply.delay:
                time.sleep(reply.delay)
            conn.sendall(reply.data)
            if reply.then == "close":
                return
            if reply.then == "stall":
                while conn.recv(65536):
                    pass
                self.closed_by_client.set()
                return


class Relay(_Listener):
    """Forwards each connection to `target`, counting connections and keeping what the agent
    sent back (`from_agent`).
    """

    def __init__(self, target_port: int) -> None:
        super().__init__()
        self._target = (LOOPBACK, target_port)
        self.from_agent = bytearray()

    def serve(self, conn: socket.socket, number: int) -> None:
        del number
        upstream = self._work.own(socket.create_connection(self._target, _IO_TIMEOUT))
        try:
            self._work.start(self._pump, upstream, conn, self.from_agent)
            self._pump(conn, upstream, None)
        finally:
            upstream.close()

    def _pump(self, source: socket.socket, sink: socket.socket, record: bytearray | None) -> None:
        try:
            while data := source.recv(65536):
                if record is not None:
                    record += data
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

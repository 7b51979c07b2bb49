"""The native async transport: HTTP/1.1 over a pool of non-blocking sockets, one code path for
asyncio and trio.

The sockets are driven with anyio's `wait_readable`/`wait_writable` rather than anyio's
streams: per request that saves the stream layer's extra loop iteration, its pausing and
resuming of reads and its buffering (about 60 us of CPU per request under asyncio, a quarter
of the transport's cost, on a 2-core machine), and it lets both transports share the socket
handling (`_sockets`). A pool belongs to the event loop that first uses it.
"""

from __future__ import annotations

import os
import socket
import ssl
import time
from collections.abc import AsyncIterable
from typing import Any

import anyio
import anyio.lowlevel

from consul_core import Request, Response, UsageError
from consul_transports import _observe
from consul_transports._config import ClientConfig
from consul_transports._limits import AsyncBlockingGate, PoolLimits
from consul_transports._native._policy import (
    Endpoint,
    IdleConnections,
    Stage,
    connect_failed,
    connect_timeout,
    lost,
    may_retry,
    read_timeout,
    timed_out,
)
from consul_transports._native._sockets import SocketConnection, tls_wrap, tuned
from consul_transports._native._stream_async import (
    AsyncNativeBody,
    read_head,
    send_all,
    send_content,
)
from consul_transports._native._wire import ConnectionLost, Exchange, encode_request
from consul_transports._streams import CHUNKED

__all__ = ["AsyncNativeTransport"]

_BLOCKED = (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError)
# A connection whose early read missed waits for its answers for a pause of calls that doubles
# with each miss in a row (up to _LONGEST_PAUSE calls) and is back to one after a hit.
_LONGEST_PAUSE = 64


def _scope(deadline: float) -> anyio.CancelScope:
    """A cancel scope that ends at `deadline`, a `time.monotonic` time (a call's deadline is
    taken on that clock, which costs less to read than the event loop's: most calls never wait
    and never need the event loop's).

    Raises:
        TimeoutError: The deadline has passed.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return anyio.CancelScope(deadline=anyio.current_time() + left)


async def _wait(sock: socket.socket, readable: bool, deadline: float) -> None:
    """Wait until `sock` is readable (or writable), by `deadline` (a monotonic time).

    Raises:
        TimeoutError: The deadline passed first.
    """
    with _scope(deadline) as scope:
        await (anyio.wait_readable if readable else anyio.wait_writable)(sock)
    if scope.cancelled_caught:
        raise TimeoutError


class _Connection(SocketConnection):
    """One open non-blocking socket (TCP, TLS over TCP, or a unix socket)."""

    __slots__ = ("_pause", "_paused")

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(sock)
        self._paused = 0  # calls left before the next early read
        self._pause = 1  # the pause after the next miss

    async def run(self, exchange: Exchange, deadline: float, *, held: bool = False) -> None:
        """Send a request and read until its response is complete, by `deadline`; `held` for
        a blocking query (the agent holds it: no early read).

        Raises:
            ConnectionLost: The agent closed the connection before answering.
            TimeoutError: The deadline passed.
            OSError: The connection broke during the response.
            TransportError: The response is not valid HTTP, or was cut short.
        """
        sock = self.sock
        while (data := exchange.unsent) is not None:
            try:
                exchange.sent(sock.send(data))
            except _BLOCKED as blocked:  # TLS may need to read before it can write
                await _wait(sock, isinstance(blocked, ssl.SSLWantReadError), deadline)
            except OSError as exc:
                exchange.write_failed(exc)
        buffer, view = self.buffer, self.view
        readable = early = not (held or self._paused)
        if early:
            # Let the other tasks run first: when they have work, the answer has often come
            # by the time they are done, and reading it saves a wait (a registration of the
            # socket with the event loop and its removal). A miss pauses early reads.
            await anyio.lowlevel.checkpoint()
        elif not held:
            self._paused -= 1
        while True:
            if not readable:
                await _wait(sock, True, deadline)
            try:
                size = sock.recv_into(buffer)
            except (BlockingIOError, ssl.SSLWantReadError):
                if early:
                    self._paused, self._pause = self._pause, min(self._pause * 2, _LONGEST_PAUSE)
                    early = False
                readable = False
                continue
            except ssl.SSLWantWriteError:
                await _wait(sock, False, deadline)
                continue
            except OSError as exc:
                raise exchange.receive_failed(exc) from exc
            if early:
                self._pause = 1
                early = False
            if exchange.received(view[:size]):
                return
            # TLS may hold more decrypted bytes than the socket shows: try before waiting.
            readable = True


async def _addresses(endpoint: Endpoint) -> list[tuple[socket.AddressFamily, Any]]:
    if endpoint.uds is not None:
        return [(socket.AF_UNIX, endpoint.uds)]
    if endpoint.ip is not None:  # no lookup, which would start a resolver thread
        return [(endpoint.ip, (endpoint.host, endpoint.port))]
    found = await anyio.getaddrinfo(endpoint.host, endpoint.port, type=socket.SOCK_STREAM)
    return [(family, address) for family, _, _, _, address in found]


async def _connected(family: socket.AddressFamily, address: Any) -> socket.socket:
    """A non-blocking socket connected to `address` (closed again if that fails)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        try:
            sock.connect(address)
        except BlockingIOError:
            await anyio.wait_writable(sock)
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise OSError(code, os.strerror(code)) from None
    except BaseException:
        sock.close()
        raise
    return sock


async def _handshake(sock: ssl.SSLSocket) -> None:
    """Complete a TLS handshake (closing the socket if it fails)."""
    try:
        while True:
            try:
                sock.do_handshake()
                return
            except _BLOCKED as blocked:
                await (
                    anyio.wait_readable
                    if isinstance(blocked, ssl.SSLWantReadError)
                    else anyio.wait_writable
                )(sock)
    except BaseException:
        sock.close()
        raise


async def _open_socket(endpoint: Endpoint) -> socket.socket:
    """A connected non-blocking socket to the endpoint, TLS included: each of its addresses is
    tried in turn.
    """
    error: OSError | None = None
    for family, address in await _addresses(endpoint):
        try:
            sock = await _connected(family, address)
        except OSError as exc:
            error = exc
            continue
        sock = tls_wrap(endpoint, tuned(sock), handshake=False)
        if isinstance(sock, ssl.SSLSocket):
            await _handshake(sock)
        return sock
    raise error or OSError(f"no address found for {endpoint.host}")


class AsyncNativeTransport:
    """An async transport: HTTP/1.1 over a bounded keep-alive pool of sockets (TCP, TLS or a
    unix socket), responses parsed by httptools; for asyncio and trio alike.

    A call's timeout bounds all of it, as Go's ``http.Client.Timeout`` does: the wait for a
    free connection, connecting, sending and reading the whole response.
    """

    def __init__(self, config: ClientConfig, *, limits: PoolLimits | None = None) -> None:
        """Prepare the pool; no connection is opened before the first request.

        Args:
            config: The client's configuration (address, TLS, default timeout).
            limits: The connection budget; default `PoolLimits()`.
        """
        limits = limits or PoolLimits()
        self._config = config
        self._endpoint = Endpoint.from_config(config)
        self._slots = anyio.Semaphore(limits.max_connections, fast_acquire=True)
        self._gate = AsyncBlockingGate(limits)
        self._idle: IdleConnections[_Connection] = IdleConnections(limits.idle_timeout)
        self._closed = False

    async def send(self, request: Request) -> Response:
        """Send one request and read the whole response, within the request's timeout.

        Raises:
            ConnectError: No connection could be made.
            Timeout: The agent did not answer in time (or no connection became free).
            TransportError: The connection broke or the response was not valid HTTP.
        """
        payload = encode_request(request, self._endpoint.host_header)
        timeout = read_timeout(self._config, request)
        if not request.blocking:
            return await self._send(request, payload, timeout)
        await self._gate.enter(request, timeout)
        try:
            return await self._send(request, payload, timeout)
        finally:
            self._gate.leave()

    async def open_stream(
        self,
        request: Request,
        *,
        content: AsyncIterable[bytes] | None = None,
        content_length: int | None = None,
        endless: bool = False,
    ) -> AsyncNativeBody[_Connection]:
        """Send `request` (with `content` as its body, if given) and return the response once
        its head has arrived; its body is read as it comes (see `AsyncStreamingTransport`).
        A streamed request always goes out on a new connection (an idle one in its way is
        closed), so that a body read once is never sent again.

        Raises:
            ConnectError: No connection could be made.
            Timeout: A wait (for a slot, connecting, sending, the head) took longer than the
                request's timeout.
            TransportError: The connection broke or the response was not valid HTTP.
        """
        framing = None
        if content is not None:
            framing = CHUNKED if content_length is None else f"Content-Length: {content_length}"
        payload = encode_request(request, self._endpoint.host_header, framing=framing)
        timeout = read_timeout(self._config, request)
        if endless:
            await self._gate.enter(request, timeout)
        try:
            connection, exchange = await self._open_stream(
                request, payload, content, framing, timeout
            )
        except BaseException:
            if endless:
                self._gate.leave()
            raise
        if _observe.tracking:
            _observe.connection.set("new")  # a stream always goes out on a new connection
        if not endless:
            return AsyncNativeBody(connection, exchange, request, timeout, self._checkin)

        def release(kept: _Connection | None) -> None:
            self._gate.leave()
            self._checkin(kept)

        return AsyncNativeBody(connection, exchange, request, None, release)

    async def _open_stream(
        self,
        request: Request,
        payload: bytes,
        content: AsyncIterable[bytes] | None,
        framing: str | None,
        timeout: float,
    ) -> tuple[_Connection, Exchange]:
        """A new connection that carried `payload` (and `content`), and its exchange, the
        response's head read; the slot of the pool stays taken.
        """
        stage = Stage.POOL
        try:
            idle = await self._checkout(time.monotonic() + timeout)
            connection: _Connection | None = None
            try:
                if idle is not None:
                    idle.close()
                stage = Stage.CONNECT
                connection = await self._connect(timeout, time.monotonic() + timeout)
                stage = Stage.READ
                exchange = Exchange(payload, reader=connection.reader)
                try:
                    await send_all(connection, payload, time.monotonic() + timeout)
                    exchange.sent(len(payload))
                    if content is not None:
                        await send_content(connection, content, framing == CHUNKED, timeout)
                except OSError as exc:  # the agent may have answered (and closed) early
                    if isinstance(exc, TimeoutError):
                        raise
                    exchange.write_failed(exc)
                await read_head(connection, exchange, time.monotonic() + timeout)
            except BaseException as exc:
                if connection is not None:
                    connection.close()
                self._checkin(None)
                if isinstance(exc, ConnectionLost):
                    raise lost(request, exc.__cause__) from exc
                if isinstance(exc, OSError) and not isinstance(exc, TimeoutError):
                    raise lost(request, exc) from exc
                raise
        except TimeoutError:
            raise timed_out(stage, self._endpoint, request, timeout) from None
        return connection, exchange

    async def aclose(self) -> None:
        """Close the idle connections; those in use close when their response is read."""
        self._closed = True
        for connection in self._idle.drain():
            connection.close()

    async def _send(self, request: Request, payload: bytes, timeout: float) -> Response:
        # The deadline bounds every wait of the call; the steps between waits take no time
        # to speak of, and need no cancel scope of their own.
        deadline = time.monotonic() + timeout
        stage = Stage.POOL
        try:
            connection = await self._checkout(deadline)
            kept: _Connection | None = None
            try:
                if connection is not None:
                    stage = Stage.READ
                    try:
                        response, kept = await self._exchange(
                            connection, request, payload, deadline
                        )
                        if _observe.tracking:
                            _observe.connection.set("reused")
                        return response
                    except ConnectionLost as exc:
                        if not may_retry(request.method, exc):
                            raise lost(request, exc.__cause__) from exc
                        _observe.resent(
                            request, "the agent closed a kept-alive connection unanswered"
                        )
                stage = Stage.CONNECT
                connection = await self._connect(timeout, deadline)
                stage = Stage.READ
                try:
                    response, kept = await self._exchange(connection, request, payload, deadline)
                    if _observe.tracking:
                        _observe.connection.set("new")
                    return response
                except ConnectionLost as exc:
                    raise lost(request, exc.__cause__) from exc
            finally:
                self._checkin(kept)
        except TimeoutError:
            raise timed_out(stage, self._endpoint, request, timeout) from None

    async def _checkout(self, deadline: float) -> _Connection | None:
        """Take a slot (waiting for one until `deadline`) and the idle connection to reuse.

        Raises:
            TimeoutError: No slot came free in time.
        """
        try:
            self._slots.acquire_nowait()
        except anyio.WouldBlock:
            with _scope(deadline) as scope:
                await self._slots.acquire()
            if scope.cancelled_caught:
                raise TimeoutError from None
        if self._closed:
            self._slots.release()
            raise UsageError("the client is closed: make a new one")
        while True:
            connection, expired = self._idle.take(time.monotonic())
            for old in expired:
                old.close()
            if connection is None or not connection.peer_has_spoken():
                return connection
            connection.close()

    def _checkin(self, kept: _Connection | None) -> None:
        """Give the slot back, and `kept` to the idle connections."""
        if kept is not None:
            if self._closed:
                kept.close()
            else:
                self._idle.put(kept, time.monotonic())
        self._slots.release()

    async def _exchange(
        self, connection: _Connection, request: Request, payload: bytes, deadline: float
    ) -> tuple[Response, _Connection | None]:
        """The response, and the connection if it may be reused (else it is closed).

        Raises:
            TimeoutError: The deadline passed (the connection is closed).
        """
        exchange = Exchange(payload, head_only=request.method == "HEAD", reader=connection.reader)
        try:
            await connection.run(exchange, deadline, held=request.blocking)
        except BaseException as exc:  # a cancellation too: the response is unread
            connection.close()
            if isinstance(exc, OSError) and not isinstance(exc, TimeoutError):
                raise lost(request, exc) from exc
            raise
        if exchange.reusable:
            return exchange.reader.response(), connection
        connection.close()
        return exchange.reader.response(), None

    async def _connect(self, timeout: float, deadline: float) -> _Connection:
        """A new connection, made within the connect timeout and by `deadline`.

        Raises:
            TimeoutError: The deadline passed.
        """
        with _scope(deadline):
            try:
                with anyio.fail_after(connect_timeout(timeout)):
                    return _Connection(await _open_socket(self._endpoint))
            except OSError as exc:  # TimeoutError included
                raise connect_failed(self._endpoint, exc) from exc
        raise TimeoutError

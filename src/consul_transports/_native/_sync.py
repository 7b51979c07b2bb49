"""The native blocking transport: HTTP/1.1 over a pool of sockets that the calling thread waits
on (a poll bounded by the call's deadline), safe to share between threads (a lock guards the
pool's bookkeeping; a connection serves one thread at a time).
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterable

from consul_core import Request, Response, UsageError
from consul_transports import _observe
from consul_transports._config import ClientConfig
from consul_transports._limits import BlockingGate, PoolLimits
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
from consul_transports._native._stream_sync import NativeBody, read_head, send_all, send_content
from consul_transports._native._wire import ConnectionLost, Exchange, encode_request
from consul_transports._streams import CHUNKED

__all__ = ["NativeTransport"]


def _remaining(deadline: float) -> float:
    """The seconds left before `deadline` (a monotonic time).

    Raises:
        TimeoutError: None are left.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


_BLOCKED = (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError)


class _Connection(SocketConnection):
    """One open socket (TCP, TLS over TCP, or a unix socket), non-blocking: each wait is a poll
    bounded by the call's deadline.
    """

    __slots__ = ()

    def run(self, exchange: Exchange, deadline: float) -> None:
        """Send a request and read until its response is complete, by `deadline` (a monotonic
        time).

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
                self.wait(isinstance(blocked, ssl.SSLWantReadError), deadline)
            except OSError as exc:
                exchange.write_failed(exc)
        buffer, view = self.buffer, self.view
        readable = False  # nothing can have come yet: the request was just sent
        while True:
            if not readable:
                self.wait(True, deadline)
            try:
                size = sock.recv_into(buffer)
            except (BlockingIOError, ssl.SSLWantReadError):
                readable = False
                continue
            except ssl.SSLWantWriteError:
                self.wait(False, deadline)
                continue
            except OSError as exc:
                raise exchange.receive_failed(exc) from exc
            if exchange.received(view[:size]):
                return
            # TLS may hold more decrypted bytes than the socket shows: try before waiting.
            readable = True


class NativeTransport:
    """A blocking transport: HTTP/1.1 over a bounded keep-alive pool of sockets (TCP, TLS or a
    unix socket), responses parsed by httptools.

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
        self._lock = threading.Lock()
        self._freed = threading.Condition(self._lock)
        self._free = limits.max_connections  # slots: requests that may hold a connection
        self._waiting = 0
        self._gate = BlockingGate(limits)
        self._idle: IdleConnections[_Connection] = IdleConnections(limits.idle_timeout)
        self._closed = False

    def send(self, request: Request) -> Response:
        """Send one request and read the whole response, within the request's timeout.

        Raises:
            ConnectError: No connection could be made.
            Timeout: The agent did not answer in time (or no connection became free).
            TransportError: The connection broke or the response was not valid HTTP.
        """
        payload = encode_request(request, self._endpoint.host_header)
        timeout = read_timeout(self._config, request)
        if not request.blocking:
            return self._send(request, payload, timeout)
        self._gate.enter(request, timeout)
        try:
            return self._send(request, payload, timeout)
        finally:
            self._gate.leave()

    def open_stream(
        self,
        request: Request,
        *,
        content: Iterable[bytes] | None = None,
        content_length: int | None = None,
        endless: bool = False,
    ) -> NativeBody[_Connection]:
        """Send `request` (with `content` as its body, if given) and return the response once
        its head has arrived; its body is read as it comes (see `SyncStreamingTransport`).
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
            self._gate.enter(request, timeout)
        try:
            connection, exchange = self._open_stream(request, payload, content, framing, timeout)
        except BaseException:
            if endless:
                self._gate.leave()
            raise
        if _observe.tracking:
            _observe.connection.set("new")  # a stream always goes out on a new connection
        if not endless:
            return NativeBody(connection, exchange, request, timeout, self._checkin)

        def release(kept: _Connection | None) -> None:
            self._gate.leave()
            self._checkin(kept)

        return NativeBody(connection, exchange, request, None, release)

    def _open_stream(
        self,
        request: Request,
        payload: bytes,
        content: Iterable[bytes] | None,
        framing: str | None,
        timeout: float,
    ) -> tuple[_Connection, Exchange]:
        """A new connection that carried `payload` (and `content`), and its exchange, the
        response's head read; the slot of the pool stays taken.
        """
        stage = Stage.POOL
        try:
            idle = self._checkout(time.monotonic() + timeout)
            connection: _Connection | None = None
            try:
                if idle is not None:
                    idle.close()
                stage = Stage.CONNECT
                connection = self._connect(time.monotonic() + timeout)
                stage = Stage.READ
                exchange = Exchange(payload, reader=connection.reader)
                try:
                    send_all(connection, payload, time.monotonic() + timeout)
                    exchange.sent(len(payload))
                    if content is not None:
                        send_content(connection, content, framing == CHUNKED, timeout)
                except OSError as exc:  # the agent may have answered (and closed) early
                    if isinstance(exc, TimeoutError):
                        raise
                    exchange.write_failed(exc)
                read_head(connection, exchange, time.monotonic() + timeout)
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

    def close(self) -> None:
        """Close the idle connections; those in use close when their response is read."""
        with self._lock:
            self._closed = True
            idle = self._idle.drain()
            self._freed.notify_all()
        for connection in idle:
            connection.close()

    def _send(self, request: Request, payload: bytes, timeout: float) -> Response:
        deadline = time.monotonic() + timeout
        stage = Stage.POOL
        try:
            connection = self._checkout(deadline)
            kept: _Connection | None = None
            try:
                if connection is not None:
                    stage = Stage.READ
                    try:
                        response, kept = self._exchange(connection, request, payload, deadline)
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
                connection = self._connect(deadline)
                stage = Stage.READ
                try:
                    response, kept = self._exchange(connection, request, payload, deadline)
                    if _observe.tracking:
                        _observe.connection.set("new")
                    return response
                except ConnectionLost as exc:
                    raise lost(request, exc.__cause__) from exc
            finally:
                self._checkin(kept)
        except TimeoutError:
            raise timed_out(stage, self._endpoint, request, timeout) from None

    def _checkout(self, deadline: float) -> _Connection | None:
        """Take a slot (waiting for one until `deadline`) and the idle connection to reuse.

        Raises:
            TimeoutError: No slot came free in time.
        """
        with self._lock:
            if not self._free and not self._closed:
                self._waiting += 1
                try:
                    free = self._freed.wait_for(
                        lambda: self._free or self._closed, deadline - time.monotonic()
                    )
                    if not free:
                        raise TimeoutError
                finally:
                    self._waiting -= 1
            if self._closed:
                raise UsageError("the client is closed: make a new one")
            self._free -= 1
            connection, expired = self._idle.take(time.monotonic())
        while True:
            for old in expired:
                old.close()
            if connection is None or not connection.peer_has_spoken():
                return connection
            connection.close()
            with self._lock:
                connection, expired = self._idle.take(time.monotonic())

    def _checkin(self, kept: _Connection | None) -> None:
        """Give the slot back, and `kept` to the idle connections."""
        with self._lock:
            self._free += 1
            if kept is not None and not self._closed:
                self._idle.put(kept, time.monotonic())
                kept = None
            if self._waiting:
                self._freed.notify()
        if kept is not None:
            kept.close()

    def _exchange(
        self, connection: _Connection, request: Request, payload: bytes, deadline: float
    ) -> tuple[Response, _Connection | None]:
        """The response, and the connection if it may be reused (else it is closed).

        Raises:
            TimeoutError: The deadline passed (the connection is closed).
        """
        exchange = Exchange(payload, head_only=request.method == "HEAD", reader=connection.reader)
        try:
            connection.run(exchange, deadline)
        except BaseException as exc:
            connection.close()
            if isinstance(exc, OSError) and not isinstance(exc, TimeoutError):
                raise lost(request, exc) from exc
            raise
        if exchange.reusable:
            return exchange.reader.response(), connection
        connection.close()
        return exchange.reader.response(), None

    def _connect(self, deadline: float) -> _Connection:
        """A new connection, made within the connect timeout and by `deadline`.

        Raises:
            TimeoutError: The deadline passed.
        """
        endpoint = self._endpoint
        limit = connect_timeout(_remaining(deadline))
        try:
            if endpoint.uds is not None:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.settimeout(limit)
                    sock.connect(endpoint.uds)
                except BaseException:
                    sock.close()
                    raise
            else:
                sock = tuned(socket.create_connection((endpoint.host, endpoint.port), limit))
            return _Connection(tls_wrap(endpoint, sock, handshake=True))
        except OSError as exc:  # TimeoutError included
            raise connect_failed(endpoint, exc) from exc

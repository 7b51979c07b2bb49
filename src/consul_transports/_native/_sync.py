"""The native blocking transport: HTTP/1.1 over a pool of blocking sockets, safe to share
between threads (a lock guards the pool's bookkeeping; a connection serves one thread at a time).
"""

from __future__ import annotations

import socket
import threading
import time

from consul_core import Request, Response, TransportError
from consul_transports._config import ClientConfig
from consul_transports._native._policy import (
    Endpoint,
    IdleConnections,
    PoolLimits,
    connect_failed,
    connect_timeout,
    lost,
    may_retry,
    pool_timed_out,
    read_timed_out,
    read_timeout,
)
from consul_transports._native._sockets import SocketConnection, tls_wrap, tuned
from consul_transports._native._wire import ConnectionLost, Exchange, encode_request

__all__ = ["NativeTransport"]


class _Connection(SocketConnection):
    """One open blocking socket (TCP, TLS over TCP, or a unix socket)."""

    __slots__ = ()

    def run(self, exchange: Exchange, timeout: float) -> None:
        """Send a request and read until its response is complete; each socket operation
        may take up to `timeout` seconds.

        Raises:
            ConnectionLost: The agent closed the connection before answering.
            TimeoutError: A socket operation timed out.
            OSError: The connection broke during the response.
            TransportError: The response is not valid HTTP, or was cut short.
        """
        sock = self.sock
        sock.settimeout(timeout)
        try:
            while (data := exchange.unsent) is not None:
                exchange.sent(sock.send(data))
        except TimeoutError:
            raise
        except OSError as exc:
            exchange.write_failed(exc)
        buffer, view = self.buffer, self.view
        while True:
            try:
                size = sock.recv_into(buffer)
            except TimeoutError:
                raise
            except OSError as exc:
                raise exchange.receive_failed(exc) from exc
            if exchange.received(view[:size]):
                return


class NativeTransport:
    """A blocking transport: HTTP/1.1 over a bounded keep-alive pool of sockets (TCP, TLS or a
    unix socket), responses parsed by httptools.
    """

    def __init__(self, config: ClientConfig, *, limits: PoolLimits | None = None) -> None:
        """Prepare the pool; no connection is opened before the first request.

        Args:
            config: The client's configuration (address, TLS, default timeout).
            limits: The pool's bounds; default 32 connections, closed after 30 s idle.
        """
        limits = limits or PoolLimits()
        self._config = config
        self._endpoint = Endpoint.from_config(config)
        self._lock = threading.Lock()
        self._freed = threading.Condition(self._lock)
        self._free = limits.max_connections  # slots: requests that may hold a connection
        self._waiting = 0
        self._idle: IdleConnections[_Connection] = IdleConnections(limits.idle_timeout)
        self._closed = False

    def send(self, request: Request) -> Response:
        """Send one request and read the whole response.

        Raises:
            ConnectError: No connection could be made.
            Timeout: The agent did not answer in time (or no connection became free).
            TransportError: The connection broke or the response was not valid HTTP.
        """
        payload = encode_request(request, self._endpoint.host_header)
        timeout = read_timeout(self._config, request)
        connection = self._checkout(timeout)
        kept: _Connection | None = None
        try:
            if connection is not None:
                try:
                    response, kept = self._exchange(connection, request, payload, timeout)
                    return response
                except ConnectionLost as exc:
                    if not may_retry(request.method, exc):
                        raise lost(request, exc.__cause__) from exc
            try:
                connection = self._connect(timeout)
                response, kept = self._exchange(connection, request, payload, timeout)
                return response
            except ConnectionLost as exc:
                raise lost(request, exc.__cause__) from exc
        finally:
            self._checkin(kept)

    def close(self) -> None:
        """Close the idle connections; those in use close when their response is read."""
        with self._lock:
            self._closed = True
            idle = self._idle.drain()
            self._freed.notify_all()
        for connection in idle:
            connection.close()

    def _checkout(self, timeout: float) -> _Connection | None:
        """Take a slot (waiting up to `timeout` for one) and the idle connection to reuse."""
        with self._lock:
            if not self._free and not self._closed:
                self._waiting += 1
                try:
                    if not self._freed.wait_for(lambda: self._free or self._closed, timeout):
                        raise pool_timed_out(timeout)
                finally:
                    self._waiting -= 1
            if self._closed:
                raise TransportError("the client is closed")
            self._free -= 1
        while True:
            with self._lock:
                connection, expired = self._idle.take(time.monotonic())
            for old in expired:
                old.close()
            if connection is None or not connection.peer_has_spoken():
                return connection
            connection.close()

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
        self, connection: _Connection, request: Request, payload: bytes, timeout: float
    ) -> tuple[Response, _Connection | None]:
        """The response, and the connection if it may be reused (else it is closed)."""
        exchange = Exchange(payload, head_only=request.method == "HEAD")
        try:
            connection.run(exchange, timeout)
        except BaseException as exc:
            connection.close()
            if isinstance(exc, TimeoutError):
                raise read_timed_out(request, timeout) from None
            if isinstance(exc, OSError):
                raise lost(request, exc) from exc
            raise
        if exchange.reusable:
            return exchange.reader.response(), connection
        connection.close()
        return exchange.reader.response(), None

    def _connect(self, timeout: float) -> _Connection:
        endpoint = self._endpoint
        limit = connect_timeout(timeout)
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

"""What bounds a call over httpx by its timeout: hand-written, since the two sides differ in more
than words. The async transport runs the call under an anyio deadline (`AsyncDeadline`); the
sync one bounds each socket operation of the clients it makes by the time the call has left
(`Deadline`: httpx offers no hook for that, so its connection pool's network backend is
replaced; the same streams let a sync watch's stop cut a read short). `_httpx_async.py` uses
`AsyncDeadline` where its generated twin uses `Deadline`.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
import typing
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial

import anyio
import httpcore
import httpx

from consul_transports._config import ClientConfig
from consul_transports._httpx import pool_limits, socket_options, tls_verify
from consul_transports._limits import HeldQueries, PoolLimits, closed_client
from consul_transports._stop import Interrupted, Stop

__all__ = ["AsyncDeadline", "Deadline"]


class AsyncDeadline:
    """The deadline of the calls of an async transport: a cancel scope around each; and, for
    a blocking query, another that `close` cancels.
    """

    def __init__(self) -> None:
        self._holding = HeldQueries()

    def transport(self, config: ClientConfig, limits: PoolLimits) -> httpx.AsyncHTTPTransport:
        """The httpx transport of a client made here."""
        return httpx.AsyncHTTPTransport(
            verify=tls_verify(config),
            uds=config.uds,
            limits=pool_limits(limits),
            socket_options=socket_options(config),
        )

    def within(self, timeout: float, *, held: bool = False) -> AbstractContextManager[object]:
        """A block that raises `TimeoutError` once `timeout` seconds have passed; `held`, a
        blocking query's, which `close` ends with `UsageError`.
        """
        return self._held(timeout) if held else anyio.fail_after(timeout)

    @contextmanager
    def _held(self, timeout: float) -> Iterator[None]:
        with anyio.fail_after(timeout), self._holding.held():
            yield

    def close(self) -> None:
        """End the blocking queries under way: they raise `UsageError` (the client is closed)."""
        self._holding.close()

    def start_afresh(self) -> None:
        """Forget the blocking queries of the last event loop (or process)."""
        self._holding = HeldQueries()


class Deadline:
    """The deadline of the calls of a sync transport: each socket operation of the transport
    made here is bounded by the time its thread's call has left.
    """

    def __init__(self) -> None:
        self._current = _CallDeadline()
        self._closing = Stop()  # shuts down the sockets of the blocking queries under way

    def transport(self, config: ClientConfig, limits: PoolLimits) -> httpx.HTTPTransport:
        """An httpx transport whose sockets are bounded by the current call's deadline."""
        transport = httpx.HTTPTransport(
            verify=tls_verify(config),
            uds=config.uds,
            limits=pool_limits(limits),
            socket_options=socket_options(config),
        )
        pool = transport._pool
        if not hasattr(pool, "_network_backend"):
            raise TypeError("this httpcore version does not let the call's deadline bound its I/O")
        pool._network_backend = _DeadlineBackend(self._current)
        return transport

    @contextmanager
    def within(self, timeout: float, *, held: bool = False) -> Iterator[None]:
        """A block whose socket operations (on the transport made here) end within `timeout`;
        `held`, a blocking query's, whose reads `close` ends with `UsageError`.
        """
        current, closing = self._current, self._closing
        current.at = time.monotonic() + timeout
        current.closing = closing if held else None
        try:
            yield
        except Interrupted:
            if held and closing.cancel_called:
                raise closed_client() from None
            raise
        finally:
            current.at = current.closing = None

    def close(self) -> None:
        """End the blocking queries under way: they raise `UsageError` (the client is closed)."""
        self._closing.cancel()

    def start_afresh(self) -> None:
        """Forget the blocking queries of the last process (a child's copies of its parent's
        sockets must not be shut down: they are the parent's connections too).
        """
        self._closing = Stop()


class _CallDeadline(threading.local):
    """The deadline (a monotonic time) of the call this thread is making, if any."""

    at: float | None = None
    closing: Stop | None = None  # for a blocking query: what shuts its reads down at close

    def bound(self, timeout: float | None, expired: type[Exception]) -> float | None:
        """`timeout`, cut to the time left; raises `expired` when none is left."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise expired("the call's timeout ran out")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes take no longer than the current call has left, and
    whose reads in a watch's step end when the watch is stopped from another thread (`Stop`).
    """

    def __init__(self, stream: httpcore.NetworkStream, deadline: _CallDeadline) -> None:
        self._stream = stream
        self._deadline = deadline
        self._socket: socket.socket = stream.get_extra_info("socket")

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        deadline = self._deadline
        read = partial(self._stream.read, max_bytes, deadline.bound(timeout, httpcore.ReadTimeout))
        if deadline.closing is None:
            return Stop.read(self._socket, read)
        with deadline.closing.reading(self._socket):
            return Stop.read(self._socket, read)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self._stream.start_tls(ssl_context, server_hostname, bounded)
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's blocking sockets, made into `_DeadlineStream`s."""

    def __init__(self, deadline: _CallDeadline) -> None:
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, bounded, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_unix_socket(path, bounded, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)

"""The native blocking transport's sockets and pool: HTTP/1.1 over a pool of sockets that the
calling thread waits on (a poll bounded by the call's deadline), safe to share between threads
(a lock guards the pool's bookkeeping; a connection serves one thread at a time).

Hand-written, as is its twin `_async.py`: waiting on sockets and for a free slot differs in more
than words between threads and an event loop. The request path, `NativeTransport` in
`_transport_sync.py`, is generated from `_transport_async.py` by scripts/unasync.py.
"""

from __future__ import annotations

import math
import socket
import ssl
import struct
import sys
import threading
import time
from functools import partial

from consul_core import Request
from consul_transports._limits import BlockingGate, Slots, closed_client
from consul_transports._native._policy import connect_failed, connect_timeout
from consul_transports._native._pool import PoolBase
from consul_transports._native._sockets import BLOCKED, SocketConnection, tls_wrap, tuned
from consul_transports._native._wire import Exchange
from consul_transports._stop import Stop, current_step

__all__ = ["ConnectionPool", "wait_streamed"]


# Reads wait in the kernel where the socket's receive timeout can be set per read and sends
# can be told not to wait (Linux); elsewhere, a poll bounded by the deadline.
_KERNEL_TIMEOUTS = sys.platform == "linux" and hasattr(socket, "MSG_DONTWAIT")
_TIMEVAL = struct.Struct("ll")  # struct timeval: seconds, microseconds
# How far the receive timeout may stray from the time left before it is set again: a read
# may outlast its deadline by this much.
_ARM_SLACK = 0.01
_LONGEST_RECEIVE = 86400.0  # a longer wait is made of several


def _remaining(deadline: float) -> float:
    """The seconds left before `deadline` (a monotonic time).

    Raises:
        TimeoutError: None are left.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


class _Connection(SocketConnection):
    """One open socket (TCP, TLS over TCP, or a unix socket). A plain socket on Linux is left
    blocking, and a response is read with each receive bounded by the kernel (``SO_RCVTIMEO``,
    set to the time left before the call's deadline): one system call per read instead of a
    poll and a read. TLS (and other systems) keep the socket non-blocking and wait with a poll
    bounded by the deadline.
    """

    __slots__ = ("_armed",)

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(sock)
        self._armed = 0.0  # the receive timeout set on the socket, in seconds (0: none yet)
        if _KERNEL_TIMEOUTS and not isinstance(sock, ssl.SSLSocket):
            sock.setblocking(True)
            self.flags = socket.MSG_DONTWAIT

    def run(self, exchange: Exchange, deadline: float, *, held: bool = False) -> None:
        """Send a request and read until its response is complete, by `deadline` (a monotonic
        time); `held` (a blocking query) changes nothing here, since a blocking thread waits for
        the answer either way. In a watch's step, stopping the watch from another thread
        shuts the socket down, which ends the wait.

        Raises:
            ConnectionLost: The agent closed the connection before answering.
            TimeoutError: The deadline passed.
            OSError: The connection broke during the response.
            BadResponse: The response is not valid HTTP, or was cut short.
            Interrupted: The watch was stopped (the request is not sent again).
        """
        stop = current_step.get()
        if stop is None:
            self._run(exchange, deadline)
            return
        with stop.reading(self.sock):
            self._run(exchange, deadline)

    def _run(self, exchange: Exchange, deadline: float) -> None:
        sock = self.sock
        data = exchange.unsent
        while data is not None:
            try:
                data = exchange.sent(sock.send(data, self.flags))
            except BLOCKED as blocked:  # TLS may need to read before it can write
                self.wait(isinstance(blocked, ssl.SSLWantReadError), deadline)
            except OSError as exc:
                exchange.write_failed(exc)
                break
        if not self.flags:
            self._receive_polled(exchange, deadline)
            return
        # A blocking socket: each read waits in the kernel, bounded by its receive timeout.
        buffer, view, feed = self.buffer, self.view, exchange.feed
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            left = min(left, _LONGEST_RECEIVE)
            # Set again only when it strays from the time left: calls with the same timeout,
            # one after another, set it once.
            if abs(self._armed - left) > _ARM_SLACK:
                self._armed = left
                seconds = int(left)
                sock.setsockopt(
                    socket.SOL_SOCKET,
                    socket.SO_RCVTIMEO,
                    _TIMEVAL.pack(seconds, max(1, int((left - seconds) * 1e6))),
                )
            try:
                size = sock.recv_into(buffer)
            except BlockingIOError:  # the receive timeout ran out: the deadline is checked
                continue
            except OSError as exc:
                raise exchange.receive_failed(exc) from exc
            # Bytes go to the reader; the end of the connection to the exchange, which knows
            # what it means.
            if feed(view[:size]) if size else exchange.received(b""):
                return

    def _receive_polled(self, exchange: Exchange, deadline: float) -> None:
        sock, buffer, view = self.sock, self.buffer, self.view
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


class ConnectionPool(PoolBase["_Connection"]):
    """The pool under `NativeTransport` (its request path, in `_transport_sync.py`, generated):
    slots handed out in turn under a lock (`Slots`), the idle connections, and connecting with
    blocking sockets.
    """

    def _set_counts(self) -> None:
        self._lock = threading.Lock()
        # Slots: requests that may hold a connection, handed out in turn under the pool's lock.
        self._slots = Slots(self._limits.max_connections, self._lock)
        self._gate = BlockingGate(self._limits, self._lingering)

    def close(self) -> None:
        """Close the idle connections, and end the waits for a connection or a share (they
        raise `UsageError`); those in use close when their response is read.
        """
        with self._lock:
            self._closed = True
            idle = self._idle.drain()
            self._slots.close_locked()
        self._gate.close()
        for connection in idle:
            connection.close()

    def _drop_idle(self) -> None:
        """Close the idle connections."""
        with self._lock:
            idle = self._idle.drain()
        for connection in idle:
            connection.close()

    def _checkout(self, deadline: float, method: str | None) -> _Connection | None:
        """Take a slot (waiting for one until `deadline`) and the idle connection to reuse for a
        request of `method` (None: a stream's, which closes it; see `IdleConnections.take`).

        Raises:
            TimeoutError: No slot came free in time.
            Interrupted: The watch or stream that waits was stopped (`_stop`).
            UsageError: The client was closed.
        """
        lock = self._lock
        # acquire and release rather than `with`: a call's only lock, and half the cost.
        lock.acquire()
        try:
            if self._closed:
                raise closed_client()
            slots = self._slots
            if slots.free and not slots.line:  # `Slots.take_locked`'s usual case, no call
                slots.free -= 1
            elif not slots.take_locked(deadline, self._lingering):
                raise TimeoutError
            connection, probe, expired = self._idle.take(time.monotonic(), method)
        finally:
            lock.release()
        while True:
            for old in expired:
                old.close()
            if connection is None or not (probe and connection.peer_has_spoken()):
                return connection
            connection.close()
            with lock:
                connection, probe, expired = self._idle.take(time.monotonic(), method)

    def _checkin(self, kept: _Connection | None, generation: int) -> None:
        if generation != self._generation:
            self._outlived(kept)
            return
        lock = self._lock
        lock.acquire()
        try:
            slots = self._slots
            if slots.line:
                slots.give_locked()
            else:  # `give_locked`'s usual case, no call
                slots.free += 1
            if kept is not None and not self._closed:
                self._idle.put(kept, time.monotonic())
                kept = None
        finally:
            lock.release()
        if kept is not None:
            kept.close()

    def _connect(self, request: Request, timeout: float, deadline: float) -> _Connection:
        """A new connection to send `request`, made within the connect timeout (of the call's
        `timeout`) and by `deadline`, its TLS handshake included; in a watch's or a stream's
        step, the handshake ends when the step is stopped.

        Raises:
            TimeoutError: The deadline passed.
            Interrupted: The watch or stream whose step connects was stopped.
        """
        endpoint = self._endpoint
        limit = connect_timeout(min(timeout, _remaining(deadline)))
        until = time.monotonic() + limit  # for the handshake too: one bound for both
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
            connection = _Connection(tls_wrap(endpoint, sock, handshake=False))
            tls = connection.sock
            if isinstance(tls, ssl.SSLSocket):
                try:
                    Stop.read(tls, partial(_handshake, connection, tls, until))
                except BaseException:
                    connection.close()
                    raise
            return connection
        except OSError as exc:  # TimeoutError included
            raise connect_failed(endpoint, request, exc) from exc


def _handshake(connection: SocketConnection, sock: ssl.SSLSocket, deadline: float) -> None:
    """Complete the TLS handshake of `connection` (whose socket is `sock`) by `deadline` (a
    monotonic time).

    Raises:
        TimeoutError: The deadline passed first.
        OSError: The handshake failed (`ssl.SSLError`), or the connection broke.
    """
    while True:
        try:
            sock.do_handshake()
            return
        except BLOCKED as blocked:
            connection.wait(isinstance(blocked, ssl.SSLWantReadError), deadline)


# A wait without a bound polls in slices of this many seconds (poll takes a bounded int).
_SLICE = 3600.0


def wait_streamed(connection: SocketConnection, readable: bool, deadline: float) -> None:
    """Wait until the socket of a stream is readable (or writable), by `deadline` (a monotonic
    time, or infinity for no bound); in a stream's step, until the stream is closed from
    another thread (the socket is shut down: it reads as the end of the connection).

    Raises:
        TimeoutError: The deadline passed first.
        Interrupted: The stream was closed already.
    """
    Stop.read(connection.sock, partial(_wait_streamed, connection, readable, deadline))


def _wait_streamed(connection: SocketConnection, readable: bool, deadline: float) -> None:
    while math.isinf(deadline):
        try:
            connection.wait(readable, time.monotonic() + _SLICE)
            return
        except TimeoutError:
            continue
    connection.wait(readable, deadline)

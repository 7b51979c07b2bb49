"""The native blocking transport's sockets and pool: HTTP/1.1 over a pool of sockets that the
calling thread waits on (a poll bounded by the call's deadline), safe to share between threads
(a lock guards the pool's bookkeeping; a connection serves one thread at a time).

Hand-written, as is its twin `_async.py`: waiting on sockets and for a free slot differs in more
than words between threads and an event loop. The request path, `NativeTransport` in
`_transport_sync.py`, is generated from `_transport_async.py` by scripts/unasync.py.
"""

from __future__ import annotations

import errno
import math
import os
import selectors
import socket
import ssl
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from consul_core import Request
from consul_transports._limits import BlockingGate, Slots, closed_client
from consul_transports._native._policy import (
    FALLBACK_DELAY,
    Endpoint,
    attempt_limit,
    connect_failed,
    connect_timeout,
    dual_stack,
    looked_up,
)
from consul_transports._native._pool import PoolBase
from consul_transports._native._sockets import BLOCKED, SocketConnection, tls_wrap, tuned
from consul_transports._native._wire import Exchange
from consul_transports._stop import Interrupted, Stop, current_step

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
        # What shuts down the sockets of the blocking queries waiting for their answers.
        self._closing = Stop()

    def close(self) -> None:
        """Close the idle connections, and end the waits for a connection or a share and the
        blocking queries under way (they raise `UsageError`); the other calls in use close
        their connections when their response is read.
        """
        with self._lock:
            self._closed = True
            idle = self._idle.drain()
            self._slots.close_locked()
        self._gate.close()
        self._closing.cancel()
        for connection in idle:
            connection.close()

    @contextmanager
    def _held(self, connection: _Connection) -> Iterator[None]:
        """The block in which a blocking query waits for its answer on `connection`: `close`
        shuts its socket down, and the call raises `UsageError` rather than waiting on (up to
        the query's wait, five minutes by default) for an answer on a closed client.

        Raises:
            UsageError: The client was closed (already, or during the block).
        """
        closing = self._closing
        try:
            with closing.reading(connection.sock):
                yield
        except Interrupted:
            if closing.cancel_called:
                raise closed_client() from None
            raise

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
        lock, generation = self._lock, self._generation
        # Interrupts (Ctrl-C's KeyboardInterrupt, raised between two steps of Python code):
        # `with`, not acquire() then try, since one landing between those two would leave the
        # lock held for good (none can between `with`'s taking the lock and its block); and a
        # slot taken is given back if one lands before it is handed to the caller.
        taken, connection = False, None
        try:
            with lock:
                if self._closed:
                    raise closed_client()
                slots = self._slots
                if slots.free and not slots.line:  # `Slots.take_locked`'s usual case, no call
                    slots.free -= 1
                    taken = True
                elif slots.take_locked(deadline, self._lingering):
                    taken = True
                else:
                    raise TimeoutError
                connection, probe, expired = self._idle.take(time.monotonic(), method)
            while True:
                for old in expired:
                    old.close()
                if connection is None or not (probe and connection.peer_has_spoken()):
                    return connection
                connection.close()
                with lock:
                    connection, probe, expired = self._idle.take(time.monotonic(), method)
        except BaseException:
            if taken:
                if connection is not None:
                    connection.close()
                self._checkin(None, generation)
            raise

    def _checkin(self, kept: _Connection | None, generation: int) -> None:
        if generation != self._generation:
            self._outlived(kept)
            return
        with self._lock:  # (not acquire() then try: see `_checkout`)
            slots = self._slots
            if slots.line:
                slots.give_locked()
            else:  # `give_locked`'s usual case, no call
                slots.free += 1
            if kept is not None and not self._closed:
                self._idle.put(kept, time.monotonic())
                kept = None
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
                sock = tuned(_open_tcp(endpoint, until))
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


def _open_tcp(endpoint: Endpoint, until: float) -> socket.socket:
    """A socket (non-blocking) connected to the endpoint's host by `until` (a monotonic time),
    its name looked up and its addresses tried as the rules of `_policy` say.

    Raises:
        TimeoutError: No connection was made in time.
        OSError: None could be made (the first family's error).
    """
    if endpoint.ip is not None:  # no lookup
        found = [(endpoint.ip, (endpoint.host, endpoint.port))]
    else:
        found = _look_up(endpoint.host, endpoint.port, until)
    primaries, fallbacks = dual_stack(found)
    return _Racing(primaries, fallbacks, until).connected()


def _look_up(host: str, port: int, until: float) -> list[tuple[socket.AddressFamily, Any]]:
    """The addresses of `host`, looked up in a thread of its own, so that the wait for them
    ends by `until` (getaddrinfo takes no timeout: a resolver that does not answer would hold
    the call for all its retries; the thread ends with them).

    Raises:
        TimeoutError: The lookup did not end in time.
        OSError: It failed (`socket.gaierror`), or found nothing.
    """
    outcome: list[Any] = []
    done = threading.Event()

    def ask_the_resolver() -> None:
        try:
            outcome.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:
            outcome.append(exc)
        done.set()

    threading.Thread(target=ask_the_resolver, name="consul-lookup", daemon=True).start()
    if not done.wait(max(0.0, until - time.monotonic())):
        raise TimeoutError
    found = outcome[0]
    if isinstance(found, BaseException):
        raise found
    return looked_up(host, found)


class _Racing:
    """Connection attempts to a name's addresses, made as Go's dialer makes them (the rules of
    `_policy`): one family's in turn, the other's in turn from `FALLBACK_DELAY` on, both
    waited on at once with non-blocking sockets and a poll; the first connection wins.
    """

    def __init__(
        self,
        primaries: list[tuple[socket.AddressFamily, Any]],
        fallbacks: list[tuple[socket.AddressFamily, Any]],
        until: float,
    ) -> None:
        self._queues = [deque(primaries), deque(fallbacks)]
        self._until = until
        self._fallback_at = time.monotonic() + FALLBACK_DELAY
        # The attempt under way for each queue: its socket and when it gives up.
        self._attempts: dict[int, tuple[socket.socket, float]] = {}
        self._errors: dict[int, OSError] = {}
        self._selector = selectors.DefaultSelector()

    def connected(self) -> socket.socket:
        """The first socket connected.

        Raises:
            TimeoutError: `until` came first.
            OSError: Every address failed (the error of the first family's last one).
        """
        try:
            while True:
                now = time.monotonic()
                won = self._start(now)
                if won is not None:
                    return won
                if not self._attempts:
                    raise self._errors.get(0) or self._errors[1]
                if now >= self._until:
                    raise TimeoutError
                won = self._wait(now)
                if won is not None:
                    return won
        finally:
            for sock, _ in self._attempts.values():
                sock.close()
            self._selector.close()

    def _start(self, now: float) -> socket.socket | None:
        """Start the next attempt of each queue whose turn it is (the fallbacks' from their
        delay on, or once the first queue is done); return a socket that connected at once.
        """
        for index, queue in enumerate(self._queues):
            while index not in self._attempts and queue:
                if index and now < self._fallback_at and (self._queues[0] or 0 in self._attempts):
                    break
                family, address = queue.popleft()
                limit = attempt_limit(self._until - now, len(queue) + 1)
                sock = socket.socket(family, socket.SOCK_STREAM)
                try:
                    sock.setblocking(False)
                    code = sock.connect_ex(address)
                except BaseException:
                    sock.close()
                    raise
                if code == 0:
                    return sock
                if code in (errno.EINPROGRESS, errno.EWOULDBLOCK):
                    self._attempts[index] = (sock, now + limit)
                    self._selector.register(sock, selectors.EVENT_WRITE, index)
                else:
                    sock.close()
                    self._errors[index] = OSError(code, os.strerror(code))
        return None

    def _wait(self, now: float) -> socket.socket | None:
        """Wait for an attempt to end (or the next to start); return a socket that connected.
        Attempts that failed or ran out of their time are closed, their errors kept.
        """
        wakes = [ends for _, ends in self._attempts.values()]
        if self._queues[1] and 1 not in self._attempts:
            wakes.append(self._fallback_at)
        for key, _ in self._selector.select(max(0.0, min(*wakes, self._until) - now)):
            index = key.data
            sock, _ = self._attempts.pop(index)
            self._selector.unregister(sock)
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if not code:
                return sock
            sock.close()
            self._errors[index] = OSError(code, os.strerror(code))
        now = time.monotonic()
        for index, (sock, ends) in list(self._attempts.items()):
            if now >= ends:
                del self._attempts[index]
                self._selector.unregister(sock)
                sock.close()
                self._errors[index] = TimeoutError(errno.ETIMEDOUT, "timed out")
        return None


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

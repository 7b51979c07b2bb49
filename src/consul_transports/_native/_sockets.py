"""Socket handling that both native transports share: options, TLS wrapping, and the check made
on an idle connection before it is reused. The async transport keeps its sockets
non-blocking and waits with anyio. The sync one waits with `SocketConnection.wait` (a poll
bounded by the call's deadline) or, on a plain socket on Linux that it sets blocking again, in
the read itself (see `_sync._Connection`); there, what must not wait passes `flags`.
"""

from __future__ import annotations

import math
import select
import socket
import ssl
import time

from consul_transports._keepalive import keepalive_options
from consul_transports._native._policy import Endpoint
from consul_transports._native._wire import Exchange

__all__ = ["BLOCKED", "SocketConnection", "tls_wrap", "tuned"]

_RECEIVE_SIZE = 65536
BLOCKED = (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError)
"""What a non-blocking socket raises when it cannot send now (TLS may need to read first)."""


def tuned(sock: socket.socket) -> socket.socket:
    """`sock` with Nagle's algorithm off on TCP (a request is written in one piece), and
    keep-alive on (`_keepalive`).
    """
    if sock.family != socket.AF_UNIX:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for level, option, value in keepalive_options():
            sock.setsockopt(level, option, value)
    return sock


def tls_wrap(endpoint: Endpoint, sock: socket.socket, *, handshake: bool) -> socket.socket:
    """`sock` wrapped in TLS when the endpoint is ``https`` (the handshake done now when
    `handshake`, else left to the caller); `sock` is closed if wrapping fails.
    """
    if endpoint.ssl_context is None:
        return sock
    try:
        return endpoint.ssl_context.wrap_socket(
            sock, server_hostname=endpoint.server_hostname, do_handshake_on_connect=handshake
        )
    except BaseException:
        sock.close()
        raise


class SocketConnection:
    """What both transports keep of an open connection: its socket (non-blocking), a receive
    buffer, the reader of its responses, and a way to see, without blocking, whether the agent
    spoke while the connection was idle.
    """

    __slots__ = ("_poll", "buffer", "exchange", "flags", "sock", "view")

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self.sock = sock
        # What a send or receive that must not wait passes: MSG_DONTWAIT on a socket that a
        # transport set blocking again (its own reads wait in the kernel), else nothing.
        self.flags = 0
        self.buffer = bytearray(_RECEIVE_SIZE)
        self.view = memoryview(self.buffer)
        # One exchange (and its reader) serves the connection's requests in turn.
        self.exchange = Exchange(b"")
        self._poll = select.poll() if hasattr(select, "poll") else None  # none on Windows
        if self._poll is not None:
            self._poll.register(sock, select.POLLIN)

    def wait(self, readable: bool, deadline: float) -> None:
        """Block until the socket is readable (or writable), by `deadline` (a monotonic time).

        Raises:
            TimeoutError: The deadline passed first.
        """
        left = deadline - time.monotonic()
        if left > 0:
            if self._poll is None:
                sock = [self.sock]
                found = select.select(sock if readable else [], [] if readable else sock, [], left)
                ready = bool(found[0] or found[1])
            elif readable:
                ready = bool(self._poll.poll(math.ceil(left * 1000)))
            else:
                writable = select.poll()
                writable.register(self.sock, select.POLLOUT)
                ready = bool(writable.poll(math.ceil(left * 1000)))
            if ready:
                return
        raise TimeoutError

    def send_some(self, data: memoryview) -> tuple[memoryview, bool | None]:
        """Send what the socket takes of `data` now, without waiting.

        Returns:
            What is left of `data`, and, when the socket took nothing, whether to wait for it to
            be readable (TLS may need to read before it can write) rather than writable; else
            None.
        """
        try:
            return data[self.sock.send(data, self.flags) :], None
        except BLOCKED as blocked:
            return data, isinstance(blocked, ssl.SSLWantReadError)

    def receive_some(self, exchange: Exchange) -> bool | None:
        """Receive into `exchange` what the socket holds now, without waiting.

        Returns:
            None when something came (or the end), else whether to wait for the socket to be
            readable rather than writable (TLS may need to write before it can read).

        Raises:
            OSError: The connection broke (as `Exchange.receive_failed` names it).
            BadResponse: The response is not valid HTTP, or was cut short.
        """
        try:
            size = self.sock.recv_into(self.buffer, _RECEIVE_SIZE, self.flags)
        except (BlockingIOError, ssl.SSLWantReadError):
            return True
        except ssl.SSLWantWriteError:
            return False
        except OSError as exc:
            raise exchange.receive_failed(exc) from exc
        exchange.received(self.view[:size])
        return None

    def peer_has_spoken(self) -> bool:
        """Whether the idle connection has something to read: the agent closed it (or sent
        bytes that no request asked for), so it must not carry a request.
        """
        sock = self.sock
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        try:
            if self._poll is not None:
                return bool(self._poll.poll(0))
            return bool(select.select([sock], [], [], 0)[0])
        except (OSError, ValueError):  # closed underneath us
            return True

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()

"""Network faults on loopback, for tests of code that must survive them (yours and ours).

- `FaultProxy` relays TCP connections to a real agent and can cut them, refuse new ones for a
  while (an outage), and count them.
- `ScriptedServer` is an HTTP/1.1 server whose every reply a function decides: statuses and
  bodies an agent will not send on demand (429, torn bodies, garbage, a reply dripped one byte
  at a time, headers that never finish).

Both listen on 127.0.0.1 only, serve from daemon threads with socket timeouts (so nothing
outlives a test for long), and close every socket when their ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Literal, TypeVar

import attrs

__all__ = ["FaultProxy", "Received", "Reply", "ScriptedServer", "http_response"]

LOOPBACK = "127.0.0.1"
_IO_TIMEOUT = 10.0
_ACCEPT_POLL = 0.05


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
        drip: Seconds between the bytes of `data`, sent one at a time (0: all at once).
    """

    data: bytes = b""
    then: Literal["keep", "close", "stall"] = "keep"
    delay: float = 0.0
    drip: float = 0.0


def http_response(
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
            # Those that ended are forgotten (a proxy cut many times would keep them all); one
            # is started under the lock, so that none is taken for ended before it starts.
            self._threads = [old for old in self._threads if old.is_alive()]
            self._threads.append(thread)
            thread.start()

    def own(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
        return sock

    def disown(self, sock: socket.socket) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._sockets.remove(sock)

    def shut(self, sockets: list[socket.socket]) -> None:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self.closing.set()
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        self.shut(sockets)
        for thread in threads:
            thread.join(_IO_TIMEOUT)


def _bound(port: int) -> socket.socket:
    """A TCP socket bound to `port` on loopback (0: one the kernel picks), not listening yet.

    Every socket of a listener's port takes SO_REUSEPORT, so that the next can be bound while the
    one before is open; none takes SO_REUSEADDR, which would let a socket of another process bind
    the port while nothing listens on it.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((LOOPBACK, port))
    except OSError:
        sock.close()
        raise
    return sock


class _Listener:
    """A loopback listener that hands each accepted connection to `serve` in a thread.

    Attributes:
        port: The port it listens on (kept through `refuse` and `accept`).
        address: ``http://127.0.0.1:<port>``.
        connections: How many connections it accepted.
        open_now: How many of them are open.
        most_open: The most that were open at once.
        closed_by_client: Set when a client closed a connection.
    """

    def __init__(self) -> None:
        self._work = _Threads()
        self._listening: socket.socket | None = self._listen(_bound(0))
        self._reserved: socket.socket | None = None  # holds the port while refusing
        self.port: int = self._listening.getsockname()[1]
        self.address = f"http://{LOOPBACK}:{self.port}"
        self.connections = 0
        self.open_now = 0
        self.most_open = 0
        self.closed_by_client = threading.Event()
        self._count = threading.Lock()
        # Held while accepting: a listener closed while another thread polls it lives on
        # until the poll returns, and could accept a connection meant to be refused.
        self._accepting = threading.Lock()

    @staticmethod
    def _listen(bound: socket.socket) -> socket.socket:
        bound.listen()
        bound.settimeout(_ACCEPT_POLL)
        return bound

    def serve(self, conn: socket.socket, number: int) -> None:
        raise NotImplementedError

    def __enter__(self: L) -> L:
        self._work.start(self._accept)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._work.close()
        with self._accepting:
            for sock in (self._listening, self._reserved):
                if sock is not None:
                    sock.close()
            self._listening = self._reserved = None

    @property
    def accepting(self) -> bool:
        """Whether new connections are accepted (not during a `refuse` or an outage)."""
        return self._listening is not None

    def refuse(self) -> None:
        """Stop listening: new connections are refused (those open stay open). The port stays
        taken meanwhile, by a socket bound to it that does not listen: a listener of another
        process (another test's proxy) cannot take it and answer in this one's place.
        """
        with self._accepting:
            listening, self._listening = self._listening, None
            if listening is not None:
                self._reserved = _bound(self.port)  # before the listener is closed
                listening.close()

    def accept(self) -> None:
        """Listen again, on the same port, after `refuse`."""
        with self._accepting:
            if self._listening is None and self._reserved is not None:
                self._listening = self._listen(self._reserved)
                self._reserved = None

    def _accept(self) -> None:
        while not self._work.closing.is_set():
            with self._accepting:
                listening = self._listening
                try:
                    conn, _ = listening.accept() if listening else (None, None)
                except (TimeoutError, OSError):
                    continue
            if conn is None:
                time.sleep(_ACCEPT_POLL)
                continue
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
            self._work.disown(conn)
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
    """An HTTP/1.1 server on loopback whose every reply `handler` decides (see `Reply`).

    Example:
        >>> def handler(request: Received) -> Reply:
        ...     return Reply(http_response(429, b"rate limit exceeded"))
        >>> with ScriptedServer(handler) as server:  # doctest: +SKIP
        ...     Consul(server.address).kv.get("k")  # raises RateLimited

    Attributes:
        received: The requests read so far.
    """

    def __init__(self, handler: Handler) -> None:
        """Prepare the server; it listens at once and serves from the ``with`` block on."""
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
            self._send(conn, reply)
            if reply.then == "close":
                return
            if reply.then == "stall":
                while conn.recv(65536):
                    pass
                self.closed_by_client.set()
                return

    def _send(self, conn: socket.socket, reply: Reply) -> None:
        if not reply.drip:
            conn.sendall(reply.data)
            return
        for index in range(len(reply.data)):
            if self._work.closing.is_set():
                return
            conn.sendall(reply.data[index : index + 1])
            time.sleep(reply.drip)


class FaultProxy(_Listener):
    """A TCP relay on loopback in front of an agent that can cut its connections, refuse new
    ones for a while, or let the open ones die without a word.

    Example:
        >>> with ConsulAgent() as agent, FaultProxy(agent.http_port) as proxy:  # doctest: +SKIP
        ...     client = Consul(proxy.address)
        ...     proxy.outage(2.0)  # cut every connection, refuse new ones for 2 s

    Attributes:
        from_agent: What the agent sent back, when `record` is on.
    """

    def __init__(self, target_port: int, *, record: bool = False) -> None:
        """Prepare the relay to ``127.0.0.1:<target_port>``; it listens at once.

        Args:
            target_port: The agent's HTTP port on 127.0.0.1.
            record: Keep what the agent sends back in `from_agent`.
        """
        super().__init__()
        self._target = (LOOPBACK, target_port)
        self._record = record
        self.from_agent = bytearray()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._pairs_lock = threading.Lock()
        self._reopen: threading.Timer | None = None
        # The relayed connections that `blackhole` let die, by their client socket.
        self._dead: set[socket.socket] = set()

    def cut(self) -> None:
        """Close every relayed connection now, on both sides (clients see them reset)."""
        with self._pairs_lock:
            pairs, self._pairs = self._pairs, []
        for client, upstream in pairs:
            with contextlib.suppress(OSError):  # a reset, not an orderly close
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
            self._work.shut([client, upstream])

    def blackhole(self) -> None:
        """Let every relayed connection die without a word, as when a NAT or a firewall on the
        way forgets it: from now on their bytes are dropped both ways, and neither side is told
        (no reset, no close). New connections are relayed as usual.
        """
        with self._pairs_lock:
            self._dead.update(client for client, _ in self._pairs)

    def outage(self, seconds: float) -> None:
        """Cut every connection and refuse new ones for `seconds`, then accept them again."""
        self.refuse()
        self.cut()
        self._reopen = threading.Timer(seconds, self.accept)
        self._reopen.daemon = True
        self._reopen.start()

    def __exit__(self, *exc_info: object) -> None:
        if self._reopen is not None:
            self._reopen.cancel()
        self.cut()
        super().__exit__(*exc_info)

    def serve(self, conn: socket.socket, number: int) -> None:
        del number
        try:
            upstream = socket.create_connection(self._target, _IO_TIMEOUT)
        except OSError:
            return  # the agent is away: the client sees its connection closed
        self._work.own(upstream)
        pair = (conn, upstream)
        with self._pairs_lock:
            self._pairs.append(pair)
        try:
            # A relayed blocking query may idle for minutes: no timeout (closing the proxy, or
            # `cut`, shuts the sockets, which ends the pumps). No Nagle: a request written in
            # two pieces must not wait for the agent's delayed ACK. (A client gone already
            # fails here: the upstream connection is closed below all the same.)
            for sock in (conn, upstream):
                sock.settimeout(None)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            recorded = self.from_agent if self._record else None
            self._work.start(self._pump, upstream, conn, recorded, conn)
            self._pump(conn, upstream, None, conn)
        finally:
            with self._pairs_lock:
                with contextlib.suppress(ValueError):
                    self._pairs.remove(pair)
                self._dead.discard(conn)
            # Shut, not only closed: that wakes the pump still reading the agent's side (a
            # blocking query it holds), which closing the proxy would else wait out.
            self._work.shut([upstream])
            self._work.disown(upstream)

    def _pump(
        self,
        source: socket.socket,
        sink: socket.socket,
        record: bytearray | None,
        client: socket.socket,
    ) -> None:
        """Relay `source` to `sink` (of the connection of `client`) until either ends."""
        try:
            while data := source.recv(65536):
                if client in self._dead:
                    continue  # dropped, and nobody told
                if record is not None:
                    record += data
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

"""The native pool's decisions, without I/O, shared by the sync and async transports: where to
connect, which timeouts apply, which idle connection to reuse, when a failed request may be
sent again, and what each failure is called.

Rules:
- At most `PoolLimits.max_connections` connections are open: a request holds one slot of the
  pool from checkout to release, and opens a connection only when no idle one is left, so open
  connections never outnumber slots. Blocking queries keep inside their share (`_limits`).
- A request's timeout bounds the whole of it (the wait for a slot, connecting, sending and
  reading), as Go's ``http.Client.Timeout`` does; connecting alone takes at most 10 s, the
  name's lookup included.
- Connecting tries a name's addresses as Go's dialer does: those of the first address's family
  in turn, each given its share of the time left (at least 2 s, `attempt_limit`), and, when the
  name has addresses of the other family too, those in turn as well from 300 ms on
  (`FALLBACK_DELAY`, or as soon as the first family's have all failed), racing the first:
  the first connection made wins. An address that drops packets costs a call 300 ms, not its
  whole connect timeout.
- Idle connections are reused most recent first; one idle longer than `idle_timeout` is closed.
- A connection that failed in any way (timeout, cancellation, a parse error, a lost peer) is
  closed, never reused.
- A request whose reused connection turns out closed by the agent (no byte of a response came
  back) is sent once more on a fresh connection if it is a GET or HEAD, or if none of its
  bytes could be sent; otherwise it fails, since the agent may have acted on it.
- So an idle connection is checked for a close (or bytes no request asked for) before it is
  reused, unless a GET or HEAD reuses it within a second: that check is a system call per
  call, and such a request is sent again should the connection turn out closed.
- No message contains the token (it is only ever a header value, and no message shows one),
  nor quotes the agent's reply; the errors of an exchange name its method and path.
"""

from __future__ import annotations

import enum
import ipaddress
import socket
import ssl
from collections import deque
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import attrs

from consul_core import ConnectError, Request, Timeout, TransportError
from consul_core.http import RESENDABLE_METHODS
from consul_transports._config import ClientConfig
from consul_transports._limits import no_free_connection
from consul_transports._native._wire import BadResponse, ConnectionLost
from consul_transports._transport import (
    broke,
    cannot_connect,
    closed_unanswered,
    connect_reason,
    cut_short,
    named,
    not_http,
)

__all__ = [
    "FALLBACK_DELAY",
    "Endpoint",
    "IdleConnections",
    "Stage",
    "attempt_limit",
    "broken",
    "connect_failed",
    "connect_timeout",
    "dual_stack",
    "looked_up",
    "may_retry",
    "read_timeout",
    "timed_out",
]

C = TypeVar("C")
A = TypeVar("A", bound=tuple[object, ...])

_CONNECT_TIMEOUT = 10.0
# An idle connection reused sooner than this (a call after call) is not checked first.
_FRESH = 1.0


@attrs.frozen
class Endpoint:
    """Where and how the native transports connect, derived once from a `ClientConfig`.

    Attributes:
        host: The TCP host (unused with `uds`).
        port: The TCP port.
        uds: The unix socket path, or None for TCP.
        ip: The address family when `host` is an IP address (no name to look up), else None.
        ssl_context: The TLS context for ``https``, else None.
        server_hostname: The name the agent's certificate is checked against (and sent as SNI).
        host_header: The ``Host`` header's value.
        description: How messages name the agent.
    """

    host: str
    port: int
    uds: str | None
    ip: socket.AddressFamily | None
    ssl_context: ssl.SSLContext | None
    server_hostname: str | None
    host_header: str
    description: str

    @classmethod
    def from_config(cls, config: ClientConfig) -> Endpoint:
        """Derive the endpoint (and build its TLS context) from `config`."""
        tls = config.scheme == "https"
        default_port = 443 if tls else 80
        host = f"[{config.host}]" if ":" in config.host else config.host
        host_header = host if config.uds or config.port == default_port else f"{host}:{config.port}"
        return cls(
            host=config.host,
            port=config.port,
            uds=config.uds,
            ip=_ip_family(config.host),
            ssl_context=config.tls.context() if tls else None,
            server_hostname=(config.tls.server_name or config.host) if tls else None,
            host_header=host_header,
            description=config.description,
        )


def _ip_family(host: str) -> socket.AddressFamily | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return socket.AF_INET6 if address.version == 6 else socket.AF_INET


class IdleConnections(Generic[C]):
    """The idle connections of one pool, oldest first. Not locked: the sync transport holds its
    lock around each call; the async one runs on one event loop.
    """

    __slots__ = ("_idle", "_timeout")

    def __init__(self, idle_timeout: float) -> None:
        self._timeout = idle_timeout
        self._idle: deque[tuple[C, float]] = deque()

    def put(self, connection: C, now: float) -> None:
        """Keep `connection` for reuse; `now` is a monotonic time."""
        self._idle.append((connection, now))

    def take(self, now: float, method: str | None) -> tuple[C | None, bool, Sequence[C]]:
        """The most recently used connection (or None), whether to check it before a request
        of `method` reuses it, and the expired ones to close; `now` is a monotonic time.

        An idle connection is checked (`SocketConnection.peer_has_spoken`, a system call)
        unless the request may be sent again should the agent turn out to have closed it (a
        GET or HEAD) and it was idle too briefly for a timeout to have closed it or anything to
        have come unasked; never for a stream (`method` None), which closes the connection.
        """
        idle = self._idle
        expired: Sequence[C] = ()  # the usual case: none expired (no list made)
        if idle and now - idle[0][1] > self._timeout:
            oldest: list[C] = []
            while idle and now - idle[0][1] > self._timeout:
                oldest.append(idle.popleft()[0])
            expired = oldest
        if not idle:
            return None, False, expired
        connection, since = idle.pop()
        probe = method is not None and (now - since >= _FRESH or method not in RESENDABLE_METHODS)
        return connection, probe, expired

    def drain(self) -> list[C]:
        """Remove and return every idle connection (to close them)."""
        drained = [connection for connection, _ in self._idle]
        self._idle.clear()
        return drained


def may_retry(method: str, error: ConnectionLost) -> bool:
    """Whether a request whose reused connection was lost may be sent again."""
    return not error.sent or method in RESENDABLE_METHODS


def read_timeout(config: ClientConfig, request: Request) -> float:
    """The read timeout of `request`: its own hint (blocking queries) or the client's."""
    return request.timeout or config.timeout


def connect_timeout(timeout: float) -> float:
    """The connect timeout that goes with a read timeout."""
    return min(timeout, _CONNECT_TIMEOUT)


FALLBACK_DELAY = 0.3
"""When the other family's addresses start racing the first's (Go's ``Dialer.FallbackDelay``)."""
_SHORTEST_ATTEMPT = 2.0  # Go's "sane minimum" for one address's share of the time


def dual_stack(addresses: Sequence[A]) -> tuple[list[A], list[A]]:
    """The addresses of a name (as getaddrinfo found them: each a tuple whose first item is its
    family) split as Go's dialer splits them: those of the first address's family, and the
    others'.
    """
    first = addresses[0][0] if addresses else None
    primaries = [address for address in addresses if address[0] == first]
    fallbacks = [address for address in addresses if address[0] != first]
    return primaries, fallbacks


def looked_up(
    host: str, found: Sequence[tuple[Any, ...]]
) -> list[tuple[socket.AddressFamily, Any]]:
    """The addresses, with their families, that getaddrinfo `found` for `host`.

    Raises:
        OSError: It found none.
    """
    if not found:
        raise OSError(f"no address found for {host}")
    return [(family, address) for family, _, _, _, address in found]


def attempt_limit(left: float, remaining: int) -> float:
    """How long one connection attempt may take, of the `left` seconds, when `remaining`
    addresses (this one included) are still to try in turn (Go's ``partialDeadline``).
    """
    return min(max(left / remaining, _SHORTEST_ATTEMPT), left)


def connect_failed(endpoint: Endpoint, request: Request, exc: BaseException) -> TransportError:
    """The error for a connection attempt, made to send `request`, that failed with `exc`."""
    if isinstance(exc, TimeoutError):
        return Timeout(f"{cannot_connect(endpoint.description, request)}: timed out")
    return ConnectError(f"{cannot_connect(endpoint.description, request)}: {connect_reason(exc)}")


class Stage(enum.Enum):
    """Where a request stood when its time ran out."""

    POOL = "waiting for a connection"
    CONNECT = "connecting"
    READ = "exchanging"


def timed_out(stage: Stage, endpoint: Endpoint, request: Request, timeout: float) -> Timeout:
    """The error for a request whose `timeout` ran out at `stage`."""
    if stage is Stage.POOL:
        return no_free_connection(request, timeout)
    if stage is Stage.CONNECT:
        return Timeout(f"{cannot_connect(endpoint.description, request)}: timed out")
    return Timeout(f"the agent did not answer {named(request)} within {timeout:g}s")


def broken(request: Request, exc: BaseException, *, resendable: bool = False) -> Exception | None:
    """The error to raise for `exc`, which ended an exchange of `request`: a lost connection,
    a socket error or a bad response as a `TransportError` that names the request; None for
    what is raised as it is (a timeout, a cancellation, or a lost connection when `resendable`
    and the request may be sent again).
    """
    if isinstance(exc, ConnectionLost):
        if resendable and may_retry(request.method, exc):
            return None
        cause = exc.__cause__  # the socket's error, if one said how
        return closed_unanswered(request) if cause is None else broke(request, cause)
    if isinstance(exc, BadResponse):
        return cut_short(request) if exc.reason is None else not_http(request, exc.reason)
    if isinstance(exc, OSError) and not isinstance(exc, TimeoutError):
        return broke(request, exc)
    return None

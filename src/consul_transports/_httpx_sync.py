# Generated from src/consul_transports/_httpx_async.py
# by scripts/unasync.py: do not edit by hand.
"""The sync httpx transport (`HttpxTransport`) and its streamed bodies (`HttpxBody`,
httpx's ``stream=True``: closing a response before its end makes httpx close its connection
rather than return it to the pool). The mapping to and from httpx and the rules the transports
keep are in `_httpx.py`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator

import httpcore
import httpx

from consul_core import Request, Response, Timeout, UsageError
from consul_transports._config import ClientConfig
from consul_transports._fork import start_afresh_after_fork
from consul_transports._httpx import (
    HEADERS,
    call_timeout,
    from_httpx,
    headers_of,
    hidden_in_log,
    hide_secrets_in_log,
    pool_limits,
    tls_verify,
    to_httpx,
    unanswered,
)
from consul_transports._httpx_deadline import Deadline
from consul_transports._httpx_errors import MappedErrors
from consul_transports._limits import (
    BlockingGate,
    Lingering,
    PoolLimits,
    Slots,
    closed_client,
    given_up,
    no_free_connection,
)
from consul_transports._observe import resent
from consul_transports._streams import StreamHome, SyncUpload

__all__ = ["HttpxBody", "HttpxTransport"]


class HttpxBody:
    """A streamed httpx response (blocking).

    Attributes:
        status: The response's status.
        headers: Its headers.
    """

    def __init__(
        self,
        response: httpx.Response,
        request: Request,
        release: Callable[[], None],
        agent: str,
    ) -> None:
        self._response = response
        self._request = request
        self._agent = agent  # its URL, for messages
        self._pieces: Iterator[bytes] = response.iter_raw()
        self._release: Callable[[], None] | None = release
        self._home = StreamHome(awaited=False)
        self.status = response.status_code
        self.headers = headers_of(response)

    def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        try:
            with MappedErrors(self._request, self._agent) as failure:
                return next(self._pieces, b"")
            raise failure.error
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the response (its connection too, unless it was read to its end)."""
        release, self._release = self._release, None
        if release is not None:
            try:
                # Closed now, not left to an event loop's finalizer (trio warns).
                if isinstance(self._pieces, Generator):
                    self._pieces.close()
                self._response.close()
            finally:
                release()

    def __del__(self) -> None:
        # Never closed: the share of the blocking queries would be lost (httpx's response is
        # left to its own finalizer).
        if (release := getattr(self, "_release", None)) is not None:
            self._release = None
            self._home.collected(self, release)


class HttpxTransport:
    """A blocking transport over an `httpx.Client`."""

    def __init__(
        self,
        config: ClientConfig,
        client: httpx.Client | None = None,
        *,
        trust_env: bool = False,
        limits: PoolLimits | None = None,
    ) -> None:
        """Wrap `client`, or make one; `trust_env` lets it honour the proxy variables.

        Args:
            config: The client's configuration.
            client: An `httpx.Client` to use (not closed here), or None to make one.
            trust_env: Let the client made here honour the proxy variables.
            limits: The connection budget: calls keep inside it, and blocking queries inside
                their share of it, with a client passed in too (the pool of a client made here
                has as many connections).
        """
        hide_secrets_in_log()
        self._config = config
        self._limits = limits or PoolLimits()
        self._trust_env = trust_env
        self._owned = client is None
        self._closed = False  # by `close`, the client it made
        self._deadline = Deadline()
        self._set_counts()
        self._client = client or self._new_client()
        self._remake = False  # a client made again at the next call
        self._remaking = threading.Lock()  # one thread makes it, the others wait for it
        start_afresh_after_fork(self)

    def _set_counts(self) -> None:
        """Set up the counts of the budget's connections and the blocking queries' shares: the
        connections are counted here, so that a call never waits inside httpx's pool, where a
        sync watch's stop could not end the wait.
        """
        self._lingering = Lingering()
        self._connections = Slots(self._limits.max_connections)
        self._gate = BlockingGate(self._limits, self._lingering)

    def _new_client(self) -> httpx.Client:
        """An httpx client for this transport to own."""
        # httpx honours proxy variables only with a transport of its own making.
        made = None if self._trust_env else self._deadline.transport(self._config, self._limits)
        return httpx.Client(
            transport=made,
            verify=tls_verify(self._config),
            headers=HEADERS,
            trust_env=self._trust_env,
            limits=pool_limits(self._limits),
        )

    def start_afresh(self) -> None:
        """Forget the connections and counts of the last process: in a child process just
        forked. A client made here (and not closed) is made again at the next call (not here,
        where a lock of the parent's threads might be held); the old one is left as it is, its
        sockets closed when it is collected (in a child, its copies of the parent's). A client
        passed in is its owner's to make again.
        """
        self._set_counts()
        self._deadline.start_afresh()
        self._remaking = threading.Lock()  # a parent's thread may have held the last one
        self._remake = self._owned and not self._client.is_closed

    def _client_of_this_call(self) -> httpx.Client:
        """The client, made again at the first call after `start_afresh`."""
        if self._remake:
            with self._remaking:
                if self._remake:  # no other thread made it while this one waited
                    self._client = self._new_client()
                    self._remake = False
        return self._client

    def send(self, request: Request) -> Response:
        """Send one request and read the whole response, within the request's timeout."""
        timeout = call_timeout(self._config, request)
        if self._lingering.entries:
            self._lingering.release_due()
        if not request.blocking:
            return self._send(request, timeout)
        gate = self._gate  # the share is given back to it, should the counts start afresh
        gate.enter(request, timeout)
        return self._send(request, timeout, gate)

    @staticmethod
    def _take_connection(
        request: Request, connections: Slots, lingering: Lingering, timeout: float
    ) -> float:
        """Take one of the budget's `connections` for `request`, waiting up to `timeout` seconds
        for one (or for one that `lingering` keeps to come due).

        Returns:
            What is left of `timeout`.

        Raises:
            Timeout: None came free in time.
        """
        if connections.take_now():
            return timeout
        started = time.monotonic()
        if not connections.take(timeout, lingering):
            raise no_free_connection(request, timeout)
        return timeout - (time.monotonic() - started)

    def _drop_idle(self, client: httpx.Client) -> None:
        """Close the idle connections of `client` when this transport made it: after a call that
        timed out, they may have died without a word as its connection did (a NAT, a firewall
        that forgot them), and each would cost a call its whole timeout. A client passed in is
        left as it is.
        """
        pool = getattr(client._transport, "_pool", None) if self._owned else None
        if isinstance(pool, httpcore.ConnectionPool):
            for connection in pool.connections:
                if connection.is_idle():
                    connection.close()

    def _send(self, request: Request, timeout: float, gate: BlockingGate | None = None) -> Response:
        """Send `request` within `timeout`; `gate`, that of the blocking share it holds, which
        is given back at its end (kept with its connection if the caller gives it up, as the
        rules of `_limits` say).
        """
        deadline = time.monotonic() + timeout
        lingers = False
        # Given back to the counts they came from, should they start afresh (a fork, a new
        # loop).
        connections, lingering = self._connections, self._lingering
        try:
            client = self._client_of_this_call()
            # The wait for a connection of the budget counts in the call's timeout.
            left = self._take_connection(request, connections, lingering, timeout)
            try:
                with (
                    MappedErrors(request, self._config.description) as failure,
                    self._deadline.within(left, held=gate is not None),
                    hidden_in_log(request),
                ):
                    try:
                        response = client.send(to_httpx(client, self._config, request))
                    except httpx.HTTPError as exc:
                        if not unanswered(request, exc):
                            raise
                        resent(request, f"the agent did not answer ({type(exc).__name__})")
                        response = client.send(to_httpx(client, self._config, request))
                    return from_httpx(response)
                if isinstance(failure.error, Timeout):
                    self._drop_idle(client)
                if self._closed and isinstance(failure.error, UsageError):
                    raise closed_client()  # in the words of every other call on a closed client
                raise failure.error
            except BaseException as exc:
                lingers = gate is not None and given_up(exc)
                raise
            finally:
                if lingers and gate is not None:
                    lingering.keep(deadline, connections.give, gate.leave)
                else:
                    connections.give()
        finally:
            if gate is not None and not lingers:
                gate.leave()

    def open_stream(
        self, request: Request, upload: SyncUpload | None = None, *, endless: bool = False
    ) -> HttpxBody:
        """As `SyncStreamingTransport.open_stream`; each wait is bounded by httpx's
        per-operation timeouts (the request's timeout).
        """
        timeout = call_timeout(self._config, request)
        # The stream gives its connection (and share) back to the counts it took them from,
        # gone if they start afresh before it ends (a fork, a new event loop).
        connections, gate = self._connections, self._gate
        if endless:
            gate.enter(request, timeout)
        try:
            self._take_connection(request, connections, self._lingering, timeout)
        except BaseException:
            if endless:
                gate.leave()
            raise

        def release() -> None:
            connections.give()
            if endless:
                gate.leave()

        try:
            client = self._client_of_this_call()
            built = to_httpx(client, self._config, request, upload, endless=endless)
            agent = self._config.description
            with MappedErrors(request, agent) as failure, hidden_in_log(request):
                return HttpxBody(client.send(built, stream=True), request, release, agent)
            raise failure.error
        except BaseException:
            release()
            raise

    def close(self) -> None:
        """Close the client, unless the user passed it in (in a child process, its own: the
        parent's is left alone, since closing it could speak on the parent's connections); the
        waits for its connections and shares end (they raise `UsageError`).
        """
        self._deadline.close()
        if self._owned:
            self._closed = True
            self._connections.close()
            self._gate.close()
            self._client_of_this_call().close()

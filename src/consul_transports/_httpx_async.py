"""The async httpx transport (`AsyncHttpxTransport`) and its streamed bodies (`AsyncHttpxBody`,
httpx's ``stream=True``: closing a response before its end makes httpx close its connection
rather than return it to the pool). The mapping to and from httpx and the rules the transports
keep are in `_httpx.py`.

Its sync twin, `_httpx_sync.py`, is generated from this file by scripts/unasync.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable

import httpcore
import httpx

from consul_core import Request, Response, Timeout, UsageError
from consul_transports._config import ClientConfig
from consul_transports._event_loop import LoopOwner  # async only
from consul_transports._fork import start_afresh_after_fork
from consul_transports._httpx import (
    HEADERS,
    call_timeout,
    finish_streamed,  # async only
    from_httpx,
    headers_of,
    hidden_in_log,
    hide_secrets_in_log,
    pool_limits,
    tls_verify,
    to_httpx,
    unanswered,
)
from consul_transports._httpx_deadline import AsyncDeadline
from consul_transports._httpx_errors import MappedErrors
from consul_transports._limits import (
    AsyncBlockingGate,
    AsyncSlots,
    Lingering,
    PoolLimits,
    closed_client,
    given_up,
    no_free_connection,
)
from consul_transports._observe import resent
from consul_transports._streams import AsyncUpload, StreamHome

__all__ = ["AsyncHttpxBody", "AsyncHttpxTransport"]


class AsyncHttpxBody:
    """A streamed httpx response (async).

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
        self._pieces: AsyncIterator[bytes] = response.aiter_raw()
        self._release: Callable[[], None] | None = release
        self._home = StreamHome(awaited=True)
        self.status = response.status_code
        self.headers = headers_of(response)

    async def receive(self) -> bytes:
        """The next piece of the body; empty at its end."""
        try:
            with MappedErrors(self._request, self._agent) as failure:
                return await anext(self._pieces, b"")
            raise failure.error
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        """Close the response (its connection too, unless it was read to its end)."""
        release, self._release = self._release, None
        if release is not None:
            try:
                # Closed now, not left to an event loop's finalizer (trio warns).
                # The response, then every generator httpx reads its body through.  # async only
                await finish_streamed(self._response, self._pieces)  # async only
                if isinstance(self._pieces, AsyncGenerator):
                    await self._pieces.aclose()
                await self._response.aclose()
            finally:
                release()

    def __del__(self) -> None:
        # Never closed: the share of the blocking queries would be lost (httpx's response is
        # left to its own finalizer).
        if (release := getattr(self, "_release", None)) is not None:
            self._release = None
            self._home.collected(self, release)


class AsyncHttpxTransport:
    """An async transport over an `httpx.AsyncClient` (asyncio or trio, through anyio)."""

    def __init__(
        self,
        config: ClientConfig,
        client: httpx.AsyncClient | None = None,
        *,
        trust_env: bool = False,
        limits: PoolLimits | None = None,
    ) -> None:
        """Wrap `client`, or make one; `trust_env` lets it honour the proxy variables.

        Args:
            config: The client's configuration.
            client: An `httpx.AsyncClient` to use (not closed here), or None to make one.
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
        self._closed = False  # by `aclose`, the client it made
        self._deadline = AsyncDeadline()
        self._set_counts()
        self._client = client or self._new_client()
        self._remake = False  # a client made again at the next call
        self._remaking = threading.Lock()  # one thread makes it, the others wait for it
        start_afresh_after_fork(self)
        self._loop = LoopOwner(self.start_afresh, self._in_use)  # async only

    def _set_counts(self) -> None:
        """Set up the counts of the budget's connections and the blocking queries' shares: the
        connections are counted here, so that a call never waits inside httpx's pool, where a
        sync watch's stop could not end the wait.
        """
        self._lingering = Lingering()
        self._connections = AsyncSlots(self._limits.max_connections)
        self._gate = AsyncBlockingGate(self._limits, self._lingering)

    def _in_use(self) -> bool:  # async only
        # Whether calls hold connections of the budget (those kept for blocking  # async only
        # queries given up are not: no call runs there).  # async only
        return self._connections.taken > len(self._lingering.entries)  # async only

    def _new_client(self) -> httpx.AsyncClient:
        """An httpx client for this transport to own."""
        # httpx honours proxy variables only with a transport of its own making.
        made = None if self._trust_env else self._deadline.transport(self._config, self._limits)
        return httpx.AsyncClient(
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
        passed in is its owner's to make again. The same for a new event loop (`_event_loop`).
        """
        self._set_counts()
        self._deadline.start_afresh()
        self._remaking = threading.Lock()  # a parent's thread may have held the last one
        self._remake = self._owned and not self._client.is_closed

    def _client_of_this_call(self) -> httpx.AsyncClient:
        """The client, made again at the first call after `start_afresh`."""
        if self._remake:
            with self._remaking:
                if self._remake:  # no other thread made it while this one waited
                    self._client = self._new_client()
                    self._remake = False
        return self._client

    async def send(self, request: Request) -> Response:
        """Send one request and read the whole response, within the request's timeout."""
        self._loop.follow()  # async only
        timeout = call_timeout(self._config, request)
        if self._lingering.entries:
            self._lingering.release_due()
        if not request.blocking:
            return await self._send(request, timeout)
        gate = self._gate  # the share is given back to it, should the counts start afresh
        await gate.enter(request, timeout)
        return await self._send(request, timeout, gate)

    @staticmethod
    async def _take_connection(
        request: Request, connections: AsyncSlots, lingering: Lingering, timeout: float
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
        if not await connections.take(timeout, lingering):
            raise no_free_connection(request, timeout)
        return timeout - (time.monotonic() - started)

    async def _drop_idle(self, client: httpx.AsyncClient) -> None:
        """Close the idle connections of `client` when this transport made it: after a call that
        timed out, they may have died without a word as its connection did (a NAT, a firewall
        that forgot them), and each would cost a call its whole timeout. A client passed in is
        left as it is.
        """
        pool = getattr(client._transport, "_pool", None) if self._owned else None
        if isinstance(pool, httpcore.AsyncConnectionPool):
            for connection in pool.connections:
                if connection.is_idle():
                    await connection.aclose()

    async def _send(
        self, request: Request, timeout: float, gate: AsyncBlockingGate | None = None
    ) -> Response:
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
            left = await self._take_connection(request, connections, lingering, timeout)
            try:
                with (
                    MappedErrors(request, self._config.description) as failure,
                    self._deadline.within(left, held=gate is not None),
                    hidden_in_log(request),
                ):
                    try:
                        response = await client.send(to_httpx(client, self._config, request))
                    except httpx.HTTPError as exc:
                        if not unanswered(request, exc):
                            raise
                        resent(request, f"the agent did not answer ({type(exc).__name__})")
                        response = await client.send(to_httpx(client, self._config, request))
                    return from_httpx(response)
                if isinstance(failure.error, Timeout):
                    await self._drop_idle(client)
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

    async def open_stream(
        self, request: Request, upload: AsyncUpload | None = None, *, endless: bool = False
    ) -> AsyncHttpxBody:
        """As `AsyncStreamingTransport.open_stream`; each wait is bounded by httpx's
        per-operation timeouts (the request's timeout).
        """
        self._loop.follow()  # async only
        timeout = call_timeout(self._config, request)
        # The stream gives its connection (and share) back to the counts it took them from,
        # gone if they start afresh before it ends (a fork, a new event loop).
        connections, gate = self._connections, self._gate
        if endless:
            await gate.enter(request, timeout)
        try:
            await self._take_connection(request, connections, self._lingering, timeout)
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
                return AsyncHttpxBody(
                    await client.send(built, stream=True), request, release, agent
                )
            raise failure.error
        except BaseException:
            release()
            raise

    async def aclose(self) -> None:
        """Close the client, unless the user passed it in (in a child process, its own: the
        parent's is left alone, since closing it could speak on the parent's connections); the
        waits for its connections and shares end (they raise `UsageError`).
        """
        self._loop.follow()  # async only
        self._deadline.close()
        if self._owned:
            self._closed = True
            self._connections.close()
            self._gate.close()
            await self._client_of_this_call().aclose()

"""The httpx transport: a pure mapping between `Request`/`Response` and httpx, and thin sync and
async transports over an `httpx.Client` / `httpx.AsyncClient` (ours, or one the user passes).

Rules (those of the native pool, where httpx lets them hold):
- A call's timeout bounds all of it: the async transport runs the call under a deadline; the
  sync transport bounds each socket operation of the clients it makes by the time left (a
  client the user passes, or one that goes through a proxy, keeps httpx's per-operation
  timeouts).
- Blocking queries keep inside their share of the connection budget (`_limits`).
- A GET or HEAD whose connection the agent closed without answering (an idle keep-alive
  connection it dropped) is sent once more; other methods are not, since the agent may have
  acted on them.
"""

from __future__ import annotations

import ssl
import threading
import time
import typing
from collections.abc import AsyncIterable, Iterable

import anyio
import httpcore
import httpx

from consul_core import Request, Response
from consul_transports._config import ClientConfig
from consul_transports._httpx_errors import mapped_errors
from consul_transports._httpx_stream import AsyncHttpxBody, HttpxBody
from consul_transports._limits import AsyncBlockingGate, BlockingGate, PoolLimits
from consul_transports._observe import resent

__all__ = ["AsyncHttpxTransport", "HttpxTransport", "from_httpx", "to_httpx"]

USER_AGENT = "consul-sansio/0.1"
_CONNECT_TIMEOUT = 10.0


def to_httpx(
    client: httpx.Client | httpx.AsyncClient,
    config: ClientConfig,
    request: Request,
    *,
    content: Iterable[bytes] | AsyncIterable[bytes] | None = None,
    endless: bool = False,
) -> httpx.Request:
    """Build the httpx request for `request` (the target is already escaped and encoded);
    `content`, a body sent as it is read instead of the request's; `endless`, a response
    whose body has no time bound between two pieces.
    """
    timeout = _call_timeout(config, request)
    extensions: dict[str, object] = {
        "timeout": httpx.Timeout(
            timeout, connect=min(timeout, _CONNECT_TIMEOUT), read=None if endless else timeout
        ).as_dict()
    }
    if config.tls.server_name:
        extensions["sni_hostname"] = config.tls.server_name
    return client.build_request(
        request.method,
        httpx.URL(config.base_url + request.target),
        headers=list(request.headers.items()),
        content=request.body if content is None else content,
        extensions=extensions,
    )


def _framed(built: httpx.Request, content_length: int | None) -> httpx.Request:
    """`built` with its streamed body announced by its length when it is known."""
    if content_length is not None:
        built.headers.pop("Transfer-Encoding", None)
        built.headers["Content-Length"] = str(content_length)
    return built


def from_httpx(response: httpx.Response) -> Response:
    """Turn a read httpx response into a `Response`."""
    return Response(response.status_code, response.headers.multi_items(), response.content)


_IDEMPOTENT = frozenset({"GET", "HEAD"})


def _unanswered(request: Request, exc: httpx.HTTPError) -> bool:
    """Whether `exc` says the agent closed the connection without answering `request`, which
    may then be sent once more.
    """
    return (
        request.method in _IDEMPOTENT
        and isinstance(exc, httpx.RemoteProtocolError)
        and str(exc).startswith("Server disconnected without sending a response")
    )


def _call_timeout(config: ClientConfig, request: Request) -> float:
    return request.timeout or config.timeout


def _limits(limits: PoolLimits) -> httpx.Limits:
    return httpx.Limits(
        max_connections=limits.max_connections, keepalive_expiry=limits.idle_timeout
    )


def _verify(config: ClientConfig) -> ssl.SSLContext | bool:
    return config.tls.context() if config.scheme == "https" else True


_HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}


class _Deadline(threading.local):
    """The deadline (a monotonic time) of the call this thread is making, if any."""

    at: float | None = None

    def bound(self, timeout: float | None, expired: type[Exception]) -> float | None:
        """`timeout`, cut to the time left; raises `expired` when none is left."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise expired("the call's timeout ran out")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes take no longer than the current call has left."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.bound(timeout, httpcore.ReadTimeout))

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

    def __init__(self, deadline: _Deadline) -> None:
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


def _bounded_transport(
    config: ClientConfig, limits: PoolLimits, deadline: _Deadline
) -> httpx.HTTPTransport:
    """An httpx transport whose sockets are bounded by `deadline` (httpx offers no hook for that:
    its connection pool's network backend is replaced).
    """
    transport = httpx.HTTPTransport(verify=_verify(config), uds=config.uds, limits=_limits(limits))
    pool = transport._pool
    if not hasattr(pool, "_network_backend"):
        raise TypeError("this httpcore version does not let the call's deadline bound its I/O")
    pool._network_backend = _DeadlineBackend(deadline)
    return transport


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
            limits: The connection budget (of the client made here; blocking queries keep
                inside their share of it with a client passed in too).
        """
        limits = limits or PoolLimits()
        self._config = config
        self._owned = client is None
        self._deadline = _Deadline()
        self._gate = BlockingGate(limits)
        self._client = client or httpx.Client(
            # httpx honours proxy variables only with a transport of its own making.
            transport=None if trust_env else _bounded_transport(config, limits, self._deadline),
            verify=_verify(config),
            headers=_HEADERS,
            trust_env=trust_env,
            limits=_limits(limits),
        )

    def send(self, request: Request) -> Response:
        """Send one request and read the whole response, within the request's timeout."""
        timeout = _call_timeout(self._config, request)
        if not request.blocking:
            return self._send(request, timeout)
        self._gate.enter(request, timeout)
        try:
            return self._send(request, timeout)
        finally:
            self._gate.leave()

    def _send(self, request: Request, timeout: float) -> Response:
        self._deadline.at = time.monotonic() + timeout
        try:
            with mapped_errors():
                try:
                    response = self._client.send(to_httpx(self._client, self._config, request))
                except httpx.HTTPError as exc:
                    if not _unanswered(request, exc):
                        raise
                    resent(request, f"the agent did not answer ({type(exc).__name__})")
                    response = self._client.send(to_httpx(self._client, self._config, request))
                return from_httpx(response)
        finally:
            self._deadline.at = None

    def open_stream(
        self,
        request: Request,
        *,
        content: Iterable[bytes] | None = None,
        content_length: int | None = None,
        endless: bool = False,
    ) -> HttpxBody:
        """Send `request` (with `content` as its body, if given) and return the response once
        its head has arrived; its body is read as it comes (see `SyncStreamingTransport`).
        Each wait is bounded by httpx's per-operation timeouts (the request's timeout).
        """
        timeout = _call_timeout(self._config, request)
        if endless:
            self._gate.enter(request, timeout)
        release = self._gate.leave if endless else _nothing
        try:
            built = to_httpx(self._client, self._config, request, content=content, endless=endless)
            with mapped_errors():
                response = self._client.send(_framed(built, content_length), stream=True)
        except BaseException:
            release()
            raise
        return HttpxBody(response, release)

    def close(self) -> None:
        """Close the client, unless the user passed it in."""
        if self._owned:
            self._client.close()


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
            limits: The connection budget (of the client made here; blocking queries keep
                inside their share of it with a client passed in too).
        """
        limits = limits or PoolLimits()
        self._config = config
        self._owned = client is None
        self._gate = AsyncBlockingGate(limits)
        self._client = client or httpx.AsyncClient(
            transport=None
            if trust_env
            else httpx.AsyncHTTPTransport(
                verify=_verify(config), uds=config.uds, limits=_limits(limits)
            ),
            verify=_verify(config),
            headers=_HEADERS,
            trust_env=trust_env,
            limits=_limits(limits),
        )

    async def send(self, request: Request) -> Response:
        """Send one request and read the whole response, within the request's timeout."""
        timeout = _call_timeout(self._config, request)
        if not request.blocking:
            return await self._send(request, timeout)
        await self._gate.enter(request, timeout)
        try:
            return await self._send(request, timeout)
        finally:
            self._gate.leave()

    async def _send(self, request: Request, timeout: float) -> Response:
        with mapped_errors(), anyio.fail_after(timeout):
            try:
                response = await self._client.send(to_httpx(self._client, self._config, request))
            except httpx.HTTPError as exc:
                if not _unanswered(request, exc):
                    raise
                resent(request, f"the agent did not answer ({type(exc).__name__})")
                response = await self._client.send(to_httpx(self._client, self._config, request))
            return from_httpx(response)

    async def open_stream(
        self,
        request: Request,
        *,
        content: AsyncIterable[bytes] | None = None,
        content_length: int | None = None,
        endless: bool = False,
    ) -> AsyncHttpxBody:
        """Send `request` (with `content` as its body, if given) and return the response once
        its head has arrived; its body is read as it comes (see `AsyncStreamingTransport`).
        Each wait is bounded by httpx's per-operation timeouts (the request's timeout).
        """
        timeout = _call_timeout(self._config, request)
        if endless:
            await self._gate.enter(request, timeout)
        release = self._gate.leave if endless else _nothing
        try:
            built = to_httpx(self._client, self._config, request, content=content, endless=endless)
            with mapped_errors():
                response = await self._client.send(_framed(built, content_length), stream=True)
        except BaseException:
            release()
            raise
        return AsyncHttpxBody(response, release)

    async def aclose(self) -> None:
        """Close the client, unless the user passed it in."""
        if self._owned:
            await self._client.aclose()


def _nothing() -> None:
    """Nothing to give back."""

"""The httpx transport's shared part: a pure mapping between `Request`/`Response` and httpx, and
the settings of the clients it makes. The transports themselves are in `_httpx_async.py`
(written by hand) and `_httpx_sync.py` (generated from it by scripts/unasync.py); what bounds a
call by its timeout differs between the two and is in `_httpx_deadline.py`.

Rules (those of the native pool, where httpx lets them hold):
- A call's timeout bounds all of it: the async transport runs the call under a deadline; the
  sync transport bounds each socket operation of the clients it makes by the time left (a
  client the user passes, or one that goes through a proxy, keeps httpx's per-operation
  timeouts).
- Blocking queries keep inside their share of the connection budget (`_limits`).
- A GET or HEAD whose connection the agent closed without answering (an idle keep-alive
  connection it dropped) is sent once more; other methods are not, since the agent may have
  acted on them.
- httpx's and httpcore's own log records never show a request's secrets: the ones its path
  holds (`Request.secrets_in_path`; httpx's INFO line per request shows the URL), its token
  and its basic-auth credentials (httpcore's DEBUG records show the reply's headers, where a
  proxy may echo them). While a request that has any is sent, a context variable holds them,
  and a filter on those loggers, which runs in the sending context, hides them in the records
  logged meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from types import TracebackType

import httpx

from consul_core import Headers, Request, Response, UsageError
from consul_core.http import RESENDABLE_METHODS, TOKEN_HEADER, hide
from consul_transports._config import ClientConfig
from consul_transports._httpx_errors import disconnected
from consul_transports._keepalive import keepalive_options
from consul_transports._limits import PoolLimits
from consul_transports._streams import AsyncUpload, SyncUpload
from consul_transports._transport import named

__all__ = ["finish_streamed", "from_httpx", "hidden_in_log", "to_httpx"]

USER_AGENT = "consul-sansio/0.1"
_CONNECT_TIMEOUT = 10.0


def to_httpx(
    client: httpx.Client | httpx.AsyncClient,
    config: ClientConfig,
    request: Request,
    upload: SyncUpload | AsyncUpload | None = None,
    *,
    endless: bool = False,
) -> httpx.Request:
    """Build the httpx request for `request` (the target is already escaped and encoded);
    `upload`, a body sent as it is read instead of the request's (announced by its length when
    known, else chunked); `endless`, a response whose body has no time bound between two
    pieces.
    """
    timeout = call_timeout(config, request)
    extensions: dict[str, object] = {
        "timeout": httpx.Timeout(
            timeout, connect=min(timeout, _CONNECT_TIMEOUT), read=None if endless else timeout
        ).as_dict()
    }
    if config.tls.server_name:
        extensions["sni_hostname"] = config.tls.server_name
    try:
        url = httpx.URL(config.base_url + request.target)
    except httpx.InvalidURL as exc:  # not an httpx.HTTPError: over its length limit, say
        raise UsageError(
            f"httpx cannot send {named(request)} ({exc}); the native transport can"
        ) from None
    built = client.build_request(
        request.method,
        url,
        headers=list(request.headers.items()),
        content=request.body if upload is None else upload.pieces,
        extensions=extensions,
    )
    if upload is not None and upload.length is not None:
        built.headers.pop("Transfer-Encoding", None)
        built.headers["Content-Length"] = str(upload.length)
    elif upload is None and request.body:
        built.stream = _WholeBody(request.body)  # the headers httpx set for it stay true
    return built


class _WholeBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A request's body in one piece, iterated without a generator: httpx's own stream for
    bytes is an async generator, which a send cancelled in the middle leaves unfinished, and
    trio warns (a `ResourceWarning`) when it collects one.
    """

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        return iter((self._body,))

    def __aiter__(self) -> AsyncIterator[bytes]:
        return _Once(self._body)


class _Once:
    """An async iterator of one piece."""

    __slots__ = ("_piece",)

    def __init__(self, piece: bytes) -> None:
        self._piece: bytes | None = piece

    def __aiter__(self) -> _Once:
        return self

    async def __anext__(self) -> bytes:
        piece, self._piece = self._piece, None
        if piece is None:
            raise StopAsyncIteration
        return piece


async def finish_streamed(response: httpx.Response, pieces: AsyncIterator[bytes]) -> None:
    """Close a streamed `response` (its connection, unless its body was read to its end), then
    run `pieces`, its body's async generator, to its end. httpx and httpcore read a body
    through nested async generators; ``aclose()`` on the outermost finishes that one only, and
    trio warns (a `ResourceWarning`) for each of the others that is collected unfinished. With
    the connection closed, the read under the innermost one fails at once, and that failure
    ends every generator of the chain on its way out.
    """
    try:
        await response.aclose()
    finally:
        if isinstance(pieces, AsyncGenerator):
            try:
                with contextlib.suppress(Exception):  # the closed connection's error, expected
                    async for _ in pieces:  # what was read from the socket already, if any
                        pass
            finally:
                await pieces.aclose()  # a no-op once it has ended


def from_httpx(response: httpx.Response) -> Response:
    """Turn a read httpx response into a `Response`."""
    return Response(response.status_code, response.headers.multi_items(), response.content)


def unanswered(request: Request, exc: httpx.HTTPError) -> bool:
    """Whether `exc` says the agent closed the connection without answering `request`, which
    may then be sent once more.
    """
    return request.method in RESENDABLE_METHODS and disconnected(exc)


def call_timeout(config: ClientConfig, request: Request) -> float:
    """The timeout of `request`: its own, else the client's."""
    return request.timeout or config.timeout


def pool_limits(limits: PoolLimits) -> httpx.Limits:
    """Httpx's limits for the connection budget `limits`."""
    return httpx.Limits(
        max_connections=limits.max_connections, keepalive_expiry=limits.idle_timeout
    )


def socket_options(config: ClientConfig) -> tuple[tuple[int, int, int], ...]:
    """The options of the sockets httpx opens: keep-alive (`_keepalive`) on TCP; none on a
    unix socket.
    """
    return () if config.uds else keepalive_options()


def tls_verify(config: ClientConfig) -> ssl.SSLContext | bool:
    """What httpx verifies the agent's certificate with."""
    return config.tls.context() if config.scheme == "https" else True


HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}


def headers_of(response: httpx.Response) -> Headers:
    """The headers of an httpx response."""
    return Headers(response.headers.multi_items())


# The secrets of the path of the request being sent in this context (thread, task).
_sending_secrets: ContextVar[tuple[str, ...]] = ContextVar("consul_httpx_secrets", default=())
_NOTHING_HIDDEN = nullcontext()


class _SecretsHidden(logging.Filter):
    """Hides the secrets of the request being sent in the records of httpx's loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _sending_secrets.get()
        if secrets:
            message = record.getMessage()
            for secret in secrets:
                message = hide(message, secret)
            record.msg, record.args = message, None
        return True


_SECRETS_HIDDEN = _SecretsHidden()


# The loggers httpx and httpcore write to (a logger's filter does not see its children's).
_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def hide_secrets_in_log() -> None:
    """Filter httpx's log records as the rules say (the same filter, however often called)."""
    for name in _LOGGERS:
        logging.getLogger(name).addFilter(_SECRETS_HIDDEN)


class _Sending:
    """The block that sends a request whose path holds `secrets`."""

    __slots__ = ("_secrets", "_token")

    def __init__(self, secrets: tuple[str, ...]) -> None:
        self._secrets = secrets

    def __enter__(self) -> None:
        self._token = _sending_secrets.set(self._secrets)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _sending_secrets.reset(self._token)


def hidden_in_log(request: Request) -> AbstractContextManager[object]:
    """The block that sends `request`: its secrets hidden in httpx's log records (nothing to
    do for a request without any).
    """
    secrets = request.secrets_in_path
    headers = request.headers
    token = headers.get(TOKEN_HEADER)
    if token:
        secrets += (token,)
    authorization = headers.get("Authorization")
    if authorization:
        # The header as sent, and its credentials alone (how a record may quote them).
        secrets += (authorization, authorization.partition(" ")[2])
    return _Sending(secrets) if secrets else _NOTHING_HIDDEN

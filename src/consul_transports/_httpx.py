"""The httpx transport: a pure mapping between `Request`/`Response` and httpx, and thin sync and
async transports over an `httpx.Client` / `httpx.AsyncClient` (ours, or one the user passes).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from consul_core import ConnectError, Request, Response, Timeout, TransportError
from consul_transports._config import ClientConfig

__all__ = ["AsyncHttpxTransport", "HttpxTransport", "from_httpx", "to_httpx"]

USER_AGENT = "consul-sansio/0.1"
_CONNECT_TIMEOUT = 10.0


def to_httpx(
    client: httpx.Client | httpx.AsyncClient, config: ClientConfig, request: Request
) -> httpx.Request:
    """Build the httpx request for `request` (the target is already escaped and encoded)."""
    timeout = request.timeout or config.timeout
    extensions: dict[str, object] = {
        "timeout": httpx.Timeout(timeout, connect=min(timeout, _CONNECT_TIMEOUT)).as_dict()
    }
    if config.tls.server_name:
        extensions["sni_hostname"] = config.tls.server_name
    return client.build_request(
        request.method,
        httpx.URL(config.base_url + request.target),
        headers=list(request.headers.items()),
        content=request.body,
        extensions=extensions,
    )


def from_httpx(response: httpx.Response) -> Response:
    """Turn a read httpx response into a `Response`."""
    return Response(response.status_code, response.headers.multi_items(), response.content)


@contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException as exc:
        raise Timeout(f"the agent did not answer in time ({type(exc).__name__})") from exc
    except httpx.ConnectError as exc:
        raise ConnectError(f"cannot connect to the agent: {exc}") from exc
    except httpx.LocalProtocolError:  # its message shows the offending header value: the token
        raise TransportError("the request cannot be sent: an invalid header or target") from None
    except httpx.HTTPError as exc:
        raise TransportError(f"{type(exc).__name__}: {exc}") from exc
    except OSError as exc:  # httpcore's anyio backend lets a TLS alert's SSLError through
        raise TransportError(f"{type(exc).__name__}: {exc}") from exc
    except UnicodeEncodeError:  # a header value (the token) that is not ASCII; never shown
        raise TransportError("the request cannot be sent: a header value is not ASCII") from None


def _verify(config: ClientConfig) -> ssl.SSLContext | bool:
    return config.tls.context() if config.scheme == "https" else True


_HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}


class HttpxTransport:
    """A blocking transport over an `httpx.Client`."""

    def __init__(
        self, config: ClientConfig, client: httpx.Client | None = None, *, trust_env: bool = False
    ) -> None:
        """Wrap `client`, or make one; `trust_env` lets it honour the proxy variables."""
        self._config = config
        self._owned = client is None
        self._client = client or httpx.Client(
            transport=httpx.HTTPTransport(uds=config.uds) if config.uds else None,
            verify=_verify(config),
            headers=_HEADERS,
            trust_env=trust_env,
        )

    def send(self, request: Request) -> Response:
        """Send one request and read the whole response."""
        with _mapped_errors():
            response = self._client.send(to_httpx(self._client, self._config, request))
            return from_httpx(response)

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
    ) -> None:
        """Wrap `client`, or make one; `trust_env` lets it honour the proxy variables."""
        self._config = config
        self._owned = client is None
        self._client = client or httpx.AsyncClient(
            transport=httpx.AsyncHTTPTransport(uds=config.uds) if config.uds else None,
            verify=_verify(config),
            headers=_HEADERS,
            trust_env=trust_env,
        )

    async def send(self, request: Request) -> Response:
        """Send one request and read the whole response."""
        with _mapped_errors():
            response = await self._client.send(to_httpx(self._client, self._config, request))
            return from_httpx(response)

    async def aclose(self) -> None:
        """Close the client, unless the user passed it in."""
        if self._owned:
            await self._client.aclose()

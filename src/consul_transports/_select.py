"""Choosing a transport from the client's ``transport=`` argument."""

from __future__ import annotations

import httpx

from consul_core import UsageError
from consul_transports._config import ClientConfig
from consul_transports._httpx import AsyncHttpxTransport, HttpxTransport
from consul_transports._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncTransportArg", "SyncTransportArg", "async_transport", "sync_transport"]

SyncTransportArg = str | httpx.Client | SyncTransport | None
AsyncTransportArg = str | httpx.AsyncClient | AsyncTransport | None


def sync_transport(config: ClientConfig, transport: SyncTransportArg) -> SyncTransport:
    """The blocking transport that `transport` names.

    Args:
        config: The client's configuration.
        transport: ``None`` for the default, ``"httpx"``, an `httpx.Client` (not closed by the
            client), or any `SyncTransport`.

    Returns:
        The transport.

    Raises:
        UsageError: `transport` names no transport.
    """
    if transport is None or transport == "httpx":
        return HttpxTransport(config)
    if isinstance(transport, httpx.Client):
        return HttpxTransport(config, transport)
    if isinstance(transport, SyncTransport):
        return transport
    raise UsageError(
        f"transport must be 'httpx', an httpx.Client or a SyncTransport, not {transport!r}"
    )


def async_transport(config: ClientConfig, transport: AsyncTransportArg) -> AsyncTransport:
    """The async transport that `transport` names.

    Args:
        config: The client's configuration.
        transport: ``None`` for the default, ``"httpx"``, an `httpx.AsyncClient` (not closed by
            the client), or any `AsyncTransport`.

    Returns:
        The transport.

    Raises:
        UsageError: `transport` names no transport.
    """
    if transport is None or transport == "httpx":
        return AsyncHttpxTransport(config)
    if isinstance(transport, httpx.AsyncClient):
        return AsyncHttpxTransport(config, transport)
    if isinstance(transport, AsyncTransport):
        return transport
    raise UsageError(
        f"transport must be 'httpx', an httpx.AsyncClient or an AsyncTransport, not {transport!r}"
    )

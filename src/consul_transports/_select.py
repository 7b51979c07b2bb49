"""Choosing a transport from the client's ``transport=`` argument.

The default is the native transport, except when the environment routes the agent's address
through a proxy (``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``, less ``NO_PROXY``): the native
transport speaks only directly to the agent, so then httpx carries the requests, through the
proxy. Transports this module makes with httpx honour such a proxy too.
"""

from __future__ import annotations

import urllib.request

import httpx

from consul_core import UsageError
from consul_transports._config import ClientConfig
from consul_transports._httpx_async import AsyncHttpxTransport
from consul_transports._httpx_sync import HttpxTransport
from consul_transports._limits import PoolLimits
from consul_transports._native import AsyncNativeTransport, NativeTransport
from consul_transports._transport import AsyncTransport, SyncTransport

__all__ = [
    "AsyncTransportArg",
    "SyncTransportArg",
    "async_transport",
    "proxied",
    "sync_transport",
]

SyncTransportArg = str | httpx.Client | SyncTransport | None
AsyncTransportArg = str | httpx.AsyncClient | AsyncTransport | None

_SYNC_OTHERS = "an httpx.Client or a SyncTransport"
_ASYNC_OTHERS = "an httpx.AsyncClient or an AsyncTransport"


def proxied(config: ClientConfig) -> bool:
    """Whether the environment sends requests for the agent's address through a proxy."""
    if config.uds is not None:
        return False
    proxies = urllib.request.getproxies()
    if not (proxies.get(config.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(f"{config.host}:{config.port}")


def _named(config: ClientConfig, name: str | None, others: str) -> str:
    """``"native"`` or ``"httpx"``: the transport that `name` (or None, the default) means."""
    if name is None:
        return "httpx" if proxied(config) else "native"
    if name in ("native", "httpx"):
        return name
    raise UsageError(f"transport must be 'native', 'httpx', {others}, not {name!r}")


def sync_transport(
    config: ClientConfig, transport: SyncTransportArg, limits: PoolLimits | None = None
) -> SyncTransport:
    """The blocking transport that `transport` names.

    Args:
        config: The client's configuration.
        transport: ``None`` for the default (native, or httpx when a proxy applies),
            ``"native"``, ``"httpx"``, an `httpx.Client` (not closed by the client), or any
            `SyncTransport`.
        limits: The connection budget of a transport made here.

    Returns:
        The transport.

    Raises:
        UsageError: `transport` names no transport.
    """
    if transport is None or isinstance(transport, str):
        if _named(config, transport, _SYNC_OTHERS) == "native":
            return NativeTransport(config, limits=limits)
        return HttpxTransport(config, trust_env=proxied(config), limits=limits)
    if isinstance(transport, httpx.Client):
        return HttpxTransport(config, transport, limits=limits)
    if isinstance(transport, SyncTransport):
        return transport
    raise UsageError(f"transport must be 'native', 'httpx', {_SYNC_OTHERS}, not {transport!r}")


def async_transport(
    config: ClientConfig, transport: AsyncTransportArg, limits: PoolLimits | None = None
) -> AsyncTransport:
    """The async transport that `transport` names.

    Args:
        config: The client's configuration.
        transport: ``None`` for the default (native, or httpx when a proxy applies),
            ``"native"``, ``"httpx"``, an `httpx.AsyncClient` (not closed by the client), or
            any `AsyncTransport`.
        limits: The connection budget of a transport made here.

    Returns:
        The transport.

    Raises:
        UsageError: `transport` names no transport.
    """
    if transport is None or isinstance(transport, str):
        if _named(config, transport, _ASYNC_OTHERS) == "native":
            return AsyncNativeTransport(config, limits=limits)
        return AsyncHttpxTransport(config, trust_env=proxied(config), limits=limits)
    if isinstance(transport, httpx.AsyncClient):
        return AsyncHttpxTransport(config, transport, limits=limits)
    if isinstance(transport, AsyncTransport):
        return transport
    raise UsageError(f"transport must be 'native', 'httpx', {_ASYNC_OTHERS}, not {transport!r}")

"""Choosing a transport from the client's ``transport=`` argument.

The default is the native transport, except when the environment routes the agent's address
through a proxy (``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``, less ``NO_PROXY``): the native
transport speaks only directly to the agent, so then httpx carries the requests, through the
proxy. Transports this module makes with httpx honour such a proxy too. As in Go
(``http.ProxyFromEnvironment``), a local agent (``localhost``, a loopback address) is never
reached through a proxy, and ``NO_PROXY`` may name networks (``10.0.0.0/8``).
"""

from __future__ import annotations

import ipaddress
import urllib.request
from collections.abc import Callable
from typing import Any

import attrs
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


def proxied(config: ClientConfig) -> bool:
    """Whether the environment sends requests for the agent's address through a proxy."""
    if config.uds is not None or _local(config.host):
        return False
    proxies = urllib.request.getproxies()
    if not (proxies.get(config.scheme) or proxies.get("all")):
        return False
    if _in_no_proxy_network(config.host, proxies.get("no", "")):
        return False
    return not urllib.request.proxy_bypass(f"{config.host}:{config.port}")


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:  # a name
        return None


def _local(host: str) -> bool:
    """Whether `host` is this machine: ``localhost`` (a subdomain of it too) or a loopback
    address, which Go's client never reaches through a proxy (the proxy would get the token).
    """
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _address(host)
    return address is not None and address.is_loopback


def _in_no_proxy_network(host: str, no_proxy: str) -> bool:
    """Whether `host`, an IP address, lies in a network that `no_proxy` names in CIDR form
    (which Python's `urllib.request.proxy_bypass` does not read; Go's does).
    """
    address = _address(host)
    if address is None:
        return False
    for entry in no_proxy.split(","):
        if "/" in (entry := entry.strip()):
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:  # not a network: urllib reads it as a name
                continue
    return False


def _named(config: ClientConfig, name: str | None, others: str) -> str:
    """``"native"`` or ``"httpx"``: the transport that `name` (or None, the default) means."""
    if name is None:
        return "httpx" if proxied(config) else "native"
    if name in ("native", "httpx"):
        return name
    raise UsageError(f"transport must be 'native', 'httpx', {others}, not {name!r}")


@attrs.frozen
class _Kind:
    """The transports of one kind (blocking or async), and the words for what else it takes."""

    native: Callable[..., Any]
    over_httpx: Callable[..., Any]
    httpx_client: type[Any]
    protocol: type[Any]
    others: str


_SYNC = _Kind(
    NativeTransport,
    HttpxTransport,
    httpx.Client,
    SyncTransport,
    "an httpx.Client or a SyncTransport",
)
_ASYNC = _Kind(
    AsyncNativeTransport,
    AsyncHttpxTransport,
    httpx.AsyncClient,
    AsyncTransport,
    "an httpx.AsyncClient or an AsyncTransport",
)


def _chosen(kind: _Kind, config: ClientConfig, transport: object, limits: PoolLimits | None) -> Any:
    """The transport of `kind` that `transport` names (see `sync_transport`)."""
    if transport is None or isinstance(transport, str):
        if _named(config, transport, kind.others) == "native":
            return kind.native(config, limits=limits)
        return kind.over_httpx(config, trust_env=proxied(config), limits=limits)
    if isinstance(transport, kind.httpx_client):
        return kind.over_httpx(config, transport, limits=limits)
    if isinstance(transport, kind.protocol):
        return transport
    raise UsageError(f"transport must be 'native', 'httpx', {kind.others}, not {transport!r}")


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
    chosen: SyncTransport = _chosen(_SYNC, config, transport, limits)
    return chosen


def async_transport(
    config: ClientConfig, transport: AsyncTransportArg, limits: PoolLimits | None = None
) -> AsyncTransport:
    """The async transport that `transport` names: as `sync_transport`, with an
    `httpx.AsyncClient` or any `AsyncTransport`.
    """
    chosen: AsyncTransport = _chosen(_ASYNC, config, transport, limits)
    return chosen
